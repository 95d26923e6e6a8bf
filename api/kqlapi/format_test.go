package kqlapi

import "testing"

func TestFormat(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SigninLogs | where ResultType == \"0\" | summarize n=count() by AppDisplayName",
			"SigninLogs\n| where ResultType == \"0\"\n| summarize n = count() by AppDisplayName"},
		// Queries stay apart; statements of one query stay together.
		{"let x = 1; T | take x\n\nU|count\n", "let x = 1;\nT\n| take x\n\nU\n| count\n"},
		// Comments are kept: only the pipes move.
		{"T | where a == \"x|y\" // note | here\n| take 5 | count", "T\n| where a == \"x|y\" // note | here\n| take 5\n| count"},
		// Text that does not parse gets its pipes broken too.
		{"T | where | take 5", "T\n| where\n| take 5"},
		{"T | join (U | take 1) on k", "T\n| join (\n    U\n    | take 1\n) on k"},
		{"T // c\n| join (U | take 1) on k", "T // c\n| join (U | take 1) on k"},
	} {
		if got := Format(tc.in); got != tc.want {
			t.Errorf("Format(%q) =\n%q\nwant\n%q", tc.in, got, tc.want)
		}
	}
}
