package check_test

import (
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/check"
	"github.com/idlogs/idlogs/kql/syntax"
)

// schemaOf checks q and returns the schema of its last result as
// "name:type, ..." or the error text.
func schemaOf(q string) string {
	script, err := syntax.Parse(q)
	if err != nil {
		return err.Error()
	}
	res, err := check.Check(q, script, check.Options{})
	if err != nil {
		return err.Error()
	}
	var cols []string
	for _, f := range res.Results[len(res.Results)-1].Plan.Schema() {
		cols = append(cols, f.Name+":"+f.Type.String())
	}
	return strings.Join(cols, ", ")
}

func TestOperatorSchemas(t *testing.T) {
	const T = `datatable(s:string, n:long, d:dynamic, t:datetime)[] `
	for _, tc := range []struct{ q, want string }{
		// parse appends columns, replaces existing ones in place.
		{T + `| parse s with a "," n:int`, "s:string, n:int, d:dynamic, t:datetime, a:string"},
		{T + `| parse-where kind=regex flags=i s with * "x" b:real`, "s:string, n:long, d:dynamic, t:datetime, b:real"},
		{T + `| parse s with x "," x`, "1:75: column 'x' appears twice in the pattern"},
		{T + `| parse kind=simple flags=U s with x`, "1:74: flags= needs kind=regex"},
		{`print 1 | parse kind=regex print_0 with "[" x`, "1:11: invalid parse pattern: error parsing regexp: missing closing ]: `[)(?P<kqlparse0>.*)`"},
		{T + `| parse-kv s as (k1:long, ['k 2']:string) with (pair_delimiter=";", kv_delimiter=":")`, "s:string, n:long, d:dynamic, t:datetime, k1:long, k 2:string"},
		{T + `| parse-kv s as (k:long) with (greedy=true)`, "1:56: greedy=true needs pair_delimiter and kv_delimiter"},
		// make-series: keys, series, axis.
		{T + `| make-series count(), m=max(n) on t step 1h by s`, "s:string, count_:dynamic, m:dynamic, t:dynamic"},
		{T + `| make-series sum(n) on n in range(0, 10, 1)`, "sum_n:dynamic, n:dynamic"},
		{T + `| make-series sum(n) on t from 1 step 1h`, "1:85: make-series bound of type long does not fit the datetime axis"},
		{T + `| make-series sum(n) on n from 0 to 10 step 0`, "1:98: the make-series step must be positive"},
		// top-nested: two columns per level.
		{T + `| top-nested 3 of s by sum(n), top-nested of Hour = t by c = count() asc`, "s:string, aggregated_s:long, Hour:datetime, c:long"},
		{T + `| top-hitters 3 of s`, "s:string, approximate_count_s:long"},
		{T + `| top-hitters 3 of s by n`, "s:string, approximate_sum_n:long"},
		{T + `| sample 3`, "s:string, n:long, d:dynamic, t:datetime"},
		{T + `| sample-distinct 3 of n`, "n:long"},
		{T + `| consume`, ""},
		// mv-apply: kept input columns, then the subquery's.
		{T + `| mv-apply d to typeof(long) on (summarize x = sum(d))`, "s:string, n:long, t:datetime, x:long"},
		{T + `| mv-apply with_itemindex=i e = d on (take 1)`, "s:string, n:long, d:dynamic, t:datetime, e:dynamic, i:long"},
		// scan: input and declared columns, then the match id.
		{T + `| scan with_match_id=m declare (c:long=0) with (step a: true => c = a.c + n;)`, "s:string, n:long, d:dynamic, t:datetime, c:long, m:long"},
		{T + `| scan with (step a: b.n > 1;)`, "1:75: unknown column or name 'b'"},
		{`print 1 | sample 1`, "print_0:long"},
	} {
		if got := schemaOf(tc.q); got != tc.want {
			t.Errorf("%s\n got: %s\nwant: %s", tc.q, got, tc.want)
		}
	}
}
