package builtin_test

import "testing"

func TestConvertUnits(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print convert_length(1.2, 'Meter', 'Foot'), convert_mass(1.2, 'Kilogram', 'Pound')`,
			"3.93700787401575 | 2.64554714621853"},
		{`print convert_speed(1.2, 'MeterPerSecond', 'CentimeterPerHour'), convert_force(1.2, 'Newton', 'Decanewton')`,
			"432000 | 0.12"},
		{`print round(convert_volume(1.2, 'CubicMeter', 'AcreFoot'), 10), convert_length(1, 'mile', 'KILOMETER')`,
			"0.0009728568 | 1.609344"},
		{`print convert_length(1, 'Meter', 'Parsnip'), convert_mass(real(null), 'Gram', 'Pound')`, " | "},
	})
}
