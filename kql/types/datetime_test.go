package types

import "testing"

func TestParseDatetime(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2017-01-01", "2017-01-01T00:00:00Z"},
		{"2017-01-01T10:20:30Z", "2017-01-01T10:20:30Z"},
		{"2017-01-01 10:20:30.1234567", "2017-01-01T10:20:30.1234567Z"},
		{"2015-12-31 23:59:59.9", "2015-12-31T23:59:59.9Z"},
		{"2017-01-01T10:20:30+02:00", "2017-01-01T08:20:30Z"},
		{`"2015-12-14"`, "2015-12-14T00:00:00Z"},
		{"2017 - 08 - 01", "2017-08-01T00:00:00Z"},
		{"12-02-2022", "2022-12-02T00:00:00Z"},
		{"Sat, 8 Nov 2014 15:05:02 GMT", "2014-11-08T15:05:02Z"},
		{"1970-5-12", "1970-05-12T00:00:00Z"},
		{"0001-01-01", "0001-01-01T00:00:00Z"},
		{"9999-12-31 23:59:59.9999999", "9999-12-31T23:59:59.9999999Z"},
	} {
		ticks, ok := ParseDatetime(tc.in)
		if !ok {
			t.Errorf("ParseDatetime(%q) failed", tc.in)
			continue
		}
		if got := FormatDatetime(ticks); got != tc.want {
			t.Errorf("ParseDatetime(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "2017-13-01"} {
		if _, ok := ParseDatetime(bad); ok {
			t.Errorf("ParseDatetime(%q) succeeded", bad)
		}
	}
}

func TestTimespan(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1d", "1.00:00:00"}, {"1.5h", "01:30:00"}, {"-30m", "-00:30:00"}, {"100ms", "00:00:00.1000000"},
		{"10microsecond", "00:00:00.0000100"}, {"5tick", "00:00:00.0000005"}, {"2.03:04:05.5", "2.03:04:05.5000000"},
		{"00:10", "00:10:00"}, {"2", "2.00:00:00"},
	} {
		ticks, ok := ParseTimespan(tc.in)
		if !ok {
			t.Errorf("ParseTimespan(%q) failed", tc.in)
			continue
		}
		if got := FormatTimespan(ticks); got != tc.want {
			t.Errorf("ParseTimespan(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestFormatReal(t *testing.T) {
	for _, tc := range []struct {
		f    float64
		want string
	}{
		{700000000, "700000000"}, {1e-05, "1E-05"}, {0.0001, "0.0001"}, {1.5, "1.5"}, {1.5e20, "1.5E+20"},
		{123456789012345, "123456789012345"}, {1e15, "1E+15"}, {-2.5e-7, "-2.5E-07"}, {0, "0"},
	} {
		if got := FormatReal(tc.f); got != tc.want {
			t.Errorf("FormatReal(%v) = %s, want %s", tc.f, got, tc.want)
		}
	}
}

func TestParseDatetimeParts(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2025, 6, 14", "2025-06-14T00:00:00Z"},
		{"2017,10,01, 12, 10, 30.5", "2017-10-01T12:10:30.5Z"},
		{"2025, 2, 30", ""},
		{"2025, 6", ""},
		{"", ""},
		{"a, b, c", ""},
	} {
		ticks, ok := ParseDatetimeParts(tc.in)
		got := ""
		if ok {
			got = FormatDatetime(ticks)
		}
		if got != tc.want {
			t.Errorf("ParseDatetimeParts(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
