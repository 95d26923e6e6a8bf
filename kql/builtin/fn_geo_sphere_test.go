package builtin_test

import "testing"

func TestGeoSphere(t *testing.T) {
	testExprs(t, []exprCase{
		{"round(geo_distance_2points(-122.407628, 47.578557, -118.275287, 34.019056), 4)", "1546754.352", "real"},
		{"geo_distance_2points(1, 1, 1, 1)", "0", ""},
		{"geo_distance_2points(300, 1, 1, 1)", nullText, ""},
		{"geo_distance_2points(real(null), 1, 1, 1)", nullText, ""},
		{"geo_point_in_circle(-122.143564, 47.535677, -122.100896, 47.527351, 3500)", "true", "bool"},
		{"geo_point_in_circle(-122.137575, 47.630683, -122.100896, 47.527351, 3500)", "false", ""},
		{"geo_point_in_circle(200, 1, 1, 1, 1)", nullText, ""},
		{"geo_point_in_circle(1, 1, 1, 1, -1)", nullText, ""},
		{"round(geo_azimuth(5, 10, 10, -40), 10)", "3.054599398", "real"},
		{"round(degrees(geo_azimuth(5, 10, 10, -40)), 6)", "175.015654", ""},
		{"isnull(geo_azimuth(5, 10, 5, 10))", "true", ""},
	})
}

func TestGeoAngle(t *testing.T) {
	testExprs(t, []exprCase{
		{"round(geo_angle(0, 10, 0, 5, 3, -10), 10)", "2.9449384341", "real"},
		{"round(geo_angle(0, 10, 0, 5, -3, -10), 10)", "3.3382468731", ""},
		{"isnull(geo_angle(0, 10, 0, 10, 3, -10))", "true", ""},
		{"geo_angle(0, 100, 0, 5, 3, -10)", nullText, ""},
	})
}
