package exec_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
)

// The operator tests are data files under testdata/operators: each case is
//
//	# optional comments
//	query
//	<KQL, one or more lines>
//	----
//	<expected result: a header of name:type, then one line per row>
//
// separated by blank lines. `query error` expects an error instead; the
// expected text is the error message. Run with -update-ops to rewrite the
// expectations from the current output.
var updateOps = flag.Bool("update-ops", false, "rewrite testdata/operators expectations")

// opTestNow is the query start time of the data-driven tests.
var opTestNow = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

type opCase struct {
	comment []string
	query   string
	isError bool
	want    string
	line    int
}

func TestOperatorScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/operators/*.kqltest")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) { runOpFile(t, file) })
	}
}

func runOpFile(t *testing.T, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cases := parseOpCases(t, file, string(data))
	changed := false
	for _, c := range cases {
		got := runOpQuery(c.query)
		if strings.HasPrefix(got, "error: ") != c.isError && !*updateOps {
			t.Errorf("%s:%d: %s\ngot:\n%s", file, c.line, c.query, got)
			continue
		}
		got = strings.TrimPrefix(got, "error: ")
		if got == c.want {
			continue
		}
		if *updateOps {
			c.want, changed = got, true
			continue
		}
		t.Errorf("%s:%d: %s\ngot:\n%s\nwant:\n%s", file, c.line, c.query, got, c.want)
	}
	if changed {
		if err := os.WriteFile(file, []byte(formatOpCases(cases)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func parseOpCases(t *testing.T, file, text string) []*opCase {
	var cases []*opCase
	lines := strings.Split(text, "\n")
	var comment []string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case strings.TrimSpace(l) == "":
			continue
		case strings.HasPrefix(l, "#"):
			comment = append(comment, l)
			continue
		case l != "query" && l != "query error":
			t.Fatalf("%s:%d: expected 'query', got %q", file, i+1, l)
		}
		c := &opCase{comment: comment, isError: l == "query error", line: i + 1}
		comment = nil
		var q []string
		for i++; i < len(lines) && lines[i] != "----"; i++ {
			q = append(q, lines[i])
		}
		var want []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
			want = append(want, lines[i])
		}
		c.query, c.want = strings.Join(q, "\n"), strings.Join(want, "\n")
		cases = append(cases, c)
	}
	return cases
}

func formatOpCases(cases []*opCase) string {
	var b strings.Builder
	for i, c := range cases {
		if i > 0 {
			b.WriteString("\n")
		}
		for _, l := range c.comment {
			b.WriteString(l + "\n")
		}
		if c.isError {
			b.WriteString("query error\n")
		} else {
			b.WriteString("query\n")
		}
		fmt.Fprintf(&b, "%s\n----\n%s\n", c.query, c.want)
	}
	return b.String()
}

// runOpQuery runs a query and formats its last result, or its error.
func runOpQuery(q string) string {
	e := &engine.Engine{Catalog: engine.Catalog{}, Now: func() time.Time { return opTestNow }}
	res, err := e.Query(context.Background(), q)
	if err != nil {
		return "error: " + err.Error()
	}
	if len(res) == 0 {
		return "(no result)"
	}
	return formatResult(res[len(res)-1])
}

func formatResult(r *engine.Result) string {
	var b strings.Builder
	head := make([]string, len(r.Schema))
	for i, f := range r.Schema {
		head[i] = f.Name + ":" + f.Type.String()
	}
	b.WriteString(strings.Join(head, " | "))
	for row := 0; row < r.Rows.N; row++ {
		cells := make([]string, len(r.Schema))
		for col := range r.Schema {
			cells[col] = formatCell(r.Value(row, col))
		}
		b.WriteString("\n" + strings.Join(cells, " | "))
	}
	return b.String()
}

func formatCell(v types.Value) string {
	switch {
	case v.Type == types.String:
		return strconv.Quote(v.S)
	case v.IsNull():
		return "null"
	}
	return v.String()
}
