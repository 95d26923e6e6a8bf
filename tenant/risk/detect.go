package risk

import (
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Bounds of the spray counters: past maxSprayAddresses the address that
// failed longest ago is forgotten, past maxSprayTargets an address's
// oldest target. Each target is about 300 bytes, so the counters stay
// below 100 MB whatever is sent.
const (
	maxSprayAddresses = 1024
	maxSprayTargets   = 256
)

// spray is one address's recent password failures.
type spray struct {
	last    time.Time
	targets map[string]*target // lower-case user name → its last failure
}

type target struct {
	Attempt
	flagged bool // its detection is made
}

// spray counts a's failure against its address and returns the
// passwordSpray detections it completes: those of every existing account
// targeted in the window once the address has failed SprayUsers of them,
// each once per window.
func (e *Engine) spray(a Attempt) []Detection {
	s := e.sprays[a.IP]
	if s == nil {
		e.evictSprays(a.Time)
		s = &spray{targets: map[string]*target{}}
		e.sprays[a.IP] = s
	}
	s.last = a.Time
	var oldest string
	for k, t := range s.targets {
		if a.Time.Sub(t.Time) > e.opts.SprayWindow {
			delete(s.targets, k)
		} else if oldest == "" || t.Time.Before(s.targets[oldest].Time) {
			oldest = k
		}
	}
	key := strings.ToLower(a.UserPrincipalName)
	if t := s.targets[key]; t != nil {
		t.Attempt = a
	} else {
		if len(s.targets) >= maxSprayTargets {
			delete(s.targets, oldest)
		}
		s.targets[key] = &target{Attempt: a}
	}
	if len(s.targets) < e.opts.SprayUsers {
		return nil
	}
	var flag []*target
	for _, t := range s.targets {
		if t.UserID != "" && !t.flagged {
			flag = append(flag, t)
		}
	}
	slices.SortFunc(flag, func(x, y *target) int {
		if c := x.Time.Compare(y.Time); c != 0 {
			return c
		}
		return strings.Compare(x.UserID, y.UserID)
	})
	out := make([]Detection, 0, len(flag))
	for _, t := range flag {
		t.flagged = true
		out = append(out, e.detection(t.Attempt, passwordSpray, a.Time, nil))
	}
	return out
}

// evictSprays forgets addresses whose window has passed and, when too many
// remain, the one that failed longest ago.
func (e *Engine) evictSprays(now time.Time) {
	if len(e.sprays) < maxSprayAddresses {
		return
	}
	var oldest string
	for ip, s := range e.sprays {
		if now.Sub(s.last) > e.opts.SprayWindow {
			delete(e.sprays, ip)
			continue
		}
		if oldest == "" || s.last.Before(e.sprays[oldest].last) {
			oldest = ip
		}
	}
	if len(e.sprays) >= maxSprayAddresses {
		delete(e.sprays, oldest)
	}
}

// Bounds of a profile's lists; past them the oldest entries are dropped.
const (
	maxPrefixes = 64
	maxAgents   = 32
)

// profile is what a user's successful sign-ins have shown: the familiar
// properties unfamiliarFeatures judges by.
type profile struct {
	First    time.Time `json:"first"`
	Prefixes []string  `json:"prefixes,omitempty"`
	Agents   []string  `json:"agents,omitempty"`
}

// prefixOf is the network an address is judged by: its /24 (IPv4) or /48
// (IPv6), so that a neighbouring address of the same network is familiar.
func prefixOf(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	bits := 48
	if a.Is4() {
		bits = 24
	}
	p, _ := a.Prefix(bits)
	return p.String()
}

// unfamiliar judges a against its user's profile: past the learning
// period, a sign-in from an address prefix new for the user is an
// unfamiliarFeatures detection. It returns the profile with a's
// properties learnt, or nil when they were all known. The new prefix is
// learnt too, so that the user's next sign-in from it is familiar.
func (e *Engine) unfamiliar(a Attempt) ([]Detection, *profile, error) {
	var p profile
	found, err := e.db.Get(kindProfiles, a.UserID, &p)
	if err != nil {
		return nil, nil, err
	}
	if !found {
		p.First = a.Time.UTC()
	}
	prefix := prefixOf(a.IP)
	newPrefix := !slices.Contains(p.Prefixes, prefix)
	newAgent := a.UserAgent != "" && !slices.Contains(p.Agents, a.UserAgent)
	var out []Detection
	if newPrefix && a.Time.Sub(p.First) >= e.opts.LearningPeriod {
		// Entra lists the properties that were new in riskReasons.
		reasons := []string{"UnfamiliarIP"}
		if newAgent {
			reasons = append(reasons, "UnfamiliarBrowser")
		}
		out = append(out, e.detection(a, unfamiliarFeatures, a.Time, []keyValue{{"riskReasons", reasons}}))
	}
	if !newPrefix && !newAgent && found {
		return out, nil, nil
	}
	if newPrefix {
		p.Prefixes = appendBounded(p.Prefixes, prefix, maxPrefixes)
	}
	if newAgent {
		p.Agents = appendBounded(p.Agents, a.UserAgent, maxAgents)
	}
	return out, &p, nil
}

func appendBounded(list []string, v string, max int) []string {
	list = append(list, v)
	if len(list) > max {
		list = slices.Delete(list, 0, len(list)-max)
	}
	return list
}
