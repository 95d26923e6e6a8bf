package exec_test

import "testing"

func TestForkAndFacet(t *testing.T) {
	storms := `datatable(State:string, EventType:string, Deaths:long, Injuries:long)
[
    "FLORIDA", "Heavy Rain", 2, 0,
    "FLORIDA", "Tornado", 0, 3,
    "TEXAS", "Tornado", 5, 5,
    "FLORIDA", "Flood", 0, 0,
]
| where State == "FLORIDA"`
	runPluginCases(t, nil, []pluginCase{
		{"unnamed branches", storms + "| fork (where Deaths > 1) (where Injuries > 1 | project EventType)", `
State:string | EventType:string | Deaths:long | Injuries:long
FLORIDA | Heavy Rain | 2 | 0
----
EventType:string
Tornado`},
		{"named by as", storms + "| fork (where Deaths > 1 | as WithDeaths) (count | as Total)", `
== WithDeaths
State:string | EventType:string | Deaths:long | Injuries:long
FLORIDA | Heavy Rain | 2 | 0
----
== Total
Count:long
3`},
		{"named branches", storms + "| fork Deaths = (summarize sum(Deaths)) Kinds = (distinct EventType | sort by EventType asc)", `
== Deaths
sum_Deaths:long
2
----
== Kinds
EventType:string
Flood
Heavy Rain
Tornado`},
		{"with other statements", "print a = 1; " + storms + "| fork (take 1 | project State) (count)", `
a:long
1
----
State:string
FLORIDA
----
Count:long
3`},
		{"fork must end the statement", storms + "| fork (take 1) (take 2) | count", "error: fork returns several tables"},
		{"fork is not a table", "let x = print a = 1 | fork (take 1) (take 1); x", "error: fork returns several tables"},
		{"facet", storms + `| facet by State, EventType with (where Deaths > 0 | project EventType, Deaths)`, `
EventType:string | Deaths:long
Heavy Rain | 2
----
State:string | count_State:long
FLORIDA | 3
----
EventType:string | count_EventType:long
Heavy Rain | 1
Tornado | 1
Flood | 1`},
		{"facet without with", storms + "| facet by EventType", `
EventType:string | count_EventType:long
Heavy Rain | 1
Tornado | 1
Flood | 1`},
		{"facet of an unknown column", storms + "| facet by Nope", "error: unknown column 'Nope'"},
	})
}
