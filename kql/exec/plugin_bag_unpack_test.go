package exec_test

import "testing"

func TestBagUnpack(t *testing.T) {
	people := `datatable(d:dynamic)
[
    dynamic({"Name": "John", "Age":20}),
    dynamic({"Name": "Dave", "Age":40}),
    dynamic({"Name": "Jasmine", "Age":30}),
]`
	named := `datatable(Name:string, d:dynamic)
[
    'Old', dynamic({"Name": "John", "Age":20}),
    'Old', dynamic({"Name": "Dave", "Age":40}),
]`
	runPluginCases(t, nil, []pluginCase{
		{"columns in name order", people + "| evaluate bag_unpack(d)", `
Age:long | Name:string
20 | John
40 | Dave
30 | Jasmine`},
		{"prefix", people + "| evaluate bag_unpack(d, 'Property_')", `
Property_Age:long | Property_Name:string
20 | John
40 | Dave
30 | Jasmine`},
		{"missing properties are null", `datatable(d:dynamic)
[
    dynamic({"Name": "John", "Age":20}),
    dynamic({ "Name": "Dave", "Height": 170, "Age":40}),
    dynamic(null),
    dynamic([1, 2]),
]
| evaluate bag_unpack(d)`, `
Age:long | Height:long | Name:string
20 | null | John
40 | 170 | Dave
null | null | 
null | null | `},
		{"ignored properties", `datatable(d:dynamic)
[
    dynamic({"Name": "John", "Age":20, "Address": "Address-1" }),
    dynamic({"Name": "Dave", "Age":40, "Address": "Address-2"}),
]
| evaluate bag_unpack(d, ignoredProperties=dynamic(['Address', 'Age']))`, `
Name:string
John
Dave`},
		{"mixed types give dynamic, nulls are ignored", `datatable(k:long, d:dynamic)
[
    1, dynamic({"a": 1, "b": "x", "c": null, "e": {"z": 1}}),
    2, dynamic({"a": 1.5, "b": "y", "c": true}),
]
| evaluate bag_unpack(d)`, `
k:long | a:dynamic | b:string | c:bool | e:dynamic
1 | 1 | x | null | {"z":1}
2 | 1.5 | y | true | null`},
		{"conflict is an error", named + "| evaluate bag_unpack(d)",
			"error: the property 'Name' collides with an existing column"},
		{"replace_source", named + "| evaluate bag_unpack(d, columnsConflict='replace_source')", `
Age:long | Name:string
20 | John
40 | Dave`},
		{"keep_source", named + "| evaluate bag_unpack(d, columnsConflict='keep_source')", `
Name:string | Age:long
Old | 20
Old | 40`},
		{"declared schema with star", `datatable(d:dynamic, Description: string)
[
    dynamic({"Name": "John", "Age":20, "height":180}), "Student",
    dynamic({"Name": "Dave", "Age":"40", "height":160}), "Teacher",
]
| evaluate bag_unpack(d) : (*, Name:string, Age:long)`, `
Description:string | Name:string | Age:long
Student | John | 20
Teacher | Dave | 40`},
		{"declared schema without star", people + "| evaluate bag_unpack(d, 'p_') : (p_Name:string, Other:real)", `
p_Name:string | Other:real
John | null
Dave | null
Jasmine | null`},
		{"columns usable downstream", people + "| evaluate bag_unpack(d) | where Age > 25 | project Name, Next = Age + 1", `
Name:string | Next:long
Dave | 41
Jasmine | 31`},
		{"over a materialized input used twice", `let T = materialize(` + people + `);
T | evaluate bag_unpack(d) | join kind=inner (T | evaluate bag_unpack(d)) on Name | project Name, Age1`, `
Name:string | Age1:long
John | 20
Dave | 40
Jasmine | 30`},
		{"empty input", people + "| where false | evaluate bag_unpack(d)", `
`},
		{"needs a dynamic column", "datatable(s:string)['x'] | evaluate bag_unpack(s)", "error: bag_unpack expects a dynamic column"},
		{"unknown column", "datatable(s:string)['x'] | evaluate bag_unpack(t)", "error: unknown column 't'"},
		{"bad conflict mode", named + "| evaluate bag_unpack(d, columnsConflict='merge')", "error: columnsConflict must be"},
		{"needs input", "evaluate bag_unpack(d)", "error: needs a tabular input"},
	})
}
