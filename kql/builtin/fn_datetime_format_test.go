package builtin_test

import "testing"

func TestFormatDatetime(t *testing.T) {
	const dt = "datetime(2017-01-29 09:00:05)"
	const dt2 = "datetime(2009-06-15T13:45:30.6170000)"
	dtRun(t, []dtCase{
		// Documentation examples.
		{"format_datetime(" + dt + ",'yy-MM-dd [HH:mm:ss]')", "string", "17-01-29 [09:00:05]"},
		{"format_datetime(" + dt + ", 'yyyy-M-dd [H:mm:ss]')", "string", "2017-1-29 [9:00:05]"},
		{"format_datetime(" + dt + ", 'yy-MM-dd [hh:mm:ss tt]')", "string", "17-01-29 [09:00:05 AM]"},
		{"format_datetime(" + dt2 + ", 'd|dd|h|hh|H|HH|m|mm|M|MM|s|ss|tt')", "string", "15|15|1|01|13|13|45|45|6|06|30|30|PM"},
		{"format_datetime(" + dt2 + ", 'f ff fff ffff fffffff')", "string", "6 61 617 6170 6170000"},
		{"format_datetime(" + dt2 + ", 'F FF FFF FFFF FFFFFFF')", "string", "6 61 617 617 617"},
		{"format_datetime(datetime(2009-06-15T13:45:30.0001150), 'FFFFFFF|fffffff|FF')", "string", "000115|0001150|"},
		{"format_datetime(datetime(2009-06-15T13:45:30.05), 'f')", "string", "0"},
		{"format_datetime(datetime(0001-01-01), 'y|yy|yyyy')", "string", "1|01|0001"},
		{"format_datetime(datetime(0900-01-01), 'y|yy|yyyy')", "string", "0|00|0900"},
		{"format_datetime(datetime(2009-06-15), 'y|yy|yyyy')", "string", "9|09|2009"},
		// A zero F fraction also drops the dot before it.
		{"format_datetime(datetime(2009-06-15 13:45:30), 'yyyy-MM-dd HH:mm:ss.FFF')", "string", "2009-06-15 13:45:30"},
		{"format_datetime(datetime(2009-06-15 13:45:30.5), 'HH:mm:ss.FFF')", "string", "13:45:30.5"},
		// Names, zone, quoted and escaped text, other characters.
		{"format_datetime(" + dt2 + ", 'ddd, dd MMM yyyy')", "string", "Mon, 15 Jun 2009"},
		{"format_datetime(" + dt2 + ", 'dddd MMMM')", "string", "Monday June"},
		{"format_datetime(" + dt2 + ", 'yyyy-MM-ddTHH:mm:ssK')", "string", "2009-06-15T13:45:30Z"},
		{"format_datetime(" + dt2 + ", \"'Day:' d\")", "string", "Day: 15"},
		{"format_datetime(" + dt2 + ", @'\\d d')", "string", "d 15"},
		{"format_datetime(datetime(2009-06-15 00:05), 'h:mm t')", "string", "12:05 A"},
		{"format_datetime(datetime(null), 'yyyy')", "string", ""},
		{"format_datetime('2009-06-15', 'yyyy')", "", "error: format_datetime(): expects a datetime and a format string"},
	})
	// The format may come from a column.
	dtTable(t, `datatable(f:string)["yyyy", "HH:mm", "yyyy"] | extend s = format_datetime(datetime(2017-01-29 09:00:05), f)`, [][]string{
		{"string:yyyy", "string:2017"},
		{"string:HH:mm", "string:09:00"},
		{"string:yyyy", "string:2017"},
	})
}

func TestFormatTimespan(t *testing.T) {
	const ts = "time(29.09:00:05.12345)"
	dtRun(t, []dtCase{
		// Documentation examples.
		{"format_timespan(" + ts + ", 'dd.hh:mm:ss:FF')", "string", "29.09:00:05:12"},
		{"format_timespan(" + ts + ", 'ddd.h:mm:ss [fffffff]')", "string", "029.9:00:05 [1234500]"},
		{"format_timespan(time(15.13:45:09), 'd|dd|ddd|H|HH|m|mm|s|ss')", "string", "15|15|015|13|13|45|45|9|09"},
		{"format_timespan(time(15.13:45:30.0001150), 'FFFFFFF|fffffff')", "string", "000115|0001150"},
		// Negative, zero fraction, null.
		{"format_timespan(-90m, 'hh:mm')", "string", "-01:30"},
		{"format_timespan(1d, 'd.hh:mm:ss.FFF')", "string", "1.00:00:00"},
		{"format_timespan(time(null), 'hh')", "string", ""},
		{"format_timespan(1, 'hh')", "", "error: format_timespan(): expects a timespan"},
	})
}
