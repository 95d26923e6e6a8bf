package vec

import "github.com/idlogs/idlogs/kql/types"

// Field is a named, typed column of a schema.
type Field struct {
	Name string
	Type types.Type
}

// Schema is the ordered list of a table's columns.
type Schema []Field

// Index returns the position of the column named name, or -1.
func (s Schema) Index(name string) int {
	for i, f := range s {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// Batch is a set of equally long columns: a slice of a table's rows.
type Batch struct {
	Cols []*Column
	N    int
}

// NewBatch returns a batch over cols, which must all have n rows.
func NewBatch(cols []*Column, n int) *Batch { return &Batch{Cols: cols, N: n} }

// Gather returns a batch of rows idx of b (-1 gives null rows).
func (b *Batch) Gather(idx []int) *Batch {
	cols := make([]*Column, len(b.Cols))
	noNull := noNulls(idx)
	for i, c := range b.Cols {
		cols[i] = c.gather(idx, noNull)
	}
	return &Batch{Cols: cols, N: len(idx)}
}

// Concat appends the rows of batches with the same column types.
func Concat(schema Schema, batches []*Batch) *Batch {
	total := 0
	for _, b := range batches {
		total += b.N
	}
	if len(batches) == 1 {
		return batches[0]
	}
	cols := make([]*Column, len(schema))
	for i, f := range schema {
		c := NewBuilder(f.Type, total).Build()
		c.Valid = nil
		for _, b := range batches {
			appendColumn(c, b.Cols[i])
		}
		cols[i] = c
	}
	return &Batch{Cols: cols, N: total}
}
