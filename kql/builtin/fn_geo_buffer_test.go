package builtin_test

import "testing"

func TestGeoPointBuffer(t *testing.T) {
	b := `geo_point_buffer(-115.1745008278, 36.1497251277, 20000)`
	testExprs(t, []exprCase{
		{`tostring(` + b + `.type)`, "Polygon", ""},
		{`geo_point_in_polygon(-115.1745008278, 36.1497251277, ` + b + `)`, "true", ""},
		// A point just inside the radius is inside, one well outside is not.
		{`geo_point_in_polygon(-115.1745008278, 36.1497251277 + 19990.0 / 111195.1, ` + b + `)`, "true", ""},
		{`geo_point_in_polygon(-115.1745008278, 36.1497251277 + 20100.0 / 111195.1, ` + b + `)`, "false", ""},
		{`round(geo_polygon_area(` + b + `) / (pi() * 20000 * 20000), 2)`, "1", ""},
		{`isnull(geo_point_buffer(200, 1, 0.1))`, "true", ""},
		{`isnull(geo_point_buffer(10, 10, -1))`, "true", ""},
		{`isnull(geo_point_buffer(10, 10, 1000, 0.0000001))`, "true", ""},
	})
}

func TestGeoShapeBuffer(t *testing.T) {
	line := `dynamic({"type":"LineString","coordinates":[[-80.66634997047466,24.894526340592122],[-80.67373241820246,24.890808090321286]]})`
	park := `dynamic({"type":"Polygon","coordinates":[[[139.813757,35.719666],[139.72558,35.71813],[139.727471,35.653231],[139.818721,35.657264],[139.813757,35.719666]]]})`
	testExprs(t, []exprCase{
		// A band 8 meters wide along 848 meters, with round ends.
		{`round(geo_polygon_area(geo_line_buffer(` + line + `, 4, 0.1)) / (8 * geo_line_length(` + line + `) + pi() * 16), 2)`, "1", ""},
		{`geo_point_in_polygon(-80.67, 24.89269, geo_line_buffer(` + line + `, 4))`, "true", ""},
		{`geo_point_in_polygon(-80.67, 24.8937, geo_line_buffer(` + line + `, 4))`, "false", ""},
		{`isnull(geo_line_buffer(dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]}), 0))`, "true", ""},
		{`isnull(geo_line_buffer(` + park + `, 10))`, "true", ""},
		{`geo_point_in_polygon(139.9, 35.69, geo_polygon_buffer(` + park + `, 10000))`, "true", ""},
		{`geo_point_in_polygon(139.95, 35.69, geo_polygon_buffer(` + park + `, 10000))`, "false", ""},
		{`geo_point_in_polygon(139.77, 35.69, geo_polygon_buffer(` + park + `, 10000))`, "true", ""},
		{`isnull(geo_polygon_buffer(dynamic({"type":"p"}), 1))`, "true", ""},
		{`isnull(geo_polygon_buffer(dynamic({"type":"Polygon","coordinates":[[[10,10],[0,10],[0,0],[10,10]]]}), 0))`, "true", ""},
	})
}
