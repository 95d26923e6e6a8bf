package kqlapi

import (
	"fmt"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// memCatalog holds one table, SigninLogs, with three columns.
type memCatalog struct{}

var signins = &engine.MemTable{TableName: "SigninLogs", Sch: vec.Schema{
	{Name: "TimeGenerated", Type: types.Datetime}, {Name: "UserPrincipalName", Type: types.String}, {Name: "ResultType", Type: types.String},
}}

func (memCatalog) Table(name string) (plan.Table, bool) {
	if name == "SigninLogs" {
		return signins, true
	}
	return nil, false
}

func (memCatalog) TableNames() []string { return []string{"SigninLogs"} }

func TestBlocks(t *testing.T) {
	text := "A\n| take 1\n\n  \nB\n\nC"
	var got []string
	for _, b := range Blocks(text) {
		got = append(got, text[b.Start:b.End])
	}
	if fmt.Sprintf("%q", got) != `["A\n| take 1\n" "B\n" "C"]` {
		t.Errorf("blocks %q", got)
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		text string
		want string // the underlined text, or "" for none
	}{
		{"SigninLogs | take 10", ""},
		{"SigninLogs | where Nope == 1", "Nope"},
		{"SigninLogs | where UserPrincipalName ==", "="},
		{"SigninLogs | take 1\n\nSigninLogz | take 1", "SigninLogz"},
		{"// é\nSigninLogs | summarize count() by Bogus", "Bogus"},
	} {
		d := Check(tc.text, memCatalog{})
		if tc.want == "" {
			if len(d) != 0 {
				t.Errorf("%q: %+v, want no diagnostics", tc.text, d)
			}
			continue
		}
		if len(d) != 1 {
			t.Errorf("%q: %+v, want one diagnostic", tc.text, d)
			continue
		}
		u := utf16Slice(tc.text, d[0].Start, d[0].End)
		if !strings.HasSuffix(u, tc.want) || d[0].Message == "" {
			t.Errorf("%q: underlined %q (%+v), want %q", tc.text, u, d[0], tc.want)
		}
	}
}

func utf16Slice(text string, from, to int) string {
	return text[ByteOffset(text, from):ByteOffset(text, to)]
}

func TestComplete(t *testing.T) {
	for _, tc := range []struct {
		text string // | marks the cursor
		want string // an item, kind:label[:detail]
		from string // the text the item replaces
	}{
		{"Signin‸", "table:SigninLogs", "Signin"},
		{"SigninLogs | wh‸", "operator:where", "wh"},
		{"SigninLogs | where User‸", "column:UserPrincipalName:string", "User"},
		{"SigninLogs | where ‸", "column:TimeGenerated:datetime", ""},
		{"SigninLogs | extend x = 1 | where ‸", "column:x:long", ""},
		{"SigninLogs | summarize cou‸", "aggregate:count", "cou"},
		{"let threshold = 5;\nSigninLogs | where thr‸", "let:threshold", "thr"},
		{"let s = SigninLogs | project ResultType;\ns | where Res‸", "column:ResultType:string", "Res"},
		{"SigninLogs | where strlen(Res‸)", "column:ResultType:string", "Res"},
		{"SigninLogs | where tolow‸", "function:tolower", "tolow"},
		{"SigninLogs | render time‸", "keyword:timechart", "time"},
	} {
		i := strings.Index(tc.text, "‸")
		text := strings.Replace(tc.text, "‸", "", 1)
		c := Complete(text, UTF16Offset(text, i), memCatalog{})
		found := false
		for _, it := range c.Items {
			s := it.Kind + ":" + it.Label
			if it.Detail != "" {
				s += ":" + it.Detail
			}
			found = found || s == tc.want
		}
		if !found {
			t.Errorf("%q: %d items %v, want %s", tc.text, len(c.Items), c.Items[:min(len(c.Items), 8)], tc.want)
		}
		if got := utf16Slice(text, c.From, c.To); got != tc.from {
			t.Errorf("%q: replaces %q, want %q", tc.text, got, tc.from)
		}
	}
}

// FuzzLanguageService: any text and offset give an answer whose ranges lie
// within the text, and neither function panics.
func FuzzLanguageService(f *testing.F) {
	for _, s := range []string{"SigninLogs | where User", "let x = 1;\nSigninLogs | where x > 1\n\nT | ", "é | 𝄞 where (", "SigninLogs | join (SigninLogs | where ", ""} {
		f.Add(s, len(s))
	}
	f.Fuzz(func(t *testing.T, text string, offset int) {
		n := UTF16Offset(text, len(text))
		for _, d := range Check(text, memCatalog{}) {
			if d.Start < 0 || d.End > n+1 || d.End <= d.Start {
				t.Fatalf("diagnostic %+v outside [0, %d]", d, n)
			}
		}
		c := Complete(text, offset, memCatalog{})
		if c.From < 0 || c.To > n || c.From > c.To {
			t.Fatalf("completion range [%d, %d) outside [0, %d]", c.From, c.To, n)
		}
	})
}

// funcCatalog is memCatalog with two stored functions.
type funcCatalog struct{ memCatalog }

func (funcCatalog) StoredFunctions() []StoredFunction {
	return []StoredFunction{{Name: "FailedSignIns", Params: "days:long = 1"}, {Name: "Admins"}}
}

func TestCompleteStoredFunctions(t *testing.T) {
	for _, tc := range []struct {
		text string // ‸ marks the cursor
		want []string
	}{
		// Where a statement starts, after the tables.
		{"Fail‸", []string{"function:FailedSignIns:(days:long = 1)"}},
		{"‸", []string{"table:SigninLogs:", "function:Admins:()", "function:FailedSignIns:(days:long = 1)"}},
		// Inside an expression, before the built-in functions.
		{"SigninLogs | where UserPrincipalName in (Adm‸", []string{"function:Admins:()"}},
	} {
		i := strings.Index(tc.text, "‸")
		text := strings.Replace(tc.text, "‸", "", 1)
		var got []string
		for _, it := range Complete(text, UTF16Offset(text, i), funcCatalog{}).Items {
			if it.Kind == "table" || it.Kind == "function" && it.Detail != "" {
				got = append(got, it.Kind+":"+it.Label+":"+it.Detail)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%q: stored functions and tables offered %v, want %v", tc.text, got, tc.want)
		}
	}
	// A catalog without stored functions offers none.
	for _, it := range Complete("Fail", 4, memCatalog{}).Items {
		t.Errorf("memCatalog offers %+v for Fail", it)
	}
}
