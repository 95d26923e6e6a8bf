package rowcodec

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// testCase is a batch to round-trip.
type testCase struct {
	name   string
	schema vec.Schema
	batch  *vec.Batch
}

func one(name string, t types.Type, c *vec.Column) testCase {
	c.Type = t
	return testCase{name: name, schema: vec.Schema{{Name: "C", Type: t}}, batch: &vec.Batch{N: c.N, Cols: []*vec.Column{c}}}
}

func bag(kv ...any) *types.Bag {
	b := &types.Bag{}
	for i := 0; i < len(kv); i += 2 {
		b.Keys = append(b.Keys, kv[i].(string))
		b.Vals = append(b.Vals, kv[i+1])
	}
	return b
}

// dynamics holds a dynamic value of every kind.
var dynamics = []any{
	nil, true, false, int64(0), int64(-1), int64(math.MaxInt64), int64(math.MinInt64),
	0.5, math.Inf(-1), math.Copysign(0, -1), math.NaN(), "", "héllo",
	types.DatetimeVal(638_000_000_000_000_000), types.TimespanVal(-36_000_000_000),
	types.GuidVal("8f3c1e5a-0b7d-4d2e-9a61-3b5f0c2d4e7a"),
	[]any{}, []any{int64(1), "a", nil, []any{true}},
	bag(), bag("z", int64(1), "a", bag("inner", []any{bag("x", nil)}), "m", types.GuidVal("g")),
}

func roundTripCases() []testCase {
	valid := []bool{true, false, true, true, false, true, true, true, false}
	return []testCase{
		one("bool", types.Bool, &vec.Column{N: 3, Ints: []int64{1, 0, 1}}),
		one("bool nulls", types.Bool, &vec.Column{N: 3, Ints: []int64{1, 0, 0}, Valid: []bool{true, true, false}}),
		one("int", types.Int, &vec.Column{N: 4, Ints: []int64{math.MinInt32, -1, 0, math.MaxInt32}}),
		one("long nulls", types.Long, &vec.Column{N: 9, Ints: []int64{math.MinInt64, 0, math.MaxInt64, -5, 0, 7, 8, 9, 0}, Valid: valid}),
		one("real", types.Real, &vec.Column{N: 5, Floats: []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), 1e-300}}),
		one("decimal nulls", types.Decimal, &vec.Column{N: 2, Floats: []float64{1.25, 0}, Valid: []bool{true, false}}),
		one("datetime", types.Datetime, &vec.Column{N: 3, Ints: []int64{638_000_000_000_000_000, 638_000_000_010_000_000, 0}}),
		one("timespan nulls", types.Timespan, &vec.Column{N: 2, Ints: []int64{0, -600_000_000}, Valid: []bool{false, true}}),
		one("guid", types.Guid, &vec.Column{N: 2, Strs: []string{"8f3c1e5a-0b7d-4d2e-9a61-3b5f0c2d4e7a", ""}, Valid: []bool{true, false}}),
		one("string", types.String, &vec.Column{N: 3, Strs: []string{"", "a", strings.Repeat("x", 300)}, Valid: []bool{true, true, true}}),
		one("string dict", types.String, &vec.Column{N: 5, Dict: []string{"b", "a", ""}, Codes: []uint32{0, 1, 1, 2, 0}}),
		one("guid dict", types.Guid, &vec.Column{N: 2, Dict: []string{"g"}, Codes: []uint32{0, 0}}),
		one("dynamic", types.Dynamic, &vec.Column{N: len(dynamics), Anys: dynamics}),
		one("dynamic nulls", types.Dynamic, &vec.Column{N: 2, Anys: []any{int64(1), nil}, Valid: []bool{false, false}}),
		one("null", types.Null, &vec.Column{N: 2, Anys: []any{nil, nil}}),
		one("const long", types.Long, &vec.Column{N: 1000, Const: true, Ints: []int64{42}}),
		one("const null real", types.Real, &vec.Column{N: 7, Const: true, Floats: []float64{0}, Valid: []bool{false}}),
		one("const string", types.String, &vec.Column{N: 3, Const: true, Strs: []string{"s"}}),
		one("const dict", types.String, &vec.Column{N: 3, Const: true, Dict: []string{"p", "q"}, Codes: []uint32{1}}),
		one("const dynamic", types.Dynamic, &vec.Column{N: 3, Const: true, Anys: []any{bag("k", "v")}}),
		one("const null type", types.Null, &vec.Column{N: 4, Const: true, Anys: []any{nil}}),
		one("no rows", types.Long, &vec.Column{Ints: []int64{}}),
		{name: "no columns", schema: vec.Schema{}, batch: &vec.Batch{N: 5, Cols: []*vec.Column{}}},
		signInCase(100),
	}
}

// signInCase is n rows of the benchmark's sign-in-shaped table.
func signInCase(n int) testCase {
	schema, b := signInBatch(n)
	return testCase{name: fmt.Sprintf("sign-ins %d", n), schema: schema, batch: b}
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range roundTripCases() {
		t.Run(tc.name, func(t *testing.T) {
			data := Encode([]byte("prefix"), "T_"+tc.name, tc.schema, tc.batch)
			if string(data[:6]) != "prefix" {
				t.Fatalf("Encode did not append to dst")
			}
			table, schema, b, err := Decode(data[6:])
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if table != "T_"+tc.name || !slices.Equal(schema, tc.schema) {
				t.Fatalf("got table %q schema %v, want %q %v", table, schema, "T_"+tc.name, tc.schema)
			}
			checkBatch(t, b, tc.batch)
		})
	}
}

// checkBatch fails unless got holds the same rows as want, in the same
// representation (constant, dictionary).
func checkBatch(t *testing.T, got, want *vec.Batch) {
	t.Helper()
	if got.N != want.N || len(got.Cols) != len(want.Cols) {
		t.Fatalf("got %d rows × %d columns, want %d × %d", got.N, len(got.Cols), want.N, len(want.Cols))
	}
	for i, w := range want.Cols {
		g := got.Cols[i]
		if g.Type != w.Type || g.N != want.N || g.Const != w.Const || (g.Codes != nil) != (w.Codes != nil) {
			t.Fatalf("column %d: type %s, %d rows, const %v, dict %v; want %s, %d, %v, %v",
				i, g.Type, g.N, g.Const, g.Codes != nil, w.Type, want.N, w.Const, w.Codes != nil)
		}
		for r := 0; r < want.N; r++ {
			if gv, wv := g.Value(r), w.Value(r); !sameValue(gv, wv) {
				t.Fatalf("column %d row %d: %#v, want %#v", i, r, gv, wv)
			}
		}
	}
}

func sameValue(a, b types.Value) bool {
	if a.IsNull() || b.IsNull() {
		return a.IsNull() == b.IsNull()
	}
	return a.Type == b.Type && a.I == b.I && math.Float64bits(a.F) == math.Float64bits(b.F) &&
		a.S == b.S && sameDynamic(a.D, b.D)
}

// sameDynamic is reflect.DeepEqual, except that a float equals itself by
// its bits (NaN included).
func sameDynamic(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	case []any:
		y, ok := b.([]any)
		return ok && slices.EqualFunc(x, y, sameDynamic)
	case *types.Bag:
		y, ok := b.(*types.Bag)
		return ok && slices.Equal(x.Keys, y.Keys) && slices.EqualFunc(x.Vals, y.Vals, sameDynamic)
	}
	return reflect.DeepEqual(a, b)
}

func TestEncodeUnsupportedDynamic(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "map[string]interface {}") {
			t.Fatalf("panic %v, want one naming the Go type", r)
		}
	}()
	tc := one("x", types.Dynamic, &vec.Column{N: 1, Anys: []any{map[string]any{}}})
	Encode(nil, "T", tc.schema, tc.batch)
}

func TestEncodeWidensGoNumbers(t *testing.T) {
	tc := one("x", types.Dynamic, &vec.Column{N: 1, Anys: []any{[]any{int(3), int32(-4), float32(0.5)}}})
	_, _, b, err := Decode(Encode(nil, "T", tc.schema, tc.batch))
	if err != nil {
		t.Fatal(err)
	}
	if want := []any{int64(3), int64(-4), 0.5}; !reflect.DeepEqual(b.Cols[0].Anys[0], want) {
		t.Fatalf("got %#v, want %#v", b.Cols[0].Anys[0], want)
	}
}

func TestEncodeTooDeep(t *testing.T) {
	var v any = int64(1)
	for range maxDepth + 1 {
		v = []any{v}
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "nested deeper") {
			t.Fatalf("panic %v, want one about nesting", r)
		}
	}()
	tc := one("x", types.Dynamic, &vec.Column{N: 1, Anys: []any{v}})
	Encode(nil, "T", tc.schema, tc.batch)
}

func TestDeepestRoundTrip(t *testing.T) {
	var v any = int64(1)
	for range maxDepth {
		v = []any{v}
	}
	tc := one("x", types.Dynamic, &vec.Column{N: 1, Anys: []any{v}})
	if _, _, _, err := Decode(Encode(nil, "T", tc.schema, tc.batch)); err != nil {
		t.Fatal(err)
	}
}
