package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Column helpers for kernels that work directly on a column's storage
// instead of going through RowKernel: the hot date and number functions
// (bin, startofday, ...) loop over c.Ints or c.Floats.

// asType returns c holding values of type t: c itself when it has type t,
// a relabelled view when only the label differs (int or bool as long), and
// otherwise a converted copy (Kusto's to*() rules, failures are null).
func asType(c *vec.Column, t types.Type) *vec.Column {
	switch {
	case c.Type == t:
		return c
	case c.Const || c.Type == types.Null:
		return vec.NewConst(types.Convert(c.Value(0), t), c.N)
	case t == types.Long && (c.Type == types.Int || c.Type == types.Bool):
		cp := *c
		cp.Type = t
		return &cp
	case t == types.Real && c.Type.Storage() == types.StoreInt:
		out := make([]float64, c.N)
		for i, x := range c.Ints[:c.N] {
			out[i] = float64(x)
		}
		return &vec.Column{Type: t, N: c.N, Floats: out, Valid: c.Valid}
	}
	b := vec.NewBuilder(t, c.N)
	for i := 0; i < c.N; i++ {
		b.Append(types.Convert(c.Value(i), t))
	}
	return b.Build()
}

// nullMask builds a result's validity from an input's: rows null in the
// input stay null, and setNull marks more. The input mask is shared, not
// copied, until a row needs to change.
type nullMask struct {
	in, out []bool
	n       int
}

func newNullMask(c *vec.Column, n int) *nullMask { return &nullMask{in: c.Valid, n: n} }

func (m *nullMask) isNull(i int) bool { return m.in != nil && !m.in[i] }

func (m *nullMask) setNull(i int) {
	if m.out == nil {
		m.out = make([]bool, m.n)
		if m.in != nil {
			copy(m.out, m.in)
		} else {
			for j := range m.out {
				m.out[j] = true
			}
		}
	}
	m.out[i] = false
}

func (m *nullMask) mask() []bool {
	if m.out != nil {
		return m.out
	}
	return m.in
}

// constNull returns an all-null column of type t.
func constNull(t types.Type, n int) *vec.Column { return vec.NewConst(types.NullOf(t), n) }

// intMap computes f over an int-stored column. Null rows stay null and rows
// for which f reports false become null; the result has type t (int-stored).
func intMap(t types.Type, c *vec.Column, n int, f func(int64) (int64, bool)) *vec.Column {
	if c.Const {
		if c.IsNull(0) {
			return constNull(t, n)
		}
		r, ok := f(c.Ints[0])
		if !ok {
			return constNull(t, n)
		}
		return vec.NewConst(types.Value{Type: t, Valid: true, I: r}, n)
	}
	out := make([]int64, n)
	m := newNullMask(c, n)
	for i, x := range c.Ints[:n] {
		if m.isNull(i) {
			continue
		}
		r, ok := f(x)
		if !ok {
			m.setNull(i)
			continue
		}
		out[i] = r
	}
	return &vec.Column{Type: t, N: n, Ints: out, Valid: m.mask()}
}

// floatMap computes f over a float-stored column, like intMap.
func floatMap(t types.Type, c *vec.Column, n int, f func(float64) (float64, bool)) *vec.Column {
	if c.Const {
		if c.IsNull(0) {
			return constNull(t, n)
		}
		r, ok := f(c.Floats[0])
		if !ok {
			return constNull(t, n)
		}
		return vec.NewConst(types.Value{Type: t, Valid: true, F: r}, n)
	}
	out := make([]float64, n)
	m := newNullMask(c, n)
	for i, x := range c.Floats[:n] {
		if m.isNull(i) {
			continue
		}
		r, ok := f(x)
		if !ok {
			m.setNull(i)
			continue
		}
		out[i] = r
	}
	return &vec.Column{Type: t, N: n, Floats: out, Valid: m.mask()}
}

// constArg returns the value of a constant argument column, or false.
func constArg(c *vec.Column) (types.Value, bool) {
	if !c.Const {
		return types.Value{}, false
	}
	return c.Value(0), true
}

// isNumberArg reports whether t may be passed as a number: the numeric
// types, bool, and dynamic or untyped null (converted at run time).
func isNumberArg(t types.Type) bool {
	return t.IsNumeric() || t == types.Bool || t == types.Dynamic || t == types.Null
}

// isArgOf reports whether an argument of type t may be passed where want is
// expected: the same type, or dynamic or untyped null.
func isArgOf(t, want types.Type) bool {
	return t == want || t == types.Dynamic || t == types.Null
}

// intRows computes f over the rows of int-stored columns of any shape
// (constant or not); a null in any argument, or f reporting false, gives
// a null row.
func intRows(t types.Type, cols []*vec.Column, n int, f func(xs []int64) (int64, bool)) *vec.Column {
	out := make([]int64, n)
	valid := make([]bool, n)
	xs := make([]int64, len(cols))
	hasNull := false
	for i := 0; i < n; i++ {
		if anyNull(cols, i) {
			hasNull = true
			continue
		}
		for j, c := range cols {
			xs[j] = c.Int(i)
		}
		r, ok := f(xs)
		if !ok {
			hasNull = true
			continue
		}
		out[i], valid[i] = r, true
	}
	if !hasNull {
		valid = nil
	}
	return &vec.Column{Type: t, N: n, Ints: out, Valid: valid}
}

// floatRows is intRows for float-stored columns.
func floatRows(t types.Type, cols []*vec.Column, n int, f func(xs []float64) (float64, bool)) *vec.Column {
	out := make([]float64, n)
	valid := make([]bool, n)
	xs := make([]float64, len(cols))
	hasNull := false
	for i := 0; i < n; i++ {
		if anyNull(cols, i) {
			hasNull = true
			continue
		}
		for j, c := range cols {
			xs[j] = c.Float(i)
		}
		r, ok := f(xs)
		if !ok {
			hasNull = true
			continue
		}
		out[i], valid[i] = r, true
	}
	if !hasNull {
		valid = nil
	}
	return &vec.Column{Type: t, N: n, Floats: out, Valid: valid}
}

func anyNull(cols []*vec.Column, i int) bool {
	for _, c := range cols {
		if c.IsNull(i) {
			return true
		}
	}
	return false
}

// allConstCols reports whether every column is constant.
func allConstCols(cols []*vec.Column) bool {
	for _, c := range cols {
		if !c.Const {
			return false
		}
	}
	return true
}

// constResult collapses a one-row result computed from constant arguments
// into a constant column of n rows.
func constResult(c *vec.Column, n int) *vec.Column { return vec.NewConst(c.Value(0), n) }

// floatToIntMap computes f over a float-stored column giving an int-stored
// column of type t, like intMap.
func floatToIntMap(t types.Type, c *vec.Column, n int, f func(float64) (int64, bool)) *vec.Column {
	if c.Const {
		if c.IsNull(0) {
			return constNull(t, n)
		}
		r, ok := f(c.Floats[0])
		if !ok {
			return constNull(t, n)
		}
		return vec.NewConst(types.Value{Type: t, Valid: true, I: r}, n)
	}
	out := make([]int64, n)
	m := newNullMask(c, n)
	for i, x := range c.Floats[:n] {
		if m.isNull(i) {
			continue
		}
		r, ok := f(x)
		if !ok {
			m.setNull(i)
			continue
		}
		out[i] = r
	}
	return &vec.Column{Type: t, N: n, Ints: out, Valid: m.mask()}
}
