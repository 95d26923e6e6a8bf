package store

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

const manifestName = "MANIFEST.json"

// manifest is the durable list of tables and their segments.
type manifest struct {
	Version int             `json:"version"`
	NextID  uint64          `json:"nextSegmentId"`
	Tables  []manifestTable `json:"tables"`
}

type manifestTable struct {
	Name       string           `json:"name"`
	Columns    []manifestColumn `json:"columns"`
	TimeColumn string           `json:"timeColumn,omitempty"`
	Retention  int64            `json:"retentionSeconds,omitempty"`
	// CreatedLSN is the WAL position when the table was created: older
	// records belong to an earlier table of the same name.
	CreatedLSN uint64            `json:"createdLsn,omitempty"`
	Segments   []manifestSegment `json:"segments"`
}

type manifestColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

type manifestSegment struct {
	ID   uint64 `json:"id"`
	Rows int64  `json:"rows"`
	// LSNs are the WAL records whose rows the segment holds.
	LSNs lsnSet `json:"lsns"`
}

func schemaToManifest(s vec.Schema) []manifestColumn {
	cols := make([]manifestColumn, len(s))
	for i, f := range s {
		cols[i] = manifestColumn{Name: f.Name, Type: f.Type.String()}
	}
	return cols
}

func schemaFromManifest(cols []manifestColumn) (vec.Schema, error) {
	s := make(vec.Schema, len(cols))
	for i, c := range cols {
		t, ok := types.Lookup(c.Type)
		if !ok {
			return nil, fmt.Errorf("column %s has unknown type %q", c.Name, c.Type)
		}
		s[i] = vec.Field{Name: c.Name, Type: t}
	}
	return s, nil
}

func readManifest(dir string) (*manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, manifestName))
	if os.IsNotExist(err) {
		return &manifest{Version: 1, NextID: 1}, nil
	}
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", manifestName, err)
	}
	if m.Version != 1 {
		return nil, fmt.Errorf("%s: unsupported version %d", manifestName, m.Version)
	}
	return &m, nil
}

// writeManifest replaces the manifest atomically: a new file is written
// and synced, renamed over the old one, and the directory is synced.
func writeManifest(dir string, m *manifest, noSync bool) error {
	sort.Slice(m.Tables, func(i, j int) bool { return m.Tables[i].Name < m.Tables[j].Name })
	data, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, manifestName), data, noSync)
}

func writeFileAtomic(path string, data []byte, noSync bool) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if !noSync {
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if noSync {
		return nil
	}
	return syncDir(filepath.Dir(path))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
