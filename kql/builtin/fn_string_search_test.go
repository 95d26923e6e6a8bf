package builtin_test

import "testing"

func TestIndexof(t *testing.T) {
	testExprs(t, []exprCase{
		{`indexof("abcdefg","cde")`, "2", "long"},
		{`indexof("abcdefg","cde",1,4)`, "2", "long"},
		{`indexof("abcdefg","cde",1,2)`, "-1", "long"},
		{`indexof("abcdefg","cde",3,4)`, "-1", "long"},
		{`indexof("abcdefg","cde",-5)`, "2", "long"},
		{`indexof(1234567,5,1,4)`, "4", "long"},
		{`indexof("abcdefg","cde",2,-1)`, "2", "long"},
		{`indexof("abcdefgabcdefg", "cde", 1, 10, 2)`, "9", "long"},
		{`indexof("abcdefgabcdefg", "cde", 1, -1, 3)`, "-1", "long"},
		{`indexof("abc", "x")`, "-1", "long"},
		{`indexof("abc", "")`, "0", "long"},
		{`indexof("", "a")`, "-1", "long"},
		{`indexof("abc", "c", -10)`, nullText, "long"},
		{`indexof("abc", "c", 0, -2)`, nullText, "long"},
		{`indexof("abc", "c", 0, -1, -1)`, nullText, "long"},
		{`indexof("abc", "c", 10)`, "-1", "long"},
		{`indexof("⒦⒰⒮⒯⒪", "⒮")`, "2", "long"},
		{`indexof("aaa", "aa", 0, -1, 2)`, "1", "long"},
	})
}

func TestIndexofRegex(t *testing.T) {
	testExprs(t, []exprCase{
		{`indexof_regex("abcabc", @"a.c")`, "0", "long"},
		{`indexof_regex("abcabcdefg", @"a.c", 0, 9, 2)`, "3", "long"},
		{`indexof_regex("abcabc", @"a.c", 1, -1, 2)`, "-1", "long"},
		{`indexof_regex("ababaa", @"a.a", 0, -1, 2)`, "-1", "long"},
		{`indexof_regex("abcabc", @"a|ab", -1)`, nullText, "long"},
		{`indexof_regex("⒦⒰x", @"x")`, "2", "long"},
	})
}

func TestCountof(t *testing.T) {
	testExprs(t, []exprCase{
		{`countof("aaa", "a")`, "3", "long"},
		{`countof("aaaa", "aa")`, "3", "long"},
		{`countof("ababa", "ab", "normal")`, "2", "long"},
		{`countof("ababa", "aba")`, "2", "long"},
		{`countof("ababa", "aba", "regex")`, "1", "long"},
		{`countof("abcabc", "a.c", "regex")`, "2", "long"},
		{`countof("abc", "")`, "0", "long"},
		{`countof("", "a")`, "0", "long"},
	})
}

func TestHasAnyIndex(t *testing.T) {
	testExprs(t, []exprCase{
		{`has_any_index("this is an example", dynamic(['this', 'example']))`, "0", "long"},
		{`has_any_index("this is an example", dynamic(['not', 'example']))`, "1", "long"},
		{`has_any_index("this is an example", dynamic(['not', 'found']))`, "-1", "long"},
		{`has_any_index("this is an example", dynamic([]))`, "-1", "long"},
		{`has_any_index("Example number 2", dynamic([1, 2, 3]))`, "1", "long"},
		{`has_any_index("THIS is", dynamic(['this']))`, "0", "long"},
		{`has_any_index("thisis", dynamic(['this']))`, "-1", "long"},
	})
}

func TestSearchErrors(t *testing.T) {
	testErrors(t, []errCase{
		{`print indexof("a")`, "indexof(): expects 2 to 5 arguments, got 1"},
		{`print indexof_regex("a", "(")`, "indexof_regex(): invalid regular expression"},
		{`print countof("a", "a", "fuzzy")`, `countof(): kind must be the constant "normal" or "regex"`},
		{`print countof("a", "(", "regex")`, "countof(): invalid regular expression"},
		{`print has_any_index("a", "b")`, "has_any_index(): argument #2 (values) must be a dynamic value"},
	})
}
