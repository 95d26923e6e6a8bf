package authz

import (
	"regexp"
	"strings"
	"testing"
)

// FuzzMatchAction compares MatchAction with a regular expression built
// from the pattern, in which "*" is ".*" and everything else is literal.
func FuzzMatchAction(f *testing.F) {
	f.Add("*/read", "Microsoft.OperationalInsights/workspaces/query/SigninLogs/read")
	f.Add("Microsoft.Authorization/*/Write", "microsoft.authorization/roleassignments/write")
	f.Add("a**b*", "aXbYb")
	f.Add("*", "")
	f.Fuzz(func(t *testing.T, pattern, action string) {
		if len(pattern) > 64 || len(action) > 128 {
			return
		}
		parts := strings.Split(strings.ToLower(pattern), "*")
		for i, p := range parts {
			parts[i] = regexp.QuoteMeta(p)
		}
		re, err := regexp.Compile("^(?s:" + strings.Join(parts, ".*") + ")$")
		if err != nil {
			t.Skip()
		}
		if got, want := MatchAction(pattern, action), re.MatchString(strings.ToLower(action)); got != want {
			t.Fatalf("MatchAction(%q, %q) = %v, want %v", pattern, action, got, want)
		}
	})
}
