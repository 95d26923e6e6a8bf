package builtin_test

import "testing"

func TestGeoFromWKT(t *testing.T) {
	testExprs(t, []exprCase{
		{`geo_from_wkt("POINT (1 2)")`, `{"type":"Point","coordinates":[1,2]}`, "dynamic"},
		{`geo_from_wkt("LINESTRING (1 2, 3 4)")`, `{"type":"LineString","coordinates":[[1,2],[3,4]]}`, ""},
		{`geo_from_wkt("POLYGON ((0 0, 2 0, 2 2, 0 0))")`, `{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,0]]]}`, ""},
		{`geo_from_wkt("MULTIPOINT (1 1, 2 2)")`, `{"type":"MultiPoint","coordinates":[[1,1],[2,2]]}`, ""},
		{`geo_from_wkt("MULTIPOINT ((1 1), (2.5 -2))")`, `{"type":"MultiPoint","coordinates":[[1,1],[2.5,-2]]}`, ""},
		{`geo_from_wkt("MULTILINESTRING ((1 1, 2 2), (4 4, 5 5))")`, `{"type":"MultiLineString","coordinates":[[[1,1],[2,2]],[[4,4],[5,5]]]}`, ""},
		{`geo_from_wkt("MULTIPOLYGON (((0 0, 2 0, 2 2, 0 0)),((10 10, 12 10, 12 12, 10 10)))")`,
			`{"type":"MultiPolygon","coordinates":[[[[0,0],[2,0],[2,2],[0,0]]],[[[10,10],[12,10],[12,12],[10,10]]]]}`, ""},
		{`geo_from_wkt("GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(1 2, 3 4))")`,
			`{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"LineString","coordinates":[[1,2],[3,4]]}]}`, ""},
		{`geo_from_wkt("POINT (1)")`, nullText, ""},
		{`geo_from_wkt("POINT (1 2) x")`, nullText, ""},
		{`geo_from_wkt("")`, nullText, ""},
	})
}
