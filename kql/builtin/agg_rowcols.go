package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// groupCol holds one value per group of one argument column, stored by
// the column's storage, so that keeping a row costs a machine word per
// column instead of a whole types.Value. Strings of a dictionary-encoded
// column are kept as a reference to the batch's dictionary and a code,
// which spares the garbage collector a pointer write per value.
//
// Only groups that were set are read back.
type groupCol struct {
	n      int        // groups
	typ    types.Type // the type of every value, unless mixed
	seen   bool       // typ is known
	mixed  bool       // values differ in type or validity: kinds and valid hold them
	kinds  []types.Type
	valid  []bool
	ints   []int64
	floats []float64
	strs   []string
	anys   []any
	dicts  [][]string
	refs   []uint64 // dictionary index+1 << 32 | code; 0: strs holds the value
}

// maxDicts bounds the dictionaries a groupCol keeps alive; past it, the
// referenced strings are copied out and the dictionaries released.
const maxDicts = 64

// grow makes groups below n exist.
func (gc *groupCol) grow(n int) {
	gc.n = max(gc.n, n)
	if gc.mixed {
		gc.kinds, gc.valid = growTo(gc.kinds, gc.n), growTo(gc.valid, gc.n)
	}
}

// toMixed starts recording each group's type and validity.
func (gc *groupCol) toMixed() {
	if gc.mixed {
		return
	}
	gc.mixed = true
	gc.kinds, gc.valid = make([]types.Type, gc.n), make([]bool, gc.n)
	for g := range gc.kinds {
		gc.kinds[g], gc.valid[g] = gc.typ, true
	}
}

// set stores row rows[k] of c as the value of group groups[k].
func (gc *groupCol) set(c *vec.Column, groups, rows []int32) {
	if !gc.seen {
		gc.typ, gc.seen = c.Type, true
	}
	if c.Type == types.Null || c.Valid != nil || c.Type != gc.typ {
		for k, g := range groups {
			gc.setValue(int(g), c.Value(int(rows[k])))
		}
		return
	}
	if gc.mixed {
		for _, g := range groups {
			gc.kinds[g], gc.valid[g] = c.Type, true
		}
	}
	switch c.Type.Storage() {
	case types.StoreInt:
		gc.ints = growTo(gc.ints, gc.n)
		for k, g := range groups {
			gc.ints[g] = c.Int(int(rows[k]))
		}
	case types.StoreFloat:
		gc.floats = growTo(gc.floats, gc.n)
		for k, g := range groups {
			gc.floats[g] = c.Float(int(rows[k]))
		}
	case types.StoreString:
		gc.setStrings(c, groups, rows)
	default:
		gc.anys = growTo(gc.anys, gc.n)
		for k, g := range groups {
			gc.anys[g] = c.Any(int(rows[k]))
		}
	}
}

func (gc *groupCol) setStrings(c *vec.Column, groups, rows []int32) {
	if c.Codes == nil || c.Const {
		gc.strs = growTo(gc.strs, gc.n)
		for k, g := range groups {
			gc.strs[g] = c.Str(int(rows[k]))
			if int(g) < len(gc.refs) {
				gc.refs[g] = 0
			}
		}
		return
	}
	d := uint64(gc.dictIndex(c.Dict)+1) << 32
	gc.refs = growTo(gc.refs, gc.n)
	for k, g := range groups {
		gc.refs[g] = d | uint64(c.Codes[rows[k]])
	}
}

// dictIndex returns the index of dict in gc.dicts, adding it.
func (gc *groupCol) dictIndex(dict []string) int {
	for i := len(gc.dicts) - 1; i >= 0; i-- {
		if sameSlice(gc.dicts[i], dict) {
			return i
		}
	}
	if len(gc.dicts) == maxDicts {
		gc.releaseDicts()
	}
	gc.dicts = append(gc.dicts, dict)
	return len(gc.dicts) - 1
}

// releaseDicts copies the referenced strings out of the dictionaries.
func (gc *groupCol) releaseDicts() {
	gc.strs = growTo(gc.strs, gc.n)
	for g, ref := range gc.refs {
		if ref != 0 {
			gc.strs[g] = gc.dicts[ref>>32-1][uint32(ref)]
			gc.refs[g] = 0
		}
	}
	gc.dicts = gc.dicts[:0]
}

// setValue stores v as group g's value.
func (gc *groupCol) setValue(g int, v types.Value) {
	if !gc.seen {
		gc.typ, gc.seen = v.Type, true
	}
	if v.Type != gc.typ || !v.Valid {
		gc.toMixed()
	}
	if gc.mixed {
		gc.kinds[g], gc.valid[g] = v.Type, v.Valid
	}
	switch v.Type.Storage() {
	case types.StoreInt:
		gc.ints = growTo(gc.ints, gc.n)
		gc.ints[g] = v.I
	case types.StoreFloat:
		gc.floats = growTo(gc.floats, gc.n)
		gc.floats[g] = v.F
	case types.StoreString:
		gc.strs = growTo(gc.strs, gc.n)
		gc.strs[g] = v.S
		if g < len(gc.refs) {
			gc.refs[g] = 0
		}
	default:
		gc.anys = growTo(gc.anys, gc.n)
		gc.anys[g] = v.D
	}
}

// value returns group g's value.
func (gc *groupCol) value(g int) types.Value {
	v := types.Value{Type: gc.typ, Valid: true}
	if gc.mixed {
		v.Type, v.Valid = gc.kinds[g], gc.valid[g]
	}
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
		if g < len(gc.refs) && gc.refs[g] != 0 {
			ref := gc.refs[g]
			v.S = gc.dicts[ref>>32-1][uint32(ref)]
		} else if g < len(gc.strs) {
			v.S = gc.strs[g]
		}
	default:
		if g < len(gc.anys) {
			v.D = gc.anys[g]
		}
	}
	return v
}
