package builtin_test

import "testing"

func TestGeoSimplify(t *testing.T) {
	testExprs(t, []exprCase{
		{`geo_line_simplify(dynamic({"type":"LineString","coordinates":[[0,0],[0.00001,0.00001],[0.0001,0],[1,0]]}), 10)`,
			`{"type":"LineString","coordinates":[[0,0],[1,0]]}`, "dynamic"},
		{`geo_line_simplify(dynamic({"type":"LineString","coordinates":[[0,0],[0.5,0.5],[1,0]]}))`,
			`{"type":"LineString","coordinates":[[0,0],[0.5,0.5],[1,0]]}`, ""},
		{`geo_line_simplify(dynamic({"type":"LineString","coordinates":[[1,1],[2,2]]}), -1)`, nullText, ""},
		{`geo_line_simplify(dynamic({"type":"LineString","coordinates":[[1,1]]}))`, nullText, ""},
		{`geo_polygon_simplify(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,0.00001],[1,1],[0,0]]]}))`,
			`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}`, ""},
		{`geo_polygon_simplify(dynamic({"type":"Polygon","coordinates":[[[5,48],[0,50],[0,47],[4,47],[5,48]]]}), 1000000)`, nullText, ""},
		{`geo_polygon_simplify(dynamic({"type":"Polygon","coordinates":[[[5,48],[5,48]]]}))`, nullText, ""},
	})
}
