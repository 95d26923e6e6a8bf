package exec_test

import (
	"testing"

	"github.com/idlogs/idlogs/kql/builtin"
)

// TestOperatorDocExamples runs Kusto documentation examples of the
// operators that need functions from other families; a case is skipped
// while a function it needs is not registered.
func TestOperatorDocExamples(t *testing.T) {
	for _, tc := range []struct {
		id    string
		needs []string
		query string
		want  string
	}{
		{"parse-operator-3", []string{"strcat"}, `let Leads=datatable(Contacts: string)
    [
    "Event: LeadContact (email=john@contosohotel.com, Website=https:contosohotel.com)",
	"Event: LeadContact (email=abi@fourthcoffee.com, Website=https:www.fourthcoffee.com)",
	"Event: LeadContact (email=nevena@treyresearch.com, Website=https:treyresearch.com)",
];
Leads
| parse Contacts with * "email=" alias:string "@" domain: string ", Website=https:" WebsiteDomain: string ")"
| project EmailAddress=strcat(alias, "@", domain), EmailAlias=alias, WebsiteDomain`,
			`EmailAddress:string | EmailAlias:string | WebsiteDomain:string
"john@contosohotel.com" | "john" | "contosohotel.com"
"abi@fourthcoffee.com" | "abi" | "www.fourthcoffee.com"
"nevena@treyresearch.com" | "nevena" | "treyresearch.com"`},
		{"make-series-operator-5", []string{"todatetime", "toint"}, `let startDate = datetime(2025-01-06);
let endDate = datetime(2025-02-09);
let data = datatable(Time: datetime, Value: int, other:int)
[
    datetime(2025-01-07), 10, 11,
    datetime(2025-01-16), 20, 21,
    datetime(2025-02-01), 30, 5
];
data
| make-series Value=sum(Value), other=-1 default=-2 on Time from startDate to endDate step 7d
| mv-expand Value, Time, other
| extend Time=todatetime(Time), Value=toint(Value), other=toint(other)
| project-reorder Time, Value, other`,
			`Time:datetime | Value:int | other:int
2025-01-06T00:00:00Z | 10 | -1
2025-01-13T00:00:00Z | 20 | -1
2025-01-20T00:00:00Z | 0 | -2
2025-01-27T00:00:00Z | 30 | -1
2025-02-03T00:00:00Z | 0 | -2`},
		{"scan-operator-2", []string{"iff"}, `range x from 1 to 5 step 1
| extend y = 2 * x
| scan declare (cumulative_x:long=0, cumulative_y:long=0) with
(
    step s1: true => cumulative_x = iff(s1.cumulative_x >= 10, x, x + s1.cumulative_x),
                     cumulative_y = iff(s1.cumulative_y >= 10, y, y + s1.cumulative_y);
)`,
			`x:long | y:long | cumulative_x:long | cumulative_y:long
1 | 2 | 1 | 2
2 | 4 | 3 | 6
3 | 6 | 6 | 12
4 | 8 | 10 | 8
5 | 10 | 5 | 18`},
		{"scan-operator-3", []string{"iff", "isempty"}, `let Events = datatable (Ts: timespan, Event: string) [
    0m, "A",
    1m, "",
    2m, "B",
    3m, "",
    6m, "C",
    8m, ""
];
Events
| sort by Ts asc
| scan declare (Event_filled: string="") with
(
    step s1: true => Event_filled = iff(isempty(Event), s1.Event_filled, Event);
)`,
			`Ts:timespan | Event:string | Event_filled:string
00:00:00 | "A" | "A"
00:01:00 | "" | "A"
00:02:00 | "B" | "B"
00:03:00 | "" | "B"
00:06:00 | "C" | "C"
00:08:00 | "" | "C"`},
		{"scan-sessions", []string{"iff", "isnull"}, `let Events = datatable (Ts: timespan, Event: string) [
    0m, "A",
    1m, "A",
    2m, "B",
    3m, "D",
    32m, "B",
    36m, "C",
    38m, "D",
    41m, "E",
    75m, "A"
];
Events
| sort by Ts asc
| scan with_match_id=session_id declare (sessionStart: timespan) with
(
    step inSession: true => sessionStart = iff(isnull(inSession.sessionStart), Ts, inSession.sessionStart);
    step endSession output=none: Ts - inSession.sessionStart > 30m;
)`,
			`Ts:timespan | Event:string | sessionStart:timespan | session_id:long
00:00:00 | "A" | 00:00:00 | 0
00:01:00 | "A" | 00:00:00 | 0
00:02:00 | "B" | 00:00:00 | 0
00:03:00 | "D" | 00:00:00 | 0
00:32:00 | "B" | 00:32:00 | 1
00:36:00 | "C" | 00:32:00 | 1
00:38:00 | "D" | 00:32:00 | 1
00:41:00 | "E" | 00:32:00 | 1
01:15:00 | "A" | 01:15:00 | 2`},
		{"mv-apply-operator-5", []string{"make_list"}, `datatable (Val:int, Arr1:dynamic, Arr2:dynamic)
[ 1, dynamic(['A1', 'A2', 'A3']),       dynamic([10, 30, 7]),
  7, dynamic(['B1', 'B2', 'B5']),       dynamic([15, 11, 50]),
  3, dynamic(['C1', 'C2', 'C3', 'C4']), dynamic([6, 40, 20, 8])
]
| mv-apply NewArr1=Arr1, NewArr2=Arr2 to typeof(long) on (
 top 2 by NewArr2
 | summarize NewArr1=make_list(NewArr1), NewArr2=make_list(NewArr2)
)`,
			`Val:int | Arr1:dynamic | Arr2:dynamic | NewArr1:dynamic | NewArr2:dynamic
1 | ["A1","A2","A3"] | [10,30,7] | ["A2","A1"] | [30,10]
7 | ["B1","B2","B5"] | [15,11,50] | ["B5","B1"] | [50,15]
3 | ["C1","C2","C3","C4"] | [6,40,20,8] | ["C2","C3"] | [40,20]`},
		{"mv-apply-operator-7", []string{"strcat", "make_list"}, `datatable (Val: int, Arr1: dynamic, Arr2: dynamic)
[
    1, dynamic(['A1', 'A2']), dynamic(['B1', 'B2', 'B3']),
    5, dynamic(['C1', 'C2']), dynamic(['D1'])
]
| mv-apply T1=Arr1, T2=Arr2 on (
    extend Out = strcat(T1, "_", T2)
    | summarize Out= make_list(Out)
  )`,
			`Val:int | Arr1:dynamic | Arr2:dynamic | Out:dynamic
1 | ["A1","A2"] | ["B1","B2","B3"] | ["A1_B1","A2_B2","_B3"]
5 | ["C1","C2"] | ["D1"] | ["C1_D1","C2_"]`},
	} {
		t.Run(tc.id, func(t *testing.T) {
			for _, fn := range tc.needs {
				_, scalar := builtin.LookupScalar(fn)
				_, agg := builtin.LookupAggregate(fn)
				if !scalar && !agg {
					t.Skipf("needs %s()", fn)
				}
			}
			if got := runOpQuery(tc.query); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
