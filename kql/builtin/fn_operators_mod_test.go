package builtin_test

import "testing"

func TestModuloIsNonNegative(t *testing.T) {
	dtRun(t, []dtCase{
		// Documentation example: 0 <= N % D < abs(D).
		{"14 % 12", "long", "2"},
		{"-14 % 12", "long", "10"},
		{"14 % -12", "long", "2"},
		{"-14 % -12", "long", "10"},
		{"int(-7) % int(3)", "int", "2"},
		{"-7.5 % 2", "real", "0.5"},
		{"7.5 % -2", "real", "1.5"},
		{"-90m % 1h", "timespan", "00:30:00"},
		{"5 % 0", "long", ""},
	})
}

func TestTimespanDivisionByZero(t *testing.T) {
	dtRun(t, []dtCase{
		{"1h % 0s", "timespan", ""},
		{"1h / 0", "timespan", ""},
		{"1h / 0.0", "timespan", ""},
		{"1h * real(nan)", "timespan", ""},
		{"1h / 2", "timespan", "00:30:00"},
		{"2 * 1h", "timespan", "02:00:00"},
	})
}
