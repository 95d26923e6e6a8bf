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
	m := len(dict.Dict)
	entries := make([]*vec.Column, len(args))
	for i, a := range args {
		if i == d {
			entries[i] = &vec.Column{Type: a.Type, N: m, Strs: a.Dict}
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
	return out, dict.Codes[:n], nil
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
		case a.Codes != nil && a.Valid == nil && d < 0 && len(a.Dict) < n:
			d = i
		default:
			return -1
		}
	}
	return d
}
