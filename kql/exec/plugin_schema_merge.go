package exec

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() { registerPluginFunc("schema_merge", schemaMerge) }

// mergedColumn is one column of the merged schema.
type mergedColumn struct {
	name    string
	t       string // Kusto type name
	ordinal int64  // in the first schema it appeared in
	err     string
}

// schemaMerge: each column appears once; a column first seen in a later
// schema goes right after the column before it in that schema. Types
// reduce to a common one (int and long to long, numbers to real); with
// PreserveOrder a column whose ordinal differs from its first one, or
// whose types do not reduce, is an error row with ordinal -1.
func schemaMerge(in *pluginInput) (*vec.Batch, error) {
	preserve := in.scalars[0].Bool()
	names, ordinals, kinds := in.cols[0], in.cols[1], in.cols[2]
	var merged []*mergedColumn
	find := func(name string) int {
		for i, m := range merged {
			if m.name == name {
				return i
			}
		}
		return -1
	}
	prev, last := -1, int64(-1)
	for r := 0; r < in.rows.N; r++ {
		ord := types.Convert(ordinals.Value(r), types.Long).I
		if ord <= last {
			prev = -1 // a new schema starts
		}
		last = ord
		name, kind := names.Value(r).String(), kinds.Value(r).String()
		if i := find(name); i >= 0 {
			m := merged[i]
			if t, ok := commonType(m.t, kind); ok {
				m.t = t
			} else if m.err == "" {
				m.err = "type mismatch: " + m.t + " and " + kind
			}
			if preserve && ord != m.ordinal && m.err == "" {
				m.err = "columns are out of order"
			}
			prev = i
			continue
		}
		m := &mergedColumn{name: name, t: kind, ordinal: ord}
		merged = append(merged[:prev+1], append([]*mergedColumn{m}, merged[prev+1:]...)...)
		prev++
	}
	out := newTableBuilder(in.n.Sch)
	var bad []*mergedColumn
	n := 0
	for _, m := range merged {
		if m.err != "" {
			bad = append(bad, m)
			continue
		}
		t, _ := types.Lookup(m.t)
		out.add(types.NewString(m.name), types.NewInt(int32(n)), types.NewString(clrName(t)), types.NewString(m.t))
		n++
	}
	for _, m := range bad {
		out.add(types.NewString(m.name), types.NewInt(-1), types.NewString("ERROR(unknown CSL type:ERROR("+m.err+"))"),
			types.NewString("ERROR("+m.err+")"))
	}
	return out.build(), nil
}

// commonType reduces two Kusto type names to one.
func commonType(a, b string) (string, bool) {
	ta, okA := types.Lookup(a)
	tb, okB := types.Lookup(b)
	switch {
	case !okA || !okB:
		return a, a == b
	case ta == tb:
		return ta.String(), true
	case ta.IsInteger() && tb.IsInteger():
		return types.Long.String(), true
	case ta.IsNumeric() && tb.IsNumeric():
		if ta == types.Decimal || tb == types.Decimal {
			return types.Decimal.String(), true
		}
		return types.Real.String(), true
	}
	return "", false
}

// clrName is getschema's DataType for a type.
func clrName(t types.Type) string {
	return map[types.Type]string{types.Bool: "System.Boolean", types.Int: "System.Int32", types.Long: "System.Int64",
		types.Real: "System.Double", types.Decimal: "System.Data.SqlTypes.SqlDecimal", types.Datetime: "System.DateTime",
		types.Timespan: "System.TimeSpan", types.Guid: "System.Guid", types.String: "System.String",
		types.Dynamic: "System.Object"}[t]
}
