package query

import (
	"strconv"
	"strings"
	"time"
)

// Prefer holds the options of a request's Prefer header.
type Prefer struct {
	// Wait is the server timeout (wait=N seconds); 0 means the default.
	Wait time.Duration
	// Statistics, Render, DataSources and Permissions ask for the
	// statistics, render, data-source and permissions objects.
	Statistics  bool
	Render      bool
	DataSources bool
	Permissions bool
	// ErrorPayload is Application Insights' ai.include-error-payload,
	// accepted and ignored: partial results always carry their error.
	ErrorPayload bool
}

// ParsePrefer parses Prefer header values: comma-separated tokens in any
// order (RFC 7240), such as "wait=180,include-statistics=true". Unknown
// tokens and malformed values are ignored, as preferences may be.
func ParsePrefer(values ...string) Prefer {
	var p Prefer
	for _, v := range values {
		for _, tok := range strings.Split(v, ",") {
			tok, _, _ = strings.Cut(tok, ";") // parameters of a preference
			name, val, _ := strings.Cut(strings.TrimSpace(tok), "=")
			name = strings.ToLower(strings.TrimSpace(name))
			val = strings.Trim(strings.TrimSpace(val), `"`)
			on := strings.EqualFold(val, "true")
			switch name {
			case "wait":
				if n, err := strconv.Atoi(val); err == nil && n > 0 {
					p.Wait = time.Duration(n) * time.Second
				}
			case "include-statistics":
				p.Statistics = on
			case "include-render":
				p.Render = on
			case "include-datasources":
				p.DataSources = on
			case "include-permissions":
				p.Permissions = on
			case "ai.include-error-payload":
				p.ErrorPayload = on
			}
		}
	}
	return p
}

// Applied returns the Preference-Applied header value for p under lim:
// the wait the query runs with when the request set one (Azure answers
// Prefer: wait=1 with Preference-Applied: wait=1) and the include-
// preferences honoured. Empty when none applies.
func (p Prefer) Applied(lim Limits) string {
	lim = lim.withDefaults()
	var out []string
	if p.Wait > 0 {
		out = append(out, "wait="+strconv.Itoa(int(min(p.Wait, lim.MaxWait)/time.Second)))
	}
	if p.Statistics {
		out = append(out, "include-statistics=true")
	}
	if p.Render {
		out = append(out, "include-render=true")
	}
	return strings.Join(out, ",")
}
