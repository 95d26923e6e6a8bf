package builtin_test

import "testing"

const geoTestLine = `dynamic({"type":"LineString","coordinates":[[-73.95807266235352,40.800426144169315],[-73.94966125488281,40.79691751000055],[-73.97317886352539,40.764486356930334],[-73.98210525512695,40.76786669510221],[-73.96004676818848,40.7980870753293]]})`

func TestGeoLine(t *testing.T) {
	testExprs(t, []exprCase{
		{`round(geo_line_length(dynamic({"type":"LineString","coordinates":[[-73.95807266235352,40.800426144169315],[-73.94966125488281,40.79691751000055],[-73.97317886352539,40.764486356930334]]})), 6)`, "4922.48017", "real"},
		{`round(geo_line_length(dynamic({"type":"MultiLineString","coordinates":[[[-73.95798683166502,40.800556090021466],[-73.98193359375,40.76819171855746]],[[-73.94940376281738,40.79691751000055],[-73.97317886352539,40.76435634049001]]]})), 6)`, "8262.243398", ""},
		{`geo_line_length(dynamic({"type":"LineString","coordinates":[[1, 1]]}))`, nullText, ""},
		{`geo_line_length(dynamic(null))`, nullText, ""},
		{`round(todouble(geo_line_centroid(` + geoTestLine + `).coordinates[0]), 10)`, "-73.9660675627", ""},
		{`geo_line_centroid(dynamic({"type":"LineString","coordinates":[[1, 1]]}))`, nullText, ""},
		{`round(todouble(geo_line_interpolate_point(` + geoTestLine + `, 0.9).coordinates[0]), 10)`, "-73.9655654583", ""},
		{`geo_line_interpolate_point(dynamic({"type":"LineString","coordinates":[[1, 1]]}), 0.5)`, nullText, ""},
		{`geo_line_interpolate_point(` + geoTestLine + `, 1.5)`, nullText, ""},
		{`round(geo_line_locate_point(dynamic({"type":"LineString","coordinates":[[0, 0], [10, 0]]}), 5, 1), 9)`, "0.5", "real"},
		{`geo_line_locate_point(dynamic({"type":"LineString","coordinates":[[1, 1]]}), 1, 1)`, nullText, ""},
		{`geo_distance_point_to_line(1, 1, dynamic({"type":"LineString"}))`, nullText, ""},
		{`geo_distance_point_to_line(300, 3, dynamic({"type":"LineString","coordinates":[[1,1],[2,2]]}))`, nullText, ""},
		{`round(geo_distance_point_to_line(5, 1, dynamic({"type":"LineString","coordinates":[[0,0],[10,0]]})), 3)`, "111195.101", ""},
		{`round(todouble(geo_closest_point_on_line(-115.199625, 36.210419, dynamic({"type":"LineString","coordinates":[[-115.183289,36.175007],[-115.192612,36.176736],[-115.202485,36.173439]]})).coordinates[0]), 6)`, "-115.192612", ""},
		{`geo_closest_point_on_line(1, 1, dynamic({"type":"LineString"}))`, nullText, ""},
	})
}
