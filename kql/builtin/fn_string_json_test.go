package builtin_test

import "testing"

func TestExtractJSON(t *testing.T) {
	const doc = `'{"name": "John", "age": 30, "tags": ["a", "b"], "addr": {"city": "New York"}, "n": null}'`
	testExprs(t, []exprCase{
		{`extract_json("$.name", ` + doc + `, typeof(string))`, "John", "string"},
		{`extract_json("$.name", ` + doc + `)`, "John", "string"},
		{`extractjson("$.age", ` + doc + `)`, "30", "string"},
		{`extract_json("$.age", ` + doc + `, typeof(long))`, "30", "long"},
		{`extract_json("$.age", ` + doc + `, typeof(real))`, "30", "real"},
		{`extract_json("$.tags[1]", ` + doc + `)`, "b", "string"},
		{`extract_json("$.tags[-1]", ` + doc + `)`, "b", "string"},
		{`extract_json("$['addr']['city']", ` + doc + `)`, "New York", "string"},
		{`extract_json("$.addr", ` + doc + `)`, `{"city":"New York"}`, "string"},
		{`extract_json("$.tags", ` + doc + `, typeof(dynamic))`, `["a","b"]`, "dynamic"},
		{`extract_json("$.missing", ` + doc + `)`, "", "string"},
		{`extract_json("$.missing", ` + doc + `, typeof(long))`, nullText, "long"},
		{`extract_json("$.n", ` + doc + `, typeof(long))`, nullText, "long"},
		{`extract_json("$.name", "not json")`, "", "string"},
		{`extract_json("$", "[1,2]")`, "[1,2]", "string"},
		{`extract_json("$.a", "{'a': 'single quotes'}")`, "single quotes", "string"},
	})
	testTables(t, []tableCase{
		{"extract_json with a let", `let json = '{"name": "John", "age": 30, "city": "New York"}';
print extract_json("$.name", json, typeof(string));`, []string{"John"}},
		{"extract_json over rows", `datatable(j:string)['{"a":1}', '{"a":"x"}', 'bad'] | extend a = extract_json("$.a", j, typeof(long))`, []string{
			`{"a":1} | 1`, `{"a":"x"} | ` + nullText, "bad | " + nullText}},
	})
}

func TestExtractJSONErrors(t *testing.T) {
	testErrors(t, []errCase{
		{`print extract_json("name", "{}")`, `extract_json(): invalid JSONPath "name": it must start with '$'`},
		{`print extract_json("$.a[*]", "{}")`, `extract_json(): invalid JSONPath "$.a[*]": unsupported subscript [*]`},
		{`print extract_json("$.a")`, "extract_json(): expects 2 to 3 arguments, got 1"},
	})
}
