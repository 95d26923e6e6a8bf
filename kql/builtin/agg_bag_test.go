package builtin_test

import "testing"

func TestMakeBag(t *testing.T) {
	const props = `datatable(p:dynamic, predicate:bool)[
		dynamic({"prop01":"val_a"}), true,
		dynamic({"prop02":"val_b"}), false,
		dynamic({"prop03":"val_c"}), true]`
	aggRun(t, []aggCase{
		{name: "make_bag_if", query: props + `| summarize dict=make_bag_if(p, predicate)`,
			header: "dict:dynamic", rows: []string{`{"prop01":"val_a","prop03":"val_c"}`}},
		{name: "make_bag", query: props + `| summarize make_bag(p)`,
			header: "bag_p:dynamic", rows: []string{`{"prop01":"val_a","prop02":"val_b","prop03":"val_c"}`}},
		{name: "merge, first wins, non-bags ignored", query: `datatable(k:long, p:dynamic)[
				1, dynamic({"a":1,"b":{"x":[1]}}), 1, dynamic({"a":2,"c":3}), 1, dynamic([1,2]), 1, dynamic(null), 2, dynamic("s")]
			| summarize make_bag(p) by k`,
			header: "k:long bag_p:dynamic", rows: []string{`1|{"a":1,"b":{"x":[1]},"c":3}`, `2|{}`}},
		{name: "max size", query: `print p=dynamic({"a":1,"b":2,"c":3}) | summarize make_bag(p, 2)`,
			header: "bag_p:dynamic", rows: []string{`{"a":1,"b":2}`}},
		{name: "empty input", query: `datatable(p:dynamic)[] | summarize make_bag(p)`,
			header: "bag_p:dynamic", rows: []string{`{}`}},
		{name: "not dynamic", query: `print x=1 | summarize make_bag(x)`, err: "dynamic"},
	})
}
