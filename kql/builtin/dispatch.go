package builtin

import "github.com/idlogs/idlogs/kql/vec"

// Call evaluates the kernel k of fn over n rows of args. When fn is
// deterministic (neither volatile nor serial) and its only non-constant
// argument is a dictionary-encoded column without nulls that has fewer
// entries than rows, k runs once per dictionary entry and the results are gathered by
// the column's codes; a string result stays dictionary-encoded.
func Call(fn *Scalar, k Kernel, ctx *Context, args []*vec.Column, n int) (*vec.Column, error) {
	entries, codes, err := CallEntries(fn, k, ctx, args, n)
	if err != nil {
		return nil, err
	}
	if entries == nil {
		return k(ctx, args, n)
	}
	return entries.GatherCodes(codes), nil
}

// CallEntries is the per-dictionary-entry evaluation of Call: it returns
// the result for each dictionary entry and the codes that map the n rows
// to entries, or a nil column when the call does not qualify. A kernel
// error over the dictionary, which may hold values no row of this batch
// uses, also gives a nil column, so that the caller evaluates the rows
// and reports the error only when a row has it.
func CallEntries(fn *Scalar, k Kernel, ctx *Context, args []*vec.Column, n int) (*vec.Column, []uint32, error) {
	d := dictArg(fn, args, n)
	if d < 0 {
		return nil, nil, nil
	}
	dict := args[d]
	values, codes := dict.Dict, dict.Codes[:n]
	if len(values) >= n {
		// A dictionary shared by many batches (a segment's) is larger
		// than one batch: evaluate the entries this batch uses, when
		// rows repeat them enough to pay.
		if values, codes = usedEntries(dict, n); values == nil {
			return nil, nil, nil
		}
	}
	m := len(values)
	entries := make([]*vec.Column, len(args))
	for i, a := range args {
		if i == d {
			entries[i] = &vec.Column{Type: a.Type, N: m, Strs: values}
			continue
		}
		c := *a
		c.N = m
		entries[i] = &c
	}
	out, err := k(ctx, entries, m)
	if err != nil || out == nil || out.N != m {
		return nil, nil, nil
	}
	return out, codes, nil
}

// usedEntries returns the dictionary entries the first n rows of c use,
// and the rows' codes into that list; nil when more than half the rows
// hold distinct values.
func usedEntries(c *vec.Column, n int) ([]string, []uint32) {
	index := make(map[uint32]uint32, 64)
	var used []string
	codes := make([]uint32, n)
	for r, code := range c.Codes[:n] {
		j, ok := index[code]
		if !ok {
			if 2*len(used) >= n {
				return nil, nil
			}
			j = uint32(len(used))
			index[code] = j
			used = append(used, c.Dict[code])
		}
		codes[r] = j
	}
	return used, codes
}

// dictArg returns the index of the one dictionary-encoded argument that
// makes Call evaluate per dictionary entry, or -1.
func dictArg(fn *Scalar, args []*vec.Column, n int) int {
	if fn == nil || fn.Volatile || fn.Serial {
		return -1
	}
	d := -1
	for i, a := range args {
		switch {
		case a.Const:
		case a.Codes != nil && a.Valid == nil && d < 0 && n > 1:
			d = i
		default:
			return -1
		}
	}
	return d
}
