package builtin_test

import "testing"

func TestBagPack(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print bag_pack("Level", "Information", "ProcessID", 1234, "Data", bag_pack("url", "www.bing.com"))`,
			`{"Level":"Information","ProcessID":1234,"Data":{"url":"www.bing.com"}}`},
		{`print pack("a", 1.5, "b", long(null), "c", 1d)`, `{"a":1.5,"b":null,"c":"1.00:00:00"}`},
		{`print pack_dictionary("a", dynamic([1]))`, `{"a":[1]}`},
		{`print bag_pack()`, `{}`},
		{`print bag_pack("a", 1, "a", 2)`, `{"a":2}`},
		{`datatable(Source:int, Destination:int, Message:string) [1234, 100, "Hi", 4567, 200, "Hello"]
| extend MyBag=bag_pack("Dest", Destination, "Text", Message)
| project MyBag, D=MyBag.Dest`,
			"{\"Dest\":100,\"Text\":\"Hi\"} | 100\n{\"Dest\":200,\"Text\":\"Hello\"} | 200"},
		{`print x=1, y="a" | project pack_all()`, `{"x":1,"y":"a"}`},
		{`print bag_pack("a")`, `error: key/value pairs`},
		{`print bag_pack(1, 2)`, `error: must be a string`},
	})
}

func TestBagKeys(t *testing.T) {
	runDynCases(t, []dynCase{
		{`datatable(index:long, d:dynamic) [
    1, dynamic({'a':'b', 'c':123}),
    2, dynamic({'a':'b', 'c':{'d':123}}),
    4, dynamic(null),
    5, dynamic({}),
    6, dynamic('a'),
    7, dynamic([])
]
| extend keys = bag_keys(d) | project index, keys`, "1 | [\"a\",\"c\"]\n2 | [\"a\",\"c\"]\n4 | \n5 | []\n6 | \n7 | "},
	})
}

func TestBagMerge(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print result = bag_merge(dynamic({'A1':12, 'B1':2, 'C1':3}), dynamic({'A2':81, 'B2':82, 'A1':1}))`,
			`{"A1":12,"B1":2,"C1":3,"A2":81,"B2":82}`},
		{`print bag_merge(dynamic({'a':1}), dynamic(null), dynamic([1]), dynamic({'b':2}))`, `{"a":1,"b":2}`},
		{`print bag_merge(dynamic(null), dynamic(null))`, `{}`},
		{`print bag_merge(dynamic({}))`, `error: no overload`},
	})
}

func TestBagRemoveKeys(t *testing.T) {
	runDynCases(t, []dynCase{
		{`datatable(input:dynamic) [
    dynamic({'key1' : 123,     'key2': 'abc'}),
    dynamic({'key1' : 'value', 'key3': 42.0}),
]
| extend result=bag_remove_keys(input, dynamic(['key2', 'key4'])) | project result`,
			"{\"key1\":123}\n{\"key1\":\"value\",\"key3\":42}"},
		{`print bag_remove_keys(dynamic({'key1': 123, 'key2': {'prop1' : 'abc', 'prop2': 'xyz'}, 'key3': [100, 200]}),
    dynamic(['$.key2.prop1', 'key3']))`, `{"key1":123,"key2":{"prop2":"xyz"}}`},
		{`print bag_remove_keys(dynamic({'a': {'b': 1, 'c': 2}}), dynamic(["$['a']['c']", '$.x.y', 5]))`, `{"a":{"b":1}}`},
		{`print b = dynamic({'a': {'b': 1}}) | extend r = bag_remove_keys(b, dynamic(['$.a.b']))`, `{"a":{"b":1}} | {"a":{}}`},
		{`print bag_remove_keys(dynamic([1]), dynamic(['a']))`, ``},
		{`print bag_remove_keys(dynamic({'a':1}), dynamic('a'))`, ``},
	})
}

func TestBagSetKey(t *testing.T) {
	runDynCases(t, []dynCase{
		{`datatable(input: dynamic) [
    dynamic({'key1': 1, 'key2': 2}),
    dynamic({'key1': 1, 'key3': 'abc'}),
]
| extend result = bag_set_key(input, 'key3', 3)`,
			"{\"key1\":1,\"key2\":2} | {\"key1\":1,\"key2\":2,\"key3\":3}\n{\"key1\":1,\"key3\":\"abc\"} | {\"key1\":1,\"key3\":3}"},
		{`datatable(input: dynamic) [
    dynamic({'key1': 123, 'key2': {'prop1': 123, 'prop2': 'xyz'}}),
    dynamic({'key1': 123})
]
| extend result = bag_set_key(input, '$.key2.prop1', 'abc') | project result`,
			"{\"key1\":123,\"key2\":{\"prop1\":\"abc\",\"prop2\":\"xyz\"}}\n{\"key1\":123,\"key2\":{\"prop1\":\"abc\"}}"},
		{`print bag_set_key(dynamic({}), 'a', datetime(2020-01-01))`, `{"a":"2020-01-01T00:00:00.0000000Z"}`},
		{`print bag_set_key(dynamic({'a':1}), 'a', long(null))`, `{"a":null}`},
		{`print bag_set_key(dynamic({'a':1}), '$.a[0]', 1)`, ``},
		{`print bag_set_key(dynamic([1]), 'a', 1)`, ``},
	})
}

func TestBagHasKey(t *testing.T) {
	runDynCases(t, []dynCase{
		{`datatable(input: dynamic) [
    dynamic({'key1' : 123, 'key2': 'abc'}),
    dynamic({'key1' : 123, 'key3': 'abc'}),
]
| extend result = bag_has_key(input, 'key2') | project result`, "true\nfalse"},
		{`print bag_has_key(dynamic({'key1': 123, 'key2': {'prop1' : 'abc', 'prop2': 'xyz'}, 'key3': [100, 200]}), '$.key2.prop1')`, `true`},
		{`print bag_has_key(dynamic({'key3': [100, 200]}), '$.key3.x')`, `false`},
		{`print bag_has_key(dynamic({'a': null}), 'a')`, `true`},
		{`print bag_has_key(dynamic([1]), 'a')`, `false`},
		{`print bag_has_key(dynamic(null), 'a')`, `false`},
	})
}

func TestBagZip(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print bag_zip(dynamic(['a', 'b', 'c']), dynamic([1, '2', 3.4]))`, `{"a":1,"b":"2","c":3.4}`},
		{`print bag_zip(dynamic(['a', 'b', 'c']), dynamic([1, '2']))`, `{"a":1,"b":"2","c":null}`},
		{`print bag_zip(dynamic(['a', 'b']), dynamic([1, '2', 2.5]))`, `{"a":1,"b":"2"}`},
		{`print bag_zip(dynamic(['a', 8, 'b']), dynamic([1, '2', 2.5]))`, `{"a":1,"b":2.5}`},
		{`print bag_zip(dynamic(['a', 8, 'b']), dynamic(1))`, `{"a":null,"b":null}`},
		{`print bag_zip(dynamic('a'), dynamic([1, '2', 2.5]))`, ``},
	})
}

func TestBagPackColumns(t *testing.T) {
	runDynCases(t, []dynCase{
		{`datatable(Id: string, Value: string, Other: long) ["A", "val_a", 1, "B", "", long(null)]
| project bag_pack_columns(Id, Other)`, "{\"Id\":\"A\",\"Other\":1}\n{\"Id\":\"B\",\"Other\":null}"},
	})
}
