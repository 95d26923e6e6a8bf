package builtin_test

import "testing"

func TestStrlen(t *testing.T) {
	testExprs(t, []exprCase{
		{`strlen("hello")`, "5", "long"},
		{`strlen("⒦⒰⒮⒯⒪")`, "5", "long"},
		{"strlen('C\u0327edilla')", "8", "long"},
		{`strlen("")`, "0", "long"},
		{`strlen(dynamic("abc"))`, "3", "long"},
		{`strlen(dynamic(null))`, "0", "long"},
		{`strlen("Hello"', '@"world!")`, "13", "long"},
		{`string_size("⒦⒰⒮⒯⒪")`, "15", "long"},
		{`string_size("abc")`, "3", "long"},
		{`string_size("")`, "0", "long"},
	})
}

func TestCaseConversion(t *testing.T) {
	testExprs(t, []exprCase{
		{`tolower("Hello")`, "hello", "string"},
		{`toupper("hello")`, "HELLO", "string"},
		{`toupper("hello") == "HELLO"`, "true", "bool"},
		{`tolower("ÀÉÎ")`, "àéî", "string"},
		{`tolower("")`, "", "string"},
		{`toupper(dynamic("x"))`, "X", "string"},
	})
}

func TestReverse(t *testing.T) {
	testExprs(t, []exprCase{
		{`reverse("ABCDEFGHIJKLMNOPQRSTUVWXYZ")`, "ZYXWVUTSRQPONMLKJIHGFEDCBA", "string"},
		{`reverse("")`, "", "string"},
		{`reverse(123)`, "321", "string"},
		{`reverse("ab⒦c")`, "c⒦ba", "string"},
		{`reverse(long(null))`, "", "string"},
	})
}

func TestSubstring(t *testing.T) {
	testExprs(t, []exprCase{
		{`substring("123456", 1)`, "23456", "string"},
		{`substring("123456", 2, 2)`, "34", "string"},
		{`substring("ABCD", 0, 2)`, "AB", "string"},
		{`substring("123456", -2, 2)`, "56", "string"},
		{`substring("123456", 10)`, "", "string"},
		{`substring("123456", 4, 10)`, "56", "string"},
		{`substring("123456", 1, 0)`, "", "string"},
		{`substring("⒦⒰⒮⒯⒪", 1, 2)`, "⒰⒮", "string"},
		{`substring("", 0, 1)`, "", "string"},
		{`substring(123456, 1, 2)`, "23", "string"},
		{`substring("abc", long(null))`, "", "string"},
	})
}

func TestStrcat(t *testing.T) {
	testExprs(t, []exprCase{
		{`strcat("hello", " ", "world")`, "hello world", "string"},
		{`strcat("Hello", ", ", "World!")`, "Hello, World!", "string"},
		{"strcat(\"Line 1\\n\", \"Line 2\")", "Line 1\nLine 2", "string"},
		{`strcat("a")`, "a", "string"},
		{`strcat("a", 1, 2.5, true, 1s, long(null), dynamic(["x"]), dynamic("y"))`, `a12.5true00:00:01["x"]y`, "string"},
		{`strcat_delim('-', 1, '2', 'A', 1s)`, "1-2-A-00:00:01", "string"},
		{`strcat_delim(',', "", "")`, ",", "string"},
		{`strcat_array(dynamic([1, 2, 3]), "->")`, "1->2->3", "string"},
		{`strcat_array(dynamic([1, 2, 3]), '"')`, `1"2"3`, "string"},
		{`strcat_array(dynamic(["a", null, [1]]), ",")`, "a,,[1]", "string"},
		{`strcat_array(dynamic([]), ",")`, "", "string"},
		{`strcat_array(dynamic(null), ",")`, "", "string"},
	})
	testTables(t, []tableCase{
		{"strcat over rows", `range x from 1 to 3 step 1 | project str = strcat("-  ","Te st",x,@"// $")`, []string{
			"-  Te st1// $", "-  Te st2// $", "-  Te st3// $"}},
		{"strcat with a user function", `let f = (a:long, b:string = "b.default", c:long = 0) {
  strcat(a, "-", b, "-", c)
};
union
  (print x=f(c=7, a=12)),
  (print x=f(12, c=7))`, []string{"12-b.default-7", "12-b.default-7"}},
	})
}

func TestSplit(t *testing.T) {
	testExprs(t, []exprCase{
		{`split("aa_bb", "_")`, `["aa","bb"]`, "dynamic"},
		{`split("aaa_bbb_ccc", "_", 1)`, `["bbb"]`, "dynamic"},
		{`split("", "_")`, `[""]`, "dynamic"},
		{`split("a__b", "_")`, `["a","","b"]`, "dynamic"},
		{`split("aabbcc", "bb")`, `["aa","cc"]`, "dynamic"},
		{`split("a_b", "_", 5)`, `[]`, "dynamic"},
		{`split("a_b", "_", -1)`, `[]`, "dynamic"},
		{`split("abc", "")`, `["abc"]`, "dynamic"},
		{`tostring(split("a_b", "_")[1])`, "b", "string"},
	})
	testTables(t, []tableCase{
		{"split over rows", `datatable(s:string, d:string)["a,b", ",", "x;y;z", ";"] | extend p = split(s, d), q = split(s, ",", 0)`, []string{
			`a,b | , | ["a","b"] | ["a"]`, `x;y;z | ; | ["x","y","z"] | ["x;y;z"]`}},
	})
}

func TestStrcmpTranslateRepeat(t *testing.T) {
	testExprs(t, []exprCase{
		{`strcmp("ABC", "ABC")`, "0", "int"},
		{`strcmp("abc", "ABC")`, "1", "int"},
		{`strcmp("ABC", "abc")`, "-1", "int"},
		{`strcmp("abcde", "abc")`, "1", "int"},
		{`strcmp("", "")`, "0", "int"},
		{`translate("abc", "x", "abc")`, "xxx", "string"},
		{`translate("abc", "", "ab")`, "", "string"},
		{`translate("krasp", "otsku", "spark")`, "kusto", "string"},
		{`translate("", "x", "abc")`, "abc", "string"},
		{`strrep('ABC', 2)`, "ABCABC", "string"},
		{`strrep(123, 3, '.')`, "123.123.123", "string"},
		{`strrep(3s, 2, ' ')`, "00:00:03 00:00:03", "string"},
		{`strrep('a', 0)`, "", "string"},
		{`strrep('a', long(null))`, "", "string"},
		{`repeat(1, 3)`, "[1,1,1]", "dynamic"},
		{`repeat("a", 2)`, `["a","a"]`, "dynamic"},
		{`repeat(1, 0)`, "[]", "dynamic"},
		{`repeat(1, -1)`, nullText, "dynamic"},
		{`repeat(1s, 1)`, `["00:00:01"]`, "dynamic"},
		{`repeat(long(null), 2)`, `[null,null]`, "dynamic"},
	})
}

func TestStringErrors(t *testing.T) {
	testErrors(t, []errCase{
		{`print strlen(1)`, "strlen(): argument #1 (source) must be a string, got long"},
		{`print strlen("a", "b")`, "strlen(): expects 1 argument, got 2"},
		{`print tolower(1)`, "tolower(): argument #1 (source) must be a string"},
		{`print substring("a")`, "substring(): expects 2 to 3 arguments, got 1"},
		{`print substring("a", "b")`, "substring(): argument #2 (startingIndex) must be an integer, got string"},
		{`print strcat()`, "strcat(): expects 1 to 64 arguments, got 0"},
		{`print strcat_delim("-", "a")`, "strcat_delim(): expects 3 to 65 arguments, got 2"},
		{`print strcat_array("a", ",")`, "strcat_array(): argument #1 (array) must be a dynamic value, got string"},
		{`print split(1, ",")`, "split(): argument #1 (source) must be a string"},
		{`print strcmp("a")`, "strcmp(): expects 2 arguments, got 1"},
		{`print repeat(1)`, "repeat(): expects 2 arguments"},
		{`print translate("a", "b")`, "translate(): expects 3 arguments"},
	})
}
