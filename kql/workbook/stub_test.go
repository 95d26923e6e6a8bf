package workbook

import "testing"

func TestStub(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"time range", "T | where TimeGenerated {TimeRange}", "T | where TimeGenerated > ago(1d)"},
		{"time range value", "T | where TimeGenerated {TimeRange:value}", "T | where TimeGenerated > ago(1d)"},
		{"time range query", "T | where TimeGenerated  {TimeRange:query}", "T | where TimeGenerated  > ago(1d)"},
		{"prefixed time range", "T | where TimeGenerated {pTimeRange:value}", "T | where TimeGenerated > ago(1d)"},
		{"time", "T | where TimeGenerated {time}", "T | where TimeGenerated > ago(1d)"},
		{"Time value is not a time range", "T | where t {Time:value}", `T | where t "x"`},
		{"start end grain",
			"make-series n = count() on t from {TimeRange:start} to {TimeRange:end} step {TimeRange:grain}",
			"make-series n = count() on t from datetime(2024-01-01) to datetime(2024-01-01) step 1h"},
		{"any parameter start", "between (({time:start} - 7d)..{AADTimebrushAccount:end})",
			"between ((datetime(2024-01-01) - 7d)..datetime(2024-01-01))"},
		{"other token", "T | where App in ({Apps}) or '*' in ({Apps:value})", `T | where App in ("x") or '*' in ("x")`},
		{"escape and label", "T | take {Top:label} | where u == {User:escape}", `T | take "x" | where u == "x"`},
		{"in double-quoted string", `T | where "{User:escape}" == "All" or U has "{User}"`, `T | where "x" == "All" or U has "x"`},
		{"in single-quoted string", `T | where U startswith '{UserFilter:label}'`, `T | where U startswith 'x'`},
		{"inside longer string", `print strcat("user {User} at {TimeRange:start}!")`, `print strcat("user x at x!")`},
		{"escaped quote before token", `print "a\"{User}" , {User}`, `print "a\"x" , "x"`},
		{"verbatim string", `print @"C:\{Dir}\", {Dir}`, `print @"C:\x\", "x"`},
		{"verbatim doubled quote", `print @'it''s {A}', {A}`, `print @'it''s x', "x"`},
		{"multi-line string", "print ```a\n{A}\n```, {A}", "print ```a\nx\n```, \"x\""},
		{"comment is kept", "T // where '{Apps}' in ({Apps})\n| take {N}", "T // where '{Apps}' in ({Apps})\n| take \"x\""},
		{"apostrophe in comment", "T // don't\n| where a == {A}", "T // don't\n| where a == \"x\""},
		{"unclosed string ends at line end", "print 'abc\n| where a == {A}", "print 'abc\n| where a == \"x\""},
		{"dynamic bag is not a token", `print dynamic({"a": 1}), dynamic({ "Name":"", "Type":"*"})`, `print dynamic({"a": 1}), dynamic({ "Name":"", "Type":"*"})`},
		{"no tokens", "T | where x > 1", "T | where x > 1"},
	}
	for _, tt := range tests {
		if got := Stub(tt.in); got != tt.want {
			t.Errorf("%s:\nStub(%q)\n = %q\nwant %q", tt.name, tt.in, got, tt.want)
		}
	}
}
