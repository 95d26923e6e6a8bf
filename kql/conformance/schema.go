package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// tableSchema is the part of a spec/tables/*.json file that describes the
// columns (shared/spec/tables/README.md).
type tableSchema struct {
	Name    string         `json:"name"`
	Columns []schemaColumn `json:"columns"`
	// Standard columns the published list omits, by name only.
	Standard struct {
		Columns []string `json:"columns"`
	} `json:"standardColumnsNotInPublishedList"`
}

type schemaColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// LoadSchemas reads every *.json table schema in dir into an empty
// engine.MemTable, named by the schema's name. The standard columns the
// published lists leave out are added after the published ones.
func LoadSchemas(dir string) (engine.Catalog, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no table schemas (*.json)", dir)
	}
	catalog := engine.Catalog{}
	for _, path := range paths {
		t, err := loadSchema(path)
		if err != nil {
			return nil, err
		}
		catalog[t.TableName] = t
	}
	return catalog, nil
}

func loadSchema(path string) (*engine.MemTable, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s tableSchema
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if s.Name == "" {
		return nil, fmt.Errorf("%s: the schema has no name", path)
	}
	var sch vec.Schema
	seen := map[string]bool{}
	cols := s.Columns
	for _, name := range s.Standard.Columns {
		cols = append(cols, schemaColumn{Name: name, Type: standardColumnType(name)})
	}
	for _, c := range cols {
		t, ok := types.Lookup(c.Type)
		if !ok {
			return nil, fmt.Errorf("%s: column %s has unknown type %q", path, c.Name, c.Type)
		}
		if !seen[c.Name] {
			seen[c.Name] = true
			sch = append(sch, vec.Field{Name: c.Name, Type: t})
		}
	}
	// A MemTable without data has no rows.
	return &engine.MemTable{TableName: s.Name, Sch: sch}, nil
}

// standardColumnType returns the type of a Log Analytics standard column
// (https://learn.microsoft.com/azure/azure-monitor/logs/log-standard-columns).
func standardColumnType(name string) string {
	switch name {
	case "_TimeReceived", "TimeGenerated":
		return "datetime"
	case "_BilledSize":
		return "real"
	case "_IsBillable":
		return "bool"
	}
	return "string"
}
