package router

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace"
)

// TableFunc names the workspace table of a category; false when the
// category has none.
type TableFunc func(category string) (table string, ok bool)

// RowMapper builds the rows of table schema schema from records of one
// category received at received, for the workspace whose customer id is
// workspaceCustomerID. It returns the batch and an error per record it
// could not map (those records are left out).
type RowMapper func(category string, schema vec.Schema, workspaceCustomerID string, recs []activity.Record, received time.Time) (*vec.Batch, []error)

// WorkspaceIDColumn is the column of Entra's tables that holds the record
// id (properties.id); the workspace destination reads it to drop records
// already stored.
const WorkspaceIDColumn = "Id"

// idColumns are the id columns of the tables without an Id column: they
// hold the member activity.Record.ID takes for their categories. The
// other tables without one (AADB2CRequestLogs) cannot be checked: a record
// delivered again after a crash may be stored twice there.
var idColumns = map[string]string{
	"MicrosoftGraphActivityLogs": "RequestId",
	"NetworkAccessTraffic":       "TransactionId",
}

// IDColumn returns the column of table that holds its records' ids.
func IDColumn(table string) string {
	if c, ok := idColumns[table]; ok {
		return c
	}
	return WorkspaceIDColumn
}

// workspaceDest appends records to a workspace's tables.
//
// Exactly once: a table append is atomic, but the cursor is saved after
// it, so the batch delivered first after opening (a batch a crash may have
// stored already) and any batch retried after a failure (some of its
// tables may have taken their rows) are checked against the tables: rows
// whose Id column holds one of the batch's ids, around the batch's times,
// are not appended again. Other batches are new by construction (the
// cursor only moves forward) and go straight in, except their records
// marked activity.Record.Redelivery: an importer that read a record again
// after a crash put it in the log a second time, so those are checked
// against the tables the same way.
type workspaceDest struct {
	ws     *workspace.Workspace
	table  TableFunc
	mapper RowMapper
	logf   func(string, ...any)
	check  bool
}

func (d *workspaceDest) Close() error { return nil }

// groupKey is what the records of one group share.
type groupKey struct {
	category string
	received int64
}

// group is the records of one table and receive time.
type group struct {
	table    string
	category string
	received time.Time
	recs     []activity.Record
}

func (d *workspaceDest) Deliver(ctx context.Context, es []activity.Entry) error {
	var err error
	switch {
	case d.check:
		es, err = d.dropStored(es, false)
	case slices.ContainsFunc(es, func(e activity.Entry) bool { return e.Record.Redelivery }):
		es, err = d.dropStored(es, true)
	}
	if err != nil {
		return err
	}
	d.check = true // until this delivery succeeds
	// One append per (category, receive time) of the whole batch, not per
	// run of consecutive records: activity interleaves categories (a
	// sign-in, its refreshes, a risk detection), and every append is a
	// WAL sync.
	var groups []*group
	byKey := map[groupKey]*group{}
	for _, e := range es {
		t, ok := d.table(e.Record.Category)
		if !ok {
			continue
		}
		k := groupKey{e.Record.Category, e.Received.UnixNano()}
		if g := byKey[k]; g != nil {
			g.recs = append(g.recs, e.Record)
			continue
		}
		g := &group{table: t, category: e.Record.Category, received: e.Received, recs: []activity.Record{e.Record}}
		byKey[k] = g
		groups = append(groups, g)
	}
	// Mapping records to rows is most of a delivery's work: the groups,
	// and the halves of a large one, are mapped and appended on every
	// core at once (concurrent appends share the WAL's group commit).
	// Rows of one batch may reach a table in another order than the log's.
	var parts []*group
	for _, g := range groups {
		if n := len(g.recs); n >= 2*minMapPart && runtime.GOMAXPROCS(0) > 1 {
			h := *g
			g.recs, h.recs = g.recs[:n/2:n/2], g.recs[n/2:]
			parts = append(parts, g, &h)
			continue
		}
		parts = append(parts, g)
	}
	errs := make([]error, len(parts))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, g := range parts {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[i] = d.deliverGroup(ctx, g)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	d.check = false
	return nil
}

// minMapPart is the fewest records worth mapping on a core of their own.
const minMapPart = 1000

// deliverGroup maps the records of g to rows of its table and appends
// them.
func (d *workspaceDest) deliverGroup(ctx context.Context, g *group) error {
	tab, ok := d.ws.Store().Lookup(g.table)
	if !ok {
		return fmt.Errorf("workspace %s has no table %s", d.ws.Name, g.table)
	}
	b, errs := d.mapper(g.category, tab.Schema(), d.ws.CustomerID, g.recs, g.received)
	for _, err := range errs {
		// A record the mapper refuses will never map: it is reported
		// and left out rather than blocking the pair.
		d.logf("diagnostics router: workspace %s, table %s: %v", d.ws.Name, g.table, err)
	}
	if b == nil || b.N == 0 {
		return nil
	}
	if err := tab.Append(ctx, b); err != nil {
		return fmt.Errorf("append to %s of workspace %s: %w", g.table, d.ws.Name, err)
	}
	return nil
}

// dropStored returns es without the records whose id a table already
// holds; with onlyRedelivered, only records marked Redelivery are looked
// up.
func (d *workspaceDest) dropStored(es []activity.Entry, onlyRedelivered bool) ([]activity.Entry, error) {
	byTable := map[string]map[string]bool{}
	var lo, hi time.Time
	for _, e := range es {
		if onlyRedelivered && !e.Record.Redelivery {
			continue
		}
		t, ok := d.table(e.Record.Category)
		id := e.Record.ID()
		if !ok || id == "" {
			continue
		}
		if byTable[t] == nil {
			byTable[t] = map[string]bool{}
		}
		byTable[t][id] = false
		for _, tm := range []time.Time{e.Record.Time, e.Received} {
			if lo.IsZero() || tm.Before(lo) {
				lo = tm
			}
			if tm.After(hi) {
				hi = tm
			}
		}
	}
	stored := map[string]bool{}
	for t, ids := range byTable {
		tab, ok := d.ws.Store().Lookup(t)
		if !ok {
			continue
		}
		if err := scanIDs(tab, ids, lo.Add(-time.Hour), hi.Add(time.Hour)); err != nil {
			return nil, err
		}
		for id, found := range ids {
			if found {
				stored[id] = true
			}
		}
	}
	if len(stored) == 0 {
		return es, nil
	}
	out := make([]activity.Entry, 0, len(es))
	for _, e := range es {
		if (!onlyRedelivered || e.Record.Redelivery) && stored[e.Record.ID()] {
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

// scanIDs marks the ids of tab's Id column between lo and hi.
func scanIDs(tab *store.Table, ids map[string]bool, lo, hi time.Time) error {
	sch := tab.Schema()
	col := sch.Index(IDColumn(tab.Name()))
	if col < 0 {
		return nil
	}
	req := &plan.ScanRequest{Columns: []int{col}, TimeColumn: -1}
	if tc := sch.Index("TimeGenerated"); tc >= 0 {
		req.TimeColumn, req.MinTime, req.MaxTime = tc, types.TicksFromTime(lo), types.TicksFromTime(hi)
	}
	it, err := tab.Scan(req)
	if err != nil {
		return fmt.Errorf("read %s for delivered ids: %w", tab.Name(), err)
	}
	defer it.Close()
	for {
		b, err := it.Next()
		if err != nil {
			return fmt.Errorf("read %s for delivered ids: %w", tab.Name(), err)
		}
		if b == nil {
			return nil
		}
		c := b.Cols[0]
		for i := range b.N {
			if c.IsNull(i) {
				continue
			}
			if _, ok := ids[c.Str(i)]; ok {
				ids[c.Str(i)] = true
			}
		}
	}
}

var errNoMapper = errors.New("workspace destinations are not configured (no workspace registry or row mapper)")
