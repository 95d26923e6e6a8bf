package exec_test

import "testing"

// TestExtendSameOperator: within one extend, a replaced input column keeps
// meaning the input's value, and a new column is visible to later
// assignments.
func TestExtendSameOperator(t *testing.T) {
	runPluginCases(t, nil, []pluginCase{
		{"replaced and new", `print x = 1 | extend x = 2, y = x, z = 5, w = z + 1`, `
x:long | y:long | z:long | w:long
2 | 1 | 5 | 6`},
	})
}
