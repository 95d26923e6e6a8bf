package builtin_test

import "testing"

const geoTestPark = `dynamic({"type":"Polygon","coordinates":[[[-73.9495,40.7969],[-73.95807266235352,40.80068603561921],[-73.98201942443848,40.76825672305777],[-73.97317886352539,40.76455136505513],[-73.9495,40.7969]]]})`

const geoTestDegenerate = `dynamic({"type": "Polygon","coordinates": [[[0,0],[10,10],[10,10],[0,0]]]})`

func TestGeoPolygon(t *testing.T) {
	testExprs(t, []exprCase{
		{`geo_point_in_polygon(-73.9657, 40.7826, ` + geoTestPark + `)`, "true", "bool"},
		{`geo_point_in_polygon(-73.9, 40.7826, ` + geoTestPark + `)`, "false", ""},
		{`geo_point_in_polygon(5, 5, dynamic({"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[4,4],[6,4],[6,6],[4,6],[4,4]]]}))`, "false", ""},
		{`geo_point_in_polygon(2, 2, dynamic({"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[4,4],[6,4],[6,6],[4,6],[4,4]]]}))`, "true", ""},
		{`geo_point_in_polygon(200, 1, dynamic({"type": "Polygon","coordinates": [[[0,0],[10,10],[10,1],[0,0]]]}))`, nullText, ""},
		{`geo_point_in_polygon(1, 1, ` + geoTestDegenerate + `)`, nullText, ""},
		{`round(geo_polygon_area(` + geoTestPark + `), 2)`, "3475207.28", "real"},
		{`geo_polygon_area(` + geoTestDegenerate + `)`, nullText, ""},
		{`round(geo_polygon_perimeter(` + geoTestPark + `), 6)`, "9930.301496", "real"},
		{`geo_polygon_perimeter(` + geoTestDegenerate + `)`, nullText, ""},
		{`round(todouble(geo_polygon_centroid(` + geoTestPark + `).coordinates[0]), 9)`, "-73.96573569", ""},
		{`round(todouble(geo_polygon_centroid(` + geoTestPark + `).coordinates[1]), 9)`, "40.782550538", ""},
		{`geo_polygon_centroid(` + geoTestDegenerate + `)`, nullText, ""},
		// Overlapping parts of a multipolygon count once.
		{`round(todouble(geo_polygon_centroid(dynamic({"type":"MultiPolygon","coordinates":[[[[-73.9495,40.7969],[-73.95807266235352,40.80068603561921],[-73.98201942443848,40.76825672305777],[-73.97317886352539,40.76455136505513],[-73.9495,40.7969]]],[[[-73.94262313842773,40.775991804565585],[-73.98107528686523,40.791849155467695],[-73.99600982666016,40.77092185281977],[-73.96150588989258,40.75609977566361],[-73.94262313842773,40.775991804565585]]]]})).coordinates[0]), 9)`, "-73.968569588", ""},
		{`round(geo_distance_point_to_polygon(-73.9839, 40.7705, ` + geoTestPark + `), 6)`, "259.940756", ""},
		{`geo_distance_point_to_polygon(-73.9657, 40.7826, ` + geoTestPark + `)`, "0", ""},
		{`geo_distance_point_to_polygon(1, 1, ` + geoTestDegenerate + `)`, nullText, ""},
		{`round(todouble(geo_closest_point_on_polygon(-73.9839, 40.7705, ` + geoTestPark + `).coordinates[1]), 9)`, "40.769359453", ""},
		{`geo_closest_point_on_polygon(500, 1, dynamic({"type": "Polygon","coordinates": [[[0,0],[10,10],[10,1],[0,0]]]}))`, nullText, ""},
	})
}

// Rows with different polygons must not share a remembered parse.
func TestGeoPointInPolygonPerRow(t *testing.T) {
	testTables(t, []tableCase{{
		name: "polygon per row",
		query: `datatable(name:string, p:dynamic)[
			"a", dynamic({"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}),
			"b", dynamic({"type":"Polygon","coordinates":[[[20,0],[30,0],[30,10],[20,10],[20,0]]]}),
			"c", dynamic({"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]})]
			| project name, in5 = geo_point_in_polygon(5, 5, p), in25 = geo_point_in_polygon(25, 5, p)`,
		want: []string{"a | true | false", "b | false | true", "c | true | false"},
	}})
}
