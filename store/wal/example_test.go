package wal_test

import (
	"fmt"
	"log"
	"os"

	"github.com/idlogs/idlogs/store/wal"
)

// The store's life cycle: replay what was not yet flushed to segments,
// append new batches, and truncate once they are flushed.
func Example() {
	dir, _ := os.MkdirTemp("", "wal")
	defer os.RemoveAll(dir)

	l, err := wal.Open(dir, wal.Options{})
	if err != nil {
		log.Fatal(err)
	}
	flushed := uint64(0) // the store keeps this with its segments
	if err := l.Replay(flushed, func(lsn uint64, rec []byte) error {
		fmt.Printf("replay %d: %s\n", lsn, rec)
		return nil
	}); err != nil {
		log.Fatal(err)
	}
	for _, batch := range []string{"batch a", "batch b"} {
		lsn, err := l.Append([]byte(batch))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("appended %d\n", lsn)
	}
	if err := l.Truncate(2); err != nil { // both batches are now in segments
		log.Fatal(err)
	}
	l.Close()

	l, _ = wal.Open(dir, wal.Options{})
	defer l.Close()
	fmt.Println("last LSN after reopen:", l.LastLSN())
	// Output:
	// appended 1
	// appended 2
	// last LSN after reopen: 2
}
