package builtin_test

import (
	"testing"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// benchDatetimeKernel runs fn(column of n datetimes, constant args...).
func benchDatetimeKernel(b *testing.B, fn string, extra ...types.Value) {
	const n = 8192
	b.Helper()
	col := vec.NewBuilder(types.Datetime, n)
	start := types.TicksFromTime(dtNow)
	for i := range n {
		col.AppendInt(start + int64(i)*7_919_000_000)
	}
	args := []*vec.Column{col.Build()}
	bargs := []builtin.Arg{{Type: types.Datetime}}
	for _, v := range extra {
		v := v
		args = append(args, vec.NewConst(v, n))
		bargs = append(bargs, builtin.Arg{Type: v.Type, Const: &v})
	}
	f, _ := builtin.LookupScalar(fn)
	_, k, err := f.Bind(bargs)
	if err != nil {
		b.Fatal(err)
	}
	ctx := &builtin.Context{}
	b.SetBytes(8 * n)
	b.ResetTimer()
	for range b.N {
		if _, err := k(ctx, args, n); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBinDatetime(b *testing.B) {
	benchDatetimeKernel(b, "bin", types.NewTimespan(types.TicksPerHour))
}

func BenchmarkStartOfDay(b *testing.B) { benchDatetimeKernel(b, "startofday") }

func BenchmarkStartOfMonth(b *testing.B) { benchDatetimeKernel(b, "startofmonth") }

func BenchmarkStartOfWeek(b *testing.B) { benchDatetimeKernel(b, "startofweek") }

func BenchmarkFormatDatetime(b *testing.B) {
	benchDatetimeKernel(b, "format_datetime", types.NewString("yyyy-MM-dd HH:mm:ss.fff"))
}
