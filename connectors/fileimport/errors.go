package fileimport

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem of a file, at a place a person can find: the line
// (1-based), the column (1-based byte offset in the line, 0 when unknown)
// and, for tabular files, the field (the CSV column or JSON member).
type Error struct {
	File  string
	Line  int
	Col   int
	Field string
	Msg   string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	if e.Field != "" {
		fmt.Fprintf(&b, "%s: ", e.Field)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// maxErrors is how many errors a file collects before parsing stops: enough
// to show a pattern, few enough to read.
const maxErrors = 20

// ErrorList is every problem found in a file, in file order. A file with
// any is rejected whole.
type ErrorList []*Error

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].Line != l[j].Line {
			return l[i].Line < l[j].Line
		}
		return l[i].Col < l[j].Col
	})
}

// errTooMany stops a parse that has collected maxErrors errors.
type errTooMany struct{}

func (errTooMany) Error() string { return "too many errors" }

// pos is a place in a file.
type pos struct {
	line, col int
}

// lineIndex finds the line and column of byte offsets of one file.
type lineIndex []int // offsets of the '\n' bytes

func newLineIndex(data []byte) lineIndex {
	l := lineIndex{}
	for i, c := range data {
		if c == '\n' {
			l = append(l, i)
		}
	}
	return l
}

// at converts a byte offset to a 1-based line and column.
func (l lineIndex) at(off int64) pos {
	n := sort.SearchInts(l, int(off))
	start := 0
	if n > 0 {
		start = l[n-1] + 1
	}
	return pos{line: n + 1, col: int(off) - start + 1}
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
