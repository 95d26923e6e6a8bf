package builtin_test

import "testing"

func TestDatetimeUtcToLocal(t *testing.T) {
	const dt = "datetime(2022-07-11 22:18:48.4678620)"
	dtRun(t, []dtCase{
		// Documentation example.
		{"datetime_utc_to_local(" + dt + ", 'US/Pacific')", "datetime", "2022-07-11T15:18:48.467862Z"},
		{"datetime_utc_to_local(" + dt + ", 'Australia/Canberra')", "datetime", "2022-07-12T08:18:48.467862Z"},
		{"datetime_utc_to_local(" + dt + ", 'US/Pacific') - datetime_utc_to_local(" + dt + ", 'Australia/Canberra')", "timespan", "-17:00:00"},
		{"datetime_utc_to_local(datetime(2022-01-11 12:00), 'Europe/Brussels')", "datetime", "2022-01-11T13:00:00Z"},
		{"datetime_utc_to_local(" + dt + ", 'UTC')", "datetime", "2022-07-11T22:18:48.467862Z"},
		{"datetime_utc_to_local(datetime(null), 'UTC')", "datetime", ""},
		{"datetime_utc_to_local(" + dt + ", 'Mars/Olympus')", "", "error: unknown time zone 'Mars/Olympus'"},
		{"datetime_utc_to_local(" + dt + ", 1)", "", "error: expects a datetime and a time zone name"},
	})
}

func TestDatetimeLocalToUtc(t *testing.T) {
	dtRun(t, []dtCase{
		{"datetime_local_to_utc(datetime(2022-07-11 15:18:48), 'US/Pacific')", "datetime", "2022-07-11T22:18:48Z"},
		// Clocks set back: 02:30 happens twice and is read in the later offset.
		{"datetime_local_to_utc(datetime(2022-10-30 02:30), 'Europe/Brussels')", "datetime", "2022-10-30T01:30:00Z"},
		{"datetime_local_to_utc(datetime(2022-10-30 01:30), 'Europe/Brussels')", "datetime", "2022-10-29T23:30:00Z"},
		{"datetime_local_to_utc(datetime(2022-10-30 03:00), 'Europe/Brussels')", "datetime", "2022-10-30T02:00:00Z"},
		{"datetime_local_to_utc(datetime(null), 'Europe/Brussels')", "datetime", ""},
	})
	// Documentation example: clocks set forward at 02:00 local.
	dtTable(t, `range Local from datetime(2022-03-27 01:00:00.0000000) to datetime(2022-03-27 04:00:00.0000000) step 1h
		| extend UTC=datetime_local_to_utc(Local, 'Europe/Brussels')
		| extend BackToLocal=datetime_utc_to_local(UTC, 'Europe/Brussels')
		| extend diff=Local-BackToLocal`, [][]string{
		{"datetime:2022-03-27T01:00:00Z", "datetime:2022-03-27T00:00:00Z", "datetime:2022-03-27T01:00:00Z", "timespan:00:00:00"},
		{"datetime:2022-03-27T02:00:00Z", "datetime:2022-03-27T00:00:00Z", "datetime:2022-03-27T01:00:00Z", "timespan:01:00:00"},
		{"datetime:2022-03-27T03:00:00Z", "datetime:2022-03-27T01:00:00Z", "datetime:2022-03-27T03:00:00Z", "timespan:00:00:00"},
		{"datetime:2022-03-27T04:00:00Z", "datetime:2022-03-27T02:00:00Z", "datetime:2022-03-27T04:00:00Z", "timespan:00:00:00"},
	})
	// Zones may come from a column; an unknown zone gives null.
	dtTable(t, `datatable(z:string)["Asia/Tokyo", "nowhere", "Asia/Tokyo"]
		| extend l = datetime_utc_to_local(datetime(2022-01-01), z)`, [][]string{
		{"string:Asia/Tokyo", "datetime:2022-01-01T09:00:00Z"},
		{"string:nowhere", "datetime:"},
		{"string:Asia/Tokyo", "datetime:2022-01-01T09:00:00Z"},
	})
}
