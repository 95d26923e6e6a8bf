package builtin_test

import "testing"

func TestGeoIntersection(t *testing.T) {
	line := `dynamic({"type":"LineString","coordinates":[[-73.978929,40.785155],[-73.980903,40.782621]]})`
	poly := `dynamic({"type":"Polygon","coordinates":[[[-90.263,36.738],[-102.041,45.274],[-109.335,36.527],[-90.263,36.738]],[[-100.393,41.705],[-103.139,38.925],[-97.558,39.113],[-100.393,41.705]]]})`
	testExprs(t, []exprCase{
		{`geo_intersection_2lines(` + line + `, ` + line + `)`, `{"type":"LineString","coordinates":[[-73.978929,40.785155],[-73.980903,40.782621]]}`, "dynamic"},
		{`geo_intersection_2lines(dynamic({"type":"LineString","coordinates":[[1,1],[2,2]]}), dynamic({"type":"LineString","coordinates":[[3,3],[4,4]]}))`, `{"type":"GeometryCollection","geometries":[]}`, ""},
		{`geo_intersection_2lines(dynamic({"type":"LineString","coordinates":[[0,0],[2,0]]}), dynamic({"type":"LineString","coordinates":[[1,0],[3,0]]}))`, `{"type":"LineString","coordinates":[[2,0],[1,0]]}`, ""},
		{`geo_intersection_2lines(dynamic({"type":"LineString","coordinates":[[0,0],[2,0]]}), dynamic({"type":"LineString","coordinates":[[2,0],[3,1]]}))`, `{"type":"Point","coordinates":[2,0]}`, ""},
		{`round(todouble(geo_intersection_2lines(dynamic({"type":"LineString","coordinates":[[0,0],[2,2]]}), dynamic({"type":"LineString","coordinates":[[0,2],[2,0]]})).coordinates[1]), 6)`, "1.000457", ""},
		{`geo_intersection_2lines(` + line + `, dynamic({"type":"Polygon","coordinates":[]}))`, nullText, ""},
		{`round(todouble(geo_intersection_line_with_polygon(dynamic({"type":"LineString","coordinates":[[-110.522,39.198],[-91.428,40.880]]}), ` + poly + `).coordinates[1][0][0]), 6)`, "-99.136499", ""},
		{`array_length(geo_intersection_line_with_polygon(dynamic({"type":"LineString","coordinates":[[-110.522,39.198],[-91.428,40.880]]}), ` + poly + `).coordinates)`, "2", ""},
		{`geo_intersection_line_with_polygon(dynamic({"type":"LineString","coordinates":[[1,1],[2,2]]}), ` + poly + `)`, `{"type":"GeometryCollection","geometries":[]}`, ""},
		{`geo_intersection_line_with_polygon(dynamic({"type":"LineString","coordinates":[[1,1]]}), ` + poly + `)`, nullText, ""},
	})
}

func TestGeoUnionLinesArray(t *testing.T) {
	testExprs(t, []exprCase{
		{`geo_union_lines_array(dynamic([{"type":"LineString","coordinates":[[0,0],[1,1],[2,2]]}, {"type":"LineString","coordinates":[[1,1],[2,2],[3,3]]}, {"type":"LineString","coordinates":[[2,2],[1,1]]}]))`,
			`{"type":"LineString","coordinates":[[0,0],[1,1],[2,2],[3,3]]}`, "dynamic"},
		{`geo_union_lines_array(dynamic([{"type":"LineString","coordinates":[[0,0],[1,1]]}, {"type":"LineString","coordinates":[[5,5],[6,6]]}]))`,
			`{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[5,5],[6,6]]]}`, ""},
		{`geo_union_lines_array(dynamic([{"type":"LineString","coordinates":[[0,0]]}]))`, nullText, ""},
		{`geo_union_lines_array(dynamic([]))`, nullText, ""},
		{`geo_union_lines_array(dynamic(null))`, nullText, ""},
	})
}
