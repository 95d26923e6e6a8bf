// Package types defines KQL's scalar types and values: bool, int, long,
// real, decimal, datetime, timespan, guid, string and dynamic, with Kusto's
// text forms, conversions and comparison rules.
package types

import "strings"

// Type is a KQL scalar type.
type Type uint8

// The scalar types. Null is the type of an untyped null literal and of
// expressions whose type is not known (it converts to any type).
const (
	Null Type = iota
	Bool
	Int
	Long
	Real
	Decimal
	Datetime
	Timespan
	Guid
	String
	Dynamic
)

var typeNames = [...]string{"null", "bool", "int", "long", "real", "decimal", "datetime", "timespan", "guid", "string", "dynamic"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "invalid"
}

// Lookup returns the type named name, accepting Kusto's aliases
// (boolean, int32, int64, double, date, time, uniqueid), case-insensitively.
func Lookup(name string) (Type, bool) {
	switch strings.ToLower(name) {
	case "bool", "boolean":
		return Bool, true
	case "int", "int32":
		return Int, true
	case "long", "int64":
		return Long, true
	case "real", "double", "float":
		return Real, true
	case "decimal":
		return Decimal, true
	case "datetime", "date":
		return Datetime, true
	case "timespan", "time":
		return Timespan, true
	case "guid", "uniqueid":
		return Guid, true
	case "string":
		return String, true
	case "dynamic":
		return Dynamic, true
	}
	return Null, false
}

// IsNumeric reports whether t is int, long, real or decimal.
func (t Type) IsNumeric() bool { return t == Int || t == Long || t == Real || t == Decimal }

// IsInteger reports whether t is int or long.
func (t Type) IsInteger() bool { return t == Int || t == Long }

// IsTicks reports whether values of t are stored as 100 ns ticks in an int64.
func (t Type) IsTicks() bool { return t == Datetime || t == Timespan }

// Storage is the physical representation of a type's values.
type Storage uint8

// Physical representations.
const (
	StoreInt    Storage = iota // int64: bool (0/1), int, long, datetime ticks, timespan ticks
	StoreFloat                 // float64: real, decimal
	StoreString                // string: string, guid
	StoreAny                   // any: dynamic
)

// Storage reports how values of t are stored in columns.
func (t Type) Storage() Storage {
	switch t {
	case Real, Decimal:
		return StoreFloat
	case String, Guid:
		return StoreString
	case Dynamic, Null:
		return StoreAny
	}
	return StoreInt
}
