package store

import (
	"fmt"
	"path/filepath"

	"github.com/idlogs/idlogs/store/rowcodec"
	"github.com/idlogs/idlogs/store/segment"
	"github.com/idlogs/idlogs/store/wal"
)

// Report is what Verify found.
type Report struct {
	Tables, Segments int
	SegmentRows      int64
	WALRecords       int
}

// Verify checks a store directory that no process has open: the manifest
// parses, every segment it names opens and passes its checksums, and every
// WAL record decodes. It changes nothing, except that a torn WAL tail is
// cut off and reported through logf, as Open does.
func Verify(dir string, logf func(string, ...any)) (Report, error) {
	var rep Report
	m, err := readManifest(dir)
	if err != nil {
		return rep, err
	}
	for _, mt := range m.Tables {
		rep.Tables++
		if _, err := schemaFromManifest(mt.Columns); err != nil {
			return rep, fmt.Errorf("table %s: %v", mt.Name, err)
		}
		for _, ms := range mt.Segments {
			path := segPath(filepath.Join(dir, "tables", mt.Name), ms.ID)
			seg, err := segment.Open(path)
			if err != nil {
				return rep, err
			}
			err = seg.Verify()
			info := seg.Info()
			seg.Close()
			if err != nil {
				return rep, fmt.Errorf("%s: %v", path, err)
			}
			if info.Rows != ms.Rows {
				return rep, fmt.Errorf("%s: %d rows, the manifest says %d", path, info.Rows, ms.Rows)
			}
			rep.Segments++
			rep.SegmentRows += info.Rows
		}
	}
	w, err := wal.Open(filepath.Join(dir, "wal"), wal.Options{Logf: logf, NoSync: true})
	if err != nil {
		return rep, err
	}
	defer w.Close()
	err = w.Replay(0, func(lsn uint64, rec []byte) error {
		if _, _, _, err := rowcodec.Decode(rec); err != nil {
			return fmt.Errorf("wal record %d: %v", lsn, err)
		}
		rep.WALRecords++
		return nil
	})
	return rep, err
}
