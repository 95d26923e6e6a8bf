package exec_test

import "testing"

func TestSchemaMerge(t *testing.T) {
	runPluginCases(t, nil, []pluginCase{
		{"appended column", `let schema1 = datatable(Uri:string, HttpStatus:int)[] | getschema;
let schema2 = datatable(Uri:string, HttpStatus:int, Referrer:string)[] | getschema;
union schema1, schema2 | evaluate schema_merge()`, `
ColumnName:string | ColumnOrdinal:int | DataType:string | ColumnType:string
Uri | 0 | System.String | string
HttpStatus | 1 | System.Int32 | int
Referrer | 2 | System.String | string`},
		{"out of order", `let schema1 = datatable(Uri:string, HttpStatus:int)[] | getschema;
let schema2 = datatable(Uri:string, Referrer:string, HttpStatus:int)[] | getschema;
union schema1, schema2 | evaluate schema_merge()`, `
ColumnName:string | ColumnOrdinal:int | DataType:string | ColumnType:string
Uri | 0 | System.String | string
Referrer | 1 | System.String | string
HttpStatus | -1 | ERROR(unknown CSL type:ERROR(columns are out of order)) | ERROR(columns are out of order)`},
		{"order not preserved", `let schema1 = datatable(Uri:string, HttpStatus:int)[] | getschema;
let schema2 = datatable(Uri:string, Referrer:string, HttpStatus:long)[] | getschema;
union schema1, schema2 | evaluate schema_merge(PreserveOrder = false)`, `
ColumnName:string | ColumnOrdinal:int | DataType:string | ColumnType:string
Uri | 0 | System.String | string
Referrer | 1 | System.String | string
HttpStatus | 2 | System.Int64 | long`},
		{"types that do not reduce", `union (datatable(a:string)[] | getschema), (datatable(a:long)[] | getschema) | evaluate schema_merge()`, `
ColumnName:string | ColumnOrdinal:int | DataType:string | ColumnType:string
a | -1 | ERROR(unknown CSL type:ERROR(type mismatch: string and long)) | ERROR(type mismatch: string and long)`},
		{"needs getschema's columns", `print x = 1 | evaluate schema_merge()`, "error: 'ColumnName' is missing"},
	})
}
