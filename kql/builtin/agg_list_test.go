package builtin_test

import "testing"

func TestMakeList(t *testing.T) {
	const shapes = `datatable(name:string, sideCount:int)["triangle",3,"square",4,"rectangle",4,"pentagon",5,"hexagon",6,"heptagon",7,"octagon",8,"nonagon",9,"decagon",10]`
	aggRun(t, []aggCase{
		{name: "one column", query: shapes + `| summarize mylist = make_list(name)`,
			header: "mylist:dynamic",
			rows:   []string{`["triangle","square","rectangle","pentagon","hexagon","heptagon","octagon","nonagon","decagon"]`}},
		{name: "by", query: shapes + `| summarize mylist = make_list(name) by isEvenSideCount = sideCount % 2 == 0`,
			header: "isEvenSideCount:bool mylist:dynamic",
			rows: []string{`false|["triangle","pentagon","heptagon","nonagon"]`,
				`true|["square","rectangle","hexagon","octagon","decagon"]`}},
		{name: "default name and nulls", query: `datatable(x:long)[1, long(null), 3] | summarize make_list(x), makelist(x)`,
			header: "list_x:dynamic list_x1:dynamic", rows: []string{"[1,3]|[1,3]"}},
		{name: "max size", query: `range x from 1 to 10 step 1 | summarize make_list(x, 3), make_list_if(x, x > 5, 2)`,
			header: "list_x:dynamic list_x1:dynamic", rows: []string{"[1,2,3]|[6,7]"}},
		{name: "make_list_if", query: `datatable(name:string, day_of_birth:long)["John",9,"Paul",18,"George",25,"Ringo",7]
			| summarize make_list_if(name, day_of_birth < 10)`,
			header: "list_name:dynamic", rows: []string{`["John","Ringo"]`}},
		{name: "with nulls", query: `datatable(name:string, sideCount:int)["triangle",int(null),"square",4,"rectangle",4,"pentagon",5]
			| summarize mylist = make_list_with_nulls(sideCount)`,
			header: "mylist:dynamic", rows: []string{"[null,4,4,5]"}},
		{name: "empty strings kept", query: `datatable(s:string)["a","","b"] | summarize make_list(s)`,
			header: "list_s:dynamic", rows: []string{`["a","","b"]`}},
		{name: "arrays not flattened", query: `datatable(d:dynamic)[dynamic([1,2]), dynamic({"a":1}), dynamic(null)] | summarize make_list(d)`,
			header: "list_d:dynamic", rows: []string{`[[1,2],{"a":1}]`}},
		{name: "typed values", query: `datatable(t:datetime, s:timespan, b:bool)[datetime(2024-01-02), 1h, true]
			| summarize make_list(t), make_list(s), make_list(b)`,
			header: "list_t:dynamic list_s:dynamic list_b:dynamic",
			rows:   []string{`["2024-01-02T00:00:00.0000000Z"]|["01:00:00"]|[true]`}},
		{name: "empty input", query: `datatable(x:long)[] | summarize make_set(x), make_list(x)`,
			header: "set_x:dynamic list_x:dynamic", rows: []string{"[]|[]"}},
		{name: "bad max size", query: `range x from 1 to 3 step 1 | summarize make_list(x, x)`, err: "constant"},
		{name: "bad predicate", query: `range x from 1 to 3 step 1 | summarize make_list_if(x, x)`, err: "predicate"},
	})
}

func TestMakeSet(t *testing.T) {
	aggRun(t, []aggCase{
		{name: "scalars and arrays", query: `datatable (Val: int, Arr1: dynamic)
			[1, dynamic(['A1', 'A2', 'A3']), 5, dynamic(['A2', 'C1']), 7, dynamic(['C2', 'A3']), 5, dynamic(['C2', 'A1'])]
			| summarize Val_set=make_set(Val), Arr1_set=make_set(Arr1)`,
			header: "Val_set:dynamic Arr1_set:dynamic", rows: []string{`[1,5,7]|["A1","A2","A3","C1","C2"]`}},
		{name: "nulls ignored and names", query: `datatable(y:real)[real(null), 5.0]
			| summarize make_set(y), make_set(y)`,
			header: "set_y:dynamic set_y1:dynamic", rows: []string{"[5]|[5]"}},
		{name: "make_set_if and maxSize", query: `datatable(name:string, day_of_birth:long)["John",9,"Paul",18,"George",25,"Ringo",7,"John",1]
			| summarize make_set_if(name, day_of_birth < 10), make_set(name, 2), makeset(name)`,
			header: "set_name:dynamic set_name1:dynamic set_name2:dynamic",
			rows:   []string{`["John","Ringo"]|["John","Paul"]|["John","Paul","George","Ringo"]`}},
		{name: "long and real alike", query: `print d=dynamic([1, 1.0, 1.5, "1", {"a":1}, {"a":1}]) | summarize make_set(d)`,
			header: "set_d:dynamic", rows: []string{`[1,1.5,"1",{"a":1}]`}},
		{name: "by", query: `datatable(k:string, v:long)["a",1,"b",2,"a",1,"a",3] | summarize make_set(v) by k`,
			header: "k:string set_v:dynamic", rows: []string{"a|[1,3]", "b|[2]"}},
	})
}
