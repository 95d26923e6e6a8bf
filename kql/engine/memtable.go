package engine

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/vec"
)

// MemTable is an in-memory table: tests, the conformance runner and
// sample data use it.
type MemTable struct {
	TableName string
	Sch       vec.Schema
	Data      *vec.Batch
}

// Name returns the table's name.
func (t *MemTable) Name() string { return t.TableName }

// Schema returns the table's columns.
func (t *MemTable) Schema() vec.Schema { return t.Sch }

// Scan returns the requested columns, then the requested paths (computed
// with plan.ExtractPath), in batches of 8192 rows.
func (t *MemTable) Scan(req *plan.ScanRequest) (plan.BatchIterator, error) {
	return &memIter{t: t, req: req}, nil
}

type memIter struct {
	t   *MemTable
	req *plan.ScanRequest
	pos int
}

const memBatch = 8192

func (it *memIter) Next() (*vec.Batch, error) {
	d := it.t.Data
	if d == nil || it.pos >= d.N {
		return nil, nil
	}
	hi := it.pos + memBatch
	if hi > d.N {
		hi = d.N
	}
	var cols []*vec.Column
	if it.req.Columns == nil {
		for _, c := range d.Cols {
			cols = append(cols, c.Slice(it.pos, hi))
		}
	} else {
		for _, i := range it.req.Columns {
			cols = append(cols, d.Cols[i].Slice(it.pos, hi))
		}
	}
	if len(it.req.Paths) > 0 {
		var err error
		lo := it.pos
		cols, err = plan.ExtractPaths(cols, it.req, func(i int) *vec.Column { return d.Cols[i].Slice(lo, hi) })
		if err != nil {
			return nil, err
		}
	}
	b := &vec.Batch{Cols: cols, N: hi - it.pos}
	it.pos = hi
	return b, nil
}

func (it *memIter) Close() {}

// Catalog is a set of tables by name.
type Catalog map[string]plan.Table

// Table returns the table named name.
func (c Catalog) Table(name string) (plan.Table, bool) {
	t, ok := c[name]
	return t, ok
}

// TableNames lists the tables, for union with wildcards.
func (c Catalog) TableNames() []string {
	names := make([]string, 0, len(c))
	for n := range c {
		names = append(names, n)
	}
	return names
}
