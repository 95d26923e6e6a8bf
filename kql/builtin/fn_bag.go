package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
)

// Property bag functions: bag_pack (and its old names pack and
// pack_dictionary), bag_keys, bag_merge, bag_remove_keys, bag_set_key,
// bag_has_key and bag_zip. Keys given to bag_remove_keys, bag_set_key and
// bag_has_key may be JSONPaths of member names ($.a.b or $['a']['b']).
func init() {
	RegisterScalar(
		&Scalar{Name: "bag_pack", Bind: bindBagPack("bag_pack")},
		&Scalar{Name: "pack", Bind: bindBagPack("pack")},
		&Scalar{Name: "pack_dictionary", Bind: bindBagPack("pack_dictionary")},
		Fixed("bag_keys", false, Sig{Params: dyn1, Ret: types.Dynamic, F: bagKeys}),
		Fixed("bag_merge", true, Sig{Params: dyn1, Ret: types.Dynamic, Variadic: true, Min: 2, F: bagMerge}),
		Fixed("bag_remove_keys", false, Sig{Params: dyn2, Ret: types.Dynamic, F: bagRemoveKeys}),
		Fixed("bag_set_key", true, Sig{Params: []types.Type{types.Dynamic, types.String, types.Null}, Ret: types.Dynamic,
			F: bagSetKey}),
		Fixed("bag_has_key", true, Sig{Params: []types.Type{types.Dynamic, types.String}, Ret: types.Bool, F: bagHasKey}),
		Fixed("bag_zip", true, Sig{Params: dyn2, Ret: types.Dynamic, F: bagZip}),
	)
}

// bindBagPack binds bag_pack(key1, value1, key2, value2, ...). pack_all()
// is bound as a call of bag_pack with every column's name and value, so
// any number of pairs (zero included) is accepted.
func bindBagPack(name string) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if len(args)%2 != 0 {
			return 0, nil, ArgError(name, "expects key/value pairs, got %d arguments", len(args))
		}
		for i := 0; i < len(args); i += 2 {
			if t := args[i].Type; t != types.String && t != types.Dynamic && t != types.Null {
				return 0, nil, ArgError(name, "key %d must be a string, got %s", i/2+1, t)
			}
		}
		return types.Dynamic, RowKernel(types.Dynamic, func(v []types.Value) types.Value {
			bag := &types.Bag{}
			for i := 0; i < len(v); i += 2 {
				key := unwrap(v[i])
				if key.IsNull() {
					continue
				}
				bag.Set(key.String(), dynOf(v[i+1]))
			}
			return types.NewDynamic(bag)
		}), nil
	}
}

func bagKeys(v []types.Value) types.Value {
	b, ok := bagOf(v[0])
	if !ok {
		return nullDynamic
	}
	keys := make([]any, len(b.Keys))
	for i, k := range b.Keys {
		keys[i] = k
	}
	return types.NewDynamic(keys)
}

// bagMerge merges bags; a key keeps the value of the leftmost bag that has
// it. Arguments that aren't bags are skipped.
func bagMerge(v []types.Value) types.Value {
	out := &types.Bag{}
	for _, x := range v {
		b, ok := bagOf(x)
		if !ok {
			continue
		}
		for i, k := range b.Keys {
			if _, dup := out.Get(k); !dup {
				out.Set(k, b.Vals[i])
			}
		}
	}
	return types.NewDynamic(out)
}

func bagRemoveKeys(v []types.Value) types.Value {
	b, ok := bagOf(v[0])
	if !ok {
		return nullDynamic
	}
	keys, ok := arrayOf(v[1])
	if !ok {
		return nullDynamic
	}
	out := b
	for _, k := range keys {
		s, ok := k.(string)
		if !ok {
			continue
		}
		if p, ok := parseKeyPath(s); ok {
			out = removePath(out, p)
		}
	}
	return types.NewDynamic(out)
}

// removePath returns b without the property at p, copying the bags on
// the way down; b itself is returned when there is nothing to remove.
func removePath(b *types.Bag, p jsonPath) *types.Bag {
	i := bagKeyIndex(b, p[0])
	if i < 0 {
		return b
	}
	if len(p) == 1 {
		out := &types.Bag{}
		for j, k := range b.Keys {
			if j != i {
				out.Set(k, b.Vals[j])
			}
		}
		return out
	}
	inner, ok := b.Vals[i].(*types.Bag)
	if !ok {
		return b
	}
	newInner := removePath(inner, p[1:])
	if newInner == inner {
		return b
	}
	out := bagCopy(b)
	out.Vals[i] = newInner
	return out
}

func bagKeyIndex(b *types.Bag, key string) int {
	for i, k := range b.Keys {
		if k == key {
			return i
		}
	}
	return -1
}

// bagSetKey sets the property at a key or path, creating the bags on the
// way; a path through a non-bag value replaces that value with a bag.
func bagSetKey(v []types.Value) types.Value {
	b, ok := bagOf(v[0])
	if !ok {
		return nullDynamic
	}
	p, ok := parseKeyPath(v[1].S)
	if !ok {
		return nullDynamic
	}
	return types.NewDynamic(setPath(b, p, dynOf(v[2])))
}

func setPath(b *types.Bag, p jsonPath, val any) *types.Bag {
	out := &types.Bag{}
	if b != nil {
		out = bagCopy(b)
	}
	if len(p) == 1 {
		out.Set(p[0], val)
		return out
	}
	inner, _ := out.Get(p[0])
	innerBag, _ := inner.(*types.Bag)
	out.Set(p[0], setPath(innerBag, p[1:], val))
	return out
}

// bagHasKey reports whether the key or path exists; false for non-bags.
func bagHasKey(v []types.Value) types.Value {
	b, ok := bagOf(v[0])
	if !ok {
		return types.NewBool(false)
	}
	p, ok := parseKeyPath(v[1].S)
	if !ok {
		return types.NewBool(false)
	}
	var cur any = b
	for _, k := range p {
		bag, ok := cur.(*types.Bag)
		if !ok {
			return types.NewBool(false)
		}
		if cur, ok = bag.Get(k); !ok {
			return types.NewBool(false)
		}
	}
	return types.NewBool(true)
}

// bagZip pairs an array of keys with an array of values. Keys that
// aren't strings are skipped, missing values are null, and a values
// argument that isn't an array gives null values.
func bagZip(v []types.Value) types.Value {
	keys, ok := arrayOf(v[0])
	if !ok {
		return nullDynamic
	}
	vals, _ := arrayOf(v[1])
	out := &types.Bag{}
	for i, k := range keys {
		s, ok := k.(string)
		if !ok {
			continue
		}
		var val any
		if i < len(vals) {
			val = vals[i]
		}
		out.Set(s, val)
	}
	return types.NewDynamic(out)
}
