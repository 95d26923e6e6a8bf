package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
)

// pruneQueries read some columns of Devices through every kind of node
// prune_columns passes needs through.
var pruneQueries = []string{
	"Devices | mv-expand d = DeviceDetail | where tostring(d) != '' | summarize dcount(Name), count()",
	"Devices | mv-expand with_itemindex = i DeviceDetail, Status limit 2 | summarize count() by i, Name | sort by i asc, Name asc",
	"Devices | summarize arg_max(Id, *) by Name | count",
	"Devices | summarize arg_max(Id, *) by Name | project Name, tostring(Status) | sort by Name asc",
	"Devices | summarize arg_min(Id, *), n = count() by Name | project Name, n, DeviceDetail | sort by Name asc",
	"Devices | summarize (a, b) = arg_max(Id, DeviceDetail), s = make_set(Status) | project b",
	"Devices | summarize n = count(), s = make_set(DeviceDetail) | project n",
	"Devices | summarize s = make_set(DeviceDetail), m = max(Id) | count",
	"Devices | where Id > 5000 | summarize s = make_set(DeviceDetail), m = max(Id) | project m",
	"Devices | where Id < 5 | summarize take_any(*) by Id | project Id, tostring(Status) | sort by Id asc",
	"Devices | distinct Name | count",
	"Devices | join kind=inner (Devices | project Id, S = Status) on Id | summarize count() by Name, s = tostring(S) | sort by Name asc, s asc",
	"Devices | join kind=leftouter (Devices | where Id % 3 == 0 | project Id, N = Name) on Id | summarize count() by N | sort by N asc",
	"Devices | join kind=leftanti (Devices | where Id % 2 == 0) on Id | count",
	"Devices | join kind=rightsemi (Devices | where Id < 10 | project Id, Status) on Id | project Status | sort by tostring(Status) asc",
	"Devices | lookup (Devices | where Id < 20 | project Id, N2 = Name) on Id | summarize count() by N2 | sort by N2 asc",
	"union Devices, (Devices | extend x = 1) | summarize count() by Name, x | sort by Name asc, x asc",
	"union withsource=T Devices, (Devices | project Name) | summarize count() by T, Name | sort by T asc, Name asc",
	"Devices | parse Name with 'n' k:long | summarize count() by k | sort by k asc",
	"Devices | parse-where tostring(DeviceDetail) with '{\"operatingSystem\":\"' os '\"' * | summarize count() by os | sort by os asc",
	"Devices | extend kv = strcat('a=', Name, ',b=', Id) | parse-kv kv as (a:string, b:long) with (pair_delimiter=',', kv_delimiter='=') | summarize sum(b) by a | sort by a asc",
	"Devices | extend a = Id * 2 | extend b = a + 1, c = tostring(DeviceDetail) | extend d = b * 2 | summarize sum(d)",
	"Devices | sort by Id desc | project Name | take 5",
	"Devices | top 3 by Id asc | project Status",
	"Devices | sample 3 | count",
	"Devices | make-series n = count() default = 0 on Id from 0 to 100 step 10 by Name | sort by Name asc",
	"Devices | top-nested 2 of Name by count() | sort by Name asc",
	"Devices | partition by Name (summarize c = count(), m = max(Id)) | sort by m asc",
	"Devices | mv-apply d = DeviceDetail on (summarize c = count()) | summarize sum(c) by Name | sort by Name asc",
	"Devices | mv-apply d = Status to typeof(string) on (where d != Name | take 1) | project Id, d | sort by Id asc | take 20",
	"Devices | sort by Id asc | scan with (step s: Name == 'n1';) | project Id | take 20",
	"Devices | sort by Id asc | scan declare (c:long = 0) with (step s: true => c = s.c + 1;) | summarize max(c)",
	"Devices | reduce by Name | sort by Pattern asc",
	"Devices | extend T = datetime(2024-01-01) + Id * 1h | evaluate activity_counts_metrics(Name, T, datetime(2024-01-01), datetime(2024-01-10), 1d) | sort by T asc",
	"Devices | project-away Status | where Id < 3 | evaluate narrow() | sort by Row asc, Column asc",
	"Devices | evaluate bag_unpack(Status) | project Id | count",
	"Devices | evaluate pivot(Name) | count",
	"let s = materialize(Devices | where Id < 30); s | evaluate bag_unpack(Status) | join kind=inner (s | project Id) on Id | project Id | count",
	"Devices | consume",
	"Devices | as T | join kind=inner (T | where Id < 50 | project Id, St = Status) on Id | summarize count() by Name, s = tostring(St) | sort by Name asc, s asc",
	"let s = materialize(Devices | where Id % 2 == 0); s | join kind=inner (s | project Id) on Id | summarize count() by Name | sort by Name asc",
	"let s = materialize(Devices); union (s | project Name), (s | project Status) | count",
	"let s = materialize(Devices | summarize arg_max(Id, *) by Name); s | project Name, tostring(Status) | join (s | project Name, DeviceDetail) on Name | sort by Name asc",
	"Devices | where Name in ((Devices | where Id < 3 | project Name, Status)) | count",
	"Devices | where Id == toscalar(Devices | summarize max(Id), make_set(DeviceDetail)) | project Name",
	"Devices | fork (summarize count() by Name | sort by Name asc) (project Status | take 2 | count)",
	"Devices | facet by Name with (project Id | take 2)",
}

// TestPruneColumnsKeepResults runs pruneQueries with and without the
// prune_columns rule; the results must be identical, on one batch and on
// several.
func TestPruneColumnsKeepResults(t *testing.T) {
	now := func() time.Time { return time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC) }
	for _, rows := range []int{1, 1200} {
		cat := devices(t, rows)
		with := &engine.Engine{Catalog: cat, Now: now}
		without := &engine.Engine{Catalog: cat, Now: now, DisabledRules: []string{"prune_columns"}}
		for _, q := range pruneQueries {
			// Plugins whose columns depend on the data run while checking.
			if fires, err := ruleFires(cat, q, "prune_columns"); rows == 1 && err == nil && !fires {
				t.Errorf("%s: prune_columns does not fire", q)
			}
			got, want := resultText(with, q), resultText(without, q)
			if strings.HasPrefix(want, "error:") {
				t.Errorf("%s: %s", q, want)
				continue
			}
			if strings.Contains(q, "sample") {
				continue
			}
			if got != want {
				t.Errorf("%s (%d rows)\nwith prune_columns:\n%s\nwithout:\n%s", q, rows*len(pathRows), got, want)
			}
		}
	}
}

// FuzzPruneColumns runs generated queries over a stored copy of the fuzz
// source table with and without prune_columns: the answers must be equal.
func FuzzPruneColumns(f *testing.F) {
	for _, seed := range []string{"", "\x00\x01\x02", "abcdefghijklmnop", "\x03\x03\x03\x09\x09", "\xff\xfe\xfd\xfc", "\x03\x08\x03\x00"} {
		f.Add([]byte(seed))
	}
	now := func() time.Time { return time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC) }
	res, err := (&engine.Engine{Now: now}).Query(context.Background(), source)
	if err != nil {
		f.Fatal(err)
	}
	cat := engine.Catalog{"T": &engine.MemTable{TableName: "T", Sch: res[0].Schema, Data: res[0].Rows}}
	with := &engine.Engine{Catalog: cat, Now: now}
	without := &engine.Engine{Catalog: cat, Now: now, DisabledRules: []string{"prune_columns"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{data: data}
		chain := func() string {
			q := ""
			for i := g.next(4) + 1; i > 0; i-- {
				if g.next(2) == 0 {
					q += "\n| " + g.operator()
				} else {
					q += "\n| " + g.pruneOperator()
				}
			}
			return q
		}
		q := "T" + chain()
		if g.next(3) == 0 {
			q = "let M = materialize(T" + chain() + ");\nM" + chain() + "\n| union (M" + chain() + ")"
		}
		if got, want := resultText(with, q), resultText(without, q); got != want {
			t.Fatalf("%s\nwith prune_columns:\n%s\nwithout:\n%s", q, got, want)
		}
	})
}

// pruneOperator returns an operator prune_columns passes needs through,
// beyond those operator returns.
func (g *gen) pruneOperator() string {
	col := func() string { return columns[g.next(len(columns))] }
	switch g.next(16) {
	case 0:
		return "summarize arg_max(" + col() + ", *) by " + col()
	case 1:
		return "summarize arg_min(" + col() + ", " + col() + ", " + col() + ")"
	case 2:
		return "summarize c = count(), m = make_set(" + col() + "), a = arg_max(" + col() + ", *) | project " + g.pick("c", "m", "a")
	case 3:
		return "as X | join kind=" + g.pick("inner", "leftouter", "leftanti", "rightsemi") + " (X | project " + col() + ", " + col() + ") on " + col()
	case 4:
		return "parse " + col() + " with a:string ' ' b:string"
	case 5:
		return "mv-apply e = " + col() + " on (summarize c = count())"
	case 6:
		return "make-series c = count() default = 0 on n from 0 to 5 step 1 by " + col()
	case 7:
		return "top-nested 2 of " + col() + " by count()"
	case 8:
		return "partition by " + col() + " (summarize count(), take_any(" + col() + "))"
	case 9:
		return "lookup (T | project " + col() + ", q = " + col() + ") on " + col()
	case 10:
		return "extend p = pack_all()"
	case 11:
		return "where " + col() + " in ((T | project " + col() + ", " + col() + "))"
	case 12:
		return "scan with (step x: " + g.expr(0) + ";)"
	case 13:
		return "extend z = toscalar(T | summarize max(" + col() + "), make_set(" + col() + "))"
	case 14:
		return "mv-expand with_itemindex = i " + col() + " to typeof(string)"
	}
	return "project-rename q = " + col()
}
