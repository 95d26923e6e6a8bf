package store

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/store/rowcodec"
	"github.com/idlogs/idlogs/store/segment"
	"github.com/idlogs/idlogs/store/wal"
)

// Options configure a store. The zero value is a good default.
type Options struct {
	// FlushRows is the tail size in rows that makes a table flush to a
	// segment (default 1 Mi rows, MergeRows's default: a segment of the
	// merged size is never merged again, so rows that arrive fast are
	// encoded once, into segments whose dictionaries cover many rows; the
	// tail holds rows as Go values, about a kilobyte a sign-in row).
	FlushRows int
	// FlushInterval is the longest a row stays only in the tail and the
	// WAL (default 30 s).
	FlushInterval time.Duration
	// MaxTailRows is the tail size in rows at which appends to a table wait
	// for the background flush to catch up (default 2 × FlushRows). It
	// bounds the memory of tails and the WAL that a restart replays when
	// appends outrun flushing; with NoBackground appends never wait.
	MaxTailRows int
	// MergeRows is the size a merged segment grows to (default 1 Mi rows);
	// smaller segments of a table are merged in the background. A merge
	// decodes its inputs in memory, which bounds this.
	MergeRows int64
	// BlockRows is the rows per column block in segments (default 65536).
	BlockRows int
	// CacheBytes bounds the memory of decoded column blocks kept for
	// later queries (default 512 MiB; negative: no cache).
	CacheBytes int64
	// NoBackground turns off the flush, merge and retention goroutine;
	// Flush, Merge and ApplyRetention then run only when called.
	NoBackground bool
	// WALFileBytes is the size at which the write-ahead log starts a new
	// file (default 64 MiB); files are removed whole once flushed.
	WALFileBytes int64
	// NoSync skips fsync: for tests that do not test durability.
	NoSync bool
	// Logf receives notices (torn WAL tails, removed files); default log.Printf.
	Logf func(format string, args ...any)
	// Now returns the current time for retention; default time.Now.
	Now func() time.Time
}

func (o *Options) defaults() {
	if o.FlushRows <= 0 {
		o.FlushRows = 1 << 20
	}
	if o.MaxTailRows <= 0 {
		o.MaxTailRows = 2 * o.FlushRows
	}
	if o.MaxTailRows < o.FlushRows {
		o.MaxTailRows = o.FlushRows
	}
	if o.FlushInterval <= 0 {
		o.FlushInterval = 30 * time.Second
	}
	if o.MergeRows <= 0 {
		o.MergeRows = 1 << 20
	}
	if o.BlockRows <= 0 {
		o.BlockRows = 65536
	}
	if o.CacheBytes == 0 {
		o.CacheBytes = 512 << 20
	}
	if o.Logf == nil {
		o.Logf = log.Printf
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// TableOptions configure a table.
type TableOptions struct {
	// TimeColumn names the datetime column that orders the table's rows
	// in time (TimeGenerated for Log Analytics tables); empty for none.
	TimeColumn string
	// Retention is how long rows are kept, by TimeColumn; 0 keeps them forever.
	Retention time.Duration
}

// Store is a directory of durable tables. Its methods are safe for
// concurrent use.
type Store struct {
	dir   string
	opt   Options
	wal   *wal.Log
	cache *colCache

	// appendMu is held shared by appends from before their WAL write until
	// their batch is in a tail, and exclusively while the WAL is truncated,
	// so no durable record is removed before it is accounted for.
	appendMu sync.RWMutex

	// mu guards tables, the manifest and segment ids.
	mu     sync.Mutex
	tables map[string]*Table
	nextID uint64
	closed bool

	// flushMu serializes flushes, retention, table changes and the last
	// step of merges, which rewrite the manifest.
	flushMu sync.Mutex
	// mergeMu serializes merges. A merge reads and writes segments holding
	// only mergeMu, so tails go on flushing beside it, and takes flushMu
	// just to put its segment in place of its inputs.
	mergeMu sync.Mutex
	// dropped are segments taken out of use whose files may go once a
	// manifest without them is saved. Guarded by flushMu.
	dropped []*segRef

	stop    chan struct{}
	bg      sync.WaitGroup
	kickCh  chan struct{}
	mergeCh chan struct{}
}

// ErrClosed is returned by operations on a closed store.
var ErrClosed = errors.New("store: closed")

// Open opens the store in dir, creating it if needed, and recovers it:
// files the manifest does not name are removed and WAL records that no
// segment holds are replayed into the tails.
func Open(dir string, opt Options) (*Store, error) {
	opt.defaults()
	if err := os.MkdirAll(filepath.Join(dir, "tables"), 0o755); err != nil {
		return nil, err
	}
	m, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	s := &Store{dir: dir, opt: opt, tables: map[string]*Table{}, nextID: m.NextID, cache: newColCache(opt.CacheBytes)}
	for _, mt := range m.Tables {
		t, err := s.loadTable(mt)
		if err != nil {
			s.closeTables()
			return nil, fmt.Errorf("table %s: %v", mt.Name, err)
		}
		s.tables[t.name] = t
	}
	if err := s.removeOrphans(); err != nil {
		s.closeTables()
		return nil, err
	}
	w, err := wal.Open(filepath.Join(dir, "wal"), wal.Options{SegmentBytes: opt.WALFileBytes, NoSync: opt.NoSync, Logf: opt.Logf})
	if err != nil {
		s.closeTables()
		return nil, err
	}
	s.wal = w
	// A log behind the segments (lost or restored from an older copy)
	// must not hand out LSNs that segments already hold.
	var covered uint64
	for _, t := range s.tables {
		covered = max(covered, t.createdLSN)
		for _, r := range t.segs {
			if n := len(r.meta.LSNs); n > 0 {
				covered = max(covered, r.meta.LSNs[n-1].Hi)
			}
		}
	}
	if w.LastLSN() < covered {
		s.opt.Logf("store: the write-ahead log ends at %d, before the segments' %d; continuing after %d", w.LastLSN(), covered, covered)
		if err := w.SkipTo(covered); err != nil {
			w.Close()
			s.closeTables()
			return nil, err
		}
	}
	if err := s.replay(); err != nil {
		w.Close()
		s.closeTables()
		return nil, err
	}
	if !opt.NoBackground {
		s.stop = make(chan struct{})
		s.kickCh = make(chan struct{}, 1)
		s.mergeCh = make(chan struct{}, 1)
		s.bg.Add(2)
		go s.background()
		go s.merger()
	}
	return s, nil
}

func (s *Store) tableDir(name string) string { return filepath.Join(s.dir, "tables", name) }

func segPath(dir string, id uint64) string {
	return filepath.Join(dir, fmt.Sprintf("seg-%016x.seg", id))
}

func (s *Store) loadTable(mt manifestTable) (*Table, error) {
	sch, err := schemaFromManifest(mt.Columns)
	if err != nil {
		return nil, err
	}
	t := newTable(s, mt.Name, sch, TableOptions{TimeColumn: mt.TimeColumn, Retention: time.Duration(mt.Retention) * time.Second})
	t.createdLSN = mt.CreatedLSN
	for _, ms := range mt.Segments {
		seg, err := segment.Open(segPath(s.tableDir(t.name), ms.ID))
		if err != nil {
			t.release()
			return nil, err
		}
		t.segs = append(t.segs, s.newSegRef(ms, seg, segPath(s.tableDir(t.name), ms.ID)))
	}
	return t, nil
}

// removeOrphans deletes segment files and temporary files that the
// manifest does not name: the remains of a flush or merge that a crash
// interrupted before the manifest was replaced.
func (s *Store) removeOrphans() error {
	live := map[string]bool{}
	for _, t := range s.tables {
		for _, r := range t.segs {
			live[r.path] = true
		}
	}
	os.Remove(filepath.Join(s.dir, manifestName+".tmp"))
	dirs, err := os.ReadDir(filepath.Join(s.dir, "tables"))
	if err != nil {
		return err
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join(s.dir, "tables", d.Name())
		files, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, f := range files {
			p := filepath.Join(dir, f.Name())
			if live[p] || !(strings.HasSuffix(p, ".seg") || strings.HasSuffix(p, ".tmp")) {
				continue
			}
			s.opt.Logf("store: removing %s, which no manifest names (an interrupted flush or merge)", p)
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// replay adds the WAL records that no segment holds to the tails.
func (s *Store) replay() error {
	return s.wal.Replay(0, func(lsn uint64, rec []byte) error {
		name, sch, b, err := rowcodec.Decode(rec)
		if err != nil {
			return fmt.Errorf("wal record %d: %v", lsn, err)
		}
		t := s.tables[name]
		if t == nil {
			// The table was dropped after the record was written.
			return nil
		}
		if lsn <= t.createdLSN || t.covered(lsn) {
			return nil
		}
		b, err = t.conform(sch, b)
		if err != nil {
			return fmt.Errorf("wal record %d: %v", lsn, err)
		}
		t.addTail(lsn, b)
		return nil
	})
}

// CreateTable creates a table, or returns the existing table of that name
// when its schema and options are the same.
func (s *Store) CreateTable(name string, schema vec.Schema, opt TableOptions) (*Table, error) {
	if err := checkTableName(name); err != nil {
		return nil, err
	}
	if err := checkSchema(schema, opt); err != nil {
		return nil, fmt.Errorf("table %s: %v", name, err)
	}
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, ErrClosed
	}
	if t := s.tables[name]; t != nil {
		s.mu.Unlock()
		if !sameSchema(t.Schema(), schema) || t.opt != opt {
			return nil, fmt.Errorf("table %s already exists with another schema or options", name)
		}
		return t, nil
	}
	if err := os.MkdirAll(s.tableDir(name), 0o755); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	t := newTable(s, name, schema, opt)
	t.createdLSN = s.wal.LastLSN()
	s.tables[name] = t
	s.mu.Unlock()
	if err := s.saveManifest(); err != nil {
		s.mu.Lock()
		delete(s.tables, name)
		s.mu.Unlock()
		return nil, err
	}
	return t, nil
}

// AlterTable changes a table's schema: columns may be added (existing rows
// read them as null) and the retention changed; existing columns keep their
// names and types.
func (s *Store) AlterTable(name string, schema vec.Schema, retention time.Duration) (*Table, error) {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	t, ok := s.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("table %s does not exist", name)
	}
	old := t.Schema()
	for _, f := range old {
		i := schema.Index(f.Name)
		if i < 0 {
			return nil, fmt.Errorf("table %s: column %s cannot be removed", name, f.Name)
		}
		if schema[i].Type != f.Type {
			return nil, fmt.Errorf("table %s: column %s cannot change type from %s to %s", name, f.Name, f.Type, schema[i].Type)
		}
	}
	opt := t.opt
	opt.Retention = retention
	if err := checkSchema(schema, opt); err != nil {
		return nil, fmt.Errorf("table %s: %v", name, err)
	}
	// Appends hold appendMu shared; taking it exclusively means no batch
	// of the old schema is between the WAL and the tail.
	s.appendMu.Lock()
	t.setSchema(schema, retention)
	s.appendMu.Unlock()
	return t, s.saveManifest()
}

// DropTable removes a table and its data.
func (s *Store) DropTable(name string) error {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	s.appendMu.Lock()
	s.mu.Lock()
	t := s.tables[name]
	delete(s.tables, name)
	s.mu.Unlock()
	s.appendMu.Unlock()
	if t == nil {
		return fmt.Errorf("table %s does not exist", name)
	}
	if err := s.saveManifest(); err != nil {
		return err
	}
	t.dropAll()
	return nil
}

// Lookup returns the table named name.
func (s *Store) Lookup(name string) (*Table, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tables[name]
	return t, ok
}

// Table returns the table named name as a plan.Table; with it a Store is a
// KQL catalog.
func (s *Store) Table(name string) (plan.Table, bool) {
	t, ok := s.Lookup(name)
	if !ok {
		return nil, false
	}
	return t, true
}

// Tables returns the names of all tables, sorted.
func (s *Store) Tables() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.tables))
	for n := range s.tables {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (s *Store) allTables() []*Table {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Table, 0, len(s.tables))
	for _, t := range s.tables {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// saveManifest writes the manifest from the tables' current state. The
// caller holds flushMu.
func (s *Store) saveManifest() error {
	m := &manifest{Version: 1}
	s.mu.Lock()
	m.NextID = s.nextID
	s.mu.Unlock()
	for _, t := range s.allTables() {
		m.Tables = append(m.Tables, t.manifestEntry())
	}
	if err := writeManifest(s.dir, m, s.opt.NoSync); err != nil {
		return err
	}
	for _, r := range s.dropped {
		r.drop()
	}
	s.dropped = nil
	return nil
}

// dropAfterSave deletes segments that merge or retention took out of use
// once the next manifest is saved: until then, a crash would reopen the
// old manifest, which still names them. The caller holds flushMu.
func (s *Store) dropAfterSave(refs ...*segRef) {
	s.dropped = append(s.dropped, refs...)
}

func (s *Store) newSegmentID() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextID
	s.nextID++
	return id
}

// Close flushes nothing (the WAL holds the tails), stops the background
// work and releases files. Tables must not be used afterwards.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	if s.stop != nil {
		close(s.stop)
		s.bg.Wait()
	}
	s.mergeMu.Lock() // a Compact of another goroutine ends first
	defer s.mergeMu.Unlock()
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	err := s.wal.Close()
	s.closeTables()
	for _, r := range s.dropped {
		r.releaseRef() // the saved manifest may still name it: keep the file
	}
	s.dropped = nil
	return err
}

func (s *Store) closeTables() {
	for _, t := range s.tables {
		t.release()
	}
}

func (s *Store) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

func checkTableName(name string) error {
	if name == "" || len(name) > 100 {
		return fmt.Errorf("table name %q must have 1 to 100 characters", name)
	}
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return fmt.Errorf("table name %q may contain only letters, digits and '_'", name)
		}
	}
	return nil
}

func checkSchema(schema vec.Schema, opt TableOptions) error {
	if len(schema) == 0 {
		return errors.New("a table needs at least one column")
	}
	seen := map[string]bool{}
	for _, f := range schema {
		if f.Name == "" {
			return errors.New("a column has no name")
		}
		if seen[f.Name] {
			return fmt.Errorf("column %s appears twice", f.Name)
		}
		seen[f.Name] = true
	}
	if opt.TimeColumn != "" {
		i := schema.Index(opt.TimeColumn)
		if i < 0 {
			return fmt.Errorf("time column %s is not a column", opt.TimeColumn)
		}
		if schema[i].Type.String() != "datetime" {
			return fmt.Errorf("time column %s is %s, not datetime", opt.TimeColumn, schema[i].Type)
		}
	}
	if opt.Retention < 0 {
		return errors.New("retention cannot be negative")
	}
	return nil
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

// isLive reports whether t is still the store's table of its name.
func (s *Store) isLive(t *Table) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tables[t.name] == t
}
