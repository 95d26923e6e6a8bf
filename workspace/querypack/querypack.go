// Package querypack is idlogs' built-in query pack: saved KQL queries,
// each with a name, a display name, a description and categories, that
// answer the questions the Entra integration exists for (apps still on
// ADAL, risky users and their detections, sign-ins against security
// alerts, sign-in page performance against application data) and
// Microsoft's documented example queries for the Entra tables.
//
// The queries are files in queries/, one per query: a header of
// "// key: value" lines, then the query text. The API serves them in the
// shape of a Log Analytics query pack
// (Microsoft.OperationalInsights/queryPacks/{pack}/queries); the CLI lists
// and runs them by name.
package querypack

import (
	"bufio"
	"crypto/sha1"
	"embed"
	"fmt"
	"path"
	"slices"
	"strings"
)

// Name is the name of the built-in query pack.
const Name = "idlogs-entra"

// Query is one saved query.
type Query struct {
	// Name is the query's short name (its file name): what
	// "idlogs queries run" takes.
	Name string
	// ID is the query's id in the pack, a GUID made from Name.
	ID string
	// DisplayName is the title Log Analytics shows.
	DisplayName string
	Description string
	// Categories are Log Analytics' query categories (security,
	// applications, audit, ...).
	Categories []string
	// Tables are the tables the query reads.
	Tables []string
	// Source says where the query comes from: "idlogs", or the
	// Microsoft page it is documented on.
	Source string
	// Body is the KQL text.
	Body string
}

//go:embed queries/*.kql
var files embed.FS

var pack = mustLoad()

// Queries returns the pack's queries, ordered by name. The slice is the
// caller's; the queries are shared and must not be changed.
func Queries() []Query { return slices.Clone(pack) }

// Lookup returns the query of name, matched without regard to case
// against the name, the display name or the id.
func Lookup(name string) (Query, bool) {
	for _, q := range pack {
		if strings.EqualFold(q.Name, name) || strings.EqualFold(q.DisplayName, name) || strings.EqualFold(q.ID, name) {
			return q, true
		}
	}
	return Query{}, false
}

func mustLoad() []Query {
	qs, err := load()
	if err != nil {
		panic(err) // the embedded files are checked by the package's tests
	}
	return qs
}

func load() ([]Query, error) {
	entries, err := files.ReadDir("queries")
	if err != nil {
		return nil, err
	}
	var qs []Query
	for _, e := range entries {
		data, err := files.ReadFile(path.Join("queries", e.Name()))
		if err != nil {
			return nil, err
		}
		q, err := parse(strings.TrimSuffix(e.Name(), ".kql"), string(data))
		if err != nil {
			return nil, fmt.Errorf("query file %s: %w", e.Name(), err)
		}
		qs = append(qs, q)
	}
	slices.SortFunc(qs, func(a, b Query) int { return strings.Compare(a.Name, b.Name) })
	return qs, nil
}

// parse reads a query file: "// key: value" header lines (display,
// description, which may continue on further "//" lines, categories,
// tables, source), then the body.
func parse(name, text string) (Query, error) {
	q := Query{Name: name, ID: guidOf(name)}
	sc := bufio.NewScanner(strings.NewReader(text))
	var body []string
	key := ""
	inHeader := true
	for sc.Scan() {
		line := sc.Text()
		if inHeader && strings.HasPrefix(line, "//") {
			rest := strings.TrimSpace(strings.TrimPrefix(line, "//"))
			k, v, ok := strings.Cut(rest, ":")
			if ok && !strings.Contains(k, " ") && k != "" {
				key = k
			} else {
				v = rest // a continuation line
			}
			v = strings.TrimSpace(v)
			switch key {
			case "display":
				q.DisplayName = join(q.DisplayName, v)
			case "description":
				q.Description = join(q.Description, v)
			case "categories":
				q.Categories = append(q.Categories, list(v)...)
			case "tables":
				q.Tables = append(q.Tables, list(v)...)
			case "source":
				q.Source = join(q.Source, v)
			default:
				return q, fmt.Errorf("unknown header %q", key)
			}
			continue
		}
		inHeader = false
		body = append(body, line)
	}
	q.Body = strings.TrimSpace(strings.Join(body, "\n"))
	switch {
	case q.DisplayName == "" || q.Description == "" || q.Source == "":
		return q, fmt.Errorf("a query needs display, description and source headers")
	case len(q.Categories) == 0 || len(q.Tables) == 0:
		return q, fmt.Errorf("a query needs categories and tables")
	case q.Body == "":
		return q, fmt.Errorf("no query after the header")
	}
	return q, nil
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

func list(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// guidOf makes a stable GUID of name (the layout of a version 5 UUID), so
// a query keeps its id across releases.
func guidOf(name string) string {
	h := sha1.Sum([]byte("idlogs query pack/" + name))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// ID returns the pack's id (its queryPackId), a GUID made from Name.
func ID() string { return guidOf("pack/" + Name) }
