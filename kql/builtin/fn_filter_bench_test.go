package builtin

import (
	"fmt"
	"testing"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// benchDispatch runs fn over args through Call, as the executor does, so
// that dictionary columns are evaluated once per entry.
func benchDispatch(b *testing.B, name string, args ...*vec.Column) {
	f, ok := LookupScalar(name)
	if !ok {
		b.Fatalf("no function %s", name)
	}
	bargs := make([]Arg, len(args))
	for i, a := range args {
		bargs[i] = Arg{Type: a.Type}
		if a.Const {
			v := a.Value(0)
			bargs[i].Const = &v
		}
	}
	_, k, err := f.Bind(bargs)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Call(f, k, &Context{}, args, benchRows); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchRows, "ns/row")
}

// benchFilterColumns returns columns of benchRows rows: longs, the same
// longs with every 10th row null, reals, bools (with nulls), and user
// agents plain and dictionary-encoded.
func benchFilterColumns() (longs, nullLongs, reals, bools, nullBools, agents, dictAgents *vec.Column) {
	ints := make([]int64, benchRows)
	floats := make([]float64, benchRows)
	bits := make([]int64, benchRows)
	valid := make([]bool, benchRows)
	for i := range ints {
		ints[i] = int64(i*7919) % 1000
		floats[i] = float64(ints[i]) / 3
		bits[i] = int64(i*31) >> 3 & 1
		valid[i] = i%10 != 0
	}
	d := make([]string, 200)
	for i := range d {
		d[i] = fmt.Sprintf("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/%d.0 Safari/537.36", 100+i)
	}
	d[7] = "python-requests/2.31.0"
	codes := make([]uint32, benchRows)
	strs := make([]string, benchRows)
	for i := range codes {
		codes[i] = uint32(i*7) % uint32(len(d))
		strs[i] = d[codes[i]]
	}
	return &vec.Column{Type: types.Long, N: benchRows, Ints: ints},
		&vec.Column{Type: types.Long, N: benchRows, Ints: ints, Valid: valid},
		&vec.Column{Type: types.Real, N: benchRows, Floats: floats},
		&vec.Column{Type: types.Bool, N: benchRows, Ints: bits},
		&vec.Column{Type: types.Bool, N: benchRows, Ints: bits, Valid: valid},
		&vec.Column{Type: types.String, N: benchRows, Strs: strs},
		&vec.Column{Type: types.String, N: benchRows, Dict: d, Codes: codes}
}

func BenchmarkFilterKernels(b *testing.B) {
	longs, nullLongs, reals, bools, nullBools, agents, dictAgents := benchFilterColumns()
	long500 := vec.NewConst(types.NewLong(500), benchRows)
	real100 := vec.NewConst(types.NewReal(100), benchRows)
	python := vec.NewConst(types.NewString("python"), benchRows)
	one := vec.NewConst(types.NewString("python-requests/2.31.0"), benchRows)
	upper := vec.NewConst(types.NewString("PYTHON-REQUESTS/2.31.0"), benchRows)
	for _, c := range []struct {
		name string
		fn   string
		args []*vec.Column
	}{
		{">/long", ">", []*vec.Column{longs, long500}},
		{">/long-nulls", ">", []*vec.Column{nullLongs, long500}},
		{"!=/long-columns", "!=", []*vec.Column{longs, nullLongs}},
		{"</real", "<", []*vec.Column{reals, real100}},
		{"and/bool", "__and", []*vec.Column{bools, bools}},
		{"and/bool-nulls", "__and", []*vec.Column{nullBools, bools}},
		{"or/bool-nulls", "__or", []*vec.Column{nullBools, nullBools}},
		{"not/bool-nulls", "not", []*vec.Column{nullBools}},
		{"==/string-plain", "==", []*vec.Column{agents, one}},
		{"==/string-dict", "==", []*vec.Column{dictAgents, one}},
		{"=~/string-plain", "=~", []*vec.Column{agents, upper}},
		{"=~/string-dict", "=~", []*vec.Column{dictAgents, upper}},
		{"has/plain", "has", []*vec.Column{agents, python}},
		{"has/dict", "has", []*vec.Column{dictAgents, python}},
		{"contains/plain", "contains", []*vec.Column{agents, python}},
		{"has_cs/plain", "has_cs", []*vec.Column{agents, python}},
		{"startswith/plain", "startswith", []*vec.Column{agents, python}},
		{"in/plain", "in", []*vec.Column{agents, one, python}},
		{"in~/plain", "in~", []*vec.Column{agents, upper, python}},
		{"has_any/plain", "has_any", []*vec.Column{agents, python, one}},
		{"tolower/dict", "tolower", []*vec.Column{dictAgents}},
	} {
		b.Run(c.name, func(b *testing.B) { benchDispatch(b, c.fn, c.args...) })
	}
}
