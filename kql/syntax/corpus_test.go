package syntax

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/idlogs/idlogs/kql/workbook"
)

// The conformance corpora live in the shared folder that sits beside the
// repository (X/../shared when the repository is cloned at X); see
// shared/conformance/README.md for the record format.
var corpusFiles = []string{
	"kql-docs-examples.jsonl",
	"kql-docs-needs-sample-tables.jsonl",
	"sentinel-entra-queries.jsonl",
}

// knownGapsFile lists corpus records on which the parser may disagree with
// the official Kusto parser.
const knownGapsFile = "testdata/parse-known-gaps.txt"

// maxGapShare is the largest share of corpus records that may be known gaps.
const maxGapShare = 0.01

// corpusRecord holds the fields of a conformance record that parser tests use.
type corpusRecord struct {
	File            string `json:"-"`
	ID              string `json:"id"`
	Query           string `json:"query"`
	OfficialParseOK bool   `json:"official_parse_ok"`
	// ParseOKWithStubs is set for workbook queries only: whether the
	// official parser accepts the query once its parameter tokens are
	// replaced by stand-ins.
	ParseOKWithStubs *bool `json:"official_parse_ok_with_param_stubs"`
	// OfficialSyntaxErrors are the first official diagnostics (Sentinel
	// corpus only), shown when the parser wrongly accepts a query.
	OfficialSyntaxErrors []struct {
		Message string `json:"message"`
		Offset  int    `json:"offset"`
	} `json:"official_syntax_errors"`
}

// parseInput returns the text the parser should be given for r and whether
// the official parser accepts that text. Workbook templates the official
// parser only accepts with stubbed parameters are given stubbed.
func (r *corpusRecord) parseInput() (src string, wantOK bool) {
	switch {
	case r.OfficialParseOK:
		return r.Query, true
	case r.ParseOKWithStubs != nil && *r.ParseOKWithStubs:
		return workbook.Stub(r.Query), true
	}
	return r.Query, false
}

var corpus struct {
	once    sync.Once
	dir     string
	records []*corpusRecord
	err     error
}

// loadCorpus returns the records of all corpus files, or skips tb when the
// shared folder is not there.
func loadCorpus(tb testing.TB) []*corpusRecord {
	tb.Helper()
	corpus.once.Do(func() {
		corpus.dir = findConformanceDir()
		if corpus.dir != "" {
			corpus.records, corpus.err = readCorpus(corpus.dir)
		}
	})
	switch {
	case corpus.dir == "":
		tb.Skip("conformance corpus not found: expected shared/conformance in the working directory's parent chain (the shared folder sits beside the repository)")
	case corpus.err != nil:
		tb.Fatal(corpus.err)
	}
	return corpus.records
}

// findConformanceDir walks up from the working directory looking for
// shared/conformance and returns it, or "" when there is none.
func findConformanceDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		candidate := filepath.Join(dir, "shared", "conformance")
		if info, err := os.Stat(candidate); err == nil && info.IsDir() {
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func readCorpus(dir string) ([]*corpusRecord, error) {
	var all []*corpusRecord
	for _, name := range corpusFiles {
		records, err := readCorpusFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		all = append(all, records...)
	}
	return all, nil
}

func readCorpusFile(path string) ([]*corpusRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var records []*corpusRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for line := 1; sc.Scan(); line++ {
		r := &corpusRecord{File: filepath.Base(path)}
		if err := json.Unmarshal(sc.Bytes(), r); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, line, err)
		}
		records = append(records, r)
	}
	return records, sc.Err()
}

// readKnownGaps reads a known-gaps file: one record id per line, optionally
// followed by a reason; blank lines and lines starting with # are ignored.
func readKnownGaps(path string) (map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	gaps := map[string]bool{}
	for i, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if gaps[fields[0]] {
			return nil, fmt.Errorf("%s:%d: %s is listed twice", path, i+1, fields[0])
		}
		gaps[fields[0]] = true
	}
	return gaps, nil
}

// maxReported caps the disagreements printed in detail, so that an early
// parser does not bury the summary under thousands of lines.
const maxReported = 40

// TestCorpusParse checks that the parser accepts exactly the corpus queries
// the official Kusto parser accepts, apart from the listed known gaps.
func TestCorpusParse(t *testing.T) {
	records := loadCorpus(t)
	gaps, err := readKnownGaps(knownGapsFile)
	if err != nil {
		t.Fatal(err)
	}
	var agree, listedAgree, unlisted int
	seen := map[string]bool{}
	for _, r := range records {
		seen[r.ID] = true
		problem := parseDisagreement(r)
		switch {
		case problem == "" && gaps[r.ID]:
			listedAgree++
			t.Errorf("%s: listed in %s but now agrees with the official parser; remove it", r.ID, knownGapsFile)
		case problem == "":
			agree++
		case !gaps[r.ID]:
			unlisted++
			if unlisted <= maxReported {
				t.Errorf("%s (%s): %s", r.ID, r.File, problem)
			}
		}
	}
	if unlisted > maxReported {
		t.Errorf("... and %d more disagreements not shown", unlisted-maxReported)
	}
	checkGapList(t, gaps, seen, len(records))
	t.Logf("records checked: %d, agree: %d, known gaps: %d, unlisted disagreements: %d, gaps that now agree: %d",
		len(records), agree+listedAgree, len(gaps), unlisted, listedAgree)
}

// parseDisagreement parses r and describes how the result differs from the
// official parser's verdict, or returns "" when they agree.
func parseDisagreement(r *corpusRecord) string {
	src, wantOK := r.parseInput()
	_, err := Parse(src)
	switch {
	case wantOK && err != nil:
		return fmt.Sprintf("official parser accepts it, got %v", firstError(err))
	case !wantOK && err == nil:
		return "official parser rejects it" + officialErrors(r) + ", but it parsed"
	}
	return ""
}

func firstError(err error) error {
	var list ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return list[0]
	}
	return err
}

func officialErrors(r *corpusRecord) string {
	if len(r.OfficialSyntaxErrors) == 0 {
		return ""
	}
	e := r.OfficialSyntaxErrors[0]
	return fmt.Sprintf(" (%v: %s)", PositionOf(r.Query, e.Offset), e.Message)
}

// checkGapList fails t when the gap list names records that are not in the
// corpus or grows past maxGapShare of the records.
func checkGapList(t *testing.T, gaps, seen map[string]bool, total int) {
	t.Helper()
	for id := range gaps {
		if !seen[id] {
			t.Errorf("%s: listed in %s but not in the corpus; remove it", id, knownGapsFile)
		}
	}
	if limit := int(maxGapShare * float64(total)); len(gaps) > limit {
		t.Errorf("%s lists %d records, more than %d (%.0f%% of %d): fix gaps instead of listing them",
			knownGapsFile, len(gaps), limit, maxGapShare*100, total)
	}
}

// TestCorpusRoundTrip checks, for every corpus query that parses, that both
// Print and Format produce text that parses back to the same tree.
func TestCorpusRoundTrip(t *testing.T) {
	var parsed int
	for _, r := range loadCorpus(t) {
		src, _ := r.parseInput()
		script, err := Parse(src)
		if err != nil {
			continue
		}
		parsed++
		t.Run(r.ID, func(t *testing.T) {
			want := Dump(script)
			checkReparse(t, "Print", Print(script), want)
			checkReparse(t, "Format", Format(script), want)
		})
	}
	t.Logf("queries that parse and were round-tripped: %d", parsed)
}

// checkReparse fails t unless text parses to a tree whose Dump is want.
func checkReparse(t *testing.T, printer, text, want string) {
	t.Helper()
	script, err := Parse(text)
	if err != nil {
		t.Errorf("%s output does not parse: %v\n%s", printer, err, text)
		return
	}
	if got := Dump(script); got != want {
		t.Errorf("%s output parses to a different tree: %s\n%s", printer, firstDiff(want, got), text)
	}
}

// firstDiff describes the first line where two dumps differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		wl, gl := lineAt(w, i), lineAt(g, i)
		if wl != gl {
			return fmt.Sprintf("dump line %d: want %q, got %q", i+1, wl, gl)
		}
	}
	return "dumps are equal"
}

func lineAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "<end of dump>"
}
