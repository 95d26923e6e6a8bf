package wal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

const (
	headerSize = 16
	frameSize  = 16 // length, CRC, LSN
	fileSuffix = ".wal"
)

var (
	magic      = [8]byte{'I', 'D', 'L', 'W', 'A', 'L', 0, 1}
	castagnoli = crc32.MakeTable(crc32.Castagnoli)
)

func fileName(first uint64) string { return fmt.Sprintf("%020d%s", first, fileSuffix) }

// parseName returns the first LSN a log file name carries.
func parseName(name string) (uint64, bool) {
	base, ok := strings.CutSuffix(name, fileSuffix)
	if !ok || len(base) != 20 {
		return 0, false
	}
	n, err := strconv.ParseUint(base, 10, 64)
	return n, err == nil && n > 0
}

// listSegments returns the log files in dir in LSN order.
func listSegments(dir string) ([]segment, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var segs []segment
	for _, e := range ents {
		if first, ok := parseName(e.Name()); ok && e.Type().IsRegular() {
			segs = append(segs, segment{first: first, path: filepath.Join(dir, e.Name())})
		}
	}
	slices.SortFunc(segs, func(a, b segment) int { return cmpU64(a.first, b.first) })
	return segs, nil
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func appendHeader(dst []byte, first uint64) []byte {
	dst = append(dst, magic[:]...)
	return binary.LittleEndian.AppendUint64(dst, first)
}

// checkHeader reports whether data starts with a valid header for a file
// whose first LSN is first.
func checkHeader(data []byte, first uint64) error {
	if len(data) < headerSize {
		return fmt.Errorf("header is %d bytes, want %d", len(data), headerSize)
	}
	if [8]byte(data[:8]) != magic {
		return errors.New("not a log file (bad magic)")
	}
	if got := binary.LittleEndian.Uint64(data[8:]); got != first {
		return fmt.Errorf("header names first LSN %d, file name %d", got, first)
	}
	return nil
}

// appendFrame appends the framed record lsn, rec to dst.
func appendFrame(dst []byte, lsn uint64, rec []byte) []byte {
	return append(appendFrameHeader(dst, lsn, rec), rec...)
}

// appendFrameHeader appends the header of the framed record lsn, rec to
// dst: the record itself must follow it.
func appendFrameHeader(dst []byte, lsn uint64, rec []byte) []byte {
	var h [frameSize]byte
	binary.LittleEndian.PutUint32(h[0:], uint32(len(rec)))
	binary.LittleEndian.PutUint64(h[8:], lsn)
	crc := crc32.Update(0, castagnoli, h[8:])
	binary.LittleEndian.PutUint32(h[4:], crc32.Update(crc, castagnoli, rec))
	return append(dst, h[:]...)
}

// decodeFrame decodes the record at the start of data, which must carry LSN
// want. It returns the payload and the record's size in bytes.
func decodeFrame(data []byte, want uint64) ([]byte, int, error) {
	if len(data) < frameSize {
		return nil, 0, fmt.Errorf("partial record header (%d of %d bytes)", len(data), frameSize)
	}
	n := int64(binary.LittleEndian.Uint32(data))
	if n > int64(len(data)-frameSize) {
		return nil, 0, fmt.Errorf("partial record (%d payload bytes, %d present)", n, len(data)-frameSize)
	}
	end := frameSize + int(n)
	crc := crc32.Update(0, castagnoli, data[8:end])
	if crc != binary.LittleEndian.Uint32(data[4:]) {
		return nil, 0, errors.New("record checksum mismatch")
	}
	if lsn := binary.LittleEndian.Uint64(data[8:]); lsn != want {
		return nil, 0, fmt.Errorf("record has LSN %d, want %d", lsn, want)
	}
	return data[frameSize:end], end, nil
}

// scanResult describes the records of one file body.
type scanResult struct {
	end  int    // offset just past the last good record
	last uint64 // LSN of the last good record, first-1 if none
	bad  error  // why decoding stopped before the end, nil if it did not
}

// scan decodes the records of body (a file without its header), whose first
// record has LSN first, and calls fn, if not nil, for each. An error from fn
// stops the scan and is returned.
func scan(body []byte, first uint64, fn func(lsn uint64, rec []byte) error) (scanResult, error) {
	r := scanResult{last: first - 1}
	for r.end < len(body) {
		rec, n, err := decodeFrame(body[r.end:], r.last+1)
		if err != nil {
			r.bad = err
			return r, nil
		}
		if fn != nil {
			if err := fn(r.last+1, rec); err != nil {
				return r, err
			}
		}
		r.end += n
		r.last++
	}
	return r, nil
}

// goodAfterBad reports whether the bad record at r.end is followed by a good
// one: then the damage is not a torn tail but a hole in the log.
func goodAfterBad(body []byte, r scanResult) bool {
	rest := body[r.end:]
	if len(rest) < frameSize {
		return false
	}
	n := int64(binary.LittleEndian.Uint32(rest))
	if n > int64(len(rest)-frameSize) {
		return false
	}
	_, _, err := decodeFrame(rest[frameSize+int(n):], r.last+2)
	return err == nil
}

// createFile creates the empty log file for LSNs from first on and makes it
// and its directory entry durable.
func (l *Log) createFile(first uint64) (*os.File, string, error) {
	path := filepath.Join(l.dir, fileName(first))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, "", err
	}
	if _, err := f.Write(appendHeader(nil, first)); err != nil {
		f.Close()
		return nil, "", err
	}
	if err := l.sync(f); err != nil {
		f.Close()
		return nil, "", err
	}
	if err := l.syncDir(); err != nil {
		f.Close()
		return nil, "", err
	}
	return f, path, nil
}

func (l *Log) sync(f *os.File) error {
	if l.opt.NoSync {
		return nil
	}
	return l.syncFile(f)
}

func (l *Log) syncDir() error {
	if l.opt.NoSync {
		return nil
	}
	d, err := os.Open(l.dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
