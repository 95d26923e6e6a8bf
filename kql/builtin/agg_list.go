package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// The list aggregates: make_list, make_list_if, make_list_with_nulls,
// make_set, make_set_if and the deprecated makelist and makeset. Their
// columns are named list_x and set_x.
func init() {
	RegisterAggregate(
		&Aggregate{Name: "make_list", Prefix: "list", Bind: bindList("make_list", listOpts{max: maxListSize})},
		&Aggregate{Name: "makelist", Prefix: "list", Bind: bindList("makelist", listOpts{max: deprecatedListSize})},
		&Aggregate{Name: "make_list_if", Prefix: "list", Bind: bindList("make_list_if", listOpts{max: maxListSize, cond: true})},
		&Aggregate{Name: "make_list_with_nulls", Prefix: "list", Bind: bindList("make_list_with_nulls", listOpts{max: maxListSize, nulls: true})},
		&Aggregate{Name: "make_set", Prefix: "set", Bind: bindList("make_set", listOpts{max: maxListSize, set: true})},
		&Aggregate{Name: "makeset", Prefix: "set", Bind: bindList("makeset", listOpts{max: deprecatedListSize, set: true})},
		&Aggregate{Name: "make_set_if", Prefix: "set", Bind: bindList("make_set_if", listOpts{max: maxListSize, set: true, cond: true})},
	)
}

const (
	// maxListSize is the default and largest maxSize of make_list,
	// make_set and make_bag.
	maxListSize = 1 << 20
	// deprecatedListSize is the default maxSize of makelist and makeset.
	deprecatedListSize = 128
)

// listOpts describe one list aggregate.
type listOpts struct {
	max   int  // default maxSize
	cond  bool // a predicate follows the expression
	nulls bool // nulls are kept (as JSON null)
	set   bool // distinct values only; arrays contribute their elements
}

// listState collects values per group in arrival order.
type listState struct {
	lists [][]any
	max   int
	pred  int // index of the predicate argument, or -1
	nulls bool
}

func (s *listState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.lists) {
		s.lists = grow(s.lists, g)
	}
	if r < 0 || s.pred >= 0 && !truthAt(args[s.pred], r) || len(s.lists[g]) >= s.max {
		return
	}
	c := args[0]
	if c.IsNull(r) {
		if s.nulls {
			s.lists[g] = append(s.lists[g], nil)
		}
		return
	}
	s.lists[g] = append(s.lists[g], dynamicAtRow(c, r))
}

func (s *listState) Result(g int) types.Value { return dynamicList(s.lists[g]) }

// dynamicList returns list as a dynamic array; no values give [].
func dynamicList(list []any) types.Value {
	if list == nil {
		list = []any{}
	}
	return types.NewDynamic(list)
}

// dynamicAtRow returns row r of c as a dynamic value.
func dynamicAtRow(c *vec.Column, r int) any {
	switch c.Type {
	case types.Long, types.Int:
		return c.Int(r)
	case types.Real:
		return c.Float(r)
	case types.String:
		return c.Str(r)
	case types.Dynamic:
		return c.Any(r)
	}
	return types.ToDynamic(c.Value(r))
}

// setState collects the distinct values of each group in order of first
// appearance.
type setState struct {
	lists [][]any
	seen  []map[string]struct{}
	key   []byte
	max   int
	pred  int
}

func (s *setState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.lists) {
		s.lists, s.seen = grow(s.lists, g), grow(s.seen, g)
	}
	if r < 0 || s.pred >= 0 && !truthAt(args[s.pred], r) || args[0].IsNull(r) {
		return
	}
	c := args[0]
	if c.Type != types.Dynamic {
		if len(s.lists[g]) < s.max {
			v := c.Value(r)
			s.add(g, v, func() any { return types.ToDynamic(v) })
		}
		return
	}
	d := c.Any(r)
	elems, ok := d.([]any)
	if !ok {
		elems = []any{d}
	}
	for _, e := range elems {
		if e != nil && len(s.lists[g]) < s.max {
			s.add(g, types.FromDynamic(e), func() any { return e })
		}
	}
}

// add adds v to group g's set unless it is already there; the dynamic
// form is made only for new values.
func (s *setState) add(g int, v types.Value, dyn func() any) {
	s.key = types.Key(s.key[:0], v)
	if s.seen[g] == nil {
		s.seen[g] = map[string]struct{}{}
	}
	if _, dup := s.seen[g][string(s.key)]; dup {
		return
	}
	s.seen[g][string(s.key)] = struct{}{}
	s.lists[g] = append(s.lists[g], dyn())
}

func (s *setState) Result(g int) types.Value { return dynamicList(s.lists[g]) }

func bindList(fn string, o listOpts) func(args []Arg) (types.Type, func() AggState, error) {
	return func(args []Arg) (types.Type, func() AggState, error) {
		fixed, pred := 1, -1
		if o.cond {
			fixed, pred = 2, 1
		}
		optional := 1
		if o.nulls {
			optional = 0
		}
		if err := arity(fn, args, fixed, fixed+optional); err != nil {
			return 0, nil, err
		}
		if o.cond {
			if err := wantBoolArg(fn, args, pred); err != nil {
				return 0, nil, err
			}
		}
		max, err := maxSizeArg(fn, args, fixed, o.max)
		if err != nil {
			return 0, nil, err
		}
		if o.set {
			return types.Dynamic, func() AggState { return &setState{max: max, pred: pred} }, nil
		}
		return types.Dynamic, func() AggState { return &listState{max: max, pred: pred, nulls: o.nulls} }, nil
	}
}

// maxSizeArg reads the optional maxSize argument at index i.
func maxSizeArg(fn string, args []Arg, i, def int) (int, error) {
	n, err := constIntArg(fn, args, i, int64(def), "maximum size")
	if err != nil {
		return 0, err
	}
	if n <= 0 || n > maxListSize {
		n = maxListSize
	}
	return int(n), nil
}
