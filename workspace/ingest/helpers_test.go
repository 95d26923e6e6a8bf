package ingest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace"
)

// testNow is the receive time of the tests' rows.
var testNow = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

type fixture struct {
	svc *Service
	ws  *workspace.Workspace
	db  *state.DB
	reg *workspace.Registry
	dir string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	dir := t.TempDir()
	db, err := state.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	reg, err := workspace.Open(dir, db, store.Options{NoBackground: true, NoSync: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws, _, err := reg.Put(workspace.Workspace{SubscriptionID: "sub1", ResourceGroup: "rg1", Name: "ws1", Location: "eastus"})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := Open(db, reg, func() time.Time { return testNow })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		reg.Close()
		db.Close()
	})
	return &fixture{svc: svc, ws: ws, db: db, reg: reg, dir: dir}
}

// createTable creates a custom table from "Name:type" column specs.
func (f *fixture) createTable(t testing.TB, name string, cols ...string) {
	t.Helper()
	var sch vec.Schema
	for _, c := range cols {
		n, typ, _ := strings.Cut(c, ":")
		ty, ok := types.Lookup(typ)
		if !ok {
			t.Fatalf("bad type %q", typ)
		}
		sch = append(sch, vec.Field{Name: n, Type: ty})
	}
	if _, err := f.ws.Store().CreateTable(name, sch, store.TableOptions{TimeColumn: "TimeGenerated"}); err != nil {
		t.Fatal(err)
	}
}

// query runs kql over the workspace and returns the rows as text, one line
// per row, cells separated by " | " (null as <null>).
func (f *fixture) query(t testing.TB, kql string) []string {
	t.Helper()
	e := &engine.Engine{Catalog: f.ws.Store()}
	res, err := e.Query(context.Background(), kql)
	if err != nil {
		t.Fatalf("%s: %v", kql, err)
	}
	return rowsText(res[0])
}

func rowsText(r *engine.Result) []string {
	var out []string
	for i := 0; i < r.Rows.N; i++ {
		var cells []string
		for j := range r.Schema {
			v := r.Value(i, j)
			if v.IsNull() && v.Type != types.String {
				cells = append(cells, "<null>")
				continue
			}
			cells = append(cells, v.String())
		}
		out = append(out, strings.Join(cells, " | "))
	}
	return out
}

func schemaText(s vec.Schema) string {
	var parts []string
	for _, f := range s {
		parts = append(parts, f.Name+":"+f.Type.String())
	}
	return strings.Join(parts, " ")
}

// rule returns a Direct rule with one stream and one data flow to the
// fixture's workspace.
func (f *fixture) rule(stream string, cols []ColumnDefinition, transform, output string) Rule {
	return Rule{
		Location: "eastus", Kind: "Direct",
		Properties: RuleProperties{
			StreamDeclarations: map[string]StreamDeclaration{stream: {Columns: cols}},
			Destinations:       Destinations{LogAnalytics: []LogAnalyticsDestination{{WorkspaceResourceID: f.ws.ResourceID(), Name: "la"}}},
			DataFlows:          []DataFlow{{Streams: []string{stream}, Destinations: []string{"la"}, TransformKql: transform, OutputStream: output}},
		},
	}
}

func cols(specs ...string) []ColumnDefinition {
	var out []ColumnDefinition
	for _, s := range specs {
		n, t, _ := strings.Cut(s, ":")
		out = append(out, ColumnDefinition{Name: n, Type: t})
	}
	return out
}
