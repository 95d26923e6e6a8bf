package authz

import "strings"

// NormalizeScope returns scope in the form role assignments are compared
// in: lower case, a leading "/" and no trailing "/"; the tenant root is "/".
func NormalizeScope(scope string) string {
	s := strings.ToLower(strings.TrimSpace(scope))
	s = strings.TrimRight(s, "/")
	if !strings.HasPrefix(s, "/") {
		s = "/" + s
	}
	return s
}

// Within reports whether scope is parent or one of its descendants: an
// assignment at parent applies at scope. The tenant root "/" contains every
// scope, "/subscriptions/x" its resource groups, a resource group its
// resources, a workspace its tables, and "/providers/Microsoft.aadiam" is a
// root-level scope of its own. ARM ids compare without regard to case.
func Within(scope, parent string) bool {
	return withinNormalized(NormalizeScope(scope), NormalizeScope(parent))
}

// withinNormalized is Within for scopes already normalized.
func withinNormalized(s, p string) bool {
	if p == "/" || s == p {
		return true
	}
	return len(s) > len(p) && s[len(p)] == '/' && s[:len(p)] == p
}

// SubscriptionOf returns the subscription id of an ARM scope, or "" when
// the scope is not under a subscription.
func SubscriptionOf(scope string) string {
	parts := strings.Split(strings.Trim(scope, "/"), "/")
	if len(parts) >= 2 && strings.EqualFold(parts[0], "subscriptions") {
		return parts[1]
	}
	return ""
}

// IsGUID reports whether s is a GUID in dashed form (8-4-4-4-12 hex
// digits), as role assignment names and principal ids must be.
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
				return false
			}
		}
	}
	return true
}
