package exec_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// joinTables are L(R:long, K:string, D:datetime) over several scan
// batches, K dictionary-encoded and every 7th D null, and the small
// Rt(K:string, D:datetime, V:long) with repeated keys and a null D.
func joinTables() (engine.Catalog, func(r int) (string, int64, bool), [][3]any) {
	const n = 3*8192 + 100
	users := []string{"ann", "bob", "cy", "dee", ""}
	left := func(r int) (string, int64, bool) {
		return users[r%len(users)], int64(r % 3), r%7 != 3
	}
	ids, ds := make([]int64, n), make([]int64, n)
	codes, valid := make([]uint32, n), make([]bool, n)
	for r := range n {
		_, d, ok := left(r)
		ids[r], ds[r], codes[r], valid[r] = int64(r), d, uint32(r%len(users)), ok
	}
	lt := &engine.MemTable{TableName: "L",
		Sch: vec.Schema{{Name: "R", Type: types.Long}, {Name: "K", Type: types.String}, {Name: "D", Type: types.Datetime}},
		Data: &vec.Batch{N: n, Cols: []*vec.Column{
			{Type: types.Long, N: n, Ints: ids},
			{Type: types.String, N: n, Dict: users, Codes: codes},
			{Type: types.Datetime, N: n, Ints: ds, Valid: valid},
		}}}
	// right rows: K, D (nil for null), V
	right := [][3]any{{"ann", int64(0), 1}, {"bob", int64(1), 2}, {"ann", int64(0), 3}, {"cy", nil, 4},
		{"", int64(2), 5}, {"zed", int64(0), 6}, {"dee", int64(1), 7}}
	rows := make([][]types.Value, len(right))
	for i, x := range right {
		d := types.NullOf(types.Datetime)
		if x[1] != nil {
			d = types.NewDatetime(x[1].(int64))
		}
		rows[i] = []types.Value{types.NewString(x[0].(string)), d, types.NewLong(int64(x[2].(int)))}
	}
	rt := memTable("Rt", vec.Schema{{Name: "K", Type: types.String}, {Name: "D", Type: types.Datetime},
		{Name: "V", Type: types.Long}}, rows...)
	return engine.Catalog{"L": lt, "Rt": rt}, left, right
}

// TestJoinLeftBatches: joins whose left side is probed batch by batch
// give every kind's rows in left row order, right matches in right row
// order, and null keys never match.
func TestJoinLeftBatches(t *testing.T) {
	cat, left, right := joinTables()
	const n = 3*8192 + 100
	for _, kind := range []string{"inner", "innerunique", "leftouter", "leftsemi", "leftanti"} {
		t.Run(kind, func(t *testing.T) {
			q := fmt.Sprintf(`L | join kind=%s (Rt) on K, D | project R, V`, kind)
			want := []string{"R:long | V:long"}
			if kind == "leftsemi" || kind == "leftanti" {
				q = fmt.Sprintf(`L | join kind=%s (Rt) on K, D | project R`, kind)
				want = []string{"R:long"}
			}
			firstOf := map[string]bool{}
			for r := range n {
				k, d, ok := left(r)
				if kind == "innerunique" {
					key := fmt.Sprint(k, d, ok)
					if firstOf[key] {
						continue
					}
					firstOf[key] = true
				}
				var vs []int
				for _, x := range right {
					if ok && x[0] == k && x[1] != nil && x[1].(int64) == d {
						vs = append(vs, x[2].(int))
					}
				}
				switch {
				case kind == "leftsemi" && len(vs) > 0, kind == "leftanti" && len(vs) == 0:
					want = append(want, fmt.Sprint(r))
				case kind == "leftouter" && len(vs) == 0:
					want = append(want, fmt.Sprintf("%d | null", r))
				case kind == "inner" || kind == "innerunique" || kind == "leftouter":
					for _, v := range vs {
						want = append(want, fmt.Sprintf("%d | %d", r, v))
					}
				}
			}
			got, err := queryText(cat, q)
			if err != nil {
				t.Fatal(err)
			}
			if w := strings.Join(want, "\n"); got != w {
				d := firstDiff(got, w)
				gl := strings.Split(got, "\n")
				t.Errorf("%s: got %d lines, want %d; line %d: got %q, want %q", q, len(gl), len(want), d,
					gl[min(d, len(gl))-1], want[min(d, len(want))-1])
			}
		})
	}
}

// TestJoinKeyTypes: keys of different types that are equal (long and
// real, string and dynamic string, datetime in dynamic) match in the
// batch-by-batch joins as in the whole-input one (fullouter, whose rows
// with both sides are the inner join's); innerunique gives the same rows
// here, the left keys being unique.
func TestJoinKeyTypes(t *testing.T) {
	for _, q := range []string{
		`datatable(k:long, a:long)[1, 1, 2, 2, 3, 3] | join kind=%s (datatable(k:real, b:long)[1.0, 10, 2.5, 11, 3, 12, 3, 13]) on k`,
		`datatable(k:string, a:long)["u", 1, "v", 2, "", 3] | join kind=%s (datatable(d:dynamic, b:long)[dynamic("u"), 10, dynamic(["u"]), 11, dynamic(""), 12, dynamic(null), 13] | extend k = d) on k`,
		`datatable(t:datetime, a:long)[datetime(2024-01-01), 1, datetime(null), 2] | join kind=%s (datatable(d:dynamic, b:long)[dynamic("2024-01-01T00:00:00Z"), 1, dynamic(null), 2] | extend t = todatetime(d)) on t`,
		`datatable(k:long, s:string)[1, "a", 1, "b", 2, "a"] | summarize a = count() by k, s | join kind=%s (datatable(k:long, s:string, b:long)[1, "a", 5, 1, "a", 6, 2, "b", 7]) on k, s`,
		`datatable(g:guid, a:long)[guid(00000000-0000-0000-0000-000000000001), 1] | join kind=%s (datatable(g:guid, b:long)[guid(00000000-0000-0000-0000-000000000001), 2]) on g`,
		`datatable(c:bool, ts:timespan, a:long)[true, 1h, 1, false, 2h, 2] | join kind=%s (datatable(c:bool, ts:timespan, b:long)[true, 1h, 1, false, 1h, 2]) on c, ts`,
	} {
		want, err := queryText(nil, fmt.Sprintf(q, "fullouter")+" | where isnotnull(a) and isnotnull(b)")
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if strings.Count(want, "\n") == 0 {
			t.Errorf("%s: no rows", q)
		}
		for _, kind := range []string{"inner", "innerunique"} {
			got, err := queryText(nil, fmt.Sprintf(q, kind))
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if got != want {
				t.Errorf("%s (%s)\n got:\n%s\nwant:\n%s", q, kind, got, want)
			}
		}
	}
}

// TestJoinLargeRight: a right side large enough to be hashed and built in
// parallel partitions gives every match, in right row order per left row.
func TestJoinLargeRight(t *testing.T) {
	cat, left, right := joinTables()
	const n = 3*8192 + 100
	got, err := queryText(cat, `Rt | join kind=inner (L) on K, D | project V, R`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"V:long | R:long"}
	for _, x := range right {
		for r := range n {
			if k, d, ok := left(r); ok && x[0] == k && x[1] != nil && x[1].(int64) == d {
				want = append(want, fmt.Sprintf("%d | %d", x[2].(int), r))
			}
		}
	}
	if w := strings.Join(want, "\n"); got != w {
		d := firstDiff(got, w)
		gl := strings.Split(got, "\n")
		t.Errorf("got %d lines, want %d; line %d: got %q, want %q", len(gl), len(want), d,
			gl[min(d, len(gl))-1], want[min(d, len(want))-1])
	}
}
