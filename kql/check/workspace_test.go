package check_test

import (
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/check"
	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// workspaces is a catalog with one other workspace, "ws2", whose
// AuditLogs table the primary one lacks.
type workspaces struct{ engine.Catalog }

func (w workspaces) Workspace(ident string) (check.Catalog, bool) {
	if ident != "ws2" {
		return nil, false
	}
	sch := vec.Schema{{Name: "TimeGenerated", Type: types.Datetime}, {Name: "OperationName", Type: types.String}}
	return engine.Catalog{"AuditLogs": &engine.MemTable{TableName: "AuditLogs", Sch: sch}}, true
}

func TestWorkspaceFunction(t *testing.T) {
	cat := workspaces{catalog()}
	run := func(q string) (*check.Query, error) {
		script, err := syntax.Parse(q)
		if err != nil {
			return nil, err
		}
		return check.Check(q, script, check.Options{Catalog: cat})
	}
	q, err := run(`union SigninLogs, workspace("ws2").AuditLogs | project OperationName, UserPrincipalName`)
	if err != nil {
		t.Fatal(err)
	}
	if got := schemaString(q.Results[0].Plan.Schema()); got != "OperationName:string, UserPrincipalName:string" {
		t.Errorf("schema = %s", got)
	}
	for q, want := range map[string]string{
		`workspace("nope").AuditLogs`:     "1:11: unknown workspace 'nope'",
		`workspace("ws2").SigninLogs`:     "1:18: unknown table 'SigninLogs' in workspace 'ws2'",
		`workspace(1).AuditLogs`:          "1:11: workspace() expects a string",
		`workspace("ws2", "x").AuditLogs`: "1:1: workspace() expects one argument",
	} {
		if _, err := run(q); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", q, err, want)
		}
	}
	// A catalog that knows no other workspaces says so.
	if _, err := checkQuery(`workspace("ws2").AuditLogs`); err == nil || !strings.Contains(err.Error(), "workspace() is not available here") {
		t.Errorf("plain catalog: %v", err)
	}
}
