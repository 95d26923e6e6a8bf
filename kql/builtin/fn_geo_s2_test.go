package builtin_test

import "testing"

func TestGeoS2Cell(t *testing.T) {
	testExprs(t, []exprCase{
		{"geo_point_to_s2cell(-80.195829, 25.802215, 8)", "88d9b", "string"},
		{"geo_point_to_s2cell(10.1234, 53, 8)", "47b1d", ""},
		{"geo_point_to_s2cell(10.6842, 53, 8)", "47ae3", ""},
		{"geo_point_to_s2cell(-0.12433080766874127, 51.51115841361647, 22)", "487604cc6c8b", ""},
		{"geo_point_to_s2cell(300, 1, 8)", "", ""},
		{"geo_point_to_s2cell(1, 1, int(null))", "", ""},
		{"geo_point_to_s2cell(1, 1, 31)", "", ""},
		{`round(todouble(geo_s2cell_to_central_point("1234567").coordinates[0]), 10)`, "9.8683073185", ""},
		{`round(todouble(geo_s2cell_to_central_point("1234567").coordinates[1]), 10)`, "27.4683929258", ""},
		{`geo_s2cell_to_central_point("a")`, nullText, ""},
		{`geo_s2cell_to_central_point("")`, nullText, ""},
		{`round(todouble(geo_s2cell_to_polygon("89c259").coordinates[0][2][0]), 10)`, "-73.9359821143", ""},
		{`round(todouble(geo_s2cell_to_polygon("89c259").coordinates[0][2][1]), 10)`, "40.7088804898", ""},
		{`array_length(geo_s2cell_to_polygon("89c259").coordinates[0])`, "5", ""},
		{`geo_s2cell_to_polygon("a")`, nullText, ""},
		{`geo_s2cell_neighbors("89c259")`, `["89c25d","89c2f9","89c251","89c257","89c25f","89c25b","89c2f7","89c2f5"]`, "dynamic"},
		{`geo_s2cell_neighbors("1")`, `["3","9","b","5"]`, ""},
		{`geo_s2cell_neighbors("a")`, nullText, ""},
	})
}
