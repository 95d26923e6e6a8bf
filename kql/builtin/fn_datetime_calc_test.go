package builtin_test

import "testing"

func TestDatetimeAdd(t *testing.T) {
	const d = "make_datetime(2017,1,1)"
	dtRun(t, []dtCase{
		// Documentation examples.
		{"datetime_add('year',1," + d + ")", "datetime", "2018-01-01T00:00:00Z"},
		{"datetime_add('quarter',1," + d + ")", "datetime", "2017-04-01T00:00:00Z"},
		{"datetime_add('month',1," + d + ")", "datetime", "2017-02-01T00:00:00Z"},
		{"datetime_add('week',1," + d + ")", "datetime", "2017-01-08T00:00:00Z"},
		{"datetime_add('day',1," + d + ")", "datetime", "2017-01-02T00:00:00Z"},
		{"datetime_add('hour',1," + d + ")", "datetime", "2017-01-01T01:00:00Z"},
		{"datetime_add('minute',1," + d + ")", "datetime", "2017-01-01T00:01:00Z"},
		{"datetime_add('second',1," + d + ")", "datetime", "2017-01-01T00:00:01Z"},
		{"datetime_add('year',-5," + d + ")", "datetime", "2012-01-01T00:00:00Z"},
		{"datetime_add('quarter',12," + d + ")", "datetime", "2020-01-01T00:00:00Z"},
		{"datetime_add('month',-15," + d + ")", "datetime", "2015-10-01T00:00:00Z"},
		{"datetime_add('week',100," + d + ")", "datetime", "2018-12-02T00:00:00Z"},
		// Month ends clamp; the time of day is kept.
		{"datetime_add('month', 1, datetime(2017-01-31 10:30))", "datetime", "2017-02-28T10:30:00Z"},
		{"datetime_add('year', 1, datetime(2016-02-29))", "datetime", "2017-02-28T00:00:00Z"},
		{"datetime_add('Month', -1, datetime(2016-03-31))", "datetime", "2016-02-29T00:00:00Z"},
		{"datetime_add('millisecond', 5, datetime(2017-01-01))", "datetime", "2017-01-01T00:00:00.005Z"},
		{"datetime_add('microsecond', 5, datetime(2017-01-01))", "datetime", "2017-01-01T00:00:00.000005Z"},
		{"datetime_add('nanosecond', 500, datetime(2017-01-01))", "datetime", "2017-01-01T00:00:00.0000005Z"},
		{"datetime_add('nanosecond', 50, datetime(2017-01-01))", "datetime", "2017-01-01T00:00:00Z"},
		{"datetime_add('DAY', int(2), datetime(2017-01-01))", "datetime", "2017-01-03T00:00:00Z"},
		// Out of range and nulls.
		{"datetime_add('year', 1, datetime(9999-01-01))", "datetime", ""},
		{"datetime_add('day', -1, datetime(0001-01-01))", "datetime", ""},
		{"datetime_add('second', 9223372036854775807, datetime(2000-01-01))", "datetime", ""},
		{"datetime_add('day', long(null), datetime(2017-01-01))", "datetime", ""},
		{"datetime_add('day', 1, datetime(null))", "datetime", ""},
		{"datetime_add('fortnight', 1, datetime(2017-01-01))", "", "error: unknown period 'fortnight'"},
		{"datetime_add('week_of_year', 1, datetime(2017-01-01))", "", "error: unknown period"},
		{"datetime_add('day', 1, 5)", "", "error: expects a period, an amount and a datetime"},
	})
}

func TestDatetimeDiff(t *testing.T) {
	dtRun(t, []dtCase{
		// Documentation examples.
		{"datetime_diff('year',datetime(2017-01-01),datetime(2000-12-31))", "long", "17"},
		{"datetime_diff('quarter',datetime(2017-07-01),datetime(2017-03-30))", "long", "2"},
		{"datetime_diff('month',datetime(2017-01-01),datetime(2015-12-30))", "long", "13"},
		{"datetime_diff('week',datetime(2017-10-29 00:00),datetime(2017-09-30 23:59))", "long", "5"},
		{"datetime_diff('day',datetime(2017-10-29 00:00),datetime(2017-09-30 23:59))", "long", "29"},
		{"datetime_diff('hour',datetime(2017-10-31 01:00),datetime(2017-10-30 23:59))", "long", "2"},
		{"datetime_diff('minute',datetime(2017-10-30 23:05:01),datetime(2017-10-30 23:00:59))", "long", "5"},
		{"datetime_diff('second',datetime(2017-10-30 23:00:10.100),datetime(2017-10-30 23:00:00.900))", "long", "10"},
		{"datetime_diff('millisecond',datetime(2017-10-30 23:00:00.200100),datetime(2017-10-30 23:00:00.100900))", "long", "100"},
		{"datetime_diff('microsecond',datetime(2017-10-30 23:00:00.1009001),datetime(2017-10-30 23:00:00.1008009))", "long", "100"},
		{"datetime_diff('nanosecond',datetime(2017-10-30 23:00:00.0000000),datetime(2017-10-30 23:00:00.0000007))", "long", "-700"},
		// Boundaries crossed, in either direction.
		{"datetime_diff('day', datetime(2017-01-01), datetime(2017-01-02 23:00))", "long", "-1"},
		{"datetime_diff('year', datetime(2017-12-31), datetime(2018-01-01))", "long", "-1"},
		{"datetime_diff('week', datetime(2017-01-07), datetime(2017-01-01))", "long", "0"},
		{"datetime_diff('week', datetime(2017-01-08), datetime(2017-01-07))", "long", "1"},
		{"datetime_diff('day', datetime(null), datetime(2017-01-01))", "long", ""},
		{"datetime_diff('eon', datetime(2017-01-01), datetime(2017-01-01))", "", "error: unknown period 'eon'"},
	})
	// The period may come from a column; an unknown one gives null.
	dtTable(t, `datatable(p:string)["day", "Week", "bogus"]
		| extend d = datetime_diff(p, datetime(2017-01-10), datetime(2017-01-01))`, [][]string{
		{"string:day", "long:9"},
		{"string:Week", "long:1"},
		{"string:bogus", "long:"},
	})
}

func TestDatetimePart(t *testing.T) {
	const dt = "datetime(2017-10-30 01:02:03.7654321)"
	dtRun(t, []dtCase{
		// Documentation example.
		{"datetime_part('year', " + dt + ")", "int", "2017"},
		{"datetime_part('quarter', " + dt + ")", "int", "4"},
		{"datetime_part('month', " + dt + ")", "int", "10"},
		{"datetime_part('week_of_year', " + dt + ")", "int", "44"},
		{"datetime_part('day', " + dt + ")", "int", "30"},
		{"datetime_part('dayOfYear', " + dt + ")", "int", "303"},
		{"datetime_part('hour', " + dt + ")", "int", "1"},
		{"datetime_part('minute', " + dt + ")", "int", "2"},
		{"datetime_part('second', " + dt + ")", "int", "3"},
		{"datetime_part('millisecond', " + dt + ")", "int", "765"},
		{"datetime_part('microsecond', " + dt + ")", "int", "765432"},
		{"datetime_part('nanosecond', " + dt + ")", "int", "765432100"},
		{"datepart('Year', " + dt + ")", "int", "2017"},
		{"datetime_part('year', datetime(null))", "int", ""},
		{"datetime_part('week', " + dt + ")", "", "error: unknown period 'week'"},
		{"datetime_part(1, " + dt + ")", "", "error: the period must be a string"},
	})
}

func TestMakeDatetimeTimespan(t *testing.T) {
	dtRun(t, []dtCase{
		// Documentation examples.
		{"make_datetime(2017,10,01)", "datetime", "2017-10-01T00:00:00Z"},
		{"make_datetime(2017,10,01,12,10)", "datetime", "2017-10-01T12:10:00Z"},
		{"make_datetime(2017,10,01,12,11,0.1234567)", "datetime", "2017-10-01T12:11:00.1234567Z"},
		{"make_timespan(1,12,30,55.123)", "timespan", "1.12:30:55.1230000"},
		// More shapes and invalid parts.
		{"make_datetime(2017,10,1,12)", "datetime", "2017-10-01T12:00:00Z"},
		{"make_datetime(2016,2,29)", "datetime", "2016-02-29T00:00:00Z"},
		{"make_datetime(2017,2,29)", "datetime", ""},
		{"make_datetime(2017,13,1)", "datetime", ""},
		{"make_datetime(0,1,1)", "datetime", ""},
		{"make_datetime(2017,1,1,24,0)", "datetime", ""},
		{"make_datetime(2017,1,1,0,0,60)", "datetime", ""},
		{"make_datetime(2017,1,long(null))", "datetime", ""},
		{"make_datetime(2017,1)", "", "error: make_datetime(): no overload"},
		{"make_datetime(datetime(2017-10-01 12:10))", "datetime", "2017-10-01T12:10:00Z"},
		{"make_datetime(dynamic('2017-10-01T12:10:00Z'))", "datetime", "2017-10-01T12:10:00Z"},
		{"make_timespan(2, 30)", "timespan", "02:30:00"},
		{"make_timespan(2, 30, 15)", "timespan", "02:30:15"},
		{"make_timespan(0, 0, 0, 0.5)", "timespan", "00:00:00.5000000"},
		{"make_timespan(2, long(null))", "timespan", ""},
		{"make_timespan(1h)", "timespan", "01:00:00"},
	})
}

func TestUnixtimeToDatetime(t *testing.T) {
	dtRun(t, []dtCase{
		// Documentation examples.
		{"unixtime_seconds_todatetime(1546300800)", "datetime", "2019-01-01T00:00:00Z"},
		{"unixtime_milliseconds_todatetime(1546300800000)", "datetime", "2019-01-01T00:00:00Z"},
		{"unixtime_microseconds_todatetime(1546300800000000)", "datetime", "2019-01-01T00:00:00Z"},
		{"unixtime_nanoseconds_todatetime(1546300800000000000)", "datetime", "2019-01-01T00:00:00Z"},
		// Fractions, negative values, range and nulls.
		{"unixtime_seconds_todatetime(1546300800.5)", "datetime", "2019-01-01T00:00:00.5Z"},
		{"unixtime_milliseconds_todatetime(1546300800123.4)", "datetime", "2019-01-01T00:00:00.1234Z"},
		{"unixtime_nanoseconds_todatetime(1546300800000000123)", "datetime", "2019-01-01T00:00:00.0000001Z"},
		{"unixtime_seconds_todatetime(-1)", "datetime", "1969-12-31T23:59:59Z"},
		{"unixtime_seconds_todatetime(int(0))", "datetime", "1970-01-01T00:00:00Z"},
		{"unixtime_seconds_todatetime(1e20)", "datetime", ""},
		{"unixtime_seconds_todatetime(-62135596801)", "datetime", ""},
		{"unixtime_seconds_todatetime(9223372036854775807)", "datetime", ""},
		{"unixtime_milliseconds_todatetime(real(null))", "datetime", ""},
		{"unixtime_seconds_todatetime(dynamic(1546300800))", "datetime", "2019-01-01T00:00:00Z"},
		{"unixtime_seconds_todatetime('1546300800')", "", "error: expects a number"},
	})
}

func TestWeekFromMondayExamples(t *testing.T) {
	// Documentation examples: weeks starting on Monday and ending on Sunday
	// built from startofweek, endofweek and datetime_add. (The documented
	// queries wrap the expressions in let functions.)
	dtTable(t, `datatable(Date: datetime, day: string)
		[datetime(2025-06-14), "Saturday", datetime(2025-06-15), "Sunday",
		 datetime(2025-06-16), "Monday", datetime(2025-06-17), "Tuesday"]
		| project MondayWeek = datetime_add('day', 1, startofweek(datetime_add('day', -1, Date))),
		  SundayEndOfWeek = datetime_add('day', 8, endofweek(datetime_add('day', -8, Date)))`, [][]string{
		{"datetime:2025-06-09T00:00:00Z", "datetime:2025-06-15T23:59:59.9999999Z"},
		{"datetime:2025-06-09T00:00:00Z", "datetime:2025-06-15T23:59:59.9999999Z"},
		{"datetime:2025-06-16T00:00:00Z", "datetime:2025-06-22T23:59:59.9999999Z"},
		{"datetime:2025-06-16T00:00:00Z", "datetime:2025-06-22T23:59:59.9999999Z"},
	})
}
