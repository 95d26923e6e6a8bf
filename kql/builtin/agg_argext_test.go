package builtin_test

import "testing"

const argFruits = `datatable(Fruit: string, Color: string, Version: int) [
	"Apple", "Red", 1,
	"Apple", "Green", int(null),
	"Banana", "Yellow", int(null),
	"Banana", "Green", int(null),
	"Pear", "Brown", 1,
	"Pear", "Green", 2,
]`

func TestArgMax(t *testing.T) {
	aggRun(t, []aggCase{
		{name: "star and nulls", query: argFruits + `| summarize arg_max(Version, *) by Fruit`,
			header: "Fruit:string Version:int Color:string",
			rows:   []string{"Apple|1|Red", "Banana||Yellow", "Pear|2|Green"}},
		{name: "arg_min", query: argFruits + `| summarize arg_min(Version, *) by Fruit`,
			header: "Fruit:string Version:int Color:string",
			rows:   []string{"Apple|1|Red", "Banana||Yellow", "Pear|1|Brown"}},
		{name: "explicit columns", query: argFruits + `| summarize arg_max(Version, Color, Fruit)`,
			header: "Version:int Color:string Fruit:string", rows: []string{"2|Green|Pear"}},
		{name: "ties keep the first row", query: `datatable(k:long, v:string)[1,"a",1,"b",0,"c"] | summarize arg_max(k, v), arg_min(k, v)`,
			header: "k:long v:string k1:long v1:string", rows: []string{"1|a|0|c"}},
		{name: "tuple names", query: `datatable(f:long, n:string, l:long)[1,"a",2, 1,"b",5, 0,"c",9]
			| summarize (generations, name) = arg_max(l, n) by f`,
			header: "f:long generations:long name:string", rows: []string{"1|5|b", "0|9|c"}},
		{name: "single name", query: `datatable(x:long, y:string)[1,"a",3,"b"] | summarize m = arg_max(x, y)`,
			header: "m:long y:string", rows: []string{"3|b"}},
		{name: "unnamed expressions", query: `datatable(x:long, y:long)[1,10,3,20] | summarize arg_max(x * 2, y + 1), arg_min(x, y * 2)`,
			header: "max_:long max__arg1:long x:long min_x_arg1:long", rows: []string{"6|21|1|20"}},
		{name: "named argument", query: `datatable(x:long, y:long)[1,10,3,20] | summarize arg_max(x, z = y)`,
			header: "x:long z:long", rows: []string{"3|20"}},
		{name: "reals and NaN", query: `datatable(x:real, y:string)[1.5,"a",real(nan),"b",2.5,"c",real(null),"d"] | summarize arg_max(x, y), arg_min(x, y)`,
			header: "x:real y:string x1:real y1:string", rows: []string{"2.5|c|NaN|b"}},
		{name: "strings and datetimes", query: `datatable(s:string, t:datetime)["b",datetime(2024-01-01),"c",datetime(2023-01-01),"a",datetime(2025-01-01)]
			| summarize arg_max(s, t), arg_min(t, s)`,
			header: "s:string t:datetime t1:datetime s1:string",
			rows:   []string{"c|2023-01-01T00:00:00Z|2023-01-01T00:00:00Z|c"}},
		{name: "empty input", query: `datatable(x:long)[] | summarize arg_max_x=arg_max(x, *), arg_min_x=arg_min(x, *)`,
			header: "arg_max_x:long arg_min_x:long", rows: []string{"|"}},
		{name: "deprecated aliases", query: `datatable(x:long, y:string, z:long)[1,"a",5,3,"b",6] | summarize argmax(x, y), argmin(x, *)`,
			header: "x:long x_y:string x1:long x_y1:string x_z:long", rows: []string{"3|b|1|a|5"}},
		{name: "dynamic key", query: `datatable(d:dynamic, y:string)[dynamic(1),"a",dynamic(3),"b",dynamic(null),"c"] | summarize arg_max(d, y)`,
			header: "d:dynamic y:string", rows: []string{"3|b"}},
	})
}

func TestTakeAny(t *testing.T) {
	aggRun(t, []aggCase{
		{name: "single column", query: `datatable(s:string, k:long)["",1,"x",1,"y",2] | summarize take_any(s) by k`,
			header: "k:long s:string", rows: []string{"1|x", "2|y"}},
		{name: "prefers non-null", query: `datatable(x:long)[long(null), 4, 5] | summarize take_any(x), any(x)`,
			header: "x:long any_x:long", rows: []string{"4|4"}},
		{name: "all empty", query: `datatable(x:long, s:string)[long(null), ""] | summarize take_any(x), take_any(s)`,
			header: "x:long s:string", rows: []string{"|"}},
		{name: "several from one row", query: `datatable(a:long, b:string)[1,"x",2,"y"] | summarize take_any(a, b), any(b, a)`,
			header: "a:long b:string any_b:string any_a:long", rows: []string{"1|x|x|1"}},
		{name: "star by key", query: `datatable(k:string, a:long, b:string)["p",1,"x","q",2,"y","p",3,"z"] | summarize take_any(*) by k`,
			header: "k:string a:long b:string", rows: []string{"p|1|x", "q|2|y"}},
		{name: "unnamed", query: `datatable(a:long)[1] | summarize take_any(a + 1), z = take_any(a * 3)`,
			header: "any_arg0:long z:long", rows: []string{"2|3"}},
		{name: "take_anyif", query: `datatable(a:long, b:string)[1,"x",2,"y",3,"z"] | summarize take_anyif(b, a > 1), anyif(b, a > 2)`,
			header: "b:string anyif_b:string", rows: []string{"y|z"}},
		{name: "take_anyif nothing", query: `datatable(a:long)[1] | summarize take_anyif(a, a > 1)`,
			header: "a:long", rows: []string{""}},
		{name: "empty input", query: `datatable(x:long)[] | summarize any_x=take_any(x)`,
			header: "any_x:long", rows: []string{""}},
	})
}
