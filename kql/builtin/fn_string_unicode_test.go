package builtin_test

import "testing"

func TestCodepoints(t *testing.T) {
	testExprs(t, []exprCase{
		{`unicode_codepoints_from_string("⒦⒰⒮⒯⒪")`, "[9382,9392,9390,9391,9386]", "dynamic"},
		{`unicode_codepoints_from_string("")`, "[]", "dynamic"},
		{`unicode_codepoints_to_string(unicode_codepoints_from_string("Kusto"))`, "Kusto", "string"},
		{`unicode_codepoints_to_string(75, 117, 115, 116, 111)`, "Kusto", "string"},
		{`unicode_codepoints_to_string(dynamic([75, 117, 115, 116, 111]))`, "Kusto", "string"},
		{`unicode_codepoints_to_string(dynamic([75, 117, 115]), 116, 111)`, "Kusto", "string"},
		{`unicode_codepoints_to_string(75, 10, 117)`, "K\nu", "string"},
		{`unicode_codepoints_to_string(-1)`, "", "string"},
		{`unicode_codepoints_to_string(55296)`, "", "string"},
		{`unicode_codepoints_to_string(long(null))`, "", "string"},
		{`make_string(9382, dynamic([9392]))`, "⒦⒰", "string"},
	})
}

func TestUTF8AndASCII(t *testing.T) {
	testExprs(t, []exprCase{
		{`isutf8("some string")`, "true", "bool"},
		{`isutf8("")`, "true", "bool"},
		{`isascii("abc")`, "true", "bool"},
		{`isascii("⒦")`, "false", "bool"},
	})
}

func TestPunycode(t *testing.T) {
	testExprs(t, []exprCase{
		{`punycode_from_string('académie-française')`, "acadmie-franaise-npb1a", "string"},
		{`punycode_to_string('acadmie-franaise-npb1a')`, "académie-française", "string"},
		{`punycode_from_string('bücher')`, "bcher-kva", "string"},
		{`punycode_from_string('他们为什么不说中文')`, "ihqwcrb4cv8a8dqg056pqjye", "string"},
		{`punycode_to_string('ihqwcrb4cv8a8dqg056pqjye')`, "他们为什么不说中文", "string"},
		{`punycode_to_string('abc!')`, "", "string"},
		{`punycode_from_string('')`, "", "string"},
		{`punycode_domain_to_string('bücher.example.com')`, "xn--bcher-kva.example.com", "string"},
		{`punycode_domain_from_string('xn--bcher-kva.example.com')`, "bücher.example.com", "string"},
		{`punycode_domain_from_string('xn--!.com')`, "", "string"},
	})
	testTables(t, []tableCase{
		{"punycode_domain_from_string", `datatable(encoded:string)
[
    "xn--Ge-mia.Bulg.edu",
    "xn--Lin-8na.Celtchair.org",
    "xn--Ry-lja8c.xn--Jng-uta63a.xn--Bng-9ka.com",
]
| extend domain=punycode_domain_from_string(encoded)`, []string{
			"xn--Ge-mia.Bulg.edu | Gáe.Bulg.edu",
			"xn--Lin-8na.Celtchair.org | Lúin.Celtchair.org",
			"xn--Ry-lja8c.xn--Jng-uta63a.xn--Bng-9ka.com | Rúyì.Jīngū.Bàng.com"}},
		{"punycode_domain_to_string", `datatable(domain:string )['Lê Lợi。Thuận Thiên。com', 'Riðill｡Skáldskaparmál｡org', "Kaledvoulc'h.Artorījos.edu"]
| extend str=punycode_domain_to_string(domain)
| project str`, []string{
			"xn--L Li-gpa4517b.xn--Thun Thin-s4a7194f.com",
			"xn--Riill-jta.xn--Skldskaparml-dbbj.org",
			"Kaledvoulc'h.xn--Artorjos-ejb.edu"}},
	})
}

func TestUnicodeErrors(t *testing.T) {
	testErrors(t, []errCase{
		{`print unicode_codepoints_to_string("a")`, "unicode_codepoints_to_string(): argument #1 (codepoint) must be an integer, got string"},
		{`print unicode_codepoints_from_string(1)`, "must be a string"},
		{`print isutf8()`, "isutf8(): expects 1 argument, got 0"},
	})
}
