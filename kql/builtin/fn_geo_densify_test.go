package builtin_test

import "testing"

func TestGeoDensify(t *testing.T) {
	testExprs(t, []exprCase{
		{`tostring(geo_line_densify(dynamic({"type":"LineString","coordinates":[[50, 50], [51, 51]]})))`,
			`{"type":"LineString","coordinates":[[50,50],[50.125,50.125],[50.25,50.25],[50.375,50.375],[50.5,50.5],[50.625,50.625],[50.75,50.75],[50.875,50.875],[51,51]]}`, "string"},
		{`geo_line_densify(dynamic({"type":"LineString","coordinates":[[-73.949247, 40.796860],[-73.973017, 40.764323]]}))`,
			`{"type":"LineString","coordinates":[[-73.949247,40.79686],[-73.973017,40.764323]]}`, "dynamic"},
		{`geo_line_densify(dynamic({"type":"LineString","coordinates":[[300,1],[1,1]]}))`, nullText, ""},
		{`geo_line_densify(dynamic({"type":"LineString","coordinates":[[1,1],[2,2]]}), 0)`, nullText, ""},
		{`geo_line_densify(dynamic({"type":"Polygon","coordinates":[[[10,10],[11,10],[11,11],[10,10]]]}))`, nullText, ""},
		{`geo_polygon_densify(dynamic({"type":"Polygon","coordinates":[[[10,10],[11,10],[11,11],[10,11],[10,10]]]}))`,
			`{"type":"Polygon","coordinates":[[[10,10],[10.25,10],[10.5,10],[10.75,10],[11,10],[11,11],[10.75,11],[10.5,11],[10.25,11],[10,11],[10,10]]]}`, ""},
		{`geo_polygon_densify(dynamic({"type":"Polygon","coordinates":[[[10,900],[11,10],[11,11],[10,11],[10,10]]]}))`, nullText, ""},
		{`geo_polygon_densify(dynamic({"type":"Polygon","coordinates":[[[10,10],[11,10],[11,11],[10,11],[10,10]]]}), 0)`, nullText, ""},
	})
}
