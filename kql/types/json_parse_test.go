package types

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// parseJSONStd is the encoding/json-based parser ParseJSON replaced: the
// oracle of FuzzParseJSON. Numbers without a
// fraction or exponent that fit in int64 become int64, others float64.
func parseJSONStd(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	v, err := decodeJSON(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, &json.SyntaxError{Offset: dec.InputOffset()}
	}
	return v, nil
}

func decodeJSON(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeJSON(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token()
			return arr, err
		case '{':
			bag := &Bag{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeJSON(dec)
				if err != nil {
					return nil, err
				}
				bag.Set(kt.(string), v)
			}
			_, err := dec.Token()
			return bag, err
		}
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return i, nil
		}
		f, err := strconv.ParseFloat(string(t), 64)
		return f, err
	case string, bool, nil:
		return t, nil
	}
	return nil, &json.SyntaxError{Offset: dec.InputOffset()}
}

// FuzzParseJSON checks ParseJSONBytes against the encoding/json-based
// parser it replaced: on every valid document they agree, and it refuses
// every invalid one.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{
		`[{"a":1,"b":-2.5e3,"c":"x\"y\\u00e9\ud83d\ude00","d":[true,false,null],"e":{}}]`,
		`{"a":1,"a":2}`, `"\ud800x"`, `"\ud800\u0041"`, "\"\xff\xfe\"", `9223372036854775808`, `-0`, `1e400`,
		`[1,]`, `{"a" 1}`, `01`, `1 2`, `"\u12"`, " [ ] ",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ParseJSONBytes(b)
		if err != nil {
			if json.Valid(b) {
				if _, err2 := parseJSONStd(string(b)); err2 == nil {
					t.Fatalf("%q: ParseJSONBytes refused a document the old parser reads: %v", b, err)
				}
			}
			return
		}
		if !json.Valid(b) {
			t.Fatalf("%q: accepted invalid JSON", b)
		}
		want, err := parseJSONStd(string(b))
		if err != nil {
			t.Fatalf("%q: parseJSONStd: %v", b, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: got %#v, want %#v", b, got, want)
		}
	})
}
