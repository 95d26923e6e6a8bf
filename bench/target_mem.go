//go:build idlogs_mem

package main

import (
	"fmt"

	"github.com/idlogs/idlogs/kql/check"
	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/vec"
)

// memTarget keeps the table in memory as one growing batch.
type memTarget struct {
	table *engine.MemTable
}

// openTarget opens the table "SigninLogs" with schema sch; dir is where a
// disk-backed table would live.
func openTarget(dir string, sch vec.Schema) (target, error) {
	cols := make([]*vec.Column, len(sch))
	for i, f := range sch {
		cols[i] = &vec.Column{Type: f.Type}
	}
	return &memTarget{table: &engine.MemTable{TableName: "SigninLogs", Sch: sch, Data: vec.NewBatch(cols, 0)}}, nil
}

func (t *memTarget) Append(b *vec.Batch) error {
	d := t.table.Data
	if len(b.Cols) != len(d.Cols) {
		return fmt.Errorf("append: batch has %d columns, table %d", len(b.Cols), len(d.Cols))
	}
	for i, c := range b.Cols {
		dst := d.Cols[i]
		if c.Const || c.Codes != nil || c.Valid != nil || c.Type != dst.Type {
			return fmt.Errorf("append: column %s must be plain %s", t.table.Sch[i].Name, dst.Type)
		}
		dst.Strs = append(dst.Strs, c.Strs...)
		dst.Ints = append(dst.Ints, c.Ints...)
		dst.Floats = append(dst.Floats, c.Floats...)
		dst.Anys = append(dst.Anys, c.Anys...)
		dst.N += b.N
	}
	d.N += b.N
	return nil
}

func (t *memTarget) Catalog() check.Catalog {
	return engine.Catalog{t.table.TableName: t.table}
}

func (t *memTarget) DiskBytes() int64 { return 0 }

func (t *memTarget) Close() error {
	t.table.Data = nil
	return nil
}
