package builtin_test

import "testing"

func TestParseURL(t *testing.T) {
	testExprs(t, []exprCase{
		{`parse_url("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment")`,
			`{"Scheme":"scheme","Host":"host","Port":"1234","Path":"/this/is/a/path","Username":"username","Password":"password","Query Parameters":{"k1":"v1","k2":"v2"},"Fragment":"fragment"}`, "dynamic"},
		{`parse_url("https://bing.com")`,
			`{"Scheme":"https","Host":"bing.com","Port":"","Path":"","Username":"","Password":"","Query Parameters":{},"Fragment":""}`, "dynamic"},
		{`tostring(parse_url("bing.com").Host)`, "", "string"},
		{`tostring(parse_url("https://a.com/?q=hello+world%21").["Query Parameters"].q)`, "hello world!", "string"},
		{`parse_urlquery("k1=v1&k2=v2&k3=v3")`, `{"Query Parameters":{"k1":"v1","k2":"v2","k3":"v3"}}`, "dynamic"},
		{`parse_urlquery("")`, `{"Query Parameters":{}}`, "dynamic"},
		{`parse_urlquery("?a=1&b")`, `{"Query Parameters":{"a":"1","b":""}}`, "dynamic"},
	})
	testTables(t, []tableCase{
		{"query parameter lookup", `let getQueryParamValue = (querystring: string, param: string) {
    let params = parse_urlquery(querystring);
    tostring(params["Query Parameters"].[param])
};
print UrlQuery = 'view=vs-2019&preserve-view=true'
| extend view = getQueryParamValue('view=vs-2019&preserve-view=true', 'view')`, []string{
			"view=vs-2019&preserve-view=true | vs-2019"}},
	})
}

func TestParsePath(t *testing.T) {
	testTables(t, []tableCase{
		{"parse_path", `datatable(p:string)
[
    @"C:\temp\file.txt",
    @"temp\file.txt",
    "file://C:/temp/file.txt:some.exe",
    @"\\shared\users\temp\file.txt.gz",
    "/usr/lib/temp/file.txt"
]
| extend path_parts = parse_path(p)
| project path_parts`, []string{
			`{"Scheme":"","RootPath":"C:","DirectoryPath":"C:\\temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}`,
			`{"Scheme":"","RootPath":"","DirectoryPath":"temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}`,
			`{"Scheme":"file","RootPath":"C:","DirectoryPath":"C:/temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":"some.exe"}`,
			`{"Scheme":"","RootPath":"","DirectoryPath":"\\\\shared\\users\\temp","DirectoryName":"temp","Filename":"file.txt.gz","Extension":"gz","AlternateDataStreamName":""}`,
			`{"Scheme":"","RootPath":"","DirectoryPath":"/usr/lib/temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}`,
		}},
	})
}

func TestParseCSV(t *testing.T) {
	testExprs(t, []exprCase{
		{`parse_csv('aa,"b,b,b",cc,"Escaping quotes: ""Title""","line1\nline2"')`,
			`["aa","b,b,b","cc","Escaping quotes: \"Title\"","line1\nline2"]`, "dynamic"},
		{`parse_csv('record1,a,b,c\nrecord2,x,y,z')`, `["record1","a","b","c"]`, "dynamic"},
		{`parse_csv('')`, `[""]`, "dynamic"},
		{`parse_csv('a,,b,')`, `["a","","b",""]`, "dynamic"},
	})
}

func TestParseCommandLine(t *testing.T) {
	testExprs(t, []exprCase{
		{`parse_command_line("echo \"hello world!\"", "windows")`, `["echo","hello world!"]`, "dynamic"},
		{`parse_command_line(@'"C:\Program Files\a.exe" -x "a b" c\\"d e" f\"g', "windows")`,
			`["C:\\Program Files\\a.exe","-x","a b","c\\d e","f\"g"]`, "dynamic"},
		{`parse_command_line(@'a\\b "c\\\\" d', "windows")`, `["a\\\\b","c\\\\","d"]`, "dynamic"},
		{`parse_command_line("", "windows")`, `[]`, "dynamic"},
		{`parse_command_line("  x", "Windows")`, `["","x"]`, "dynamic"},
	})
}

func TestParseVersion(t *testing.T) {
	testTables(t, []tableCase{
		// Shown through tolong(): real and decimal text formatting is not
		// this file's concern.
		{"parse_version", `datatable(v: string)["0.0.0.5", "0.0.7.0", "0.0.3", "0.2", "0.1.2.0", "1.2.3.4.5", "a.b", "123456789", ""]
| extend parsedVersion = tolong(parse_version(v))`, []string{
			"0.0.0.5 | 5", "0.0.7.0 | 700000000", "0.0.3 | 300000000", "0.2 | 20000000000000000",
			"0.1.2.0 | 10000000200000000",
			"1.2.3.4.5 | " + nullText, "a.b | " + nullText, "123456789 | " + nullText, " | " + nullText}},
		{"parse_version of large versions", `print a = parse_version("1") == 1e24, b = parse_version("1.0") == parse_version("1.0.0.0"), t = gettype(parse_version("1"))`,
			[]string{"true | true | decimal"}},
		{"compare versions", `datatable(lab: string, v: string)["A", "0.0.0.5", "E", "1", "F", "1.2.3.4"]
| extend needs_update = iff(parse_version(v) < parse_version("1.0.0.0"), "Yes", "No")
| project lab, needs_update`, []string{"A | Yes", "E | No", "F | No"}},
	})
}

func TestFormatBytes(t *testing.T) {
	testExprs(t, []exprCase{
		{`format_bytes(564)`, "564 Bytes", "string"},
		{`format_bytes(10332, 1)`, "10.1 KB", "string"},
		{`format_bytes(20010332)`, "19 MB", "string"},
		{`format_bytes(20010332, 2)`, "19.08 MB", "string"},
		{`format_bytes(20010332, 0, "KB")`, "19541 KB", "string"},
		{`format_bytes(0)`, "0 Bytes", "string"},
		{`format_bytes(1024)`, "1 KB", "string"},
		{`format_bytes(1000, 0, "", 10)`, "1 KB", "string"},
		{`format_bytes(long(null))`, "", "string"},
		{`format_bytes(10, 0, "XB")`, "", "string"},
	})
}

func TestParseErrors(t *testing.T) {
	testErrors(t, []errCase{
		{`print parse_command_line("a", "linux")`, `parse_command_line(): unsupported parser "linux"`},
		{`print parse_command_line("a")`, "parse_command_line(): expects 2 arguments, got 1"},
		{`print format_bytes("a")`, "format_bytes(): argument #1 (size) must be a number, got string"},
		{`print parse_url(1)`, "parse_url(): argument #1 (source) must be a string"},
	})
}
