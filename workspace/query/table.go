package query

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/idlogs/idlogs/kql/check"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/workspace"
)

// timeColumn is the column a request's timespan restricts.
const timeColumn = "TimeGenerated"

// catalog is the KQL catalog of one request: the tables of its workspaces,
// each restricted to the request's timespan, with tables of the same name
// in several workspaces read as their union. It records every table the
// query looks up, so that access can be decided on exactly the tables the
// query names.
type catalog struct {
	ctx        context.Context
	workspaces []*workspace.Workspace
	span       *Interval // nil: no timespan
	authorize  func(ws *workspace.Workspace, table string) bool
	resolve    func(ident string) (*workspace.Workspace, bool)
	scanned    atomic.Int64 // rows the stores returned to scans

	mu     sync.Mutex
	looked map[string]bool
	denied []string
	total  int64 // rows held by the tables looked up
}

func newCatalog(ctx context.Context, req *Request, span *Interval) *catalog {
	return &catalog{ctx: ctx, workspaces: req.Workspaces, span: span, authorize: req.Authorize, resolve: req.Resolve, looked: map[string]bool{}}
}

// errAccessDenied is what a scan of a table the caller may not read
// returns; Run turns it into InsufficientAccessError.
var errAccessDenied = errors.New("access to the table is denied")

// Table returns the table called name: the primary workspace's, unioned
// with the same-named tables of the other workspaces.
func (c *catalog) Table(name string) (plan.Table, bool) {
	return c.table(name, c.workspaces)
}

// Workspace resolves workspace("ident") for the KQL workspace() function:
// the catalog of that one workspace, restricted and checked like the
// request's own.
func (c *catalog) Workspace(ident string) (check.Catalog, bool) {
	if c.resolve == nil {
		return nil, false
	}
	ws, ok := c.resolve(ident)
	if !ok {
		return nil, false
	}
	return otherWorkspace{c, ws}, true
}

// Function resolves the stored functions of the request's primary
// workspace (its saved searches with a function alias), making the catalog
// a check.FunctionCatalog. The tables a function reads are looked up
// through Table like the query's own, so access is checked on them too.
func (c *catalog) Function(name string) (params, body string, ok bool) {
	if len(c.workspaces) == 0 {
		return "", "", false
	}
	return c.workspaces[0].Function(name)
}

// otherWorkspace is a workspace a query names with workspace().
type otherWorkspace struct {
	c  *catalog
	ws *workspace.Workspace
}

func (o otherWorkspace) Table(name string) (plan.Table, bool) {
	return o.c.table(name, []*workspace.Workspace{o.ws})
}

// table returns the table called name of wss, unioned when several have it.
func (c *catalog) table(name string, wss []*workspace.Workspace) (plan.Table, bool) {
	var parts []plan.Table
	var rows int64
	denied := false
	for _, ws := range wss {
		st, ok := ws.Store().Lookup(name)
		if !ok {
			continue
		}
		if c.authorize != nil && !c.authorize(ws, name) {
			denied = true
		}
		rows += st.Rows()
		parts = append(parts, c.restrict(st))
	}
	if len(parts) == 0 {
		return nil, false
	}
	c.mu.Lock()
	if !c.looked[name] {
		c.looked[name] = true
		c.total += rows
		if denied {
			c.denied = append(c.denied, name)
		}
	}
	c.mu.Unlock()
	if denied {
		return &deniedTable{Table: parts[0]}, true
	}
	if len(parts) == 1 {
		return parts[0], true
	}
	return newUnionTable(name, parts), true
}

// TableNames lists the tables of all the request's workspaces, for union
// with wildcards and search.
func (c *catalog) TableNames() []string {
	seen := map[string]bool{}
	var names []string
	for _, ws := range c.workspaces {
		for _, n := range ws.Store().Tables() {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	return names
}

// tables returns the names of the tables the query looked up, in order.
func (c *catalog) tables() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := make([]string, 0, len(c.looked))
	for n := range c.looked {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// firstDenied returns the first table looked up that the caller may not
// read.
func (c *catalog) firstDenied() (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.denied) == 0 {
		return "", false
	}
	return c.denied[0], true
}

// restrict wraps t so that its scans count rows, stop when the request is
// cancelled and, when the table has TimeGenerated and the request a
// timespan, return only rows inside it.
func (c *catalog) restrict(t plan.Table) plan.Table {
	col := t.Schema().Index(timeColumn)
	if col >= 0 && t.Schema()[col].Type != types.Datetime {
		col = -1
	}
	if c.span == nil {
		col = -1
	}
	return &timeTable{Table: t, cat: c, col: col}
}

// timeTable is a table restricted to the request's timespan. The store's
// scan only skips whole blocks by time, and the executor re-applies only
// the query's own filters, so every row is checked here.
type timeTable struct {
	plan.Table
	cat *catalog
	col int // the TimeGenerated column, or -1 when rows are not checked
}

// Scan narrows req's time range to the timespan, reads TimeGenerated even
// when the query does not need it, and drops rows outside the timespan.
func (t *timeTable) Scan(req *plan.ScanRequest) (plan.BatchIterator, error) {
	if t.col < 0 {
		it, err := t.Table.Scan(req)
		if err != nil {
			return nil, err
		}
		return &maskIter{in: it, cat: t.cat, pos: -1}, nil
	}
	span := t.cat.span
	r := *req
	switch r.TimeColumn {
	case t.col:
		r.MinTime, r.MaxTime = max(r.MinTime, span.Start), min(r.MaxTime, span.End)
	case -1:
		r.TimeColumn, r.MinTime, r.MaxTime = t.col, span.Start, span.End
	default:
		// The query narrows another datetime column; the store skips blocks
		// by that one and the rows are checked against TimeGenerated below.
	}
	if r.TimeColumn == t.col && r.MinTime >= r.MaxTime {
		return &maskIter{cat: t.cat}, nil
	}
	// Masking removes rows after the store counted them, so the store must
	// not stop at the query's limit; maskIter stops instead.
	r.Limit = 0
	pos, extra := t.col, false
	if r.Columns != nil {
		pos = -1
		for i, c := range r.Columns {
			if c == t.col {
				pos = i
			}
		}
		if pos < 0 {
			pos, extra = len(r.Columns), true
			r.Columns = append(append([]int(nil), r.Columns...), t.col)
		}
	}
	it, err := t.Table.Scan(&r)
	if err != nil {
		return nil, err
	}
	return &maskIter{in: it, cat: t.cat, pos: pos, extra: extra, span: *span, limit: req.Limit}, nil
}

// maskIter passes on the batches of a scan, keeping only rows whose time
// (column pos of the batch) is inside span, and removes that column again
// when the query did not ask for it (extra). pos -1 passes rows unchecked.
type maskIter struct {
	in       plan.BatchIterator // nil: no rows
	cat      *catalog
	pos      int
	extra    bool
	span     Interval
	limit    int64
	returned int64
}

func (it *maskIter) Next() (*vec.Batch, error) {
	for it.in != nil {
		if it.limit > 0 && it.returned >= it.limit {
			return nil, nil
		}
		if err := it.cat.ctx.Err(); err != nil {
			return nil, err
		}
		b, err := it.in.Next()
		if err != nil || b == nil {
			return b, err
		}
		it.cat.scanned.Add(int64(b.N))
		if it.pos >= 0 {
			b = it.mask(b)
		}
		if b.N == 0 {
			continue
		}
		it.returned += int64(b.N)
		return b, nil
	}
	return nil, nil
}

// mask returns the rows of b inside the span, without the extra column.
func (it *maskIter) mask(b *vec.Batch) *vec.Batch {
	c := b.Cols[it.pos]
	keep := make([]int, 0, b.N)
	for i := 0; i < b.N; i++ {
		if c.IsNull(i) {
			continue
		}
		if v := c.Int(i); v >= it.span.Start && v < it.span.End {
			keep = append(keep, i)
		}
	}
	if len(keep) < b.N {
		b = b.Gather(keep)
	}
	if it.extra {
		cols := append(append([]*vec.Column(nil), b.Cols[:it.pos]...), b.Cols[it.pos+1:]...)
		b = vec.NewBatch(cols, b.N)
	}
	return b
}

func (it *maskIter) Close() {
	if it.in != nil {
		it.in.Close()
	}
}

// deniedTable is a table the caller may not read: the query can be
// checked against its schema, but no row of it is ever read.
type deniedTable struct {
	plan.Table
}

func (t *deniedTable) Scan(*plan.ScanRequest) (plan.BatchIterator, error) {
	return nil, fmt.Errorf("table %s: %w", t.Name(), errAccessDenied)
}

// unionTable reads same-named tables of several workspaces as one. Their
// schemas must be the same, so that the scan request (column indexes,
// filters, paths) means the same to each.
type unionTable struct {
	name  string
	parts []plan.Table
	err   error
}

func newUnionTable(name string, parts []plan.Table) *unionTable {
	u := &unionTable{name: name, parts: parts}
	first := parts[0].Schema()
	for _, p := range parts[1:] {
		if !sameSchema(first, p.Schema()) {
			u.err = fmt.Errorf("table %s has different columns in the workspaces of the query; a cross-workspace query reads it only when its columns are the same everywhere", name)
		}
	}
	return u
}

func sameSchema(a, b vec.Schema) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (u *unionTable) Name() string       { return u.name }
func (u *unionTable) Schema() vec.Schema { return u.parts[0].Schema() }

// Scan reads the parts one after another.
func (u *unionTable) Scan(req *plan.ScanRequest) (plan.BatchIterator, error) {
	if u.err != nil {
		return nil, u.err
	}
	return &unionIter{parts: u.parts, req: req}, nil
}

type unionIter struct {
	parts []plan.Table
	req   *plan.ScanRequest
	cur   plan.BatchIterator
}

func (it *unionIter) Next() (*vec.Batch, error) {
	for {
		if it.cur == nil {
			if len(it.parts) == 0 {
				return nil, nil
			}
			var err error
			if it.cur, err = it.parts[0].Scan(it.req); err != nil {
				return nil, err
			}
			it.parts = it.parts[1:]
		}
		b, err := it.cur.Next()
		if err != nil || b != nil {
			return b, err
		}
		it.cur.Close()
		it.cur = nil
	}
}

func (it *unionIter) Close() {
	if it.cur != nil {
		it.cur.Close()
		it.cur = nil
	}
	it.parts = nil
}
