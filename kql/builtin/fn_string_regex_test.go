package builtin_test

import "testing"

func TestReplace(t *testing.T) {
	testExprs(t, []exprCase{
		{`replace_regex("Number is 1", @'is (\d+)', @'was: \1')`, "Number was: 1", "string"},
		{`replace_regex("abc", "b", @"[\0]")`, "a[b]c", "string"},
		{`replace_regex("a.b.c", @"\.", "$$$")`, "a$$$b$$$c", "string"},
		{`replace_regex("abc", "x", "y")`, "abc", "string"},
		{`replace_regex("", "x", "y")`, "", "string"},
		{`replace_regex("aaa", "a", @"\\")`, `\\\`, "string"},
		{`replace(@'is (\d+)', @'was: \1', "Number is 2")`, "Number was: 2", "string"},
		{`replace_string("Number is 1", "is", "was")`, "Number was 1", "string"},
		{`replace_string("aaa", "a", "bb")`, "bbbbbb", "string"},
		{`replace_string("abc", "", "x")`, "abc", "string"},
		{`replace_string("a.c", ".", "")`, "ac", "string"},
		{`replace_strings("A magic trick can turn a cat into a dog", dynamic(['cat', 'dog']), dynamic(['dog', 'pigeon']))`,
			"A magic trick can turn a dog into a pigeon", "string"},
		{`replace_strings("A magic trick can turn a cat into a dog", dynamic(['turn', ' into a dog']), dynamic(['disappear', '']))`,
			"A magic trick can disappear a cat", "string"},
		{`replace_strings("This is an example of using replace_strings()", dynamic(['This', 'is']), dynamic(['This', 'was']))`,
			"This was an example of using replace_strings()", "string"},
		{`replace_strings("This is an example of using replace_strings()", dynamic(['is', 'This']), dynamic(['was', 'This']))`,
			"Thwas was an example of using replace_strings()", "string"},
		{`replace_strings("This is an example of using replace_strings()", dynamic(['This', 'is']), dynamic([12345, 'was']))`,
			"This was an example of using replace_strings()", "string"},
		{`replace_strings("abc", dynamic([]), dynamic([]))`, "abc", "string"},
	})
	testTables(t, []tableCase{
		{"replace_string over rows", `range x from 1 to 3 step 1
| extend str=strcat('Number is ', tostring(x))
| extend replaced=replace_string(str, 'is', 'was')`, []string{
			"1 | Number is 1 | Number was 1", "2 | Number is 2 | Number was 2", "3 | Number is 3 | Number was 3"}},
		{"replace_regex with a column pattern", `datatable(s:string, re:string)["a1b2", @"\d", "xyz", "y"] | extend r = replace_regex(s, re, "_")`, []string{
			`a1b2 | \d | a_b_`, "xyz | y | x_z"}},
	})
}

func TestTrim(t *testing.T) {
	testExprs(t, []exprCase{
		{`trim("--", @"--https://bing.com--")`, "https://bing.com", "string"},
		{`trim(@"\s+", @"    Hello, world!    ")`, "Hello, world!", "string"},
		{`trim_start("https://", @"https://bing.com")`, "bing.com", "string"},
		{`trim_end(".com", @"bing.com")`, "bing", "string"},
		{`trim_end(@"\s+", @"    Hello, world!    ")`, "    Hello, world!", "string"},
		{`trim("1", "11")`, "", "string"},
		{`trim("1", "10")`, "0", "string"},
		{`trim("a", "aaabaaa")`, "b", "string"},
		{`trim("x", "")`, "", "string"},
		{`trim_start("x", "abc")`, "abc", "string"},
	})
	testTables(t, []tableCase{
		{"trim non-word characters", `range x from 1 to 2 step 1
| project str = strcat("-  ","Te st",x,@"// $")
| extend trimmed_str = trim(@"[^\w]+",str), end = trim_end(@"[^\w]+",str)`, []string{
			"-  Te st1// $ | Te st1 | -  Te st1", "-  Te st2// $ | Te st2 | -  Te st2"}},
		{"trim in a function", `let TrimOnes = (s:string) { trim("1", s) };
range x from 10 to 13 step 1
| extend result = TrimOnes(tostring(x))`, []string{"10 | 0", "11 | ", "12 | 2", "13 | 3"}},
	})
}

func TestExtract(t *testing.T) {
	testExprs(t, []exprCase{
		{`extract("User: ([^,]+)", 1, "User: JohnDoe, Email: johndoe@example.com, Age: 29")`, "JohnDoe", "string"},
		{`extract(@"\d+", 0, "Age: 35")`, "35", "string"},
		{`extract(@"(\d+)", 1, "no digits")`, "", "string"},
		{`extract(@"-(\d{2})-", 1, "21-07-2023", typeof(int))`, "7", "int"},
		{`extract(@"(\d+)", 1, "x", typeof(long))`, nullText, "long"},
		{`extract(@"(\w+)", 1, "abc", typeof(long))`, nullText, "long"},
		{`extract(@"(a)|(b)", 2, "a")`, "", "string"},
		{`extract(@"(\d+\.\d+)", 1, "v 1.5", typeof(real))`, "1.5", "real"},
	})
	testTables(t, []tableCase{
		{"extract over rows", `let _data = datatable(Text: string)
[
"User: James, Email: James@example.com, Age: 29",
"User: David, Age: 35"
];
_data |
extend UserName = extract("User: ([^,]+)", 1, Text),
       EmailId = extract(@"Email: (\S+),", 1, Text),
       Age = extract(@"\d+", 0, Text)`, []string{
			"User: James, Email: James@example.com, Age: 29 | James | James@example.com | 29",
			"User: David, Age: 35 | David |  | 35"}},
		{"extract with a type", `datatable(DateString: string)["15-12-2024", "21-07-2023", "10-03-2022"]
| extend Month = extract(@"-(\d{2})-", 1, DateString, typeof(int))`, []string{
			"15-12-2024 | 12", "21-07-2023 | 7", "10-03-2022 | 3"}},
	})
}

func TestExtractAll(t *testing.T) {
	const id = `"82b8be2d-dfa7-4bd1-8f63-24ad26d31449"`
	testExprs(t, []exprCase{
		{`extract_all(@"([\da-f]{2})", ` + id + `)`,
			`["82","b8","be","2d","df","a7","4b","d1","8f","63","24","ad","26","d3","14","49"]`, "dynamic"},
		{`extract_all(@"(\w)(\w+)(\w)", ` + id + `)`,
			`[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]`, "dynamic"},
		{`extract_all(@"(\w)(\w+)(\w)", dynamic([1,3]), ` + id + `)`,
			`[["8","d"],["d","7"],["4","1"],["8","3"],["2","9"]]`, "dynamic"},
		{`extract_all(@"(?P<first>\w)(?P<middle>\w+)(?P<last>\w)", dynamic(['first',2,'last']), ` + id + `)`,
			`[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]`, "dynamic"},
		{`extract_all(@"(\d+)", "a set of numbers: 123, 567 and 789")`, `["123","567","789"]`, "dynamic"},
		{`extract_all(@"(\d+)", "none")`, nullText, "dynamic"},
		{`extract_all(@"\d", "a1b2")`, `["1","2"]`, "dynamic"},
		{`extract_all(@"(\d)", dynamic([1]), "a1b2")`, `["1","2"]`, "dynamic"},
	})
}

func TestRegexQuote(t *testing.T) {
	testExprs(t, []exprCase{
		{`regex_quote("a.b*c")`, `a\.b\*c`, "string"},
		{`"a.b" matches regex regex_quote("a.b")`, "true", "bool"},
		{`regex_quote("")`, "", "string"},
	})
}

func TestRegexErrors(t *testing.T) {
	testErrors(t, []errCase{
		{`print replace_regex("a", "(", "b")`, `replace_regex(): invalid regular expression "("`},
		{`print trim("(", "b")`, `trim(): invalid regular expression "("`},
		{`print extract("(a)", 2, "a")`, "extract(): capture group 2 does not exist"},
		{`print extract("(a)", 1)`, "extract(): expects 3 to 4 arguments"},
		{`print extract_all("(a)", dynamic([3]), "a")`, "extract_all(): capture group 3 does not exist"},
		{`print extract_all("(a)", dynamic(['x']), "a")`, `extract_all(): the regular expression has no capture group named "x"`},
		{`print replace_string("a", "b")`, "replace_string(): expects 3 arguments, got 2"},
		{`print replace_strings("a", "b", "c")`, "replace_strings(): argument #2 (lookups) must be a dynamic value"},
		{`datatable(re:string)["("] | extend x = replace_regex("a", re, "b")`, `replace_regex(): invalid regular expression "("`},
	})
}
