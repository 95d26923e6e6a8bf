package syntax

import (
	"fmt"
	"sort"
	"strings"
)

// Position is a human-readable location in a query: 1-based line and column
// (columns count bytes) and the 0-based byte offset.
type Position struct {
	Offset int
	Line   int
	Column int
}

func (p Position) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

// PositionOf converts a byte offset in src to a Position.
func PositionOf(src string, offset int) Position {
	if offset > len(src) {
		offset = len(src)
	}
	if offset < 0 {
		offset = 0
	}
	line := 1 + strings.Count(src[:offset], "\n")
	col := offset + 1
	if i := strings.LastIndexByte(src[:offset], '\n'); i >= 0 {
		col = offset - i
	}
	return Position{Offset: offset, Line: line, Column: col}
}

// Error is one syntax error: where it is and what was expected there.
type Error struct {
	Pos  Position
	Span Span
	Msg  string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList is a list of syntax errors sorted by position. A nil list means
// the query parsed cleanly.
type ErrorList []*Error

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Err returns nil for an empty list and the list otherwise, so that callers
// can write `if err := list.Err(); err != nil`.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool { return l[i].Pos.Offset < l[j].Pos.Offset })
}
