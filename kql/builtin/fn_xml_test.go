package builtin

import (
	"testing"

	"github.com/idlogs/idlogs/kql/types"
)

// The conversion table of Kusto's parse_xml documentation, and invalid input.
func TestParseXML(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`<e/>`, `{"e":null}`},
		{`<e>text</e>`, `{"e":"text"}`},
		{`<e name="value" />`, `{"e":{"@name":"value"}}`},
		{`<e name="value">text</e>`, `{"e":{"@name":"value","#text":"text"}}`},
		{`<e> <a>text</a> <b>text</b> </e>`, `{"e":{"a":"text","b":"text"}}`},
		{`<e> <a>text</a> <a>text</a> </e>`, `{"e":{"a":["text","text"]}}`},
		{`<e> <a>1</a> <a>2</a> <a>3</a> </e>`, `{"e":{"a":["1","2","3"]}}`},
		{`<e> text <a>text</a> </e>`, `{"e":{"#text":"text","a":"text"}}`},
		{`<?xml version="1.0" encoding="UTF-8"?><duration><value>118.0</value><count>5.0</count></duration>`, `{"duration":{"value":"118.0","count":"5.0"}}`},
		{`<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><Data Name="x">1</Data></Event>`, `{"Event":{"Data":{"@Name":"x","#text":"1"}}}`},
		{`not xml`, `null`},
		{`<a><b></a>`, `null`},
		{``, `null`},
		{`<a/><b/>`, `null`},
	} {
		got := types.FormatJSON(parseXML(c.in))
		if got != c.want {
			t.Errorf("parse_xml(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}
