package builtin

import (
	"fmt"
	"testing"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

const benchRows = 1 << 20

func benchStrings() (plain, dict *vec.Column) {
	d := make([]string, 64)
	for i := range d {
		d[i] = fmt.Sprintf("Host-%02d.Example.COM,x", i)
	}
	codes := make([]uint32, benchRows)
	strs := make([]string, benchRows)
	for i := range codes {
		codes[i] = uint32(i % len(d))
		strs[i] = d[codes[i]]
	}
	return &vec.Column{Type: types.String, N: benchRows, Strs: strs},
		&vec.Column{Type: types.String, N: benchRows, Dict: d, Codes: codes}
}

func benchCall(b *testing.B, name string, args ...*vec.Column) {
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
		if _, err := k(&Context{}, args, benchRows); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchRows, "ns/row")
}

func BenchmarkStringKernels(b *testing.B) {
	plain, dict := benchStrings()
	longs := make([]int64, benchRows)
	for i := range longs {
		longs[i] = int64(i)
	}
	nums := &vec.Column{Type: types.Long, N: benchRows, Ints: longs}
	comma := vec.NewConst(types.NewString(","), benchRows)
	cond := &vec.Column{Type: types.Bool, N: benchRows, Ints: longs}
	for _, c := range []struct {
		name string
		fn   string
		args []*vec.Column
	}{
		{"tolower/plain", "tolower", []*vec.Column{plain}},
		{"tolower/dict", "tolower", []*vec.Column{dict}},
		{"strlen/plain", "strlen", []*vec.Column{plain}},
		{"strlen/dict", "strlen", []*vec.Column{dict}},
		{"isempty/plain", "isempty", []*vec.Column{plain}},
		{"isnotempty/dict", "isnotempty", []*vec.Column{dict}},
		{"tostring/long", "tostring", []*vec.Column{nums}},
		{"strcat/plain", "strcat", []*vec.Column{plain, comma, nums}},
		{"split/plain", "split", []*vec.Column{plain, comma}},
		{"split/dict", "split", []*vec.Column{dict, comma}},
		{"iff/strings", "iff", []*vec.Column{cond, plain, dict}},
	} {
		b.Run(c.name, func(b *testing.B) { benchCall(b, c.fn, c.args...) })
	}
}
