package wal

import (
	"fmt"
	"os"
)

// recover checks every file of the log, cuts a torn tail off the last one
// and opens the last one for appending.
func (l *Log) recover() error {
	segs, err := listSegments(l.dir)
	if err != nil {
		return err
	}
	if len(segs) == 0 {
		f, path, err := l.createFile(1)
		if err != nil {
			return err
		}
		l.f, l.size, l.files = f, headerSize, []segment{{first: 1, path: path}}
		l.next = 1
		return nil
	}
	var last uint64
	for i, s := range segs {
		if i > 0 && s.first != last+1 {
			return fmt.Errorf("wal: %s: starts at LSN %d but the previous file ends at %d", s.path, s.first, last)
		}
		if last, err = l.check(s, i == len(segs)-1); err != nil {
			return err
		}
	}
	tail := segs[len(segs)-1]
	f, err := os.OpenFile(tail.path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	l.f, l.size, l.files = f, st.Size(), segs
	l.written, l.durable, l.next = last, last, last+1
	return nil
}

// check reads the file of s and returns the LSN of its last record. Damage
// is an error, except a torn tail of the last file, which is cut off.
func (l *Log) check(s segment, isLast bool) (uint64, error) {
	data, err := os.ReadFile(s.path)
	if err != nil {
		return 0, err
	}
	if err := checkHeader(data, s.first); err != nil {
		if !isLast || len(data) >= headerSize {
			return 0, fmt.Errorf("wal: %s: %v", s.path, err)
		}
		l.opt.Logf("wal: %s: rewriting torn header (%d bytes)", s.path, len(data))
		return s.first - 1, l.rewrite(s.path, appendHeader(nil, s.first))
	}
	body := data[headerSize:]
	r, _ := scan(body, s.first, nil)
	if r.bad == nil {
		return r.last, nil
	}
	off := headerSize + r.end
	if !isLast || goodAfterBad(body, r) {
		return 0, fmt.Errorf("wal: %s: corrupt record at offset %d (LSN %d): %v", s.path, off, r.last+1, r.bad)
	}
	l.opt.Logf("wal: %s: cutting torn tail at offset %d (%d bytes, after LSN %d): %v",
		s.path, off, len(data)-off, r.last, r.bad)
	return r.last, l.cut(s.path, int64(off))
}

// cut truncates the file at path to size bytes, durably.
func (l *Log) cut(path string, size int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	err = f.Truncate(size)
	if err == nil {
		err = l.sync(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// rewrite replaces the contents of the file at path with data, durably.
func (l *Log) rewrite(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = l.sync(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
