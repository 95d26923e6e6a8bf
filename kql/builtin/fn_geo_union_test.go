package builtin_test

import "testing"

func TestGeoUnionPolygonsArray(t *testing.T) {
	sq := func(x0, y0, x1, y1 string) string {
		return `{"type":"Polygon","coordinates":[[[` + x0 + `,` + y0 + `],[` + x1 + `,` + y0 + `],[` + x1 + `,` + y1 + `],[` + x0 + `,` + y1 + `],[` + x0 + `,` + y0 + `]]]}`
	}
	testExprs(t, []exprCase{
		// Adjacent squares lose their shared edge.
		{`geo_union_polygons_array(dynamic([` + sq("0", "0", "1", "1") + `,` + sq("1", "0", "2", "1") + `]))`,
			`{"type":"Polygon","coordinates":[[[0,0],[1,0],[2,0],[2,1],[1,1],[0,1],[0,0]]]}`, "dynamic"},
		// A clockwise ring is taken as the same polygon.
		{`geo_union_polygons_array(dynamic([{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[1,0],[0,0]]]}]))`,
			`{"type":"Polygon","coordinates":[[[1,0],[1,1],[0,1],[0,0],[1,0]]]}`, ""},
		{`geo_union_polygons_array(dynamic([` + sq("0", "0", "1", "1") + `,` + sq("5", "5", "6", "6") + `])).type`, `MultiPolygon`, ""},
		{`geo_union_polygons_array(dynamic([` + sq("0", "0", "4", "4") + `,` + sq("1", "1", "2", "2") + `]))`,
			`{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]]]}`, ""},
		{`round(geo_polygon_area(geo_union_polygons_array(dynamic([` + sq("0", "0", "2", "2") + `,` + sq("1", "1", "3", "3") + `]))) / geo_polygon_area(dynamic(` + sq("0", "0", "1", "1") + `)), 1)`, "7", ""},
		{`geo_union_polygons_array(dynamic([{"type":"Polygon","coordinates":[[[0,0]]]}]))`, nullText, ""},
		{`geo_union_polygons_array(dynamic([]))`, nullText, ""},
	})
}

func TestGeoIntersection2Polygons(t *testing.T) {
	testExprs(t, []exprCase{
		{`geo_intersection_2polygons(dynamic({"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]]]}), dynamic({"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,2],[1,1]]]}))`,
			`{"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,2],[1,1]]]}`, "dynamic"},
		{`round(geo_polygon_area(geo_intersection_2polygons(dynamic({"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,2],[0,0]]]}), dynamic({"type":"Polygon","coordinates":[[[1,1],[3,1],[3,3],[1,3],[1,1]]]}))) / geo_polygon_area(dynamic({"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,2],[1,1]]]})), 3)`, "1", ""},
		{`geo_intersection_2polygons(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}), dynamic({"type":"Polygon","coordinates":[[[5,5],[6,5],[6,6],[5,5]]]}))`,
			`{"type":"GeometryCollection","geometries":[]}`, ""},
		// Polygons touching at a vertex share that point.
		{`geo_intersection_2polygons(dynamic({"type":"Polygon","coordinates":[[[2,45],[0,45],[1,44],[2,45]]]}), dynamic({"type":"Polygon","coordinates":[[[3,44],[2,45],[2,43],[3,44]]]}))`,
			`{"type":"Point","coordinates":[2,45]}`, ""},
		{`geo_intersection_2polygons(dynamic({"type":"Polygon"}), dynamic({"type":"Polygon","coordinates":[[[5,5],[6,5],[6,6],[5,5]]]}))`, nullText, ""},
	})
}

func TestGeoSimplifyPolygonsArray(t *testing.T) {
	testExprs(t, []exprCase{
		{`geo_simplify_polygons_array(dynamic([{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}, {"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}]))`,
			// On the equator the middle vertex is on the geodesic and goes; at
			// latitude 1 the parallel bows 17 meters from it and stays.
			`{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,1],[1,1],[0,1],[0,0]]]}`, "dynamic"},
		{`geo_simplify_polygons_array(dynamic([{"type":"Polygon","coordinates":[[[-73.94622,40.79249]]]}]))`, nullText, ""},
		{`geo_simplify_polygons_array(dynamic([{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}]), -1)`, nullText, ""},
	})
}
