package conformance

import (
	"path/filepath"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/workspace/schema"
)

// tablesDir holds the Azure table schemas, relative to the shared folder.
const tablesDir = "spec/tables"

// workspaceTables returns the catalog the Sentinel and analysis queries
// run against: the tables of shared/spec/tables, and for tables the
// specification does not describe, the embedded workspace/schema catalog.
func workspaceTables(t *testing.T) engine.Catalog {
	t.Helper()
	spec, err := schema.LoadDir(filepath.Join(sharedDir(t), tablesDir))
	if err != nil {
		t.Fatal(err)
	}
	schemas := map[string]vec.Schema{}
	for _, tab := range schema.Merge(spec, schema.Tables()) {
		schemas[tab.Name] = tab.Schema
	}
	return EmptyTables(schemas)
}

func TestEmptyTables(t *testing.T) {
	catalog := EmptyTables(map[string]vec.Schema{"T": {
		{Name: "TimeGenerated", Type: types.Datetime}, {Name: "N", Type: types.Int}}})
	table, ok := catalog.Table("T")
	if !ok || table.Schema().Index("N") != 1 {
		t.Fatalf("table T: %v, %v", table, ok)
	}
	results, err := (&Runner{Catalog: catalog}).Query(t.Context(), "T | where N > 1 | count")
	if err != nil || results[0].Rows.N != 1 || results[0].Value(0, 0) != types.NewLong(0) {
		t.Errorf("count of empty T: got %v, %v", results, err)
	}
}
