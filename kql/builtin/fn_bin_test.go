package builtin_test

import "testing"

func TestBin(t *testing.T) {
	dtRun(t, []dtCase{
		// Documentation examples.
		{"bin(4.5, 1)", "real", "4"},
		{"bin(time(16d), 7d)", "timespan", "14.00:00:00"},
		{"bin(datetime(1970-05-11 13:45:07), 1d)", "datetime", "1970-05-11T00:00:00Z"},
		// Numbers: the widest argument type wins; negatives round down.
		{"bin(7, 2)", "long", "6"},
		{"bin(-7, 2)", "long", "-8"},
		{"bin(int(7), int(2))", "int", "6"},
		{"bin(int(7), 2)", "long", "6"},
		{"bin(7, 2.5)", "real", "5"},
		{"bin(-1.5, 1)", "real", "-2"},
		{"floor(17, 5)", "long", "15"},
		{"floor(datetime(2017-01-01 10:59), 1h)", "datetime", "2017-01-01T10:00:00Z"},
		// Datetimes bin from 0001-01-01 (a Monday): weeks start on Mondays.
		{"bin(datetime(2017-01-05), 7d)", "datetime", "2017-01-02T00:00:00Z"},
		{"bin(datetime(2017-01-01 10:17:33.1234567), 1ms)", "datetime", "2017-01-01T10:17:33.123Z"},
		{"bin(-90m, 1h)", "timespan", "-02:00:00"},
		// Null value, null size, zero or negative size give null.
		{"bin(long(null), 5)", "long", ""},
		{"bin(5, long(null))", "long", ""},
		{"bin(5, 0)", "long", ""},
		{"bin(5, -1)", "long", ""},
		{"bin(4.5, 0.0)", "real", ""},
		{"bin(datetime(null), 1h)", "datetime", ""},
		{"bin(datetime(2017-01-01), 0s)", "datetime", ""},
		{"bin(dynamic(4.5), 1)", "real", "4"},
		{"bin(datetime(2017-01-01), 1)", "", "error: bin size of a datetime must be a timespan"},
		{"bin('a', 1)", "", "error: bin()"},
		{"bin(1)", "", "error: expects 2 arguments"},
	})
}

func TestBinColumns(t *testing.T) {
	// A column with a constant size, a column size, and nulls in the column.
	dtTable(t, `datatable(d:datetime, s:timespan)[
		datetime(2018-02-24T15:14), 1d,
		datetime(null), 1h,
		datetime(2018-02-23T17:29), 1h]
		| extend a = bin(d, 1d), b = bin(d, s), c = floor(d, time(null))`, [][]string{
		{"datetime:2018-02-24T15:14:00Z", "timespan:1.00:00:00", "datetime:2018-02-24T00:00:00Z", "datetime:2018-02-24T00:00:00Z", "datetime:"},
		{"datetime:", "timespan:01:00:00", "datetime:", "datetime:", "datetime:"},
		{"datetime:2018-02-23T17:29:00Z", "timespan:01:00:00", "datetime:2018-02-23T00:00:00Z", "datetime:2018-02-23T17:00:00Z", "datetime:"},
	})
	dtTable(t, `range x from -3 to 3 step 2 | extend b = bin(x, 2), r = bin(x * 1.0, 2)`, [][]string{
		{"long:-3", "long:-4", "real:-4"},
		{"long:-1", "long:-2", "real:-2"},
		{"long:1", "long:0", "real:0"},
		{"long:3", "long:2", "real:2"},
	})
}

func TestBinAt(t *testing.T) {
	dtRun(t, []dtCase{
		// Documentation examples.
		{"bin_at(6.5, 2.5, 7)", "real", "4.5"},
		{"bin_at(time(1h), 1d, 12h)", "timespan", "-12:00:00"},
		{"bin_at(datetime(2017-05-15 10:20:00.0), 1d, datetime(1970-01-01 12:00:00.0))", "datetime", "2017-05-14T12:00:00Z"},
		{"bin_at(datetime(2017-05-17 10:20:00.0), 7d, datetime(2017-06-04 00:00:00.0))", "datetime", "2017-05-14T00:00:00Z"},
		{"bin_at(17, 5, 3)", "long", "13"},
		{"bin_at(long(null), 5, 3)", "long", ""},
		{"bin_at(17, 0, 3)", "long", ""},
		{"bin_at(datetime(2017-01-01), 1d, 5)", "", "error: needs a timespan bin size"},
	})
	dtTable(t, `datatable(Date:datetime, NumOfEvents:int)[
		datetime(2018-02-24T15:14),3,
		datetime(2018-02-24T15:24),4,
		datetime(2018-02-23T16:14),4,
		datetime(2018-02-23T17:29),4,
		datetime(2018-02-26T15:14),5]
		| extend b = bin_at(Date, 1d, datetime(2018-02-24 15:14:00.0000000)) | project b`, [][]string{
		{"datetime:2018-02-24T15:14:00Z"},
		{"datetime:2018-02-24T15:14:00Z"},
		{"datetime:2018-02-23T15:14:00Z"},
		{"datetime:2018-02-23T15:14:00Z"},
		{"datetime:2018-02-26T15:14:00Z"},
	})
}

func TestBinSummarize(t *testing.T) {
	dtTable(t, `datatable(Date:datetime, NumOfEvents:int)[
		datetime(2018-02-24T15:14),3,
		datetime(2018-02-24T15:24),4,
		datetime(2018-02-23T16:14),4,
		datetime(2018-02-23T17:29),4,
		datetime(2018-02-26T15:14),5]
		| summarize TotalEvents=sum(NumOfEvents) by bin_at(Date, 1d, datetime(2018-02-24 15:14:00.0000000))
		| order by Date asc`, [][]string{
		{"datetime:2018-02-23T15:14:00Z", "long:8"},
		{"datetime:2018-02-24T15:14:00Z", "long:7"},
		{"datetime:2018-02-26T15:14:00Z", "long:5"},
	})
}
