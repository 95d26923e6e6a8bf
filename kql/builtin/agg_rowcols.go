package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// groupCol holds one value per group of one argument column, stored by
// the column's storage, so that keeping a row copies a machine word per
// column instead of a whole types.Value.
type groupCol struct {
	typ    []types.Type
	valid  []bool
	ints   []int64
	floats []float64
	strs   []string
	anys   []any
}

// grow makes groups below n exist.
func (gc *groupCol) grow(n int) {
	gc.typ, gc.valid = growTo(gc.typ, n), growTo(gc.valid, n)
}

// set stores row rows[k] of c as the value of group groups[k].
func (gc *groupCol) set(c *vec.Column, groups, rows []int32) {
	n := len(gc.typ)
	if c.Type == types.Null || c.Valid != nil {
		for k, g := range groups {
			gc.setValue(int(g), c.Value(int(rows[k])))
		}
		return
	}
	for _, g := range groups {
		gc.typ[g], gc.valid[g] = c.Type, true
	}
	switch c.Type.Storage() {
	case types.StoreInt:
		gc.ints = growTo(gc.ints, n)
		for k, g := range groups {
			gc.ints[g] = c.Int(int(rows[k]))
		}
	case types.StoreFloat:
		gc.floats = growTo(gc.floats, n)
		for k, g := range groups {
			gc.floats[g] = c.Float(int(rows[k]))
		}
	case types.StoreString:
		gc.strs = growTo(gc.strs, n)
		if c.Codes != nil && !c.Const {
			for k, g := range groups {
				gc.strs[g] = c.Dict[c.Codes[rows[k]]]
			}
			return
		}
		for k, g := range groups {
			gc.strs[g] = c.Str(int(rows[k]))
		}
	default:
		gc.anys = growTo(gc.anys, n)
		for k, g := range groups {
			gc.anys[g] = c.Any(int(rows[k]))
		}
	}
}

// setValue stores v as group g's value.
func (gc *groupCol) setValue(g int, v types.Value) {
	n := len(gc.typ)
	gc.typ[g], gc.valid[g] = v.Type, v.Valid
	switch v.Type.Storage() {
	case types.StoreInt:
		gc.ints = growTo(gc.ints, n)
		gc.ints[g] = v.I
	case types.StoreFloat:
		gc.floats = growTo(gc.floats, n)
		gc.floats[g] = v.F
	case types.StoreString:
		gc.strs = growTo(gc.strs, n)
		gc.strs[g] = v.S
	default:
		gc.anys = growTo(gc.anys, n)
		gc.anys[g] = v.D
	}
}

// value returns group g's value; a group never set gives the zero Value.
func (gc *groupCol) value(g int) types.Value {
	v := types.Value{Type: gc.typ[g], Valid: gc.valid[g]}
	switch v.Type.Storage() {
	case types.StoreInt:
		if g < len(gc.ints) {
			v.I = gc.ints[g]
		}
	case types.StoreFloat:
		if g < len(gc.floats) {
			v.F = gc.floats[g]
		}
	case types.StoreString:
		if g < len(gc.strs) {
			v.S = gc.strs[g]
		}
	default:
		if g < len(gc.anys) {
			v.D = gc.anys[g]
		}
	}
	return v
}
