package builtin

import (
	"regexp"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Searching in strings: indexof, indexof_regex, countof, has_any_index.
func init() {
	RegisterScalar(
		&Scalar{Name: "indexof", Bind: bindIndexof},
		&Scalar{Name: "indexof_regex", Bind: bindIndexofRegex},
		&Scalar{Name: "countof", Bind: bindCountof},
		&Scalar{Name: "has_any_index", Bind: bindHasAnyIndex},
	)
}

// searchRange is the part of a string indexof() examines, in code points:
// start, the number of positions (-1 for all) and the occurrence wanted.
type searchRange struct {
	start, length, occurrence int64
}

// indexArgs reads the optional start, length and occurrence arguments
// (from position 2 of c); ok is false when the result is null.
func indexArgs(c []*vec.Column, r int) (searchRange, bool) {
	sr := searchRange{length: -1, occurrence: 1}
	dst := []*int64{&sr.start, &sr.length, &sr.occurrence}
	for i, col := range c[2:] {
		v, ok := valueInt(col.Value(r))
		if !ok {
			return sr, false
		}
		*dst[i] = v
	}
	return sr, sr.length >= -1 && sr.occurrence >= 0
}

// indexofParams are the parameters of indexof (strings of kind k).
func indexofParams(k kind) []param {
	return []param{p("string", k), p("match", k), p("start", kInt), p("length", kInt), p("occurrence", kInt)}
}

func bindIndexof(args []Arg) (types.Type, Kernel, error) {
	if err := checkArgs("indexof", args, 2, indexofParams(kAnyStr)...); err != nil {
		return 0, nil, err
	}
	return types.Long, perRow(types.Long, func(c []*vec.Column, r int) (types.Value, error) {
		sr, ok := indexArgs(c, r)
		s := strAt(c[0], r)
		if sr.start < 0 {
			sr.start += int64(runeLen(s))
		}
		if !ok || sr.start < 0 {
			return types.NullOf(types.Long), nil
		}
		match := strAt(c[1], r)
		return findOccurrence(s, sr, func(t string) (int, int) {
			return strings.Index(t, match), 1
		}), nil
	}), nil
}

func bindIndexofRegex(args []Arg) (types.Type, Kernel, error) {
	if err := checkArgs("indexof_regex", args, 2, indexofParams(kStr)...); err != nil {
		return 0, nil, err
	}
	rx, err := bindRegex("indexof_regex", args[1], nil)
	if err != nil {
		return 0, nil, err
	}
	return types.Long, perRow(types.Long, func(c []*vec.Column, r int) (types.Value, error) {
		re, err := rx.get(c[1], r)
		if err != nil {
			return types.Value{}, err
		}
		sr, ok := indexArgs(c, r)
		if !ok || sr.start < 0 {
			return types.NullOf(types.Long), nil
		}
		return findOccurrence(strAt(c[0], r), sr, regexFinder(re)), nil
	}), nil
}

// regexFinder finds the first match of re; matches do not overlap, so the
// next search starts after the match.
func regexFinder(re *regexp.Regexp) func(string) (int, int) {
	return func(t string) (int, int) {
		loc := re.FindStringIndex(t)
		if loc == nil {
			return -1, 0
		}
		return loc[0], max(loc[1]-loc[0], 1)
	}
}

// findOccurrence returns the code point index of the requested occurrence
// found by find within the range, or -1. Each search examines length
// positions from where the previous one resumed, as Kusto's indexof()
// does; find returns a byte offset and how far past it to resume.
func findOccurrence(s string, sr searchRange, find func(string) (int, int)) types.Value {
	n := int64(runeLen(s))
	if sr.start > n {
		return types.NewLong(-1)
	}
	from := sr.start
	pos := int64(-1)
	for k := int64(0); k < max(sr.occurrence, 1); k++ {
		if from > n {
			return types.NewLong(-1)
		}
		end := n
		if sr.length >= 0 {
			end = min(from+sr.length, n)
		}
		lo := runeOffset(s, int(from))
		hi := lo + runeOffset(s[lo:], int(end-from))
		i, skip := find(s[lo:hi])
		if i < 0 {
			return types.NewLong(-1)
		}
		pos = from + int64(runeLen(s[lo:lo+i]))
		from = pos + int64(runeLen(s[lo+i:min(lo+i+skip, len(s))]))
	}
	return types.NewLong(pos)
}

func bindCountof(args []Arg) (types.Type, Kernel, error) {
	err := checkArgs("countof", args, 2, p("source", kStr), p("search", kStr), p("kind", kStr))
	if err != nil {
		return 0, nil, err
	}
	kind := "normal"
	if len(args) == 3 {
		k, ok := constString(args[2])
		if !ok || k != "normal" && k != "regex" {
			return 0, nil, ArgError("countof", "kind must be the constant \"normal\" or \"regex\"")
		}
		kind = k
	}
	if kind == "normal" {
		return types.Long, RowKernel(types.Long, func(v []types.Value) types.Value {
			return types.NewLong(countOverlapping(asString(v[0]), asString(v[1])))
		}), nil
	}
	rx, err := bindRegex("countof", args[1], nil)
	if err != nil {
		return 0, nil, err
	}
	return types.Long, perRow(types.Long, func(c []*vec.Column, r int) (types.Value, error) {
		re, err := rx.get(c[1], r)
		if err != nil {
			return types.Value{}, err
		}
		return types.NewLong(int64(len(re.FindAllStringIndex(strAt(c[0], r), -1)))), nil
	}), nil
}

// countOverlapping counts the occurrences of t in s, overlapping ones
// included.
func countOverlapping(s, t string) int64 {
	if t == "" {
		return 0
	}
	var n int64
	for {
		i := strings.Index(s, t)
		if i < 0 {
			return n
		}
		n++
		s = s[i+1:]
	}
}

func bindHasAnyIndex(args []Arg) (types.Type, Kernel, error) {
	if err := checkArgs("has_any_index", args, 2, p("source", kStr), p("values", kDyn)); err != nil {
		return 0, nil, err
	}
	return types.Long, RowKernel(types.Long, func(v []types.Value) types.Value {
		s := strings.ToLower(asString(v[0]))
		arr, _ := v[1].D.([]any)
		for i, e := range arr {
			if t := strings.ToLower(asString(types.FromDynamic(e))); t != "" && hasTerm(s, t) {
				return types.NewLong(int64(i))
			}
		}
		return types.NewLong(-1)
	}), nil
}
