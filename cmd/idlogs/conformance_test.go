package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// conformanceRecords is a small corpus: one record passes, one fails, one
// errors and one is skipped.
const conformanceRecords = `{"id": "ok", "query": "print x = 1", "expected": {"columns": ["x"], "rows": [["1"]]}, "ordered": true, "official_parse_ok": true}
{"id": "wrong", "query": "print x = 1", "expected": {"columns": ["x"], "rows": [["2"]]}, "ordered": true, "official_parse_ok": true}
{"id": "broken", "query": "print x = nosuchname", "expected": {"columns": ["x"], "rows": [["2"]]}, "official_parse_ok": true}
{"id": "chart", "query": "print x = 1", "expected": null, "official_parse_ok": true}
`

func writeCorpus(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.jsonl")
	if err := os.WriteFile(path, []byte(conformanceRecords), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestKQLConformance(t *testing.T) {
	path := writeCorpus(t)
	r := runCLI(t, "", "kql", "conformance", path)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if r.code != 0 || len(lines) != 2 {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 0 and two lines", r.code, r.stdout, r.stderr)
	}
	if want := path + ": 4 records: 1 passed, 1 failed, 1 errors, 1 skipped"; lines[0] != want {
		t.Errorf("file line %q, want %q", lines[0], want)
	}
	if want := "1 passed, 2 failed, 1 skipped"; lines[1] != want {
		t.Errorf("summary %q, want %q", lines[1], want)
	}
}

func TestKQLConformanceJSON(t *testing.T) {
	r := runCLI(t, "", "kql", "conformance", "--json", writeCorpus(t))
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if r.code != 0 || len(lines) != 5 {
		t.Fatalf("exit %d, stdout %q; want exit 0 and five lines", r.code, r.stdout)
	}
	want := []string{"ok pass", "wrong fail", "broken error", "chart skip"}
	for i, w := range want {
		var out struct{ ID, Status, Message string }
		if err := json.Unmarshal([]byte(lines[i]), &out); err != nil {
			t.Fatalf("line %d %q: %v", i+1, lines[i], err)
		}
		if got := out.ID + " " + out.Status; got != w {
			t.Errorf("line %d: got %q, want %q", i+1, got, w)
		}
	}
	if lines[4] != "1 passed, 2 failed, 1 skipped" {
		t.Errorf("summary %q", lines[4])
	}
}

func TestKQLConformanceUnreadable(t *testing.T) {
	r := runCLI(t, "", "kql", "conformance", filepath.Join(t.TempDir(), "missing.jsonl"))
	if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "missing.jsonl") {
		t.Errorf("missing file: exit %d, stdout %q, stderr %q; want exit 1 and an error naming the file", r.code, r.stdout, r.stderr)
	}
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	if err := os.WriteFile(bad, []byte("{not json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, "", "kql", "conformance", bad); r.code != 1 || !strings.Contains(r.stderr, "bad.jsonl:1:") {
		t.Errorf("broken file: exit %d, stderr %q; want exit 1 and bad.jsonl:1:", r.code, r.stderr)
	}
}

// TestKQLConformanceTables: --tables DIR creates DIR's tables, and the
// built-in catalog's tables that DIR does not describe, empty; DIR's
// schema wins for a table both describe.
func TestKQLConformanceTables(t *testing.T) {
	dir := t.TempDir()
	schema := `{"name": "Syslog", "columns": [{"name": "Only", "type": "long"}]}`
	if err := os.WriteFile(filepath.Join(dir, "Syslog.json"), []byte(schema), 0o644); err != nil {
		t.Fatal(err)
	}
	corpus := filepath.Join(t.TempDir(), "c.jsonl")
	records := `{"id": "dir", "query": "Syslog | summarize n = count() by Only", "expected": {"columns": ["Only", "n"], "rows": []}, "official_parse_ok": true}
{"id": "builtin", "query": "OfficeActivity | summarize n = count() by UserId", "expected": {"columns": ["UserId", "n"], "rows": []}, "official_parse_ok": true}
{"id": "shadowed", "query": "Syslog | project SyslogMessage", "expected": {"columns": ["SyslogMessage"], "rows": []}, "official_parse_ok": true}
`
	if err := os.WriteFile(corpus, []byte(records), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "kql", "conformance", "--tables", dir, corpus)
	if want := corpus + ": 3 records: 2 passed, 0 failed, 1 errors, 0 skipped\n"; r.code != 0 || !strings.HasPrefix(r.stdout, want) {
		t.Errorf("exit %d, stdout %q, stderr %q; want %q first", r.code, r.stdout, r.stderr, want)
	}
	if r := runCLI(t, "", "kql", "conformance", "--tables", t.TempDir(), corpus); r.code == 0 {
		t.Errorf("--tables with no schemas: exit 0, stdout %q", r.stdout)
	}
}
