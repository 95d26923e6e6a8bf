package main

import (
	"github.com/idlogs/idlogs/kql/check"
	"github.com/idlogs/idlogs/kql/vec"
)

// target is the idlogs table under test. openTarget makes the
// implementation measured: target_store.go (the workspace store) by
// default, target_mem.go (an in-memory table) with -tags idlogs_mem.
// Either file can be swapped without touching the harness.
type target interface {
	// Append adds rows; they are visible to queries when it returns.
	Append(b *vec.Batch) error
	// Catalog resolves "SigninLogs" to the table.
	Catalog() check.Catalog
	// DiskBytes is the size of the table on disk.
	DiskBytes() int64
	Close() error
}
