package conformance

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// analysisFile holds Microsoft's documented analysis queries for Entra logs.
const analysisFile = "spec/analysis-queries.md"

// analysisGaps lists analysis queries (by their first 60 characters) that
// do not check and run yet, with the reason; the test fails when a listed
// query runs, as it fails for an unlisted query that errors.
var analysisGaps = map[string]string{}

var (
	fencedKusto = regexp.MustCompile("(?s)```kusto\n(.*?)```")
	inlineCode  = regexp.MustCompile("`([^`]+)`")
)

// analysisQueries extracts the runnable queries of the analysis document:
// fenced kusto blocks, and inline code that starts with a table name and
// has a pipeline (table cells escape | as \|). Elided queries ("...") and
// workbook templates ({TimeRange}) are left out.
func analysisQueries(doc string, tables map[string]bool) []string {
	var out []string
	for _, m := range fencedKusto.FindAllStringSubmatch(doc, -1) {
		q := strings.TrimSpace(m[1])
		// A block that only defines a let (the ADAL workbook's first
		// step) is run by returning what it defines.
		if strings.HasPrefix(q, "let ") && strings.HasSuffix(q, ";") {
			name := strings.Fields(q)[1]
			q += "\n" + name
		}
		out = append(out, q)
	}
	prose := fencedKusto.ReplaceAllString(doc, "")
	prose = strings.ReplaceAll(prose, "```", "")
	for _, m := range inlineCode.FindAllStringSubmatch(prose, -1) {
		q := strings.ReplaceAll(m[1], `\|`, "|")
		first := strings.Fields(q)
		if len(first) == 0 || !strings.Contains(q, "|") || strings.Contains(q, "...") || strings.Contains(q, "{") {
			continue
		}
		if tables[first[0]] || first[0] == "let" {
			out = append(out, q)
		}
	}
	return out
}

// TestAnalysisQueries checks and runs Microsoft's documented analysis
// queries for Entra logs on empty tables with the published schemas.
func TestAnalysisQueries(t *testing.T) {
	shared := sharedDir(t)
	doc, err := os.ReadFile(filepath.Join(shared, analysisFile))
	if err != nil {
		t.Fatal(err)
	}
	catalog := workspaceTables(t)
	tables := map[string]bool{}
	for _, n := range catalog.TableNames() {
		tables[n] = true
	}
	runner := &Runner{Catalog: catalog, Timeout: DefaultTimeout}
	queries := analysisQueries(string(doc), tables)
	if len(queries) < 20 {
		t.Fatalf("found only %d queries in %s", len(queries), analysisFile)
	}
	ok := 0
	for _, q := range queries {
		key := q
		if len(key) > 60 {
			key = key[:60]
		}
		_, err := runner.Query(context.Background(), q)
		reason, listed := analysisGaps[key]
		switch {
		case err != nil && !listed:
			t.Errorf("%s\n%v", q, firstLine(err.Error()))
		case err == nil && listed:
			t.Errorf("listed in analysisGaps (%s) but runs now: %q", reason, key)
		case err == nil:
			ok++
		}
	}
	t.Logf("%d analysis queries, %d check and run", len(queries), ok)
}
