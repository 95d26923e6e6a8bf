package exec_test

import "testing"

// basketData has 10 rows; at a threshold of 0.3 the closed frequent
// patterns are worked out by hand in TestBasket.
const basketData = `datatable(State:string, EventType:string, Damage:string, N:long)[
	"TX","Hail","NO",0, "TX","Hail","NO",0, "TX","Hail","NO",0, "TX","Hail","NO",0,
	"TX","Wind","YES",5, "TX","Wind","YES",5,
	"OK","Hail","NO",0, "OK","Hail","NO",0, "OK","Hail","NO",0,
	"OK","Wind","NO",0]`

func TestBasket(t *testing.T) {
	runPluginCases(t, nil, []pluginCase{
		// {Damage=NO} alone covers the same 8 rows as {Damage=NO, N=0}, so
		// only the larger pattern is shown; {TX, Wind} (2 rows) is rare.
		{"closed patterns", basketData + ` | evaluate basket(0.3)`, `
SegmentId:int | Count:long | Percent:real | State:string | EventType:string | Damage:string | N:long
0 | 8 | 80 |  |  | NO | 0
1 | 7 | 70 |  | Hail | NO | 0
2 | 6 | 60 | TX |  |  | null
3 | 4 | 40 | OK |  | NO | 0
4 | 4 | 40 | TX | Hail | NO | 0
5 | 3 | 30 |  | Wind |  | null
6 | 3 | 30 | OK | Hail | NO | 0`},
		{"max dimensions and wildcards", basketData + ` | evaluate basket(0.3, '~', 1, '*', long(-1))`, `
SegmentId:int | Count:long | Percent:real | State:string | EventType:string | Damage:string | N:long
0 | 8 | 80 | * | * | NO | -1
1 | 8 | 80 | * | * | * | 0
2 | 7 | 70 | * | Hail | * | -1
3 | 6 | 60 | TX | * | * | -1
4 | 4 | 40 | OK | * | * | -1
5 | 3 | 30 | * | Wind | * | -1`},
		{"weight column", `datatable(k:string, w:long)["a",9,"b",1] | evaluate basket(0.5, w)`, `
SegmentId:int | Count:long | Percent:real | k:string
0 | 9 | 90 | a`},
		{"empty input", `datatable(k:string)[] | evaluate basket()`, `
SegmentId:int | Count:long | Percent:real | k:string`},
		{"threshold out of range", `datatable(k:string)[] | evaluate basket(2)`, "error: Threshold must be a ratio"},
		{"numeric weight", `datatable(k:string)[] | evaluate basket(0.1, k)`, "error: WeightColumn must be numeric"},
	})
}
