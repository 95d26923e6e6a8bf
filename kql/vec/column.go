// Package vec holds column vectors and batches: the unit of data that KQL
// operators pass between them.
package vec

import "github.com/idlogs/idlogs/kql/types"

// Column is a typed vector of values. Which slice holds the data follows
// Type.Storage(): Ints for bool, int, long, datetime and timespan; Floats for
// real and decimal; Strs for string and guid; Anys for dynamic.
//
// A string column may instead be dictionary-encoded: Dict holds the distinct
// values and Codes the index of each row's value in Dict.
//
// A constant column (Const) stores one value at index 0 that stands for
// every row; N is its logical length.
//
// Valid marks non-null rows; nil means every row is valid. String columns
// are never null.
type Column struct {
	Type   types.Type
	N      int
	Const  bool
	Ints   []int64
	Floats []float64
	Strs   []string
	Anys   []any
	Dict   []string
	Codes  []uint32
	Valid  []bool
}

// Len returns the number of rows.
func (c *Column) Len() int { return c.N }

func (c *Column) idx(i int) int {
	if c.Const {
		return 0
	}
	return i
}

// IsNull reports whether row i is null.
func (c *Column) IsNull(i int) bool {
	if c.Valid == nil {
		return c.Type == types.Dynamic && c.Anys[c.idx(i)] == nil || c.Type == types.Null
	}
	if !c.Valid[c.idx(i)] {
		return true
	}
	return c.Type == types.Dynamic && c.Anys[c.idx(i)] == nil
}

// Int returns row i of an int-stored column.
func (c *Column) Int(i int) int64 { return c.Ints[c.idx(i)] }

// Float returns row i of a float-stored column.
func (c *Column) Float(i int) float64 { return c.Floats[c.idx(i)] }

// Str returns row i of a string-stored column, decoding a dictionary.
func (c *Column) Str(i int) string {
	if c.Codes != nil {
		return c.Dict[c.Codes[c.idx(i)]]
	}
	return c.Strs[c.idx(i)]
}

// Any returns row i of a dynamic column.
func (c *Column) Any(i int) any { return c.Anys[c.idx(i)] }

// Value returns row i as a Value.
func (c *Column) Value(i int) types.Value {
	j := c.idx(i)
	if c.Type == types.Null || c.Valid != nil && !c.Valid[j] {
		return types.NullOf(c.Type)
	}
	v := types.Value{Type: c.Type, Valid: true}
	switch c.Type.Storage() {
	case types.StoreInt:
		v.I = c.Ints[j]
	case types.StoreFloat:
		v.F = c.Floats[j]
	case types.StoreString:
		v.S = c.Str(i)
	case types.StoreAny:
		if c.Anys[j] == nil {
			// A dynamic null is one value however the column marks it.
			return types.NullOf(c.Type)
		}
		v.D = c.Anys[j]
	}
	return v
}

// NewConst returns a constant column of n rows holding v.
func NewConst(v types.Value, n int) *Column {
	b := NewBuilder(v.Type, 1)
	b.Append(v)
	c := b.Build()
	c.Const = true
	c.N = n
	return c
}

// Materialize returns c with one stored value per row: constants are
// expanded and dictionaries decoded. Columns already in that form are
// returned as they are.
func (c *Column) Materialize() *Column {
	if !c.Const && c.Codes == nil {
		return c
	}
	b := NewBuilder(c.Type, c.N)
	for i := 0; i < c.N; i++ {
		b.Append(c.Value(i))
	}
	return b.Build()
}

// Gather returns a new column with rows idx[0], idx[1], ... of c. An index
// of -1 yields a null row.
func (c *Column) Gather(idx []int) *Column { return c.gather(idx, noNulls(idx)) }

// gather is Gather when whether idx has a -1 is known.
func (c *Column) gather(idx []int, noNull bool) *Column {
	if noNull && !c.Const && c.Type != types.Null {
		if c.Codes != nil {
			return c.gatherDict(idx)
		}
		return c.gatherFast(idx)
	}
	if c.Const && noNull {
		cc := *c
		cc.N = len(idx)
		return &cc
	}
	b := NewBuilder(c.Type, len(idx))
	for _, i := range idx {
		if i < 0 {
			b.AppendNull()
			continue
		}
		b.Append(c.Value(i))
	}
	return b.Build()
}

// Slice returns rows [lo, hi) of c.
func (c *Column) Slice(lo, hi int) *Column {
	if c.Const {
		cc := *c
		cc.N = hi - lo
		return &cc
	}
	out := &Column{Type: c.Type, N: hi - lo}
	if c.Valid != nil {
		out.Valid = c.Valid[lo:hi]
	}
	switch {
	case c.Codes != nil:
		out.Dict, out.Codes = c.Dict, c.Codes[lo:hi]
	case c.Type.Storage() == types.StoreInt:
		out.Ints = c.Ints[lo:hi]
	case c.Type.Storage() == types.StoreFloat:
		out.Floats = c.Floats[lo:hi]
	case c.Type.Storage() == types.StoreString:
		out.Strs = c.Strs[lo:hi]
	default:
		out.Anys = c.Anys[lo:hi]
	}
	return out
}
