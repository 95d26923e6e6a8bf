package builtin_test

import "testing"

func TestGeoIntersects(t *testing.T) {
	line1 := `dynamic({"type":"LineString","coordinates":[[-73.978929,40.785155],[-73.980903,40.782621]]})`
	sq := `dynamic({"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]})`
	testExprs(t, []exprCase{
		{`geo_intersects_2lines(` + line1 + `, dynamic({"type":"LineString","coordinates":[[-73.985195,40.788275],[-73.974552,40.779761]]}))`, "true", "bool"},
		{`geo_intersects_2lines(` + line1 + `, dynamic({"type":"LineString","coordinates":[[-73.985195,40.788275],[-73.984552,40.789761]]}))`, "false", ""},
		{`geo_intersects_2lines(dynamic({"type":"LineString","coordinates":[[0,0],[2,0]]}), dynamic({"type":"LineString","coordinates":[[2,0],[3,1]]}))`, "true", ""},
		{`geo_intersects_2lines(` + line1 + `, dynamic({"type":"LineString","coordinates":[[-73.985195,40.788275]]}))`, nullText, ""},
		{`geo_intersects_2polygons(` + sq + `, dynamic({"type":"Polygon","coordinates":[[[5,5],[15,5],[15,15],[5,5]]]}))`, "true", "bool"},
		{`geo_intersects_2polygons(` + sq + `, dynamic({"type":"Polygon","coordinates":[[[2,2],[3,2],[3,3],[2,2]]]}))`, "true", ""},
		{`geo_intersects_2polygons(` + sq + `, dynamic({"type":"Polygon","coordinates":[[[20,20],[30,20],[30,30],[20,20]]]}))`, "false", ""},
		{`geo_intersects_2polygons(dynamic({"type":"Polygon"}), ` + sq + `)`, nullText, ""},
		{`geo_intersects_line_with_polygon(dynamic({"type":"LineString","coordinates":[[-5,5],[15,5]]}), ` + sq + `)`, "true", "bool"},
		{`geo_intersects_line_with_polygon(dynamic({"type":"LineString","coordinates":[[2,2],[3,3]]}), ` + sq + `)`, "true", ""},
		{`geo_intersects_line_with_polygon(dynamic({"type":"LineString","coordinates":[[20,20],[30,30]]}), ` + sq + `)`, "false", ""},
		{`geo_intersects_line_with_polygon(dynamic({"type":"LineString","coordinates":[[20,20]]}), ` + sq + `)`, nullText, ""},
	})
}
