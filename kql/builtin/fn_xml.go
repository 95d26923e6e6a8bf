package builtin

import (
	"encoding/xml"
	"io"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// parse_xml(xml) converts XML text to a dynamic value by Kusto's rules:
// <e/> is {"e": null}; <e>text</e> is {"e": "text"}; attributes become
// "@name" keys and the text of an element that also has attributes or
// child elements becomes "#text"; repeated child elements become an
// array. Only elements, attributes and text are kept. Invalid XML, or
// text longer than 1 MB, gives null.
func init() {
	RegisterScalar(&Scalar{Name: "parse_xml", Bind: func(args []Arg) (types.Type, Kernel, error) {
		if err := checkArgs("parse_xml", args, 1, p("xml", kStr)); err != nil {
			return 0, nil, err
		}
		return types.Dynamic, func(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
			vals, k := mapStrings(args[0], n, parseXML)
			return dynColumn(vals, k, n), nil
		}, nil
	}})
}

// maxXML is the longest text parse_xml converts.
const maxXML = 1 << 20

func parseXML(s string) any {
	if len(s) > maxXML || strings.TrimSpace(s) == "" {
		return nil
	}
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	var root *types.Bag
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil {
				return nil // a second root element
			}
			v, err := xmlElement(d, t)
			if err != nil {
				return nil
			}
			root = &types.Bag{}
			root.Set(t.Name.Local, v)
		case xml.CharData:
			if strings.TrimSpace(string(t)) != "" {
				return nil
			}
		}
	}
	if root == nil {
		return nil
	}
	return root
}

// xmlElement converts the element that start opened, reading up to its end.
func xmlElement(d *xml.Decoder, start xml.StartElement) (any, error) {
	bag := &types.Bag{}
	for _, a := range start.Attr {
		if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" && a.Name.Space == "" {
			continue
		}
		bag.Set("@"+a.Name.Local, a.Value)
	}
	var text strings.Builder
	hasText, hasChild := false, false
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			v, err := xmlElement(d, t)
			if err != nil {
				return nil, err
			}
			hasChild = true
			name := t.Name.Local
			if old, ok := bag.Get(name); ok {
				if arr, ok := old.([]any); ok && isRepeated(bag, name) {
					bag.Set(name, append(arr, v))
				} else {
					bag.Set(name, []any{old, v})
					markRepeated(bag, name)
				}
			} else {
				bag.Set(name, v)
			}
		case xml.CharData:
			if s := strings.TrimSpace(string(t)); s != "" {
				if !hasText {
					bag.Set("#text", "") // keeps the text's place among the keys
				}
				text.WriteString(s)
				hasText = true
			}
		case xml.EndElement:
			unmarkRepeated(bag)
			switch {
			case !hasChild && len(bag.Keys) == 0:
				return nil, nil
			case !hasChild && hasText && len(bag.Keys) == 1:
				return text.String(), nil
			case hasText:
				bag.Set("#text", text.String())
			}
			return bag, nil
		}
	}
}

// Repeated child elements are collected into an array; the names whose
// value is such an array are remembered in a key of the bag that no XML
// name can have, and removed when the element ends, so that an element
// whose own value is an array is never appended to.
const repeatedKey = "\x00repeated"

func isRepeated(b *types.Bag, name string) bool {
	v, ok := b.Get(repeatedKey)
	if !ok {
		return false
	}
	for _, n := range v.([]any) {
		if n == name {
			return true
		}
	}
	return false
}

func markRepeated(b *types.Bag, name string) {
	v, _ := b.Get(repeatedKey)
	names, _ := v.([]any)
	b.Set(repeatedKey, append(names, name))
}

func unmarkRepeated(b *types.Bag) {
	for i, k := range b.Keys {
		if k == repeatedKey {
			b.Keys = append(b.Keys[:i], b.Keys[i+1:]...)
			b.Vals = append(b.Vals[:i], b.Vals[i+1:]...)
			return
		}
	}
}
