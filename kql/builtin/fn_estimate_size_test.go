package builtin_test

import "testing"

func TestEstimateDataSize(t *testing.T) {
	runDynCases(t, []dynCase{
		{`range x from 1 to 10 step 1 | extend Text = '1234567890' | summarize Total=sum(estimate_data_size(*))`, "180"},
		{`print estimate_data_size(true, int(1), guid(74be27de-1e4e-49d9-b579-fe0b331d3642), 1.5, dynamic([1,2]), "", long(null))`, "34"},
	})
}
