package schema

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/types"
)

// TestEmbeddedTables loads every embedded file: each parses, every column
// type is a KQL type, column names are unique, and each file names the
// sources its columns come from.
func TestEmbeddedTables(t *testing.T) {
	names, err := fs.Glob(embedded, "tables/*.json")
	if err != nil {
		t.Fatal(err)
	}
	tables := Tables()
	if len(tables) != len(names) {
		t.Fatalf("%d tables from %d files", len(tables), len(names))
	}
	for _, name := range names {
		data, err := fs.ReadFile(embedded, name)
		if err != nil {
			t.Fatal(err)
		}
		tab, err := Parse(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if want := strings.TrimSuffix(filepath.Base(name), ".json"); tab.Name != want {
			t.Errorf("%s describes table %s", name, tab.Name)
		}
		seen := map[string]bool{}
		for _, f := range tab.Schema {
			if seen[f.Name] {
				t.Errorf("%s: column %s twice", name, f.Name)
			}
			seen[f.Name] = true
			if _, ok := types.Lookup(f.Type.String()); !ok {
				t.Errorf("%s: column %s has type %s", name, f.Name, f.Type)
			}
		}
		for _, std := range []string{"TimeGenerated", "TenantId", "_ResourceId"} {
			if !seen[std] && tab.Name != "AppRequests" && tab.Name != "AppPerformanceCounters" {
				t.Errorf("%s: no standard column %s", name, std)
			}
		}
		var src struct {
			Sources []json.RawMessage `json:"sources"`
		}
		if err := json.Unmarshal(data, &src); err != nil || len(src.Sources) == 0 {
			t.Errorf("%s: no sources (%v)", name, err)
		}
		if got, ok := Lookup(tab.Name); !ok || len(got) != len(tab.Schema) {
			t.Errorf("Lookup(%s) = %d columns, %v", tab.Name, len(got), ok)
		}
	}
	if _, ok := Lookup("signinlogs"); ok {
		t.Error("Lookup is case-insensitive")
	}
}

// TestEmbeddedSpecTables holds the embedded copies of the shared
// specification's table schemas equal to the specification.
func TestEmbeddedSpecTables(t *testing.T) {
	dir := specTablesDir(t)
	spec, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range spec {
		got, ok := Lookup(want.Name)
		if !ok {
			t.Errorf("table %s of %s is not embedded", want.Name, dir)
			continue
		}
		if !slices.Equal(got, want.Schema) {
			t.Errorf("table %s: embedded %v, spec %v", want.Name, got, want.Schema)
		}
	}
}

func specTablesDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "..", "shared", "spec", "tables")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("shared/spec/tables not found beside the repository")
		}
		dir = parent
	}
}

func TestParse(t *testing.T) {
	tab, err := Parse([]byte(`{"name": "T", "columns": [
		{"name": "TimeGenerated", "type": "datetime"}, {"name": "Props", "type": "dynamic"},
		{"name": "N", "type": "int"}],
		"standardColumnsNotInPublishedList": {"columns": ["TenantId", "_TimeReceived"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range tab.Schema {
		got = append(got, f.Name+":"+f.Type.String())
	}
	want := "TimeGenerated:datetime Props:dynamic N:int TenantId:string _TimeReceived:datetime"
	if tab.Name != "T" || strings.Join(got, " ") != want {
		t.Errorf("got %s %v, want T %s", tab.Name, got, want)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{`{"columns": [{"name": "x", "type": "string"}]}`, "no name"},
		{`{"name": "T", "columns": []}`, "no columns"},
		{`{"name": "T", "columns": [{"name": "x", "type": "blob"}]}`, `column x has unknown type "blob"`},
		{`{"name": "T", "columns": [{"name": "x", "type": "string"}, {"name": "x", "type": "int"}]}`, "column x appears twice"},
		{`{"name": "T", "columns": [{"name": "TenantId", "type": "string"}],
		  "standardColumnsNotInPublishedList": {"columns": ["TenantId"]}}`, "column TenantId appears twice"},
		{`{"name": "T", "columns": [{"type": "string"}]}`, "a column has no name"},
		{`{"name": `, "unexpected end"},
	} {
		if _, err := Parse([]byte(c.text)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%s): got %v, want an error with %q", c.text, err, c.want)
		}
	}
}

func TestLoadDir(t *testing.T) {
	if _, err := LoadDir(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no table schemas") {
		t.Errorf("empty directory: got %v", err)
	}
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("B.json", `{"name": "B", "columns": [{"name": "x", "type": "long"}]}`)
	write("A.json", `{"name": "A", "columns": [{"name": "y", "type": "string"}]}`)
	tables, err := LoadDir(dir)
	if err != nil || len(tables) != 2 || tables[0].Name != "A" || tables[1].Name != "B" {
		t.Fatalf("got %v, %v", tables, err)
	}
	merged := Merge(tables, []Table{{Name: "A", Schema: nil}, {Name: "C"}})
	if len(merged) != 3 || merged[0].Name != "A" || len(merged[0].Schema) != 1 || merged[2].Name != "C" {
		t.Errorf("Merge: got %v", merged)
	}
	write("A2.json", `{"name": "A", "columns": [{"name": "y", "type": "string"}]}`)
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), "already described") {
		t.Errorf("two files for A: got %v", err)
	}
	write("A2.json", `{"name": "A", "columns": [{"name": "y", "type": "str"}]}`)
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), "A2.json") {
		t.Errorf("bad file: got %v", err)
	}
}
