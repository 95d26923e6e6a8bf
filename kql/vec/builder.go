package vec

import "github.com/idlogs/idlogs/kql/types"

// Builder appends values to a new column.
type Builder struct {
	c       *Column
	hasNull bool
}

// NewBuilder returns a builder for a column of type t with room for n rows.
func NewBuilder(t types.Type, n int) *Builder {
	c := &Column{Type: t}
	switch t.Storage() {
	case types.StoreInt:
		c.Ints = make([]int64, 0, n)
	case types.StoreFloat:
		c.Floats = make([]float64, 0, n)
	case types.StoreString:
		c.Strs = make([]string, 0, n)
	case types.StoreAny:
		c.Anys = make([]any, 0, n)
	}
	c.Valid = make([]bool, 0, n)
	return &Builder{c: c}
}

// Append appends v, converting nothing: v.Type must match the column's
// type's storage (a null of any type is accepted).
func (b *Builder) Append(v types.Value) {
	if v.IsNull() && !(v.Type == types.String) {
		b.AppendNull()
		return
	}
	c := b.c
	switch c.Type.Storage() {
	case types.StoreInt:
		c.Ints = append(c.Ints, v.I)
	case types.StoreFloat:
		c.Floats = append(c.Floats, v.F)
	case types.StoreString:
		c.Strs = append(c.Strs, v.S)
	case types.StoreAny:
		c.Anys = append(c.Anys, v.D)
	}
	c.Valid = append(c.Valid, true)
	c.N++
}

// AppendNull appends a null (the empty string for string columns).
func (b *Builder) AppendNull() {
	c := b.c
	switch c.Type.Storage() {
	case types.StoreInt:
		c.Ints = append(c.Ints, 0)
	case types.StoreFloat:
		c.Floats = append(c.Floats, 0)
	case types.StoreString:
		c.Strs = append(c.Strs, "")
		if c.Type == types.String { // strings are never null
			c.Valid = append(c.Valid, true)
			c.N++
			return
		}
	case types.StoreAny:
		c.Anys = append(c.Anys, nil)
	}
	c.Valid = append(c.Valid, false)
	b.hasNull = true
	c.N++
}

// AppendInt appends an int-stored value.
func (b *Builder) AppendInt(x int64) {
	b.c.Ints = append(b.c.Ints, x)
	b.c.Valid = append(b.c.Valid, true)
	b.c.N++
}

// AppendFloat appends a float-stored value.
func (b *Builder) AppendFloat(x float64) {
	b.c.Floats = append(b.c.Floats, x)
	b.c.Valid = append(b.c.Valid, true)
	b.c.N++
}

// AppendString appends a string-stored value.
func (b *Builder) AppendString(s string) {
	b.c.Strs = append(b.c.Strs, s)
	b.c.Valid = append(b.c.Valid, true)
	b.c.N++
}

// AppendAny appends a dynamic value.
func (b *Builder) AppendAny(x any) {
	b.c.Anys = append(b.c.Anys, x)
	b.c.Valid = append(b.c.Valid, true)
	b.c.N++
}

// Len returns the number of rows appended so far.
func (b *Builder) Len() int { return b.c.N }

// Build returns the column. The builder must not be used afterwards.
func (b *Builder) Build() *Column {
	c := b.c
	if !b.hasNull {
		c.Valid = nil
	}
	b.c = nil
	return c
}

// FromValues builds a column of type t from values.
func FromValues(t types.Type, vals []types.Value) *Column {
	b := NewBuilder(t, len(vals))
	for _, v := range vals {
		b.Append(v)
	}
	return b.Build()
}
