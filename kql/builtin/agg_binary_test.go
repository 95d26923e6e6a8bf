package builtin_test

import "testing"

func TestBinaryAll(t *testing.T) {
	aggRun(t, []aggCase{
		{name: "fold", query: `datatable(x:long)[12, 10, long(null), 6] | summarize binary_all_and(x), o = binary_all_or(x), binary_all_xor(x)`,
			header: "x:long o:long x1:long", rows: []string{"0|14|0"}},
		{name: "int and by", query: `datatable(k:long, x:int)[1, 3, 1, 5, 2, 4] | summarize a = binary_all_and(x), o = binary_all_or(x) by k`,
			header: "k:long a:int o:int", rows: []string{"1|1|7", "2|4|4"}},
		{name: "empty", query: `datatable(x:long)[] | summarize binary_all_or(x)`,
			header: "x:long", rows: []string{""}},
		{name: "reals rejected", query: `print x=1.5 | summarize binary_all_or(x)`, err: "integers"},
	})
}

func TestBuildSchema(t *testing.T) {
	aggRun(t, []aggCase{
		{name: "docs", query: `datatable(value: dynamic) [
				dynamic({"x":1, "y":3.5}),
				dynamic({"x":"somevalue", "z":[1, 2, 3]}),
				dynamic({"y":{"w":"zzz"}, "t":["aa", "bb"], "z":["foo"]})]
			| summarize buildschema(value)`,
			header: "schema_value:dynamic",
			rows:   []string{`{"x":["long","string"],"y":["double",{"w":"string"}],"z":{"` + "`indexer`" + `":["long","string"]},"t":{"` + "`indexer`" + `":"string"}}`}},
		{name: "scalars and nulls", query: `datatable(d:dynamic)[dynamic(1), dynamic(null), dynamic(true), dynamic(2)] | summarize s = buildschema(d)`,
			header: "s:dynamic", rows: []string{`["long","bool"]`}},
		{name: "empty", query: `datatable(d:dynamic)[] | summarize s = buildschema(d)`,
			header: "s:dynamic", rows: []string{""}},
		{name: "not dynamic", query: `print x=1 | summarize buildschema(x)`, err: "dynamic"},
	})
}
