package conformance

import (
	"math"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
)

// matchDynamic reports whether the doc cell want shows the dynamic value
// got: as JSON with property order ignored, or, for a scalar, as the text
// the grid shows for it (a dynamic string is shown without quotes).
func matchDynamic(want string, got any) bool {
	if w, err := types.ParseJSON(want); err == nil && matchJSON(w, got) {
		return true
	}
	switch g := got.(type) {
	case nil:
		return want == "" || want == "null"
	case []any, *types.Bag:
		return false
	case string:
		return want == g
	}
	return matchValue(want, types.FromDynamic(got))
}

// matchJSON compares a JSON value parsed from the docs with a dynamic
// value of the engine.
func matchJSON(want, got any) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case bool:
		g, ok := got.(bool)
		return ok && g == w
	case int64:
		return matchJSONNumber(float64(w), got)
	case float64:
		return matchJSONNumber(w, got)
	case string:
		return matchJSONString(w, got)
	case []any:
		return matchJSONArray(w, got)
	case *types.Bag:
		return matchJSONBag(w, got)
	}
	return false
}

func matchJSONNumber(want float64, got any) bool {
	switch g := got.(type) {
	case int64:
		return closeReals(want, float64(g))
	case float64:
		return closeReals(want, g)
	}
	return false
}

// matchJSONString compares a JSON string with a dynamic value: typed
// scalars inside dynamic values are printed as strings, and reals that are
// not finite are printed as "NaN", "Infinity" and "-Infinity".
func matchJSONString(want string, got any) bool {
	switch g := got.(type) {
	case string:
		return g == want
	case types.DatetimeVal:
		return matchDatetime(want, int64(g))
	case types.TimespanVal:
		return matchTimespan(want, int64(g))
	case types.GuidVal:
		return strings.EqualFold(want, string(g))
	case float64:
		return matchNonFinite(want, g)
	}
	return false
}

func matchNonFinite(want string, g float64) bool {
	if !math.IsNaN(g) && !math.IsInf(g, 0) {
		return false
	}
	w, ok := parseReal(want)
	if !ok {
		return false
	}
	return (math.IsNaN(w) && math.IsNaN(g)) || w == g
}

func matchJSONArray(want []any, got any) bool {
	g, ok := got.([]any)
	if !ok || len(g) != len(want) {
		return false
	}
	for i := range want {
		if !matchJSON(want[i], g[i]) {
			return false
		}
	}
	return true
}

func matchJSONBag(want *types.Bag, got any) bool {
	g, ok := got.(*types.Bag)
	if !ok || g.Len() != want.Len() {
		return false
	}
	for i, k := range want.Keys {
		v, ok := g.Get(k)
		if !ok || !matchJSON(want.Vals[i], v) {
			return false
		}
	}
	return true
}
