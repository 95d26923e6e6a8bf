package builtin_test

import "testing"

func TestIff(t *testing.T) {
	testExprs(t, []exprCase{
		{`iff(true, 1, 2)`, "1", "long"},
		{`iff(false, 1, 2)`, "2", "long"},
		{`iif(false, "a", "b")`, "b", "string"},
		{`iff(bool(null), 1, 2)`, "2", "long"},
		{`iff(bool(null) and true, true, false)`, "false", "bool"},
		{`iff(true, 1, 2.5)`, "1", "real"},
		{`iff(true, toint(1), 2)`, "1", "long"},
		{`iff(true, long(null), 2)`, nullText, "long"},
		{`iff(false, 1, real(null))`, nullText, "real"},
		{`iff(false, "x", "")`, "", "string"},
		{`iff(true, dynamic([1]), dynamic(null))`, "[1]", "dynamic"},
		{`iff(1 > 0, datetime(2020-01-01), datetime(null))`, "2020-01-01T00:00:00Z", "datetime"},
		// A dynamic result takes the type of the typed one.
		{`iff(false, "x", dynamic("y"))`, "y", "string"},
		{`iff(true, dynamic(2), 1)`, "2", "long"},
		{`iff(true, dynamic(2), dynamic("z"))`, "2", "dynamic"},
		{`iff(true, dynamic([1]), "x")`, "[1]", "string"},
	})
}

func TestCase(t *testing.T) {
	testExprs(t, []exprCase{
		{`case(true, "a", "b")`, "a", "string"},
		{`case(false, "a", true, "b", "c")`, "b", "string"},
		{`case(false, "a", false, "b", "c")`, "c", "string"},
		{`case(bool(null), 1, 2.5)`, "2.5", "real"},
		{`case(false, 1, 2)`, "2", "long"},
		{`case(false, "Unmanaged", dynamic({"t": "AzureAD"}).t)`, "AzureAD", "string"},
	})
	testTables(t, []tableCase{
		{"case over a range", `range Size from 1 to 15 step 2
| extend bucket = case(Size <= 3, "Small",
                       Size <= 10, "Medium",
                       "Large")`, []string{
			"1 | Small", "3 | Small", "5 | Medium", "7 | Medium", "9 | Medium", "11 | Large", "13 | Large", "15 | Large"}},
		{"iff over a range", `range x from 1 to 4 step 1 | extend y = iff(x % 2 == 0, "Even", "Odd"), z = iff(x > 2, x, real(null))`, []string{
			"1 | Odd | " + nullText, "2 | Even | " + nullText, "3 | Odd | 3", "4 | Even | 4"}},
		{"iff with empty strings", `datatable(Event:string)["A", "", "B"] | extend f = iff(isempty(Event), "none", Event)`, []string{
			"A | A", " | none", "B | B"}},
	})
}

func TestCoalesce(t *testing.T) {
	testExprs(t, []exprCase{
		{`coalesce(tolong("not a number"), tolong("42"), 33)`, "42", "long"},
		{`coalesce(long(null), long(null))`, nullText, "long"},
		{`coalesce("", "x", "y")`, "x", "string"},
		{`coalesce("", "")`, "", "string"},
		{`coalesce(int(null), 2.5)`, "2.5", "real"},
		{`coalesce(dynamic(null), dynamic(3))`, "3", "dynamic"},
		{`coalesce(5)`, "5", "long"},
	})
	testTables(t, []tableCase{
		{"coalesce over rows", `datatable(a:long, b:long)[long(null), 2, 1, 3, long(null), long(null)] | extend c = coalesce(a, b, -1)`, []string{
			nullText + " | 2 | 2", "1 | 3 | 1", nullText + " | " + nullText + " | -1"}},
	})
}

func TestNullAndEmpty(t *testing.T) {
	testExprs(t, []exprCase{
		{`isnull("")`, "false", "bool"},
		{`isnull("x")`, "false", "bool"},
		{`isnull(parse_json(""))`, "true", "bool"},
		{`isnull(parse_json("[]"))`, "false", "bool"},
		{`isnull(parse_json("{}"))`, "false", "bool"},
		{`isnull(long(null))`, "true", "bool"},
		{`isnull(1)`, "false", "bool"},
		{`isnotnull(long(null))`, "false", "bool"},
		{`isnotnull("")`, "true", "bool"},
		{`isempty("")`, "true", "bool"},
		{`isempty("x")`, "false", "bool"},
		{`isempty(parse_json(""))`, "true", "bool"},
		{`isempty(parse_json("[]"))`, "false", "bool"},
		{`isempty(parse_json("{}"))`, "false", "bool"},
		{`isempty(int(null))`, "true", "bool"},
		{`isempty(0)`, "false", "bool"},
		{`isnotempty("x")`, "true", "bool"},
		{`isnotempty("")`, "false", "bool"},
		{`isnotempty(real(null))`, "false", "bool"},
	})
	testTables(t, []tableCase{
		{"tests over rows", `datatable(s:string, n:long, d:dynamic)["a", 1, dynamic([]), "", long(null), dynamic(null)]
| extend e = isempty(s), ne = isnotempty(s), nn = isnull(n), dn = isnull(d), de = isempty(d)
| project e, ne, nn, dn, de`, []string{
			"false | true | false | false | false",
			"true | false | true | true | true"}},
	})
}

func TestCondErrors(t *testing.T) {
	testErrors(t, []errCase{
		{`print iff(true, 1, "a")`, "iff(): all results must have the same type, got long and string"},
		{`print iff(1, 1, 2)`, "iff(): argument #1 (if) must be a bool, got long"},
		{`print iff(true, 1)`, "iff(): expects 3 arguments, got 2"},
		{`print case(true, 1)`, "case(): expects predicate and value pairs"},
		{`print case(1, 1, 2)`, "case(): argument #1 (predicate) must be a bool"},
		{`print case(true, 1, false, "x", 2)`, "case(): all results must have the same type"},
		{`print coalesce(1, "a")`, "coalesce(): all results must have the same type"},
		{`print coalesce()`, "coalesce(): expects 1 to 64 arguments, got 0"},
		{`print isnull()`, "isnull(): expects 1 argument, got 0"},
		{`print isempty(1, 2)`, "isempty(): expects 1 argument, got 2"},
	})
}
