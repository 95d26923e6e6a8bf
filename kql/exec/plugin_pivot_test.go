package exec_test

import "testing"

func TestPivot(t *testing.T) {
	storms := `datatable(State:string, EventType:string, Source:string, Deaths:long)
[
    "ARKANSAS", "Heat", "Newspaper", 3,
    "ARIZONA", "Flood", "Spotter", 2,
    "ARIZONA", "Flood", "Media", 3,
    "ARKANSAS", "Wind", "Newspaper", 1,
    "ARIZONA", "Lightning", "Newspaper", 1,
]`
	runPluginCases(t, nil, []pluginCase{
		{"count by default", storms + "| project State, EventType | evaluate pivot(State)", `
EventType:string | ARKANSAS:long | ARIZONA:long
Heat | 1 | 0
Flood | 0 | 2
Wind | 1 | 0
Lightning | 0 | 1`},
		{"aggregation", storms + "| project State, EventType, Deaths | evaluate pivot(State, sum(Deaths))", `
EventType:string | ARKANSAS:long | ARIZONA:long
Heat | 3 | 0
Flood | 0 | 5
Wind | 1 | 0
Lightning | 0 | 1`},
		{"grouping columns", storms + "| evaluate pivot(State, sum(Deaths), EventType, Source)", `
EventType:string | Source:string | ARKANSAS:long | ARIZONA:long
Heat | Newspaper | 3 | 0
Flood | Spotter | 0 | 2
Flood | Media | 0 | 3
Wind | Newspaper | 1 | 0
Lightning | Newspaper | 0 | 1`},
		{"other aggregations leave empty cells null", storms + "| evaluate pivot(State, max(Deaths), EventType)", `
EventType:string | ARKANSAS:long | ARIZONA:long
Heat | 3 | null
Flood | null | 3
Wind | 1 | null
Lightning | null | 1`},
		{"declared schema", storms + "| project State, EventType | evaluate pivot(State) : (EventType:string, ARIZONA:long, TEXAS:long)", `
EventType:string | ARIZONA:long | TEXAS:long
Heat | 0 | 0
Flood | 2 | 0
Wind | 0 | 0
Lightning | 1 | 0`},
		{"non-string pivot values", "range x from 1 to 4 step 1 | extend k = x % 2 | evaluate pivot(x, sum(x), k)", `
k:long | 1:long | 2:long | 3:long | 4:long
1 | 1 | 0 | 3 | 0
0 | 0 | 2 | 0 | 4`},
		{"pivot columns usable downstream", storms + "| project State, EventType | evaluate pivot(State) | where ARIZONA > 0 | project EventType", `
EventType:string
Flood
Lightning`},
		{"unknown aggregation column", storms + "| evaluate pivot(State, sum(Nope))", "error: unknown column or name 'Nope'"},
		{"star not allowed", storms + "| evaluate pivot(State) : (*, A:long)", "error: '*' is not allowed"},
	})
}
