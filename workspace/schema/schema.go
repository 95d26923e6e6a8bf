// Package schema is the catalog of Azure Monitor Log Analytics table
// schemas that an idlogs workspace knows: the Entra tables of the shared
// specification plus the standard tables that Sentinel content queries
// (Syslog, OfficeActivity, IdentityInfo, ...). The schemas are embedded
// JSON files, one per table, in the format of shared/spec/tables (see
// tables/README.md); each file names its sources.
package schema

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Table is the schema of one Log Analytics table.
type Table struct {
	// Name is the table name as queries spell it, for example "SigninLogs".
	Name string
	// Schema holds the published columns in the published order, followed
	// by the standard columns the published list leaves out.
	Schema vec.Schema
}

// file is the part of a table schema file that describes the columns.
type file struct {
	Name    string   `json:"name"`
	Columns []column `json:"columns"`
	// Standard columns the published list omits, by name only.
	Standard struct {
		Columns []string `json:"columns"`
	} `json:"standardColumnsNotInPublishedList"`
}

type column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Parse reads one table schema file. Every column type must be a KQL
// scalar type name and every column name must appear once; the standard
// columns of standardColumnsNotInPublishedList are added after the
// published ones with their Log Analytics types.
func Parse(data []byte) (Table, error) {
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return Table{}, err
	}
	if f.Name == "" {
		return Table{}, fmt.Errorf("the schema has no name")
	}
	if len(f.Columns) == 0 {
		return Table{}, fmt.Errorf("table %s has no columns", f.Name)
	}
	cols := f.Columns
	for _, name := range f.Standard.Columns {
		cols = append(cols, column{Name: name, Type: standardColumnType(name)})
	}
	t := Table{Name: f.Name}
	seen := map[string]bool{}
	for _, c := range cols {
		if c.Name == "" {
			return Table{}, fmt.Errorf("table %s: a column has no name", f.Name)
		}
		typ, ok := types.Lookup(c.Type)
		if !ok {
			return Table{}, fmt.Errorf("table %s: column %s has unknown type %q", f.Name, c.Name, c.Type)
		}
		if seen[c.Name] {
			return Table{}, fmt.Errorf("table %s: column %s appears twice", f.Name, c.Name)
		}
		seen[c.Name] = true
		t.Schema = append(t.Schema, vec.Field{Name: c.Name, Type: typ})
	}
	return t, nil
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

// LoadDir reads every *.json table schema in the directory dir, sorted by
// table name. It fails when dir holds none, when a file does not parse, or
// when two files describe the same table.
func LoadDir(dir string) ([]Table, error) {
	return load(os.DirFS(dir), ".", dir)
}

// load reads the *.json files of dir in fsys; where names dir in errors.
func load(fsys fs.FS, dir, where string) ([]Table, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no table schemas (*.json)", where)
	}
	var tables []Table
	byName := map[string]string{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		file := filepath.Join(where, path.Base(name))
		t, err := Parse(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		if other, ok := byName[t.Name]; ok {
			return nil, fmt.Errorf("%s: table %s is already described by %s", file, t.Name, other)
		}
		byName[t.Name] = file
		tables = append(tables, t)
	}
	sortTables(tables)
	return tables, nil
}

func sortTables(tables []Table) {
	slices.SortFunc(tables, func(a, b Table) int { return strings.Compare(a.Name, b.Name) })
}

//go:embed tables/*.json
var embedded embed.FS

var catalog = sync.OnceValues(func() ([]Table, error) {
	return load(embedded, "tables", "workspace/schema/tables")
})

// Tables returns the embedded table schemas, sorted by name. The caller
// may modify the returned slice but not the schemas in it. It panics if an
// embedded file is malformed, which the package tests rule out.
func Tables() []Table {
	tables, err := catalog()
	if err != nil {
		panic(err)
	}
	return slices.Clone(tables)
}

// Lookup returns the schema of the embedded table with the given name.
// Table names are case-sensitive, as in KQL.
func Lookup(name string) (vec.Schema, bool) {
	tables, err := catalog()
	if err != nil {
		panic(err)
	}
	i, ok := slices.BinarySearchFunc(tables, name, func(t Table, name string) int { return strings.Compare(t.Name, name) })
	if !ok {
		return nil, false
	}
	return tables[i].Schema, true
}

// Merge returns the tables of first followed by the tables of fallback
// whose names first does not have, sorted by name: a table described in
// both takes its schema from first.
func Merge(first, fallback []Table) []Table {
	have := map[string]bool{}
	out := slices.Clone(first)
	for _, t := range first {
		have[t.Name] = true
	}
	for _, t := range fallback {
		if !have[t.Name] {
			out = append(out, t)
		}
	}
	sortTables(out)
	return out
}
