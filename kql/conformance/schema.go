package conformance

import (
	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/vec"
)

// EmptyTables returns a catalog with one empty engine.MemTable per entry
// of schemas, keyed and named by table name. Table schema files are parsed
// by workspace/schema.
func EmptyTables(schemas map[string]vec.Schema) engine.Catalog {
	catalog := engine.Catalog{}
	for name, sch := range schemas {
		// A MemTable without data has no rows.
		catalog[name] = &engine.MemTable{TableName: name, Sch: sch}
	}
	return catalog
}
