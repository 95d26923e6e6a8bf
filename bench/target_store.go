//go:build !idlogs_mem

package main

import (
	"context"
	"io/fs"
	"path/filepath"

	"github.com/idlogs/idlogs/kql/check"
	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/store"
)

// storeTarget is SigninLogs in the idlogs workspace store (the default
// target; -tags idlogs_mem measures an in-memory table instead).
type storeTarget struct {
	dir   string
	st    *store.Store
	table *store.Table
}

// openTarget opens a store in dir and creates the table "SigninLogs" with
// schema sch, partitioned by TimeGenerated.
func openTarget(dir string, sch vec.Schema) (target, error) {
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		return nil, err
	}
	tbl, err := st.CreateTable("SigninLogs", sch, store.TableOptions{TimeColumn: "TimeGenerated"})
	if err != nil {
		st.Close()
		return nil, err
	}
	return &storeTarget{dir: dir, st: st, table: tbl}, nil
}

func (t *storeTarget) Append(b *vec.Batch) error { return t.table.Append(context.Background(), b) }

func (t *storeTarget) Catalog() check.Catalog { return engine.Catalog{"SigninLogs": t.table} }

// DiskBytes is the size of every file under the store's directory.
func (t *storeTarget) DiskBytes() int64 {
	var n int64
	filepath.WalkDir(t.dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// Flush writes the tail to segments (and removes the WAL it covered).
func (t *storeTarget) Flush() error { return t.st.Flush() }

// Compact merges what the background merger has left to merge.
func (t *storeTarget) Compact() error { return t.st.Compact() }

func (t *storeTarget) Close() error { return t.st.Close() }
