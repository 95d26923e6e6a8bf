package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/engine"
)

// source is the small table every generated query starts from.
const source = `datatable(n:long, r:real, s:string, t:datetime, d:dynamic, b:bool)[
1, 1.5, "alpha beta", datetime(2024-01-01), dynamic({"k": 1, "a": [1, 2]}), true,
2, real(null), "", datetime(2024-01-02 10:00), dynamic([1, "x"]), false,
long(null), -3.25, "Gamma", datetime(null), dynamic(null), bool(null),
4, 0.0, "alpha", datetime(2023-12-31 23:59:59.9999999), dynamic({"k": "v"}), true]`

// gen turns fuzz bytes into a syntactically valid query over source.
type gen struct {
	data []byte
	pos  int
}

func (g *gen) next(n int) int {
	if g.pos >= len(g.data) || n <= 0 {
		return 0
	}
	b := g.data[g.pos]
	g.pos++
	return int(b) % n
}

func (g *gen) pick(options ...string) string { return options[g.next(len(options))] }

var columns = []string{"n", "r", "s", "t", "d", "b"}

func (g *gen) expr(depth int) string {
	if depth > 2 {
		return g.leaf()
	}
	switch g.next(6) {
	case 0:
		return g.leaf()
	case 1:
		return g.expr(depth+1) + " " + g.pick("+", "-", "*", "/", "%", "==", "!=", "<", ">=", "and", "or",
			"has", "!contains", "=~", "startswith") + " " + g.expr(depth+1)
	case 2:
		names := builtin.ScalarNames()
		fn := names[g.next(len(names))]
		var args []string
		for i := g.next(4); i > 0; i-- {
			args = append(args, g.expr(depth+1))
		}
		return fn + "(" + strings.Join(args, ", ") + ")"
	case 3:
		return g.expr(depth+1) + " in (" + g.leaf() + ", " + g.leaf() + ")"
	case 4:
		return "iff(" + g.expr(depth+1) + ", " + g.expr(depth+1) + ", " + g.expr(depth+1) + ")"
	}
	return g.pick("d.k", "d[0]", "d.a[1]", "-n", "t - 1d")
}

func (g *gen) leaf() string {
	if g.next(2) == 0 {
		return columns[g.next(len(columns))]
	}
	return g.pick("1", "0", "-1", "2.5", "'alpha'", "''", "datetime(2024-01-01)", "1h", "true", "dynamic([1,2])",
		"long(null)", "real(nan)", "9223372036854775807")
}

func (g *gen) operator() string {
	col := func() string { return columns[g.next(len(columns))] }
	switch g.next(14) {
	case 0:
		return "where " + g.expr(0)
	case 1:
		return "extend x" + fmt.Sprint(g.next(3)) + " = " + g.expr(0)
	case 2:
		return "project " + col() + ", " + col()
	case 3:
		aggs := builtin.AggregateNames()
		return "summarize " + aggs[g.next(len(aggs))] + "(" + col() + ") by " + col()
	case 4:
		return "sort by " + col() + " " + g.pick("asc", "desc")
	case 5:
		return "take " + g.pick("0", "1", "3")
	case 6:
		return "top 2 by " + col()
	case 7:
		return "distinct " + col()
	case 8:
		return "count"
	case 9:
		return "join kind=" + g.pick("inner", "leftouter", "rightanti", "fullouter", "innerunique") + " (T) on " + col()
	case 10:
		return "union T"
	case 11:
		return "mv-expand " + col()
	case 12:
		return "project-away " + col()
	}
	return "summarize count() by bin(" + col() + ", 1)"
}

// FuzzQuery runs generated queries over a small datatable: the engine may
// reject them with an error, but must never panic or report an internal error.
func FuzzQuery(f *testing.F) {
	for _, seed := range []string{"", "\x00\x01\x02", "abcdefghijklmnop", "\x03\x03\x03\x09\x09", "\xff\xfe\xfd\xfc"} {
		f.Add([]byte(seed))
	}
	e := &engine.Engine{Catalog: engine.Catalog{}, Now: func() time.Time { return time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC) }}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{data: data}
		q := "let T = " + source + ";\nT"
		for i := g.next(4) + 1; i > 0; i-- {
			q += "\n| " + g.operator()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := e.Query(ctx, q)
		if err != nil && strings.Contains(err.Error(), "internal error") {
			t.Fatalf("%s\n%v", q, err)
		}
	})
}
