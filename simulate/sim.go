// Package simulate generates the Entra activity of a made-up organisation:
// users with names, departments, countries and working hours signing in
// to Microsoft's applications and the organisation's own (a few legacy
// ones still on ADAL, a few mail clients on legacy protocols) under
// conditional access, their token refreshes, service principals and
// managed identities, provisioning cycles, the directory changes of its
// administrators, and planted threats (password sprays, impossible
// travel, anonymizer sign-ins, MFA fatigue, consent to a suspicious app,
// a privileged role assignment) with the risk detections and risky users
// they cause. The records are activity.Records shaped as Entra exports
// them, for the activity log of a demo tenant.
//
// Rows are what other products write to the same workspace about the
// same organisation: Defender for Cloud's alerts about the planted
// threats' users and addresses, and Application Insights' view of a
// line-of-business app's sign-in page, slow in a few planted hours.
//
// Generation is deterministic: the same Options give the same records,
// and the records of a stretch of time do not depend on how it is split
// into Between calls (each five-minute step draws from its own seeded
// generator).
package simulate

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/idlogs/idlogs/activity"
)

// Options configure a Sim.
type Options struct {
	// Seed makes the organisation and its activity.
	Seed uint64
	// Users is the number of users; 5,000 when zero.
	Users int
	// TenantID is the tenant the records belong to.
	TenantID string
	// Domain is the users' UPN domain; contoso.example when empty.
	Domain string
	// Now places the planted threats (see Planted) and slow hours (see
	// SlowHours) in the month before it. Time.Now when zero.
	Now time.Time
	// BatchSize is the most records one emit call of Between gets; 5000
	// when zero.
	BatchSize int
}

// Sim is a simulated organisation. Its methods are safe for concurrent
// use: a Sim is not changed after New.
type Sim struct {
	opt        Options
	resourceID string
	users      []user
	apps       []app
	legacy     []int
	daemons    []daemon
	admins     []int
	groupIDs   map[string]string
	byZone     map[int][]int
	zones      []int
	mis        []managedIdentity
	jobs       []provisioningJob
	// plants are the planted threats, planted their records and alerts
	// their SecurityAlert rows, both in time order.
	plants  []plant
	planted []activity.Record
	alerts  []Row
	slow    []time.Time
	// ikey is the Application Insights resource's instrumentation key,
	// also the subscription of the alerts.
	ikey string
}

// step is the unit of generation.
const step = 5 * time.Minute

// New makes the organisation of opt.
func New(opt Options) *Sim {
	if opt.Users <= 0 {
		opt.Users = 5000
	}
	if opt.Domain == "" {
		opt.Domain = "contoso.example"
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 5000
	}
	s := &Sim{opt: opt, resourceID: activity.ResourceIDOf(opt.TenantID), byZone: map[int][]int{}, groupIDs: map[string]string{}}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	s.newOrg(rng)
	for _, g := range groups {
		s.groupIDs[g] = newGUID(rng)
	}
	for i := range s.users {
		if s.users[i].department == "IT" && len(s.admins) < 5 {
			s.admins = append(s.admins, i)
		}
	}
	if len(s.admins) == 0 {
		s.admins = []int{0}
	}
	for _, m := range managedIdentities {
		s.mis = append(s.mis, managedIdentity{name: m.name, spID: newGUID(rng), appID: newGUID(rng), resource: m.resource, kind: m.kind, every: m.every})
	}
	for _, p := range provisioningApps {
		spID := newGUID(rng)
		s.jobs = append(s.jobs, provisioningJob{app: p.name, spID: spID, targetType: p.targetType,
			jobID: p.jobPrefix + "." + strings.ReplaceAll(spID, "-", "") + "." + strings.ReplaceAll(opt.TenantID, "-", "")})
	}
	s.ikey = newGUID(rng)
	s.slow = slowHours(opt.Now)
	s.plantThreats(rng)
	return s
}

// TenantID returns the tenant of the records.
func (s *Sim) TenantID() string { return s.opt.TenantID }

// Between generates the activity of [from, to) in time order and passes it
// to emit in batches of at most Options.BatchSize records. It stops at the
// first error of emit and returns it.
func (s *Sim) Between(from, to time.Time, emit func([]activity.Record) error) error {
	batch := make([]activity.Record, 0, s.opt.BatchSize)
	for t := from.Truncate(step); t.Before(to); t = t.Add(step) {
		recs := s.step(t)
		for _, r := range recs {
			if r.Time.Before(from) || !r.Time.Before(to) {
				continue
			}
			batch = append(batch, r)
			if len(batch) == s.opt.BatchSize {
				if err := emit(batch); err != nil {
					return err
				}
				batch = make([]activity.Record, 0, s.opt.BatchSize)
			}
		}
	}
	if len(batch) > 0 {
		return emit(batch)
	}
	return nil
}

// Live generates the activity as it happens, every interval (a second
// when zero): each round emits the records of the time since the last
// one, from start on, to sink, and their rows to rows (when not nil). It
// returns when ctx ends (nil) or sink or rows fails.
func (s *Sim) Live(ctx context.Context, sink activity.Sink, rows func(context.Context, []Row) error, start time.Time, interval time.Duration, now func() time.Time) error {
	if interval <= 0 {
		interval = time.Second
	}
	if now == nil {
		now = time.Now
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	last := start
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		t := now()
		if !t.After(last) {
			continue
		}
		err := s.Between(last, t, func(recs []activity.Record) error {
			for i := range recs {
				// Live records are of now: the workspace's own
				// TimeGenerated rule applies to them as to real ones.
				recs[i].KeepTime = false
			}
			return sink.Emit(ctx, recs...)
		})
		if err == nil && rows != nil {
			err = s.RowsBetween(last, t, func(rs []Row) error { return rows(ctx, rs) })
		}
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, context.Canceled) {
				return nil
			}
			return err
		}
		last = t
	}
}

// hourWeights is the share of a working day's sign-ins in each local
// hour, relative to the busiest.
var hourWeights = [24]float64{0.02, 0.01, 0.01, 0.01, 0.01, 0.03, 0.1, 0.4, 1.0, 1.0, 0.9, 0.8, 0.6, 0.9, 1.0, 0.9, 0.7, 0.4, 0.2, 0.15, 0.1, 0.08, 0.05, 0.03}

var hourWeightSum = func() float64 {
	s := 0.0
	for _, w := range hourWeights {
		s += w
	}
	return s
}()

const (
	// signInsPerDay is a user's interactive sign-ins on a working day
	// (every app a user opens is one, single sign-on or not).
	signInsPerDay = 12.0
	// weekendShare is a weekend day's activity against a working day's.
	weekendShare = 0.08
)

// activityAt is the share of a working day's activity that falls in one
// step starting at t, in local time at offset (minutes).
func activityAt(t time.Time, offset int) float64 {
	local := t.Add(time.Duration(offset) * time.Minute).UTC()
	w := hourWeights[local.Hour()] / hourWeightSum * float64(step) / float64(time.Hour)
	if d := local.Weekday(); d == time.Saturday || d == time.Sunday {
		w *= weekendShare
	}
	return w
}

// step generates the records of the step starting at t, sorted by time.
func (s *Sim) step(t time.Time) []activity.Record {
	rng := rand.New(rand.NewPCG(s.opt.Seed, uint64(t.UnixNano())))
	var recs []activity.Record
	at := func() time.Time { return t.Add(time.Duration(rng.Int64N(int64(step)))) }
	for _, z := range s.zones {
		members := s.byZone[z]
		n := poisson(rng, float64(len(members))*signInsPerDay*activityAt(t, z))
		for range n {
			u := &s.users[members[rng.IntN(len(members))]]
			recs = s.session(rng, recs, u, at())
		}
	}
	// Service principals sign in every quarter of an hour or so, day and
	// night; the nightly export's secret expired and fails now and then.
	for i := range s.daemons {
		if rng.Float64() < float64(step)/float64(15*time.Minute) {
			recs = append(recs, s.spRecord(rng, at(), &s.daemons[i], i == 0 && rng.IntN(10) == 0))
		}
	}
	for i := range s.mis {
		if rng.Float64() < float64(step)/float64(s.mis[i].every) {
			recs = append(recs, s.miRecord(rng, at(), &s.mis[i]))
		}
	}
	for i := range s.jobs {
		// Each job's cycles start at its own offset within the cycle.
		if off := t.Sub(t.Truncate(cycle)); off == time.Duration(i)*step {
			recs = s.provisioningCycle(rng, recs, t.Add(time.Duration(rng.IntN(60))*time.Second), &s.jobs[i])
		}
	}
	// Directory changes: per working day and 100 users about one user
	// added, three updated, two group memberships and one app role.
	changes := float64(len(s.users)) / 100 * 6 * activityAt(t, s.users[s.admins[0]].country.offset)
	for range poisson(rng, changes) {
		kind := 1
		switch x := rng.IntN(7); {
		case x == 0:
			kind = 0
		case x < 4:
			kind = 1
		case x < 6:
			kind = 2
		default:
			kind = 3
		}
		recs = append(recs, s.auditRecord(rng, at(), kind))
	}
	recs = s.plantedIn(recs, t, t.Add(step))
	return sortByTime(recs)
}

// sortByTime returns recs in time order, ties in their order. Records are
// large: sorting their indexes and gathering once moves far less memory
// than sorting them in place.
func sortByTime(recs []activity.Record) []activity.Record {
	idx := make([]int32, len(recs))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int { return recs[a].Time.Compare(recs[b].Time) })
	out := make([]activity.Record, len(recs))
	for i, j := range idx {
		out[i] = recs[j]
	}
	return out
}

// session is one interactive sign-in of u at t and the refreshes its
// tokens bring (1 to 4 non-interactive sign-ins, kept inside the step so
// that steps stay independent). Real tenants refresh more; the demo keeps
// its month of history to a few million records.
func (s *Sim) session(rng *rand.Rand, recs []activity.Record, u *user, t time.Time) []activity.Record {
	a := &s.apps[u.apps[min(rng.IntN(len(u.apps)), rng.IntN(len(u.apps)))]]
	if u.legacy >= 0 && rng.IntN(4) == 0 {
		a = &s.apps[u.legacy]
	}
	in := userSignIn{u: u, app: a, interactive: true, fail: pickFailure(rng, interactiveFailures[:])}
	if u.mail != "" && rng.IntN(6) == 0 {
		// A mail client on a legacy protocol, which conditional access
		// blocks.
		in.app, in.legacy, in.fail = &s.apps[3], u.mail, &interactiveFailures[5].failure
	}
	recs = append(recs, s.userRecord(rng, t, in))
	if in.fail != nil {
		return recs
	}
	end := t.Truncate(step).Add(step)
	for range 1 + rng.IntN(4) {
		at := t.Add(time.Duration(rng.Int64N(int64(end.Sub(t)))))
		ni := userSignIn{u: u, app: &s.apps[u.apps[rng.IntN(len(u.apps))]], fail: pickFailure(rng, nonInteractiveFailures[:])}
		if rng.IntN(3) == 0 {
			ni.app = a
		}
		recs = append(recs, s.userRecord(rng, at, ni))
	}
	return recs
}

func pickFailure(rng *rand.Rand, fs []struct {
	per10k int
	failure
}) *failure {
	x := rng.IntN(10000)
	for i := range fs {
		if x -= fs[i].per10k; x < 0 {
			return &fs[i].failure
		}
	}
	return nil
}

// poisson draws from a Poisson distribution of mean lambda.
func poisson(rng *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*rng.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func sortInts(xs []int) { slices.Sort(xs) }
