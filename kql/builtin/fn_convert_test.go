package builtin_test

import "testing"

func TestToString(t *testing.T) {
	testExprs(t, []exprCase{
		{"tostring(123)", "123", "string"},
		{"tostring(-1.5)", "-1.5", "string"},
		{"tostring(true)", "true", "string"},
		{"tostring(int(null))", "", "string"},
		{"tostring(long(null))", "", "string"},
		{"tostring('')", "", "string"},
		{"tostring(datetime(2015-12-31 23:59:59.9))", "2015-12-31T23:59:59.9Z", "string"},
		{"tostring(1d + 2h)", "1.02:00:00", "string"},
		{"tostring(guid(12e8b78d-55b4-46ae-b068-26d7a0080254))", "12e8b78d-55b4-46ae-b068-26d7a0080254", "string"},
		{"tostring(dynamic('abc'))", "abc", "string"},
		{"tostring(dynamic([1,'a']))", `[1,"a"]`, "string"},
		{"tostring(dynamic({'a':1}))", `{"a":1}`, "string"},
		{"tostring(dynamic(null))", "", "string"},
		{"tostring(parse_json('{\"a\":\"x\"}').a)", "x", "string"},
	})
}

func TestToNumbers(t *testing.T) {
	testExprs(t, []exprCase{
		{`toint("123")`, "123", "int"},
		{`toint("123") == 123`, "true", "bool"},
		{`toint("abc")`, nullText, "int"},
		{`toint("")`, nullText, "int"},
		{`toint(2.9)`, "2", "int"},
		{`toint(dynamic(7))`, "7", "int"},
		{`tolong("123")`, "123", "long"},
		{`tolong(" 42 ")`, "42", "long"},
		{`tolong("not a number")`, nullText, "long"},
		{`tolong(true)`, "1", "long"},
		{`tolong(real(null))`, nullText, "long"},
		{`toreal("123.4")`, "123.4", "real"},
		{`todouble("1e3")`, "1000", "real"},
		{`todouble("x")`, nullText, "real"},
		{`todouble(5)`, "5", "real"},
		{`todecimal("1.5")`, "1.5", "decimal"},
		{`todecimal(3)`, "3", "decimal"},
	})
}

func TestToOtherTypes(t *testing.T) {
	testExprs(t, []exprCase{
		{`tobool("true")`, "true", "bool"},
		{`tobool("TRUE")`, "true", "bool"},
		{`tobool("false")`, "false", "bool"},
		{`tobool(1)`, "true", "bool"},
		{`tobool(0)`, "false", "bool"},
		{`tobool("maybe")`, nullText, "bool"},
		{`toboolean("false")`, "false", "bool"},
		{`todatetime("2015-12-31 23:59:59.9")`, "2015-12-31T23:59:59.9Z", "datetime"},
		{`todatetime('12-02-2022') == datetime('12-02-2022')`, "true", "bool"},
		{`todatetime("nope")`, nullText, "datetime"},
		{`totimespan("1.02:03:04")`, "1.02:03:04", "timespan"},
		{`totimespan("x")`, nullText, "timespan"},
		{`toguid("0123456789abcdef0123456789abcdef")`, "01234567-89ab-cdef-0123-456789abcdef", "guid"},
		{`toguid("0123456789ab-cdef-0123-456789abcdef")`, "01234567-89ab-cdef-0123-456789abcdef", "guid"},
		// Guid columns cannot hold nulls yet (vec stores them as strings), so
		// a failed conversion shows as an empty guid.
		{`toguid("a string that is not a guid")`, "<null>", "guid"},
	})
}

func TestParseJSON(t *testing.T) {
	testExprs(t, []exprCase{
		{`parse_json('{"a":1,"b":[1,2]}')`, `{"a":1,"b":[1,2]}`, "dynamic"},
		{`parse_json('[1, 2, 3]')[1]`, "2", "dynamic"},
		{`tostring(parse_json('not json'))`, "not json", "string"},
		{`gettype(parse_json('not json'))`, "string", ""},
		{`parse_json('')`, nullText, "dynamic"},
		{`isnull(parse_json(''))`, "true", ""},
		{`parse_json(dynamic({"x":1}))`, `{"x":1}`, "dynamic"},
		{`parse_json("{'a': 'b', c: [1,2,],}")`, `{"a":"b","c":[1,2]}`, "dynamic"},
		{`parsejson('1.5')`, "1.5", "dynamic"},
		{`tostring(todynamic('"abc"'))`, "abc", "string"},
		{`gettype(todynamic('"abc"'))`, "string", "string"},
		{`toobject('{"k":true}').k`, "true", "dynamic"},
		{`parse_json(tostring(parse_json('{"a":123, "b":"{\\"c\\":456}"}').b)).c`, "456", "dynamic"},
		{`parse_json(12)`, "12", "dynamic"},
	})
}

func TestDynamicToJSON(t *testing.T) {
	testExprs(t, []exprCase{
		{`dynamic_to_json(dynamic({'Y10':{}, 'X8': {'c3':1, 'd8':5, 'a4':6}, 'D1':114, 'A1':12, 'B1':2, 'C1':3, 'A14':[15, 13, 18]}))`,
			`{"A1":12,"A14":[15,13,18],"B1":2,"C1":3,"D1":114,"X8":{"a4":6,"c3":1,"d8":5},"Y10":{}}`, "string"},
		{`dynamic_to_json(dynamic({'b':1,'a':2})) == dynamic_to_json(dynamic({'a':2,'b':1}))`, "true", "bool"},
		{`dynamic_to_json(5)`, "5", "string"},
		{`dynamic_to_json(dynamic(null))`, "null", "string"},
		{`dynamic_to_json(dynamic('s'))`, `"s"`, "string"},
	})
}

func TestGettype(t *testing.T) {
	testExprs(t, []exprCase{
		{`gettype("a")`, "string", "string"},
		{`gettype(111)`, "long", ""},
		{`gettype(1==1)`, "bool", ""},
		{`gettype(datetime(2020-01-01))`, "datetime", ""},
		{`gettype(1s)`, "timespan", ""},
		{`gettype(parse_json('1'))`, "int", ""},
		{`gettype(parse_json('12345678901'))`, "long", ""},
		{`gettype(parse_json(' "abc" '))`, "string", ""},
		{`gettype(parse_json(' {"abc":1} '))`, "dictionary", ""},
		{`gettype(parse_json(' [1, 2, 3] '))`, "array", ""},
		{`gettype(123.45)`, "real", ""},
		{`gettype(guid(12e8b78d-55b4-46ae-b068-26d7a0080254))`, "guid", ""},
		{`gettype(parse_json(''))`, "null", ""},
		{`gettype(toint(1))`, "int", ""},
		{`gettype(todecimal(1))`, "decimal", ""},
	})
}

func TestConvertColumns(t *testing.T) {
	testTables(t, []tableCase{
		{"toguid over a table", `datatable(str: string)
[
    "0123456789abcdef0123456789abcdef",
    "0123456789ab-cdef-0123-456789abcdef",
    "a string that is not a guid"
]
| extend guid = toguid(str)`, []string{
			"0123456789abcdef0123456789abcdef | 01234567-89ab-cdef-0123-456789abcdef",
			"0123456789ab-cdef-0123-456789abcdef | 01234567-89ab-cdef-0123-456789abcdef",
			"a string that is not a guid | <null>"}},
		{"parse_json member access", `datatable(context_custom_metrics:string)
[
    '{"duration":{"value":118.0,"count":5.0,"min":100.0,"max":150.0,"stdDev":0.0,"sampledValue":118.0,"sum":118.0}}'
]
| extend d = parse_json(context_custom_metrics)
| extend duration_value = d.duration.value, duration_min = d.duration.min
| project d, duration_value, duration_min`, []string{
			`{"duration":{"value":118,"count":5,"min":100,"max":150,"stdDev":0,"sampledValue":118,"sum":118}} | 118 | 100`}},
		{"tolong and tostring over rows", `datatable(s:string, n:long)["1", 5, "x", long(null), "-3", 7]
| extend l = tolong(s), t = tostring(n), r = toreal(n)`, []string{
			"1 | 5 | 1 | 5 | 5",
			"x | " + nullText + " | " + nullText + " |  | " + nullText,
			"-3 | 7 | -3 | 7 | 7"}},
		{"toint equals", `print toint("123") == 123 | project Integer = print_0`, []string{"true"}},
	})
}

func TestConvertErrors(t *testing.T) {
	testErrors(t, []errCase{
		{`print tostring()`, "tostring(): expects 1 argument, got 0"},
		{`print toint(1, 2)`, "toint(): expects 1 argument, got 2"},
		{`print parse_json()`, "parse_json(): expects 1 argument"},
		{`print gettype(1, 2)`, "gettype(): expects 1 argument"},
	})
}
