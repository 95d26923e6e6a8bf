package check_test

import (
	"testing"

	"github.com/idlogs/idlogs/kql/check"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
)

const graphEdges = `datatable(s:string, d:string, w:long)[] | make-graph s --> d with_node_id=id `

func TestGraphSchemas(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{graphEdges + `| graph-match (x)-[e]->(y) project x.id, w = e.w`, "x_id:string, w:long"},
		{graphEdges + `| graph-match (x)-[e*1..2]->(y) project ws = map(e, w), e.w, all(e, w > 1)`, "ws:dynamic, e_w:dynamic, Column1:bool"},
		{graphEdges + `| graph-match (x)-->(y) project node_degree_in(x)`, "node_degree_in:long"},
		{graphEdges + `| graph-to-table edges with_source_id=a`, "a:long, s:string, d:string, w:long"},
		{graphEdges + `| graph-mark-components | graph-to-table nodes`, "id:string, ComponentId:long"},
		{graphEdges + `| graph-match (x)-[e*1..2]->(y) project x.w`, "1:120: 'x' has no property 'w'"},
		{graphEdges + `| graph-match (x)-[e*2..1]->(y) project x.id`, "1:95: the length of a variable-length edge must be within 0..64, with min <= max"},
		{graphEdges + `| graph-match (x)-[e*1..2]->(y) where map(e, w) project x.id`, "1:116: the where clause of graph-match must be a bool, not dynamic"},
		{`datatable(s:string)[] | graph-to-table nodes`, "1:25: graph-to-table needs a graph: put make-graph before it"},
	} {
		if got := schemaOf(tc.q); got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestGraphNodeFilters checks which conjuncts of where become node
// filters: those reading one node variable alone.
func TestGraphNodeFilters(t *testing.T) {
	for _, tc := range []struct {
		where string
		vars  []int
	}{
		{`x.id == "a"`, []int{0}},
		{`x.id == "a" and node_degree_out(y) > 1 and e.w > 2`, []int{0, 2}},
		{`x.id == "a" or y.id == "b"`, nil},
		{`x.id == y.id`, nil},
		{`true`, nil},
	} {
		q := graphEdges + `| graph-match (x)-[e]->(y) where ` + tc.where + ` project x.id`
		script, err := syntax.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		res, err := check.Check(q, script, check.Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.where, err)
		}
		var vars []int
		for _, f := range res.Results[0].Plan.(*plan.GraphMatch).NodeFilters {
			vars = append(vars, f.Var)
		}
		if len(vars) != len(tc.vars) || (len(vars) > 0 && vars[0] != tc.vars[0]) || (len(vars) > 1 && vars[1] != tc.vars[1]) {
			t.Errorf("%s: filters on %v, want %v", tc.where, vars, tc.vars)
		}
	}
}

// TestGraphEdgeFilters checks which conjuncts of where become edge
// filters: those reading one edge variable, or one path variable alone.
func TestGraphEdgeFilters(t *testing.T) {
	for _, tc := range []struct {
		pattern, where string
		want           int
	}{
		{`(x)-[e]->(y)`, `e.w > 1 and x.id == "a"`, 1},
		{`(x)-[e*1..3]->(y)`, `e.w > 1 and x.id == "a"`, 1},
		{`(x)-[e*1..3]->(y)`, `e.w > 1 or x.id == "a"`, 0},
		{`(x)-[e]->(y)`, `x.id == "a"`, 0},
	} {
		q := graphEdges + `| graph-match ` + tc.pattern + ` where ` + tc.where + ` project x.id`
		script, err := syntax.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		res, err := check.Check(q, script, check.Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.where, err)
		}
		if got := len(res.Results[0].Plan.(*plan.GraphMatch).EdgeFilters); got != tc.want {
			t.Errorf("%s where %s: %d edge filters, want %d", tc.pattern, tc.where, got, tc.want)
		}
	}
}
