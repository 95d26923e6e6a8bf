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
