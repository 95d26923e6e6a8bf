package router

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/idlogs/idlogs/activity"
)

// BlobStore holds a storage account's append blobs. The local folder is
// the one implementation today; S3 or Azure Blob backends implement the
// same two calls.
type BlobStore interface {
	// ReadBlob returns the blob's content; a missing blob is empty.
	ReadBlob(container, name string) ([]byte, error)
	// AppendBlob appends data durably, creating container and blob as
	// needed. After an error the blob may hold a prefix of data.
	AppendBlob(container, name string, data []byte) error
	// TruncateBlob cuts the blob to size bytes (a torn line at its end).
	TruncateBlob(container, name string, size int64) error
}

// FolderStore is a BlobStore in a local folder: container/blob paths map
// to files under Dir.
type FolderStore struct {
	Dir string
	// NoSync skips fsync; for tests only.
	NoSync bool
}

func (s *FolderStore) path(container, name string) string {
	return filepath.Join(s.Dir, container, filepath.FromSlash(name))
}

// ReadBlob implements BlobStore.
func (s *FolderStore) ReadBlob(container, name string) ([]byte, error) {
	data, err := os.ReadFile(s.path(container, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return data, err
}

// AppendBlob implements BlobStore.
func (s *FolderStore) AppendBlob(container, name string, data []byte) error {
	p := s.path(container, name)
	_, statErr := os.Stat(p)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if !s.NoSync {
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	if statErr != nil && !s.NoSync {
		// A new blob: make its directory entry durable too.
		for d := filepath.Dir(p); len(d) >= len(s.Dir); d = filepath.Dir(d) {
			if err := syncDir(d); err != nil {
				return err
			}
		}
	}
	return nil
}

// TruncateBlob implements BlobStore.
func (s *FolderStore) TruncateBlob(container, name string, size int64) error {
	return os.Truncate(s.path(container, name), size)
}

func syncDir(d string) error {
	f, err := os.Open(d)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Container returns the archive container of a category.
func Container(category string) string { return "insights-logs-" + strings.ToLower(category) }

// BlobName returns the hour blob of a tenant's records received at t (UTC).
func BlobName(tenantID string, t time.Time) string {
	u := t.UTC()
	return fmt.Sprintf("tenantId=%s/y=%04d/m=%02d/d=%02d/h=%02d/m=00/PT1H.json", tenantID, u.Year(), int(u.Month()), u.Day(), u.Hour())
}

// archiveDest appends records to hour blobs, one JSON record per line,
// filed by the time the activity log received them (so a retried record
// goes to the same blob).
//
// Exactly once: the first time the destination touches a blob it reads the
// ids the blob holds (cutting a torn last line a crash left) and from then
// on appends only records whose id is not among them. A failed append
// forgets the blob, so the next attempt reads it again.
type archiveDest struct {
	blobs BlobStore
	mu    sync.Mutex
	ids   map[string]map[string]bool // container/blob → ids it holds
	order []string                   // blobs in ids, oldest first
}

// maxOpenBlobs bounds the blobs whose ids are kept in memory.
const maxOpenBlobs = 64

func newArchiveDest(b BlobStore) *archiveDest {
	return &archiveDest{blobs: b, ids: map[string]map[string]bool{}}
}

func (d *archiveDest) Close() error { return nil }

func (d *archiveDest) Deliver(ctx context.Context, es []activity.Entry) error {
	type blob struct{ container, name string }
	var order []blob
	lines := map[blob]*bytes.Buffer{}
	added := map[blob][]string{}
	for _, e := range es {
		b := blob{Container(e.Record.Category), BlobName(e.Record.TenantID, e.Received)}
		ids, err := d.load(b.container, b.name)
		if err != nil {
			return err
		}
		id := e.Record.ID()
		if id != "" && ids[id] {
			continue
		}
		data, err := json.Marshal(e.Record)
		if err != nil {
			return fmt.Errorf("encode record %s: %w", id, err)
		}
		if lines[b] == nil {
			lines[b] = &bytes.Buffer{}
			order = append(order, b)
		}
		lines[b].Write(data)
		lines[b].WriteByte('\n')
		added[b] = append(added[b], id)
	}
	for _, b := range order {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := d.blobs.AppendBlob(b.container, b.name, lines[b].Bytes()); err != nil {
			d.forget(b.container + "/" + b.name)
			return fmt.Errorf("append to %s/%s: %w", b.container, b.name, err)
		}
		d.mu.Lock()
		ids := d.ids[b.container+"/"+b.name]
		for _, id := range added[b] {
			if ids == nil { // evicted meanwhile: read again next time
				break
			}
			ids[id] = true
		}
		d.mu.Unlock()
	}
	return nil
}

func (d *archiveDest) forget(k string) {
	d.mu.Lock()
	delete(d.ids, k)
	d.mu.Unlock()
}

// load returns the ids of a blob, reading it the first time.
func (d *archiveDest) load(container, name string) (map[string]bool, error) {
	k := container + "/" + name
	d.mu.Lock()
	ids, ok := d.ids[k]
	d.mu.Unlock()
	if ok {
		return ids, nil
	}
	data, err := d.blobs.ReadBlob(container, name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", k, err)
	}
	if n := bytes.LastIndexByte(data, '\n') + 1; n < len(data) {
		if err := d.blobs.TruncateBlob(container, name, int64(n)); err != nil {
			return nil, fmt.Errorf("cut the torn line of %s: %w", k, err)
		}
		data = data[:n]
	}
	ids = map[string]bool{}
	for line := range bytes.SplitSeq(data, []byte{'\n'}) {
		if len(line) == 0 {
			continue
		}
		var r activity.Record
		if json.Unmarshal(line, &r) == nil {
			if id := r.ID(); id != "" {
				ids[id] = true
			}
		}
	}
	d.mu.Lock()
	d.ids[k] = ids
	d.order = append(d.order, k)
	for len(d.order) > maxOpenBlobs {
		delete(d.ids, d.order[0])
		d.order = d.order[1:]
	}
	d.mu.Unlock()
	return ids, nil
}
