package builtin_test

import "testing"

func TestGeoPointToH3Cell(t *testing.T) {
	testExprs(t, []exprCase{
		{"geo_point_to_h3cell(-122.0553238, 37.3615593, 5)", "85283473fffffff", "string"},
		{"geo_point_to_h3cell(-73.956683, 40.807907, 6)", "862a1008fffffff", ""},
		{"geo_point_to_h3cell(-74.0, 40.72)", "862a1072fffffff", ""},
		{"geo_point_to_h3cell(0, 0, 0)", "8075fffffffffff", ""},
		{"geo_h3cell_level(geo_point_to_h3cell(1, 1, 10))", "10", "int"},
		{"geo_point_to_h3cell(1, 1, 16)", "", ""},
		{"geo_point_to_h3cell(1, 1, int(null))", "", ""},
		{"geo_point_to_h3cell(real(null), 1, 3)", "", ""},
		{"geo_point_to_h3cell(200, 1, 3)", "", ""},
		{"geo_point_to_h3cell(1, -91, 3)", "", ""},
	})
}

func TestGeoH3CellHierarchy(t *testing.T) {
	testExprs(t, []exprCase{
		{"geo_h3cell_level('862a1072fffffff')", "6", "int"},
		{"geo_h3cell_level('abc')", "<null>", ""},
		{"geo_h3cell_level('')", "<null>", ""},
		{"geo_h3cell_level('862a1072ffffff0')", "<null>", ""},
		{"geo_h3cell_parent('862a1072fffffff')", "852a1073fffffff", "string"},
		{"geo_h3cell_parent('862a1072fffffff', 1)", "812a3ffffffffff", ""},
		{"geo_h3cell_level(geo_h3cell_parent(geo_point_to_h3cell(1, 1, 10), 3))", "3", ""},
		{"geo_h3cell_parent('123')", "", ""},
		{"geo_h3cell_parent('862a1072fffffff', 100)", "", ""},
		{"geo_h3cell_parent('862a1072fffffff', 15)", "", ""},
		{"geo_h3cell_parent('8009fffffffffff')", "", ""},
		{"geo_h3cell_children('862a1072fffffff')",
			`["872a10728ffffff","872a10729ffffff","872a1072affffff","872a1072bffffff","872a1072cffffff","872a1072dffffff","872a1072effffff"]`, "dynamic"},
		{"array_length(geo_h3cell_children('862a1072fffffff', 9))", "343", ""},
		{"array_length(geo_h3cell_children('8009fffffffffff', 2))", "41", ""},
		{"geo_h3cell_children('abc')", "<null>", ""},
		{"geo_h3cell_children(geo_point_to_h3cell(1, 1, 9), 15)", "<null>", ""},
		{"geo_h3cell_children('862a1072fffffff', 5)", "<null>", ""},
	})
}

func TestGeoH3CellNeighborsAndRings(t *testing.T) {
	testExprs(t, []exprCase{
		{"geo_h3cell_neighbors('862a1072fffffff')",
			`["862a10727ffffff","862a10707ffffff","862a1070fffffff","862a10777ffffff","862a100dfffffff","862a100d7ffffff"]`, "dynamic"},
		// A pentagon has five neighbors.
		{"array_length(geo_h3cell_neighbors('8009fffffffffff'))", "5", ""},
		{"geo_h3cell_neighbors('abc')", "<null>", ""},
		{"geo_h3cell_rings('861f8894fffffff', 2)",
			`[["861f8894fffffff"],["861f88947ffffff","861f8895fffffff","861f88867ffffff","861f8d497ffffff","861f8d4b7ffffff","861f8896fffffff"],` +
				`["861f88967ffffff","861f88977ffffff","861f88957ffffff","861f8882fffffff","861f88877ffffff","861f88847ffffff","861f8886fffffff",` +
				`"861f8d49fffffff","861f8d487ffffff","861f8d4a7ffffff","861f8d59fffffff","861f8d597ffffff"]]`, "dynamic"},
		{"geo_h3cell_rings('861f8894fffffff', 0)", `[["861f8894fffffff"]]`, ""},
		{"geo_h3cell_rings('abc', 3)", "<null>", ""},
		{"geo_h3cell_rings('861f8894fffffff', -1)", "<null>", ""},
	})
}

func TestGeoH3CellShapes(t *testing.T) {
	testExprs(t, []exprCase{
		{"geo_h3cell_to_polygon('862a1072fffffff').type", "Polygon", ""},
		{"array_length(geo_h3cell_to_polygon('862a1072fffffff').coordinates[0])", "7", ""},
		{"round(todouble(geo_h3cell_to_polygon('862a1072fffffff').coordinates[0][0][0]), 10)", "-74.0022744646", ""},
		{"round(todouble(geo_h3cell_to_polygon('862a1072fffffff').coordinates[0][1][1]), 10)", "40.7279862225", ""},
		{"round(todouble(geo_h3cell_to_polygon('862a1072fffffff').coordinates[0][5][0]), 10)", "-73.971393761", ""},
		{"array_length(geo_h3cell_to_polygon('8009fffffffffff').coordinates[0])", "6", ""},
		{"geo_h3cell_to_polygon('@')", "<null>", ""},
		{"geo_h3cell_to_central_point('85283473fffffff').type", "Point", ""},
		{"round(todouble(geo_h3cell_to_central_point('85283473fffffff').coordinates[0]), 9)", "-121.976375973", ""},
		{"round(todouble(geo_h3cell_to_central_point('85283473fffffff').coordinates[1]), 9)", "37.345793375", ""},
		{"geo_h3cell_to_central_point('1')", "<null>", ""},
	})
}

func TestGeoPolygonToH3Cells(t *testing.T) {
	poly := `dynamic({"type":"Polygon","coordinates":[[[-3.659,40.553],[-3.913,40.409],[-3.729,40.273],[-3.524,40.440],[-3.659,40.553]]]})`
	multi := `dynamic({"type":"MultiPolygon","coordinates":[[[[-3.659,40.553],[-3.913,40.409],[-3.729,40.273],[-3.524,40.440],[-3.659,40.553]]]]})`
	testExprs(t, []exprCase{
		{"array_length(geo_polygon_to_h3cells(" + poly + "))", "13", ""},
		{"array_length(geo_polygon_to_h3cells(" + multi + ", 7))", "93", ""},
		{"array_length(geo_polygon_to_h3cells(" + poly + ", 8))", "663", ""},
		{"set_difference(geo_polygon_to_h3cells(" + poly + "), dynamic(['86390cb57ffffff','86390cb0fffffff','86390ca27ffffff'," +
			"'86390cb87ffffff','86390cb07ffffff','86390ca2fffffff','86390ca37ffffff','86390cb17ffffff','86390cb1fffffff','86390cb8fffffff'," +
			"'86390cba7ffffff','86390ca07ffffff','86390cbafffffff']))", "[]", ""},
		{`geo_polygon_to_h3cells(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,1]]]}))`, "<null>", ""},
		{`geo_polygon_to_h3cells(dynamic({"type":"Point","coordinates":[0,0]}))`, "<null>", ""},
		{"geo_polygon_to_h3cells(" + poly + ", 16)", "<null>", ""},
		{"geo_polygon_to_h3cells(dynamic(null))", "<null>", ""},
		{"geo_polygon_to_h3cells(" + poly + ", 6, -1)", "<null>", ""},
		{"array_length(geo_polygon_to_h3cells(" + poly + ", 6, 0))", "13", ""},
		// A 5 km buffer takes in the ring of cells around the polygon.
		{"array_length(geo_polygon_to_h3cells(" + poly + ", 6, 5000))", "27", ""},
		{"array_length(set_difference(geo_polygon_to_h3cells(" + poly + "), geo_polygon_to_h3cells(" + poly + ", 6, 5000)))", "0", ""},
	})
}
