package eventhub

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// intentFile remembers, per hub partition, the last offset whose records
// were handed to the sink: written (and synced) before Emit, so that after
// a crash between Emit and the offset commit the records read again are
// known to be possibly emitted and marked activity.Record.Redelivery.
//
// The file is append-only, one line "hub<TAB>partition<TAB>offset" per
// partition per batch; the largest offset of a partition wins. It is
// rewritten with one line per partition when it grows past compactBytes.
type intentFile struct {
	path   string
	f      *os.File
	size   int64
	noSync bool
}

const compactBytes = 1 << 20

type tp struct {
	hub       string
	partition int32
}

// openIntents opens or creates the file in dir and returns the offsets it
// holds.
func openIntents(dir string, noSync bool) (*intentFile, map[tp]int64, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("event hubs connector: %w", err)
	}
	path := filepath.Join(dir, "emitted.log")
	offsets := map[tp]int64{}
	if f, err := os.Open(path); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// A torn last line (a crash mid-append) does not parse and
			// is skipped: its Emit had not started.
			parts := strings.Split(sc.Text(), "\t")
			if len(parts) != 3 {
				continue
			}
			p, err1 := strconv.ParseInt(parts[1], 10, 32)
			o, err2 := strconv.ParseInt(parts[2], 10, 64)
			if err1 != nil || err2 != nil {
				continue
			}
			k := tp{parts[0], int32(p)}
			offsets[k] = max(offsets[k], o)
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, nil, fmt.Errorf("event hubs connector: read %s: %w", path, err)
		}
	} else if !os.IsNotExist(err) {
		return nil, nil, fmt.Errorf("event hubs connector: %w", err)
	}
	in := &intentFile{path: path, noSync: noSync}
	if err := in.rewrite(offsets); err != nil {
		return nil, nil, err
	}
	return in, offsets, nil
}

// rewrite replaces the file with one line per partition.
func (in *intentFile) rewrite(offsets map[tp]int64) error {
	if in.f != nil {
		in.f.Close()
		in.f = nil
	}
	tmp := in.path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("event hubs connector: %w", err)
	}
	var b []byte
	for k, o := range offsets {
		b = appendIntent(b, k, o)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("event hubs connector: write %s: %w", tmp, err)
	}
	if err := in.sync(f); err != nil {
		f.Close()
		return err
	}
	f.Close()
	if err := os.Rename(tmp, in.path); err != nil {
		return fmt.Errorf("event hubs connector: %w", err)
	}
	if !in.noSync {
		if d, err := os.Open(filepath.Dir(in.path)); err == nil {
			d.Sync()
			d.Close()
		}
	}
	if in.f, err = os.OpenFile(in.path, os.O_APPEND|os.O_WRONLY, 0o600); err != nil {
		return fmt.Errorf("event hubs connector: %w", err)
	}
	in.size = int64(len(b))
	return nil
}

func appendIntent(b []byte, k tp, o int64) []byte {
	b = append(b, k.hub...)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(k.partition), 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, o, 10)
	return append(b, '\n')
}

func (in *intentFile) sync(f *os.File) error {
	if in.noSync {
		return nil
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("event hubs connector: sync %s: %w", f.Name(), err)
	}
	return nil
}

// note durably records the batch's last offsets; all holds every
// partition's latest, for a rewrite.
func (in *intentFile) note(batch, all map[tp]int64) error {
	if in.size > compactBytes {
		return in.rewrite(all)
	}
	var b []byte
	for k, o := range batch {
		b = appendIntent(b, k, o)
	}
	if _, err := in.f.Write(b); err != nil {
		return fmt.Errorf("event hubs connector: write %s: %w", in.path, err)
	}
	in.size += int64(len(b))
	return in.sync(in.f)
}

func (in *intentFile) Close() error {
	if in.f == nil {
		return nil
	}
	return in.f.Close()
}
