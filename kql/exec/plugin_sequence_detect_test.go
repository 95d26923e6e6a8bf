package exec_test

import "testing"

func TestSequenceDetect(t *testing.T) {
	storms := `let S = datatable(StartTime:datetime, EventType:string, State:string)
[
    datetime(2007-05-08 00:00), "Excessive Heat", "CALIFORNIA",
    datetime(2007-05-08 16:02), "Wildfire", "CALIFORNIA",
    datetime(2007-05-10 11:30), "Wildfire", "CALIFORNIA",
    datetime(2007-05-20 00:00), "Wildfire", "CALIFORNIA",
    datetime(2007-08-31 08:00), "Excessive Heat", "CALIFORNIA",
    datetime(2007-09-01 11:28), "Wildfire", "CALIFORNIA",
    datetime(2007-09-02 12:00), "Excessive Heat", "CALIFORNIA",
    datetime(2007-09-02 13:30), "Wildfire", "CALIFORNIA",
    datetime(2007-08-10 08:00), "Excessive Heat", "TEXAS",
    datetime(2007-08-11 13:56), "Wildfire", "TEXAS",
    datetime(2007-08-11 14:00), "Wildfire", "OREGON",
];
`
	runPluginCases(t, nil, []pluginCase{
		{"pairs within five days", storms + `S | evaluate sequence_detect(StartTime, 5d, 5d,
        heat=(EventType == "Excessive Heat"), wildfire=(EventType == 'Wildfire'), State)`, `
State:string | heat_StartTime:datetime | wildfire_StartTime:datetime | Duration:timespan
CALIFORNIA | 2007-05-08T00:00:00Z | 2007-05-08T16:02:00Z | 16:02:00
CALIFORNIA | 2007-05-08T00:00:00Z | 2007-05-10T11:30:00Z | 2.11:30:00
TEXAS | 2007-08-10T08:00:00Z | 2007-08-11T13:56:00Z | 1.05:56:00
CALIFORNIA | 2007-08-31T08:00:00Z | 2007-09-01T11:28:00Z | 1.03:28:00
CALIFORNIA | 2007-08-31T08:00:00Z | 2007-09-02T13:30:00Z | 2.05:30:00
CALIFORNIA | 2007-09-02T12:00:00Z | 2007-09-02T13:30:00Z | 01:30:00`},
		{"step window and span", storms + `S | evaluate sequence_detect(StartTime, 2d, 3d,
        h=(EventType == "Excessive Heat"), w1=(EventType == 'Wildfire'), w2=(EventType == 'Wildfire'), State)`, `
State:string | h_StartTime:datetime | w1_StartTime:datetime | w2_StartTime:datetime | Duration:timespan
CALIFORNIA | 2007-05-08T00:00:00Z | 2007-05-08T16:02:00Z | 2007-05-10T11:30:00Z | 2.11:30:00
CALIFORNIA | 2007-08-31T08:00:00Z | 2007-09-01T11:28:00Z | 2007-09-02T13:30:00Z | 2.05:30:00`},
		{"without dimensions", storms + `S | where State != "CALIFORNIA" | evaluate sequence_detect(StartTime, 2d, 2d, EventType == "Excessive Heat", EventType == 'Wildfire')`, `
Expr1_StartTime:datetime | Expr2_StartTime:datetime | Duration:timespan
2007-08-10T08:00:00Z | 2007-08-11T13:56:00Z | 1.05:56:00
2007-08-10T08:00:00Z | 2007-08-11T14:00:00Z | 1.06:00:00`},
		{"one step", storms + `S | evaluate sequence_detect(StartTime, 1d, 1d, a=(EventType == "x"), State)`, "error: at least two"},
		{"predicate must be bool", storms + `S | evaluate sequence_detect(StartTime, 1d, 1d, a=EventType, b=(EventType == 'x'))`, "error: must be a bool predicate"},
	})
}
