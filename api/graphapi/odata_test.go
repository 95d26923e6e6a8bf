package graphapi

import (
	"testing"
)

// FuzzParseFilter holds the $filter parser to never panicking, and a
// filter it accepts to have a time range it can take out.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		"createdDateTime ge 2026-05-01T10:02:00Z and createdDateTime lt 2026-05-01T10:05:00.1234567Z",
		"signInEventTypes/any(t: t eq 'nonInteractiveUser' or t eq 'servicePrincipal')",
		"(signInEventTypes/any(t: t ne 'interactiveUser')) and status/errorCode eq 50126",
		"appDisplayName eq 'O''Brien' and isInteractive eq true and riskDetail ne null",
		"signInEventTypes/any(t: (t eq 'managedIdentity'))", "((", "a eq", "'", "x eq -1.5e3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		flt, err := parseFilter(s)
		if err != nil {
			return
		}
		flt.timeRange("createdDateTime")
		flt.match(map[string]any{"createdDateTime": "2026-05-01T10:02:00Z", "status": map[string]any{"errorCode": 0.0}})
	})
}

func TestParseFilterKinds(t *testing.T) {
	for s, want := range map[string]string{
		"signInEventTypes/any(t: t eq 'nonInteractiveUser')":                                                   "[nonInteractiveUser]",
		"signInEventTypes/any(x: x eq 'ServicePrincipal' or x eq 'managedIdentity')":                           "[servicePrincipal managedIdentity]",
		"signInEventTypes/any(t: t ne 'interactiveUser')":                                                      "[nonInteractiveUser servicePrincipal managedIdentity]",
		"signInEventTypes/any(t: t ne 'interactiveUser') and signInEventTypes/any(t: t eq 'servicePrincipal')": "[servicePrincipal]",
		"signInEventTypes/any(t: t eq 'interactiveUser') and signInEventTypes/any(t: t eq 'servicePrincipal')": "[]",
		"createdDateTime ge 2026-05-01T10:02:00Z":                                                              "[]none",
	} {
		f, err := parseFilter(s)
		if err != nil {
			t.Errorf("%s: %v", s, err)
			continue
		}
		got := fmtKinds(f.kinds)
		if got != want {
			t.Errorf("%s: kinds %s, want %s", s, got, want)
		}
	}
}

func fmtKinds(k []string) string {
	if k == nil {
		return "[]none"
	}
	out := "["
	for i, s := range k {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out + "]"
}
