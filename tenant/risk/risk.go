// Package risk is idlogs' identity protection: simple, deterministic
// detections over the tenant's user sign-ins, shaped like Entra ID
// Protection's output (Graph riskDetection and riskyUser resources, the
// UserRiskEvents and RiskyUsers log categories).
//
// The token service feeds an Engine one Attempt after each user sign-in
// attempt. The Engine detects
//
//   - passwordSpray: one address failing the password of at least
//     Options.SprayUsers distinct accounts within Options.SprayWindow; every
//     existing account it targeted in the window is flagged;
//   - unfamiliarFeatures: a user's successful sign-in, after the user's
//     learning period, from an address prefix (/24, /48) never seen for
//     the user;
//   - anonymizedIPAddress: a successful sign-in from an address in
//     Options.AnonymousIPs (anonymizers, Tor exit nodes).
//
// Entra's impossibleTravel needs geolocation, which idlogs has not. Entra's
// detections are machine-learned; these rules only produce the same kinds of
// record for the same kinds of activity.
//
// Detections, risky users and each user's familiar sign-in properties are
// kept in the state.DB and survive restarts; the spray counters live in
// memory only, as their window is short.
package risk

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/idlogs/idlogs/state"
)

// Defaults of Options.
const (
	DefaultSprayUsers     = 10
	DefaultSprayWindow    = time.Hour
	DefaultLearningPeriod = 5 * 24 * time.Hour
	// DefaultRetention is how long detections are kept: Entra's 90 days
	// for P2 tenants.
	DefaultRetention = 90 * 24 * time.Hour
)

// The state.DB kinds the Engine keeps.
const (
	kindDetections = "risk.detections"
	kindUsers      = "risk.users"
	kindProfiles   = "risk.profiles"
)

// Options configure an Engine. The zero value is usable.
type Options struct {
	// SprayUsers is the number of distinct accounts one address must fail
	// within SprayWindow to be a password spray; zero means
	// DefaultSprayUsers.
	SprayUsers int
	// SprayWindow is the window of SprayUsers; zero means
	// DefaultSprayWindow.
	SprayWindow time.Duration
	// LearningPeriod is how long after a user's first successful sign-in
	// its sign-in properties are learnt rather than judged; zero means
	// DefaultLearningPeriod, Entra's documented minimum of five days.
	LearningPeriod time.Duration
	// AnonymousIPs are the addresses (203.0.113.7) and networks
	// (198.51.100.0/24, 2001:db8::/32) of anonymizers and Tor exit nodes.
	AnonymousIPs []string
	// Retention is how long a detection is kept after its last update;
	// zero means DefaultRetention.
	Retention time.Duration
	// NewID makes a detection id; nil means 64 random hex digits, the
	// form of Entra's ids.
	NewID func() string
}

// Attempt is one user sign-in attempt, as the token service saw it.
type Attempt struct {
	Time time.Time
	// RequestID is the id of the attempt's sign-in record; CorrelationID
	// its correlation id.
	RequestID     string
	CorrelationID string
	IP            string
	UserAgent     string
	// UserID is empty when the account does not exist;
	// UserPrincipalName is then the name as sent.
	UserID            string
	UserPrincipalName string
	UserDisplayName   string
	// Succeeded is set when the user's credentials were verified.
	Succeeded bool
	// FailedPassword is set when the attempt failed on the account or its
	// password: a wrong password, an unknown or a locked-out account.
	FailedPassword bool
}

// Result is what one Attempt changed.
type Result struct {
	// Detections are the new detections, of the attempt's user and, for a
	// spray, of the other accounts targeted.
	Detections []Detection
	// Users are the risky users the detections changed.
	Users []RiskyUser
}

// Engine runs the detections of one tenant. Its methods are safe for
// concurrent use.
type Engine struct {
	db        *state.DB
	opts      Options
	anonymous []netip.Prefix

	mu       sync.Mutex
	sprays   map[string]*spray // client address → its recent failures
	prunedAt time.Time         // when detections past retention were last removed
}

// Open returns an Engine keeping its state in db.
func Open(db *state.DB, opts Options) (*Engine, error) {
	if opts.SprayUsers <= 0 {
		opts.SprayUsers = DefaultSprayUsers
	}
	if opts.SprayWindow <= 0 {
		opts.SprayWindow = DefaultSprayWindow
	}
	if opts.LearningPeriod <= 0 {
		opts.LearningPeriod = DefaultLearningPeriod
	}
	if opts.Retention <= 0 {
		opts.Retention = DefaultRetention
	}
	if opts.NewID == nil {
		opts.NewID = randomID
	}
	e := &Engine{db: db, opts: opts, sprays: map[string]*spray{}}
	for _, s := range opts.AnonymousIPs {
		p, err := parsePrefix(s)
		if err != nil {
			return nil, err
		}
		e.anonymous = append(e.anonymous, p)
	}
	return e, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("risk: anonymous network %q: %w", s, err)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("risk: anonymous address %q: %w", s, err)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func randomID() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail
	return hex.EncodeToString(b[:])
}

// Assess runs the detections over a, stores what they found and returns
// it. Attempts are assessed one at a time, in the order of the calls; one
// that detects nothing and teaches nothing new is not written.
func (e *Engine) Assess(a Attempt) (Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var dets []Detection
	if a.FailedPassword {
		dets = append(dets, e.spray(a)...)
	}
	var prof *profile // the user's profile, when it changed
	if a.Succeeded && a.UserID != "" {
		if e.isAnonymous(a.IP) {
			dets = append(dets, e.detection(a, anonymizedIPAddress, a.Time, nil))
		}
		d, p, err := e.unfamiliar(a)
		if err != nil {
			return Result{}, fmt.Errorf("risk: assessing the sign-in of %s: %w", a.UserPrincipalName, err)
		}
		dets, prof = append(dets, d...), p
	}
	// Most sign-ins change nothing: they are assessed without a write.
	if len(dets) == 0 && prof == nil {
		return Result{}, nil
	}
	var res Result
	err := e.db.Update(func(tx *state.Tx) error {
		if prof != nil {
			if err := tx.Put(kindProfiles, a.UserID, prof); err != nil {
				return err
			}
		}
		var err error
		if res, err = e.store(tx, dets, a.Time); err != nil {
			return err
		}
		return e.pruneDaily(tx, a.Time)
	})
	if err != nil {
		return Result{}, fmt.Errorf("risk: assessing the sign-in of %s: %w", a.UserPrincipalName, err)
	}
	return res, nil
}

// store keeps new detections and raises their users' risk.
func (e *Engine) store(tx *state.Tx, dets []Detection, now time.Time) (Result, error) {
	res := Result{Detections: dets}
	byUser := map[string]int{} // user id → index in res.Users
	for _, d := range dets {
		if err := tx.Put(kindDetections, d.ID, d); err != nil {
			return Result{}, err
		}
		i, seen := byUser[d.UserID]
		if !seen {
			var u RiskyUser
			found, err := tx.Get(kindUsers, d.UserID, &u)
			if err != nil {
				return Result{}, err
			}
			if !found || u.RiskState != StateAtRisk {
				u = RiskyUser{ID: d.UserID, RiskLevel: LevelNone}
			}
			i = len(res.Users)
			byUser[d.UserID] = i
			res.Users = append(res.Users, u)
		}
		u := &res.Users[i]
		u.UserDisplayName, u.UserPrincipalName = d.UserDisplayName, d.UserPrincipalName
		u.RiskState, u.RiskDetail = StateAtRisk, DetailNone
		u.RiskLevel = maxLevel(u.RiskLevel, d.RiskLevel)
		u.RiskLastUpdated = now.UTC()
	}
	for _, u := range res.Users {
		if err := tx.Put(kindUsers, u.ID, u); err != nil {
			return Result{}, err
		}
	}
	return res, nil
}

// detection makes a detection of type kind for a's user.
func (e *Engine) detection(a Attempt, kind string, detected time.Time, info []keyValue) Detection {
	if a.UserAgent != "" {
		info = append([]keyValue{{"userAgent", a.UserAgent}}, info...)
	}
	return Detection{
		ID:                  e.opts.NewID(),
		RequestID:           a.RequestID,
		CorrelationID:       a.CorrelationID,
		RiskEventType:       kind,
		RiskState:           StateAtRisk,
		RiskLevel:           levels[kind],
		RiskDetail:          DetailNone,
		DetectionTimingType: timings[kind],
		IPAddress:           a.IP,
		ActivityDateTime:    a.Time.UTC(),
		DetectedDateTime:    detected.UTC(),
		LastUpdatedDateTime: detected.UTC(),
		UserID:              a.UserID,
		UserDisplayName:     a.UserDisplayName,
		UserPrincipalName:   a.UserPrincipalName,
		AdditionalInfo:      marshalInfo(info),
	}
}

func (e *Engine) isAnonymous(ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	a = a.Unmap()
	return slices.ContainsFunc(e.anonymous, func(p netip.Prefix) bool { return p.Contains(a) })
}
