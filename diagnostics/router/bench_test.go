package router

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace"
)

// BenchmarkRouterToWorkspace measures records per second from Emit to rows
// appended in a workspace, with a trivial row mapper (benchRows).
// Emitters send calls of 100 records from 8 goroutines, as a busy tenant
// does; the time ends when the router has delivered every record.
func BenchmarkRouterToWorkspace(b *testing.B) {
	for _, sync := range []bool{true, false} {
		b.Run(fmt.Sprintf("fsync=%v", sync), func(b *testing.B) { benchRouter(b, !sync) })
	}
}

func benchRouter(b *testing.B, noSync bool) {
	dir := b.TempDir()
	db := openDB(b, dir)
	defer db.Close()
	l, err := activity.OpenLog(filepath.Join(dir, "activity"), activity.LogOptions{NoSync: noSync})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	ws, err := workspace.Open(dir, db, store.Options{NoSync: noSync, Logf: b.Logf}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	w, _, err := ws.Put(workspace.Workspace{SubscriptionID: "s1", ResourceGroup: "rg", Name: "ws1"})
	if err != nil {
		b.Fatal(err)
	}
	fs := newFakeSettings(setting("s1", map[string]string{diagnostics.DestWorkspace: w.ResourceID()}, activity.SignInLogs))
	dest := &Destinations{Resources: NewResources(db, dir, ws), Workspaces: ws, Table: fakeTable, Rows: benchRows}
	r := New(l, fs, db, dest, Options{BatchSize: 5000})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	defer func() { cancel(); <-done }()
	waitFor(b, "the pair to start", func() bool { return len(r.Status()) == 1 })

	const writers, per = 8, 100
	recs := make([]activity.Record, per)
	for i := range recs {
		recs[i] = record(fmt.Sprint(i), activity.SignInLogs)
	}
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	calls := (b.N + per - 1) / per
	for g := range writers {
		wg.Go(func() {
			for c := g; c < calls; c += writers {
				// The ids repeat across calls: the destination only checks
				// ids on its first delivery and after a failure.
				if err := l.Emit(ctx, recs...); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	total := int64(calls * per)
	waitFor(b, "delivery", func() bool { return r.Status()[0].Delivered == total })
	el := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(total)/el.Seconds(), "records/s")
}

// benchRows is the trivial row mapper of the benchmark: TimeGenerated and
// Category, every other column null.
func benchRows(category string, schema vec.Schema, customerID string, recs []activity.Record, received time.Time) (*vec.Batch, []error) {
	cols := make([]*vec.Column, len(schema))
	for i, f := range schema {
		switch f.Name {
		case "TimeGenerated":
			b := vec.NewBuilder(f.Type, len(recs))
			for _, r := range recs {
				b.AppendInt(types.TicksFromTime(r.Time))
			}
			cols[i] = b.Build()
		case "Category":
			cols[i] = vec.NewConst(types.NewString(category), len(recs))
		default:
			cols[i] = vec.NewConst(types.NullOf(f.Type), len(recs))
		}
	}
	return vec.NewBatch(cols, len(recs)), nil
}
