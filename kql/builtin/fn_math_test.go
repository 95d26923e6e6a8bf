package builtin_test

import (
	"strconv"
	"strings"
	"testing"
)

func TestAbsCeilingSign(t *testing.T) {
	dtRun(t, []dtCase{
		{"abs(-5)", "long", "5"},
		{"abs(int(-5))", "long", "5"},
		{"abs(-2.5)", "real", "2.5"},
		{"abs(-1h)", "timespan", "01:00:00"},
		{"abs(long(null))", "long", ""},
		{"abs(dynamic(-3))", "real", "3"},
		{"abs('a')", "", "error: abs(): expects a number or a timespan"},
		// Documentation example.
		{"ceiling(-1.1)", "real", "-1"},
		{"ceiling(0)", "long", "0"},
		{"ceiling(0.9)", "real", "1"},
		{"ceiling(int(3))", "int", "3"},
		{"ceiling(real(null))", "real", ""},
		// Documentation example.
		{"sign(-42)", "real", "-1"},
		{"sign(0)", "real", "0"},
		{"sign(11.2)", "real", "1"},
		{"sign(long(null))", "real", ""},
	})
}

func TestRound(t *testing.T) {
	dtRun(t, []dtCase{
		// Documentation examples.
		{"round(2.98765, 3)", "real", "2.988"},
		{"round(2.15, 1)", "real", "2.2"},
		{"round(2.15)", "real", "2"},
		{"round(-50.55, -2)", "real", "-100"},
		{"round(21.5, -1)", "real", "20"},
		// Half away from zero; integers keep their type.
		{"round(2.5)", "real", "3"},
		{"round(-2.5)", "real", "-3"},
		{"round(0.125, 2)", "real", "0.13"},
		{"round(1e300, 5)", "real", "1E+300"},
		{"round(1250, -2)", "long", "1300"},
		{"round(-1250, -2)", "long", "-1300"},
		{"round(1249, -2)", "long", "1200"},
		{"round(7, 2)", "long", "7"},
		{"round(int(15), -1)", "int", "20"},
		{"round(123, -30)", "long", "0"},
		{"round(real(null))", "real", ""},
		{"round(2.5, long(null))", "real", ""},
		{"round('a')", "", "error: round(): expects a number"},
	})
	dtTable(t, "range p from -1 to 1 step 1 | project r = round(16.45, p)", [][]string{
		{"real:20"}, {"real:16"}, {"real:16.5"},
	})
}

func TestElementaryFunctions(t *testing.T) {
	dtRun(t, []dtCase{
		// Documentation examples.
		{"log(5)", "real", "1.6094379124341003"},
		{"log2(5)", "real", "2.321928094887362"},
		{"loggamma(5)", "real", "3.1780538303479458"},
		{"pow(2, 3)", "real", "8"},
		{"exp2(3)", "real", "8"},
		{"exp10(2)", "real", "100"},
		{"cos(1)", "real", "0.5403023058681398"},
		// Go's math.Tan can be one ulp away from .NET's: compare 15 digits.
		{"round(cot(1), 15)", "real", "0.642092615934331"},
		{"atan(0.5)", "real", "0.4636476090008061"},
		{"atan2(1,1)", "real", "0.7853981633974483"},
		{"atan2(0,-1)", "real", "3.141592653589793"},
		{"atan2(-1,0)", "real", "-1.5707963267948966"},
		// Domains: null outside them where documented.
		{"sqrt(4)", "real", "2"},
		{"sqrt(-1)", "real", ""},
		{"log(-1)", "real", ""},
		{"log(0)", "real", "-Infinity"},
		{"log10(1000)", "real", "3"},
		{"log10(-5)", "real", ""},
		{"asin(0.5)", "real", "0.5235987755982989"},
		{"asin(2)", "real", ""},
		{"acos(1)", "real", "0"},
		{"acos(-1.5)", "real", ""},
		{"exp(0)", "real", "1"},
		{"pow(2, -1)", "real", "0.5"},
		{"sin(0)", "real", "0"},
		{"tan(0)", "real", "0"},
		{"degrees(pi())", "real", "180"},
		{"radians(180)", "real", "3.141592653589793"},
		{"pi()", "real", "3.141592653589793"},
		{"gamma(5)", "real", "24"},
		{"erf(0)", "real", "0"},
		{"sqrt(int(9))", "real", "3"},
		{"sqrt(dynamic(16))", "real", "4"},
		{"sqrt(real(null))", "real", ""},
		{"pow(real(null), 2)", "real", ""},
		{"sqrt('4')", "", "error: sqrt(): expects a number"},
		{"pi(1)", "", "error: pi(): takes no arguments"},
		{"pow(2)", "", "error: pow(): expects 2 numbers"},
	})
	// Documentation example (results given to 15 digits).
	dtTable(t, "range x from -3 to 3 step 1 | project r = round(erf(x), 15)", [][]string{
		{"real:-0.999977909503001"}, {"real:-0.995322265018953"}, {"real:-0.842700792949715"}, {"real:0"},
		{"real:0.842700792949715"}, {"real:0.995322265018953"}, {"real:0.999977909503001"},
	})
	dtTable(t, "range x from 1 to 3 step 1 | extend y = pow(x, 2), z = pow(2, x)", [][]string{
		{"long:1", "real:1", "real:2"}, {"long:2", "real:4", "real:4"}, {"long:3", "real:9", "real:8"},
	})
}

func TestNanInfTests(t *testing.T) {
	// Documentation examples.
	dtTable(t, `range x from -1 to 1 step 1
		| extend y = 0.0
		| extend div = 1.0*x/y
		| extend isinf=isinf(div), isfinite=isfinite(div), isnan=isnan(div)
		| project isinf, isfinite, isnan`, [][]string{
		{"bool:true", "bool:false", "bool:false"},
		{"bool:false", "bool:false", "bool:true"},
		{"bool:true", "bool:false", "bool:false"},
	})
	dtRun(t, []dtCase{
		{"isfinite(1)", "bool", "true"},
		{"isnan(real(null))", "bool", ""},
		{"isinf('x')", "", "error: isinf(): expects a number"},
	})
}

func TestMinOfMaxOf(t *testing.T) {
	dtRun(t, []dtCase{
		// Documentation examples.
		{"max_of(10, 1, -3, 17)", "long", "17"},
		{"min_of(10, 1, -3, 17)", "long", "-3"},
		// Common types, nulls ignored.
		{"max_of(1, 2.5)", "real", "2.5"},
		{"max_of(int(1), 2)", "long", "2"},
		{"min_of('b', 'a', 'c')", "string", "a"},
		{"max_of(long(null), 3, long(null))", "long", "3"},
		{"max_of(long(null), long(null))", "long", ""},
		{"min_of(1h, 2m)", "timespan", "00:02:00"},
		{"max_of(dynamic(1), dynamic(5))", "dynamic", "5"},
		{"max_of(1, 'a')", "", "error: max_of(): arguments must all be of one type"},
		{"max_of(1)", "", "error: max_of(): expects 2 to 64 arguments"},
	})
	// Documentation examples.
	dtTable(t, `datatable (A: int, B: int)[1, 6, 8, 1, int(null), 2, 1, int(null), int(null), int(null)]
		| project mx = max_of(A, B), mn = min_of(A, B)`, [][]string{
		{"int:6", "int:1"}, {"int:8", "int:1"}, {"int:2", "int:2"}, {"int:1", "int:1"}, {"int:", "int:"},
	})
	dtTable(t, `datatable (A: datetime, B: datetime)[
		datetime(2024-12-15 07:15:22), datetime(2024-12-15 07:15:24),
		datetime(2024-12-15 08:00:00), datetime(2024-12-15 09:30:00),
		datetime(2024-12-15 10:45:00), datetime(2024-12-14 10:45:00)]
		| project maxDate = max_of(A, B)`, [][]string{
		{"datetime:2024-12-15T07:15:24Z"}, {"datetime:2024-12-15T09:30:00Z"}, {"datetime:2024-12-15T10:45:00Z"},
	})
}

func TestRand(t *testing.T) {
	rows, err := dtQuery(t, `range x from 1 to 2000 step 1
		| extend r = rand(), n = rand(10)
		| summarize rmin = min(r), rmax = max(r), nmin = min(n), nmax = max(n), frac = countif(n != floor(n, 1))`)
	if err != nil {
		t.Fatal(err)
	}
	num := func(cell string) float64 {
		f, err := strconv.ParseFloat(cell[strings.IndexByte(cell, ':')+1:], 64)
		if err != nil {
			t.Fatalf("%s: %v", cell, err)
		}
		return f
	}
	r := rows[0]
	if lo, hi := num(r[0]), num(r[1]); lo < 0 || hi >= 1 || lo == hi {
		t.Errorf("rand() in [%v, %v], want distinct values in [0, 1)", lo, hi)
	}
	if lo, hi := num(r[2]), num(r[3]); lo != 0 || hi != 9 {
		t.Errorf("rand(10) in [%v, %v], want [0, 9]", lo, hi)
	}
	if r[4] != "long:0" {
		t.Errorf("rand(10) gave %s non-whole values", r[4])
	}
	dtRun(t, []dtCase{
		{"rand(0)", "real", ""},
		{"rand(long(null))", "real", ""},
		{"rand(1)", "real", "0"},
		{"rand('a')", "", "error: rand(): expects no argument or an integer bound"},
	})
}

func TestBinaryFunctions(t *testing.T) {
	dtRun(t, []dtCase{
		// Documentation examples.
		{"binary_not(100)", "long", "-101"},
		{"binary_shift_left(1,2)", "long", "4"},
		{"binary_shift_right(1,2)", "long", "0"},
		{"binary_xor(1,1)", "long", "0"},
		{"binary_xor(1,2)", "long", "3"},
		{"bitset_count_ones(42)", "long", "3"},
		// More.
		{"binary_and(6, 3)", "long", "2"},
		{"binary_or(6, int(3))", "long", "7"},
		{"binary_shift_left(1, 65)", "long", "2"},
		{"binary_shift_left(1, -1)", "long", ""},
		{"binary_shift_right(-8, 1)", "long", "-4"},
		{"bitset_count_ones(-1)", "long", "64"},
		{"binary_and(long(null), 1)", "long", ""},
		{"binary_and(1.5, 1)", "", "error: binary_and(): expects 2 integer arguments"},
	})
}

func TestBetaDistribution(t *testing.T) {
	// Documentation examples (results given to 15 digits).
	dtTable(t, `datatable(x:double, alpha:double, beta:double)
		[0.9, 10.0, 20.0, 1.5, 10.0, 20.0, double(-10), 10.0, 20.0, 0.1, double(-1.0), 20.0]
		| project c = round(beta_cdf(x, alpha, beta), 15)`, [][]string{
		{"real:0.999999999999959"}, {"real:NaN"}, {"real:NaN"}, {"real:NaN"},
	})
	dtTable(t, `datatable(x:double, alpha:double, beta:double)
		[0.5, 10.0, 20.0, 1.5, 10.0, 20.0, double(-10), 10.0, 20.0, 0.1, double(-1.0), 20.0]
		| project r = round(beta_pdf(x, alpha, beta), 15)`, [][]string{
		{"real:0.746176019310951"}, {"real:NaN"}, {"real:NaN"}, {"real:NaN"},
	})
	dtTable(t, `datatable(p:double, alpha:double, beta:double)
		[0.1, 10.0, 20.0, 1.5, 10.0, 20.0, 0.1, double(-1.0), 20.0]
		| project b = round(beta_inv(p, alpha, beta), 15)`, [][]string{
		{"real:0.226415022388749"}, {"real:"}, {"real:NaN"},
	})
	dtRun(t, []dtCase{
		{"beta_cdf(0, 2, 3)", "real", "0"},
		{"beta_cdf(1, 2, 3)", "real", "1"},
		{"round(beta_cdf(0.5, 2, 2), 12)", "real", "0.5"},
		{"round(beta_inv(beta_cdf(0.3, 2, 5), 2, 5), 12)", "real", "0.3"},
		{"beta_pdf(real(null), 2, 3)", "real", ""},
		{"beta_cdf(0.5, 2)", "", "error: beta_cdf(): expects 3 numbers"},
	})
}

func TestErfc(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print erfc(0), erfc(1), erfc(-3)`, "1 | 0.15729920705028513 | 1.9999779095030015"},
		{`print erfc(real(null)), erfc(long(null))`, " | "},
	})
}
