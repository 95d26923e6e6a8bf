package builtin_test

import "testing"

func TestGeoGeohash(t *testing.T) {
	testExprs(t, []exprCase{
		{"geo_point_to_geohash(-80.195829, 25.802215, 8)", "dhwfz15h", "string"},
		{"geo_point_to_geohash(-80.195829, 25.802215)", "dhwfz", ""},
		{"geo_point_to_geohash(1, 1, int(null))", "", ""},
		{"geo_point_to_geohash(1, 1, 19)", "", ""},
		{"geo_point_to_geohash(200, 1)", "", ""},
		{`geo_geohash_to_central_point("sunny")`, `{"type":"Point","coordinates":[42.47314453125,23.70849609375]}`, "dynamic"},
		{`geo_geohash_to_central_point("a")`, nullText, ""},
		{`geo_geohash_to_central_point("")`, nullText, ""},
		{`geo_geohash_to_polygon("dr5ru")`, `{"type":"Polygon","coordinates":[[[-74.00390625,40.7373046875],[-73.9599609375,40.7373046875],[-73.9599609375,40.78125],[-74.00390625,40.78125],[-74.00390625,40.7373046875]]]}`, ""},
		{`geo_geohash_neighbors("sunny")`, `["sunnt","sunpj","sunnx","sunpn","sunnv","sunpp","sunnz","sunnw"]`, ""},
		{`geo_geohash_neighbors("a")`, nullText, ""},
	})
}
