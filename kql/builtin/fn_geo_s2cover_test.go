package builtin_test

import "testing"

func TestGeoToS2Cells(t *testing.T) {
	park := `dynamic({"type":"Polygon","coordinates":[[[-73.9495,40.7969],[-73.95807266235352,40.80068603561921],[-73.98201942443848,40.76825672305777],[-73.97317886352539,40.76455136505513],[-73.9495,40.7969]]]})`
	street := `dynamic({"type":"LineString","coordinates":[[-0.1399656708283601,51.50190802248855],[-0.14088438832752104,51.50012082761452]]})`
	testExprs(t, []exprCase{
		{`geo_polygon_to_s2cells(` + park + `, 13)`, `["89c2588c","89c25894","89c2589c","89c258a4","89c258ec","89c258f4","89c2f61c","89c2f624"]`, "dynamic"},
		// Every point of the polygon falls in a covering cell.
		{`set_has_element(geo_polygon_to_s2cells(` + park + `, 16), geo_point_to_s2cell(-73.9657, 40.7826, 16))`, "true", ""},
		{`array_length(geo_polygon_to_s2cells(` + park + `))`, "2", ""},
		{`geo_polygon_to_s2cells(dynamic({"type":"Polygon","coordinates":[[[0,0],[0,50],[100,50],[0,0]]]}), 30)`, nullText, ""},
		{`geo_polygon_to_s2cells(` + park + `, 31)`, nullText, ""},
		{`geo_polygon_to_s2cells(` + street + `)`, nullText, ""},
		{`geo_line_to_s2cells(` + street + `, 14)`, `["487604d9"]`, ""},
		// A station 500 meters away is covered once the line is buffered.
		{`set_has_element(geo_line_to_s2cells(` + street + `, 14, 500), geo_point_to_s2cell(-0.13451078568013486, 51.49919145858172, 14))`, "true", ""},
		{`geo_line_to_s2cells(` + street + `, 14, -1)`, nullText, ""},
	})
}
