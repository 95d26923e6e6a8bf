package builtin_test

import "testing"

func TestArrayLength(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print array_length(dynamic([1, 2, 3, "four"]))`, `4`},
		{`print array_length(dynamic([]))`, `0`},
		{`print array_length(dynamic({"a":1}))`, ``},
		{`print array_length(dynamic("abc"))`, ``},
		{`print array_length(dynamic(null))`, ``},
	})
}

func TestArrayConcat(t *testing.T) {
	runDynCases(t, []dynCase{
		{`range x from 1 to 2 step 1 | extend y = x * 2 | project array_concat(pack_array(x, y), pack_array(y))`,
			"[1,2,2]\n[2,4,4]"},
		{`print array_concat(dynamic([1]))`, `[1]`},
		{`print array_concat(dynamic([]), dynamic([]))`, `[]`},
		{`print array_concat(dynamic([1]), dynamic(2))`, ``},
		{`print array_concat(dynamic([1]), dynamic(null))`, ``},
	})
}

func TestArraySlice(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print array_slice(dynamic([1,2,3]), 1, 2)`, `[2,3]`},
		{`print arr=dynamic([1,2,3,4,5]) | extend sliced=array_slice(arr, 2, -1)`, `[1,2,3,4,5] | [3,4,5]`},
		{`print arr=dynamic([1,2,3,4,5]) | extend sliced=array_slice(arr, -3, -2)`, `[1,2,3,4,5] | [3,4]`},
		{`print array_slice(dynamic([1,2,3]), -10, 10)`, `[1,2,3]`},
		{`print array_slice(dynamic([1,2,3]), 2, 1)`, `[]`},
		{`print array_slice(dynamic([1,2,3]), 5, 8)`, `[]`},
		{`print array_slice(dynamic([]), 0, 0)`, `[]`},
		{`print array_slice(dynamic([1,2,3]), long(null), 1)`, ``},
		{`print array_slice(dynamic(null), 0, 1)`, ``},
	})
}

func TestArrayReverse(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print array_reverse(dynamic(["this", "is", "an", "example", 1]))`, `[1,"example","an","is","this"]`},
		{`print array_reverse(dynamic([]))`, `[]`},
		{`print array_reverse(dynamic({"a":1}))`, ``},
	})
}

func TestArrayRotate(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print arr=dynamic([1,2,3,4,5]) | extend r=array_rotate_left(arr, 2)`, `[1,2,3,4,5] | [3,4,5,1,2]`},
		{`print array_rotate_left(dynamic([1,2,3,4,5]), -2)`, `[4,5,1,2,3]`},
		{`print array_rotate_right(dynamic([1,2,3,4,5]), 2)`, `[4,5,1,2,3]`},
		{`print array_rotate_right(dynamic([1,2,3,4,5]), -2)`, `[3,4,5,1,2]`},
		{`print array_rotate_left(dynamic([1,2,3]), 7)`, `[2,3,1]`},
		{`print array_rotate_left(dynamic([]), 1)`, `[]`},
		{`print array_rotate_left(dynamic(1), 1)`, ``},
	})
}

func TestArrayShift(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print array_shift_left(dynamic([1,2,3,4,5]), 2)`, `[3,4,5,null,null]`},
		{`print array_shift_left(dynamic([1,2,3,4,5]), 2, -1)`, `[3,4,5,-1,-1]`},
		{`print arr=dynamic([1,2,3,4,5]) | extend s=array_shift_left(arr, -2, -1)`, `[1,2,3,4,5] | [-1,-1,1,2,3]`},
		{`print arr=dynamic([1,2,3,4,5]) | extend s=array_shift_right(arr, 2)`, `[1,2,3,4,5] | [null,null,1,2,3]`},
		{`print arr=dynamic([1,2,3,4,5]) | extend s=array_shift_right(arr, 2, -1)`, `[1,2,3,4,5] | [-1,-1,1,2,3]`},
		{`print array_shift_right(dynamic([1,2,3]), -1, "x")`, `[2,3,"x"]`},
		{`print array_shift_left(dynamic(["a","b"]), 1)`, `["b",""]`},
		{`print array_shift_left(dynamic([1,2]), 5)`, `[null,null]`},
		{`print array_shift_left(dynamic([]), 1)`, `[]`},
		{`print array_shift_left(dynamic(null), 1)`, ``},
	})
}

func TestArraySplit(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print arr=dynamic([1,2,3,4,5]) | extend s=array_split(arr, 2)`, `[1,2,3,4,5] | [[1,2],[3,4,5]]`},
		{`print arr=dynamic([1,2,3,4,5]) | extend s=array_split(arr, dynamic([1,3]))`, `[1,2,3,4,5] | [[1],[2,3],[4,5]]`},
		{`print array_split(dynamic([1,2,3,4,5]), -1)`, `[[1,2,3,4],[5]]`},
		{`print array_split(dynamic([1,2,3]), dynamic([0, 10]))`, `[[],[1,2,3],[]]`},
		{`print array_split(dynamic([]), 1)`, `[[],[]]`},
		{`print array_split(dynamic(1), 1)`, ``},
	})
}

func TestArraySum(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print arr=dynamic([1,2,3,4]) | extend s=array_sum(arr)`, `[1,2,3,4] | 10`},
		{`print array_sum(dynamic([1.5, 2]))`, `3.5`},
		{`print array_sum(dynamic([]))`, `0`},
		{`print array_sum(dynamic([1, "a"]))`, ``},
		{`print array_sum(dynamic([1, null]))`, ``},
		{`print array_sum(dynamic(null))`, ``},
	})
}

func TestArrayStrcat(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print array_strcat(dynamic([1, 2, 3]), "->")`, `1->2->3`},
		{`print array_strcat(dynamic(["a", 1.5, null, true, [1]]), ",")`, `a,1.5,,true,[1]`},
		{`print array_strcat(dynamic([]), ",")`, ``},
		{`print array_strcat(dynamic(3), ",")`, ``},
	})
}

func TestArrayIndexOf(t *testing.T) {
	runDynCases(t, []dynCase{
		{`let arr=dynamic(["this", "is", "an", "example", "an", "example"]);
print
 idx1 = array_index_of(arr,"an"),
 idx2 = array_index_of(arr,"example",1,3),
 idx3 = array_index_of(arr,"example",1,2),
 idx4 = array_index_of(arr,"is",2,4),
 idx5 = array_index_of(arr,"example",2,-1),
 idx6 = array_index_of(arr, "an", 1, -1, 2),
 idx7 = array_index_of(arr, "an", 1, -1, 3),
 idx8 = array_index_of(arr, "an", -3),
 idx9 = array_index_of(arr, "is", -4)`, `2 | 3 | -1 | -1 | 3 | 4 | -1 | 4 | -1`},
		{`print array_index_of(dynamic([1, 2.0, 3]), 2)`, `1`},
		{`print array_index_of(dynamic([1, "2"]), 2)`, `-1`},
		{`print array_index_of(dynamic([]), 2)`, `-1`},
		{`print array_index_of(dynamic([1]), 1, 0, -2)`, ``},
		{`print array_index_of(dynamic([1]), 1, 0, -1, -1)`, ``},
		{`print array_index_of(dynamic([1]), 1, 5)`, `-1`},
		{`print array_index_of(dynamic("x"), "x")`, ``},
	})
}

func TestArrayIff(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print condition=dynamic([true,false,true]), if_true=dynamic([1,2,3]), if_false=dynamic([4,5,6])
| extend res= array_iff(condition, if_true, if_false)`, `[true,false,true] | [1,2,3] | [4,5,6] | [1,5,3]`},
		{`print condition=dynamic([1,0,50]), if_true="yes", if_false="no"
| extend res= array_iff(condition, if_true, if_false)`, `[1,0,50] | yes | no | ["yes","no","yes"]`},
		{`print res= array_iff(dynamic(["some string value", datetime(2022-01-01), null]), 1, 0)`, `[null,null,null]`},
		{`print res= array_iif(dynamic([true,true,true]), dynamic([1,2]), dynamic([3,4]))`, `[1,2,null]`},
		{`print array_iff(dynamic([]), 1, 0)`, `[]`},
		{`print array_iff(dynamic(null), 1, 0)`, ``},
		{`print array_iff(dynamic([false]), 1, long(null))`, `[null]`},
	})
}

func TestArraySort(t *testing.T) {
	runDynCases(t, []dynCase{
		{`let array1 = dynamic([1,3,4,5,2]);
let array2 = dynamic(["a","b","c","d","e"]);
print array_sort_asc(array1,array2)`, `[1,2,3,4,5] | ["a","e","b","c","d"]`},
		{`let array1 = dynamic([1,3,4,5,2]);
let array2 = dynamic(["a","b","c","d","e"]);
print array_sort_desc(array1,array2)`, `[5,4,3,2,1] | ["d","c","b","e","a"]`},
		{`print array_sort_asc(dynamic([1,3,2]), dynamic([1,2]))`, `[1,2,3] | `},
		{`print result=array_sort_asc(dynamic([null,"blue","yellow","green",null]))`, `["blue","green","yellow",null,null]`},
		{`print result=array_sort_asc(dynamic([null,"blue","yellow","green",null]), false)`, `[null,null,"blue","green","yellow"]`},
		{`print result=array_sort_desc(dynamic([null,"blue","yellow","green",null]))`, `["yellow","green","blue",null,null]`},
		{`print result=array_sort_desc(dynamic([null,"blue","yellow","green",null]), false)`, `[null,null,"yellow","green","blue"]`},
		{`print array_sort_asc(dynamic(["b", 2, 1.5, true, "a", 10]))`, `[1.5,2,10,"a","b",true]`},
		{`print array_sort_asc(dynamic([3, 1, 2]))[0]`, `1`},
		{`print array_sort_asc(dynamic([]))`, `[]`},
		{`print array_sort_asc(dynamic(1))`, ``},
		{`print array_sort_asc(1)`, `error: must be dynamic`},
	})
}
