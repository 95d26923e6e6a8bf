package builtin

import (
	"strconv"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
)

// Unit conversions: convert_length, convert_mass, convert_speed,
// convert_volume and convert_force take (value, from, to) with units
// named as Kusto names them (Meter, Foot, KilometerPerHour ...). Unit
// names are matched without regard to case; an unknown unit gives null.
func init() {
	for name, table := range unitTables {
		lower := make(map[string]float64, len(table))
		for u, f := range table {
			lower[strings.ToLower(u)] = f
		}
		RegisterScalar(Fixed(name, false, Sig{
			Params: []types.Type{types.Real, types.String, types.String}, Ret: types.Real, F: convertUnits(lower),
		}))
	}
}

func convertUnits(table map[string]float64) RowFunc {
	return func(args []types.Value) types.Value {
		from, ok1 := table[strings.ToLower(strings.TrimSpace(args[1].S))]
		to, ok2 := table[strings.ToLower(strings.TrimSpace(args[2].S))]
		if !ok1 || !ok2 {
			return types.NullOf(types.Real)
		}
		// The factors carry at most 15 significant digits; rounding to
		// them keeps 1.2 m/s from coming out as 431999.99999999994 cm/h.
		r, _ := strconv.ParseFloat(strconv.FormatFloat(args[0].F*from/to, 'g', 15, 64), 64)
		return types.NewReal(r)
	}
}

const (
	inch         = 0.0254
	foot         = 0.3048
	yard         = 0.9144
	usSurveyFoot = 1200.0 / 3937
	lightYear    = 9.46073047258e15
	parsec       = 3.08567758128e16
	usGallon     = 3.785411784e-3
	impGallon    = 4.54609e-3
	cubicFoot    = 0.028316846592
	pound        = 0.45359237
	gForce       = 9.80665
	poundForce   = pound * gForce
)

// unitTables gives each unit's size in the family's SI unit (meter,
// kilogram, meter per second, cubic meter, newton).
var unitTables = map[string]map[string]float64{
	"convert_length": {
		"Angstrom": 1e-10, "AstronomicalUnit": 1.495978707e11, "Centimeter": 1e-2, "Chain": 20.1168,
		"DataMile": 1828.8, "Decameter": 10, "Decimeter": 0.1, "DtpPica": inch / 6, "DtpPoint": inch / 72,
		"Fathom": 1.8288, "Foot": foot, "Hand": 0.1016, "Hectometer": 100, "Inch": inch,
		"KilolightYear": 1e3 * lightYear, "Kilometer": 1e3, "Kiloparsec": 1e3 * parsec, "LightYear": lightYear,
		"MegalightYear": 1e6 * lightYear, "Megaparsec": 1e6 * parsec, "Meter": 1, "Microinch": 1e-6 * inch,
		"Micrometer": 1e-6, "Mil": 1e-3 * inch, "Mile": 1609.344, "Millimeter": 1e-3, "Nanometer": 1e-9,
		"NauticalMile": 1852, "Parsec": parsec, "PrinterPica": inch / 6.0225, "PrinterPoint": inch / 72.27,
		"Shackle": 27.432, "SolarRadius": 6.95508e8, "Twip": inch / 1440, "UsSurveyFoot": usSurveyFoot, "Yard": yard,
	},
	"convert_mass": {
		"Centigram": 1e-5, "Decagram": 1e-2, "Decigram": 1e-4, "EarthMass": 5.9722e24, "Grain": 6.479891e-5,
		"Gram": 1e-3, "Hectogram": 0.1, "Kilogram": 1, "Kilopound": 1e3 * pound, "Kilotonne": 1e6,
		"LongHundredweight": 112 * pound, "LongTon": 2240 * pound, "Megapound": 1e6 * pound, "Megatonne": 1e9,
		"Microgram": 1e-9, "Milligram": 1e-6, "Nanogram": 1e-12, "Ounce": pound / 16, "Pound": pound,
		"ShortHundredweight": 100 * pound, "ShortTon": 2000 * pound, "Slug": 14.593902937206364,
		"SolarMass": 1.98947e30, "Stone": 14 * pound, "Tonne": 1e3,
	},
	"convert_speed": {
		"CentimeterPerHour": 1e-2 / 3600, "CentimeterPerMinute": 1e-2 / 60, "CentimeterPerSecond": 1e-2,
		"DecimeterPerMinute": 0.1 / 60, "DecimeterPerSecond": 0.1, "FootPerHour": foot / 3600,
		"FootPerMinute": foot / 60, "FootPerSecond": foot, "InchPerHour": inch / 3600, "InchPerMinute": inch / 60,
		"InchPerSecond": inch, "KilometerPerHour": 1e3 / 3600, "KilometerPerMinute": 1e3 / 60,
		"KilometerPerSecond": 1e3, "Knot": 1852.0 / 3600, "MeterPerHour": 1.0 / 3600, "MeterPerMinute": 1.0 / 60,
		"MeterPerSecond": 1, "MicrometerPerMinute": 1e-6 / 60, "MicrometerPerSecond": 1e-6, "MilePerHour": 0.44704,
		"MillimeterPerHour": 1e-3 / 3600, "MillimeterPerMinute": 1e-3 / 60, "MillimeterPerSecond": 1e-3,
		"NanometerPerMinute": 1e-9 / 60, "NanometerPerSecond": 1e-9, "UsSurveyFootPerHour": usSurveyFoot / 3600,
		"UsSurveyFootPerMinute": usSurveyFoot / 60, "UsSurveyFootPerSecond": usSurveyFoot,
		"YardPerHour": yard / 3600, "YardPerMinute": yard / 60, "YardPerSecond": yard,
	},
	"convert_volume": {
		"AcreFoot": 1 / 0.000810714, "AuTablespoon": 2e-5, "BoardFoot": cubicFoot / 12, "Centiliter": 1e-5,
		"CubicCentimeter": 1e-6, "CubicDecimeter": 1e-3, "CubicFoot": cubicFoot, "CubicHectometer": 1e6,
		"CubicInch": 1.6387064e-5, "CubicKilometer": 1e9, "CubicMeter": 1, "CubicMicrometer": 1e-18,
		"CubicMile": 4.168181825440579e9, "CubicMillimeter": 1e-9, "CubicYard": 0.764554857984,
		"Decaliter": 1e-2, "DecausGallon": 10 * usGallon, "Deciliter": 1e-4, "DeciusGallon": 0.1 * usGallon,
		"HectocubicFoot": 100 * cubicFoot, "HectocubicMeter": 100, "Hectoliter": 0.1, "HectousGallon": 100 * usGallon,
		"ImperialBeerBarrel": 0.16365924, "ImperialGallon": impGallon, "ImperialOunce": impGallon / 160,
		"ImperialPint": impGallon / 8, "KilocubicFoot": 1e3 * cubicFoot, "KilocubicMeter": 1e3,
		"KiloimperialGallon": 1e3 * impGallon, "Kiloliter": 1, "KilousGallon": 1e3 * usGallon, "Liter": 1e-3,
		"MegacubicFoot": 1e6 * cubicFoot, "MegaimperialGallon": 1e6 * impGallon, "Megaliter": 1e3,
		"MegausGallon": 1e6 * usGallon, "MetricCup": 2.5e-4, "MetricTeaspoon": 5e-6, "Microliter": 1e-9,
		"Milliliter": 1e-6, "OilBarrel": 42 * usGallon, "UkTablespoon": 1.5e-5, "UsBeerBarrel": 31 * usGallon,
		"UsCustomaryCup": usGallon / 16, "UsGallon": usGallon, "UsLegalCup": 2.4e-4, "UsOunce": usGallon / 128,
		"UsPint": usGallon / 8, "UsQuart": usGallon / 4, "UsTablespoon": usGallon / 256, "UsTeaspoon": usGallon / 768,
	},
	"convert_force": {
		"Decanewton": 10, "Dyn": 1e-5, "KilogramForce": gForce, "Kilonewton": 1e3, "KiloPond": gForce,
		"KilopoundForce": 1e3 * poundForce, "Meganewton": 1e6, "Micronewton": 1e-6, "Millinewton": 1e-3,
		"Newton": 1, "OunceForce": poundForce / 16, "Poundal": pound * foot, "PoundForce": poundForce,
		"ShortTonForce": 2000 * poundForce, "TonneForce": 1e3 * gForce,
	},
}
