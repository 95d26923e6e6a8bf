// Package state keeps idlogs' control-plane records (workspaces, role
// assignments, applications, data collection rules, ...) durably in one
// embedded key-value file.
//
// Records are JSON values grouped by kind and addressed by key. Every write
// is a transaction that is on disk (fsync) when the call returns, so an
// acknowledged change survives a crash. Keys are case-sensitive; callers that
// follow ARM's case-insensitive names lower-case their keys first.
package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// DB is an open state file. Its methods are safe for concurrent use.
type DB struct {
	bolt *bolt.DB
}

// Open opens or creates the state file at path.
func Open(path string) (*DB, error) {
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("state: open %s: %w", path, err)
	}
	return &DB{bolt: b}, nil
}

// Close closes the file.
func (d *DB) Close() error { return d.bolt.Close() }

// Tx is one transaction. A Tx from View may only read.
type Tx struct {
	tx *bolt.Tx
}

// View runs fn in a read-only transaction.
func (d *DB) View(fn func(*Tx) error) error {
	return d.bolt.View(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// Update runs fn in a read-write transaction that commits, durably, when fn
// returns nil and rolls back otherwise.
func (d *DB) Update(fn func(*Tx) error) error {
	return d.bolt.Update(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// Get decodes the record kind/key into v and reports whether it exists.
func (d *DB) Get(kind, key string, v any) (found bool, err error) {
	err = d.View(func(tx *Tx) error {
		found, err = tx.Get(kind, key, v)
		return err
	})
	return found, err
}

// Put stores v as the record kind/key.
func (d *DB) Put(kind, key string, v any) error {
	return d.Update(func(tx *Tx) error { return tx.Put(kind, key, v) })
}

// Delete removes the record kind/key and reports whether it existed.
func (d *DB) Delete(kind, key string) (found bool, err error) {
	err = d.Update(func(tx *Tx) error {
		found, err = tx.Delete(kind, key)
		return err
	})
	return found, err
}

// List calls fn with every record of kind in key order.
func (d *DB) List(kind string, fn func(key string, value json.RawMessage) error) error {
	return d.View(func(tx *Tx) error { return tx.List(kind, fn) })
}

// Get decodes the record kind/key into v and reports whether it exists.
func (t *Tx) Get(kind, key string, v any) (bool, error) {
	b := t.tx.Bucket([]byte(kind))
	if b == nil {
		return false, nil
	}
	raw := b.Get([]byte(key))
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("state: %s/%s: %w", kind, key, err)
	}
	return true, nil
}

// Put stores v as the record kind/key.
func (t *Tx) Put(kind, key string, v any) error {
	if key == "" {
		return errors.New("state: empty key")
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("state: %s/%s: %w", kind, key, err)
	}
	b, err := t.tx.CreateBucketIfNotExists([]byte(kind))
	if err != nil {
		return err
	}
	return b.Put([]byte(key), raw)
}

// Delete removes the record kind/key and reports whether it existed.
func (t *Tx) Delete(kind, key string) (bool, error) {
	b := t.tx.Bucket([]byte(kind))
	if b == nil || b.Get([]byte(key)) == nil {
		return false, nil
	}
	return true, b.Delete([]byte(key))
}

// List calls fn with every record of kind in key order; the value is valid
// only during the call.
func (t *Tx) List(kind string, fn func(key string, value json.RawMessage) error) error {
	b := t.tx.Bucket([]byte(kind))
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, v []byte) error { return fn(string(k), v) })
}
