package builtin_test

import "testing"

func TestSetUnion(t *testing.T) {
	runDynCases(t, []dynCase{
		{`range x from 1 to 3 step 1
| extend y = x * 2 | extend z = y * 2 | extend w = z * 2
| extend a1 = pack_array(x,y,x,z), a2 = pack_array(x, y), a3 = pack_array(w)
| project a1,a2,a3,Out=set_union(a1, a2, a3)`,
			"[1,2,1,4] | [1,2] | [8] | [1,2,4,8]\n[2,4,2,8] | [2,4] | [16] | [2,4,8,16]\n[3,6,3,12] | [3,6] | [24] | [3,6,12,24]"},
		{`print set_union(dynamic([1, 1.0, "1"]), dynamic([]))`, `[1,"1"]`},
		{`print set_union(dynamic([]), dynamic([]))`, `[]`},
		{`print set_union(dynamic([1]), dynamic(1))`, ``},
		{`print set_union(dynamic([1]))`, `error: no overload`},
	})
}

func TestSetIntersect(t *testing.T) {
	runDynCases(t, []dynCase{
		{`range x from 1 to 3 step 1
| extend y = x * 2 | extend z = y * 2 | extend w = z * 2
| extend a1 = pack_array(x,y,x,z), a2 = pack_array(x, y), a3 = pack_array(w,x)
| project set_intersect(a1, a2, a3)`, "[1]\n[2]\n[3]"},
		{`print arr = set_intersect(dynamic([1, 2, 3]), dynamic([4,5]))`, `[]`},
		{`print set_intersect(dynamic([{"a":1}, [2], "x"]), dynamic([[2], {"a":1}]))`, `[{"a":1},[2]]`},
		{`print set_intersect(dynamic(null), dynamic([1]))`, ``},
	})
}

func TestSetDifference(t *testing.T) {
	runDynCases(t, []dynCase{
		{`range x from 1 to 3 step 1
| extend y = x * 2 | extend z = y * 2 | extend w = z * 2
| extend a1 = pack_array(x,y,x,z), a2 = pack_array(x, y), a3 = pack_array(x,y,w)
| project set_difference(a1, a2, a3)`, "[4]\n[8]\n[12]"},
		{`print arr = set_difference(dynamic([1,2,3]), dynamic([1,2,3]))`, `[]`},
		{`print set_difference(dynamic([3,1,3,2]), dynamic([]))`, `[3,1,2]`},
		{`print set_difference(dynamic([1]), dynamic({}))`, ``},
	})
}

func TestSetHasElement(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print arr=dynamic(["this", "is", "an", "example"]) | project Result=set_has_element(arr, "example")`, `true`},
		{`print set_has_element(dynamic([1, 2]), 2.0)`, `true`},
		{`print set_has_element(dynamic([1, 2]), "2")`, `false`},
		{`print set_has_element(dynamic([]), 1)`, `false`},
		{`print set_has_element(dynamic(1), 1)`, ``},
	})
}

func TestJaccardIndex(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print set1=dynamic([1,2,3]), set2=dynamic([1,2,3,4]) | extend jaccard=jaccard_index(set1, set2)`,
			`[1,2,3] | [1,2,3,4] | 0.75`},
		{`print jaccard_index(dynamic([1,1,2]), dynamic([2,3,3]))`, `0.3333333333333333`},
		{`print jaccard_index(dynamic(["a"]), dynamic([1]))`, `0`},
		{`print jaccard_index(dynamic([1]), dynamic(null))`, ``},
	})
}
