package builtin_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// dictTables returns a catalog with the same rows twice: table D with a
// dictionary-encoded string column, table P with plain strings.
func dictTables(dict []string, rows int) engine.Catalog {
	codes := make([]uint32, rows)
	plain := make([]string, rows)
	nb := vec.NewBuilder(types.Long, rows)
	for i := range codes {
		codes[i] = uint32((i * 7) % len(dict))
		plain[i] = dict[codes[i]]
		if i%5 == 0 {
			nb.AppendNull()
		} else {
			nb.AppendInt(int64(i))
		}
	}
	n := nb.Build()
	sch := vec.Schema{{Name: "s", Type: types.String}, {Name: "n", Type: types.Long}}
	d := &vec.Column{Type: types.String, N: rows, Dict: dict, Codes: codes}
	p := &vec.Column{Type: types.String, N: rows, Strs: plain}
	return engine.Catalog{
		"D": &engine.MemTable{TableName: "D", Sch: sch, Data: vec.NewBatch([]*vec.Column{d, n}, rows)},
		"P": &engine.MemTable{TableName: "P", Sch: sch, Data: vec.NewBatch([]*vec.Column{p, n}, rows)},
	}
}

var dictExprs = []string{
	"tolower(s)", "toupper(s)", "strlen(s)", "string_size(s)", "isempty(s)", "isnotempty(s)",
	"isnull(s)", "isnotnull(n)", "tostring(s)", "tostring(n)", "split(s, '_')", "split(s, '_', 1)",
	"replace_regex(s, 'a', 'b')", "replace_string(s, 'a', 'bb')", "trim('x', s)", "reverse(s)",
	"base64_encode_tostring(s)", "parse_json(s)", "strcat(s, n, 'x')", "strcat_delim('-', s, n)",
	"iff(isempty(s), 'e', s)", "case(n > 10, s, 'small')", "coalesce(s, 'z')", "extract('(\\\\w)', 1, s)",
	"toint(s)", "tolong(n)", "hash(s)", "hash_md5(s)", "countof(s, 'a')", "indexof(s, 'b')",
	"translate('ab', 'xy', s)", "url_encode(s)", "isutf8(s)", "substring(s, 1, 2)",
	"extract_all('(\\\\w)', s)", "hash(s, 10)", "extract('(\\\\d+)', 1, s, typeof(long))",
}

// TestDictionaryInput checks that functions give the same results over
// dictionary-encoded and plain string columns, with dictionaries smaller
// and larger than a batch.
func TestDictionaryInput(t *testing.T) {
	small := []string{"", "abc", "a_b_c", "Xx_42", "{\"k\":1}", "éÀ"}
	var large []string
	for i := 0; i < 20000; i++ {
		large = append(large, fmt.Sprintf("v%d_a%d", i, i%3))
	}
	for _, tc := range []struct {
		dict []string
		rows int
	}{{small, 10000}, {large, 300}} {
		cat := dictTables(tc.dict, tc.rows)
		e := &engine.Engine{Catalog: cat}
		for _, x := range dictExprs {
			got := queryText(t, e, "D | project r = "+x)
			want := queryText(t, e, "P | project r = "+x)
			if got != want {
				t.Errorf("%s over a dictionary (%d entries) differs from plain strings", x, len(tc.dict))
			}
		}
	}
}

func queryText(t *testing.T, e *engine.Engine, q string) string {
	t.Helper()
	res, err := e.Query(t.Context(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	var b strings.Builder
	for _, r := range res {
		for i := 0; i < r.Rows.N; i++ {
			b.WriteString(cellText(r.Value(i, 0)))
			b.WriteByte('\n')
		}
	}
	return b.String()
}
