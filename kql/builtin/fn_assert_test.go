package builtin_test

import "testing"

// TestAssert also checks that a constant assertion fails the query while
// it is analysed, even where no row reaches it, as Kusto documents.
func TestAssert(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print assert(1 < 2, "fine")`, "true"},
		{`let b = false; print x = "Hello" | where b | where assert(b, "Assertion failed") | count`, "error: Assertion failed"},
		{`print assert(1 > 2, "one is not above two")`, "error: one is not above two"},
		{`print assert(bool(null), "null")`, "error: null"},
	})
}
