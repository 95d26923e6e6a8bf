package builtin_test

import "testing"

func TestWindowFunctions(t *testing.T) {
	const airports = `datatable (Airport:string, Airline:string, Departures:long)
		["TLV", "LH", 1, "TLV", "LY", 100, "SEA", "LH", 1, "SEA", "BA", 2, "SEA", "LY", 0]`
	const departures = `datatable (Airport:string, Airline:string, Departures:long)
		["SEA", "LH", 3, "SEA", "LY", 100, "SEA", "UA", 3, "SEA", "BA", 2, "SEA", "EL", 3, "AMS", "EL", 1, "AMS", "BA", 1]`
	aggRun(t, []aggCase{
		{name: "row_number", query: `range a from 1 to 4 step 1 | sort by a desc | extend rn=row_number(), rn7=row_number(7)`,
			header: "a:long rn:long rn7:long", rows: []string{"4|1|7", "3|2|8", "2|3|9", "1|4|10"}},
		{name: "row_number restart", query: airports + `| sort by Airport asc, Departures desc | extend Rank=row_number(1, prev(Airport) != Airport)`,
			header: "Airport:string Airline:string Departures:long Rank:long",
			rows:   []string{"SEA|BA|2|1", "SEA|LH|1|2", "SEA|LY|0|3", "TLV|LY|100|1", "TLV|LH|1|2"}},
		{name: "prev and next", query: `range x from 1 to 4 step 1
			| serialize p=prev(x), p2=prev(x, 2), pd=prev(x, 1, -1), n=next(x), nd=next(x, 3, 0)`,
			header: "x:long p:long p2:long pd:long n:long nd:long",
			rows:   []string{"1|||-1|2|4", "2|1||1|3|0", "3|2|1|2|4|0", "4|3|2|3||0"}},
		{name: "prev of strings", query: `datatable(s:string)["a","b"] | serialize p=prev(s), n=next(s, 1, "z")`,
			header: "s:string p:string n:string", rows: []string{"a||b", "b|a|z"}},
		{name: "row_cumsum", query: `datatable (a:long) [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] | where a % 2 == 0 | serialize cs=row_cumsum(a)`,
			header: "a:long cs:long", rows: []string{"2|2", "4|6", "6|12", "8|20", "10|30"}},
		{name: "row_cumsum restart", query: `datatable (name:string, month:int, salary:long)
				["Alice", 1, 1000, "Bob", 1, 1000, "Alice", 2, 2000, "Bob", 2, 1950, "Alice", 3, 1400, "Bob", 3, 1450]
			| order by name asc, month asc
			| extend total=row_cumsum(salary, name != prev(name))`,
			header: "name:string month:int salary:long total:long",
			rows:   []string{"Alice|1|1000|1000", "Alice|2|2000|3000", "Alice|3|1400|4400", "Bob|1|1000|1000", "Bob|2|1950|2950", "Bob|3|1450|4400"}},
		{name: "row_cumsum reals and nulls", query: `datatable(x:real)[1.5, real(null), 2.0] | serialize c=row_cumsum(x)`,
			header: "x:real c:real", rows: []string{"1.5|1.5", "|1.5", "2|3.5"}},
		{name: "row_rank_dense", query: departures + `| where Airport == "SEA" | sort by Departures asc | extend Rank=row_rank_dense(Departures)`,
			header: "Airport:string Airline:string Departures:long Rank:long",
			rows:   []string{"SEA|BA|2|1", "SEA|LH|3|2", "SEA|UA|3|2", "SEA|EL|3|2", "SEA|LY|100|3"}},
		{name: "row_rank_dense restart", query: departures + `| sort by Airport desc, Departures asc | extend Rank=row_rank_dense(Departures, prev(Airport) != Airport)`,
			header: "Airport:string Airline:string Departures:long Rank:long",
			rows:   []string{"SEA|BA|2|1", "SEA|LH|3|2", "SEA|UA|3|2", "SEA|EL|3|2", "SEA|LY|100|3", "AMS|EL|1|1", "AMS|BA|1|1"}},
		{name: "row_rank_min", query: departures + `| where Airport == "SEA" | sort by Departures asc | extend Rank=row_rank_min(Departures)`,
			header: "Airport:string Airline:string Departures:long Rank:long",
			rows:   []string{"SEA|BA|2|1", "SEA|LH|3|2", "SEA|UA|3|2", "SEA|EL|3|2", "SEA|LY|100|5"}},
		{name: "row_rank_min restart", query: `datatable(Category:string, Item:string, Value:int)
				["A", "item1", 10, "A","item2", 10, "A", "item3", 5, "A", "item4", 20, "B", "item2", 5, "B", "item1", 7]
			| sort by Category asc, Value asc
			| extend rank = row_rank_min(Value, Category != prev(Category))`,
			header: "Category:string Item:string Value:int rank:long",
			rows:   []string{"A|item3|5|1", "A|item1|10|2", "A|item2|10|2", "A|item4|20|4", "B|item2|5|1", "B|item1|7|2"}},
		{name: "row_window_session", query: `datatable (ID:string, Timestamp:datetime) [
				"1", datetime(2024-04-11 10:00:00), "2", datetime(2024-04-11 10:18:00), "1", datetime(2024-04-11 11:00:00),
				"3", datetime(2024-04-11 11:30:00), "2", datetime(2024-04-11 13:30:00), "2", datetime(2024-04-11 10:16:00)]
			| sort by ID asc, Timestamp asc
			| extend SessionStarted = row_window_session(Timestamp, 1h, 5m, ID != prev(ID))`,
			header: "ID:string Timestamp:datetime SessionStarted:datetime",
			rows: []string{"1|2024-04-11T10:00:00Z|2024-04-11T10:00:00Z", "1|2024-04-11T11:00:00Z|2024-04-11T11:00:00Z",
				"2|2024-04-11T10:16:00Z|2024-04-11T10:16:00Z", "2|2024-04-11T10:18:00Z|2024-04-11T10:16:00Z",
				"2|2024-04-11T13:30:00Z|2024-04-11T13:30:00Z", "3|2024-04-11T11:30:00Z|2024-04-11T11:30:00Z"}},
		{name: "session nulls and windows", query: `datatable(t:datetime)[datetime(2024-01-01 00:00), datetime(2024-01-01 00:04), datetime(2024-01-01 00:08),
				datetime(2024-01-01 00:12), datetime(null), datetime(2024-01-01 00:13)]
			| serialize s = row_window_session(t, 10m, 5m)`,
			header: "t:datetime s:datetime",
			rows: []string{"2024-01-01T00:00:00Z|2024-01-01T00:00:00Z", "2024-01-01T00:04:00Z|2024-01-01T00:00:00Z",
				"2024-01-01T00:08:00Z|2024-01-01T00:00:00Z", "2024-01-01T00:12:00Z|2024-01-01T00:12:00Z", "|",
				"2024-01-01T00:13:00Z|2024-01-01T00:13:00Z"}},
		{name: "empty input", query: `datatable(x:long)[] | serialize n=row_number(), p=prev(x), c=row_cumsum(x)`,
			header: "x:long n:long p:long c:long", rows: []string{}},
		{name: "bad offset", query: `range x from 1 to 3 step 1 | serialize p=prev(x, x)`, err: "constant"},
		{name: "bad restart", query: `range x from 1 to 3 step 1 | serialize n=row_number(1, x)`, err: "bool"},
	})
}
