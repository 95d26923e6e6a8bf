package conformance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/types"
)

func writeSchema(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadSchemas(t *testing.T) {
	dir := t.TempDir()
	writeSchema(t, dir, "T.json", `{"name": "T", "columns": [
		{"name": "TimeGenerated", "type": "datetime"}, {"name": "Props", "type": "dynamic"},
		{"name": "N", "type": "int"}],
		"standardColumnsNotInPublishedList": {"columns": ["TenantId", "_TimeReceived"]}}`)
	catalog, err := LoadSchemas(dir)
	if err != nil {
		t.Fatal(err)
	}
	table, ok := catalog.Table("T")
	if !ok {
		t.Fatal("table T not loaded")
	}
	var got []string
	for _, f := range table.Schema() {
		got = append(got, f.Name+":"+f.Type.String())
	}
	want := "TimeGenerated:datetime Props:dynamic N:int TenantId:string _TimeReceived:datetime"
	if strings.Join(got, " ") != want {
		t.Errorf("schema of T: got %v, want %s", got, want)
	}
	results, err := (&Runner{Catalog: catalog}).Query(t.Context(), "T | where N > 1 | count")
	if err != nil || results[0].Rows.N != 1 || results[0].Value(0, 0) != types.NewLong(0) {
		t.Errorf("count of empty T: got %v, %v", results, err)
	}
}

func TestLoadSchemasErrors(t *testing.T) {
	if _, err := LoadSchemas(t.TempDir()); err == nil {
		t.Error("empty directory: want an error")
	}
	dir := t.TempDir()
	writeSchema(t, dir, "T.json", `{"name": "T", "columns": [{"name": "x", "type": "blob"}]}`)
	if _, err := LoadSchemas(dir); err == nil || !strings.Contains(err.Error(), "blob") {
		t.Errorf("unknown type: got %v", err)
	}
}
