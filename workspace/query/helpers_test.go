package query

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace"
)

func openRegistry(t *testing.T) *workspace.Registry { return openRegistryB(t) }

func openRegistryB(t testing.TB) *workspace.Registry {
	t.Helper()
	dir := t.TempDir()
	db, err := state.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	reg, err := workspace.Open(dir, db, store.Options{NoBackground: true, NoSync: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	return reg
}

func addWorkspace(t testing.TB, reg *workspace.Registry, name string) *workspace.Workspace {
	t.Helper()
	ws, _, err := reg.Put(workspace.Workspace{SubscriptionID: "sub", ResourceGroup: "rg", Name: name, Location: "westeurope"})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// signin is one SigninLogs row; other columns are null.
type signin struct {
	at       time.Time
	user     string
	duration int64
}

// appendSignins appends rows to ws's SigninLogs as one batch.
func appendSignins(t testing.TB, ws *workspace.Workspace, rows []signin) {
	t.Helper()
	tbl, ok := ws.Store().Lookup("SigninLogs")
	if !ok {
		t.Fatal("no SigninLogs")
	}
	schema := tbl.Schema()
	bs := make([]*vec.Builder, len(schema))
	for i, f := range schema {
		bs[i] = vec.NewBuilder(f.Type, len(rows))
	}
	for _, r := range rows {
		for i, f := range schema {
			switch f.Name {
			case "TimeGenerated":
				bs[i].Append(types.NewDatetime(types.TicksFromTime(r.at)))
			case "UserPrincipalName":
				bs[i].Append(types.NewString(r.user))
			case "DurationMs":
				bs[i].Append(types.NewLong(r.duration))
			case "LocationDetails":
				bag := &types.Bag{}
				bag.Set("city", "city-"+r.user)
				bs[i].Append(types.NewDynamic(bag))
			default:
				bs[i].Append(types.NullOf(f.Type))
			}
		}
	}
	cols := make([]*vec.Column, len(bs))
	for i, b := range bs {
		cols[i] = b.Build()
	}
	if err := tbl.Append(context.Background(), vec.NewBatch(cols, len(rows))); err != nil {
		t.Fatal(err)
	}
}

// hourly returns n sign-ins of user<i> at now - i hours, lasting i*10 ms.
func hourly(now time.Time, n int, prefix string) []signin {
	var rows []signin
	for i := 0; i < n; i++ {
		rows = append(rows, signin{at: now.Add(-time.Duration(i) * time.Hour), user: prefix + string(rune('0'+i)), duration: int64(i * 10)})
	}
	return rows
}

func mustTable(t *testing.T, ws *workspace.Workspace) *store.Table {
	t.Helper()
	tbl, ok := ws.Store().Lookup("SigninLogs")
	if !ok {
		t.Fatal("no SigninLogs")
	}
	return tbl
}

func workspaces(ws ...*workspace.Workspace) []*workspace.Workspace { return ws }
