package simulate

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/idlogs/idlogs/activity"
)

// The planted threats of an organisation. Each kind happens a few times
// over the month before Options.Now, the latest within its last three
// days, so that a short stretch ending at Now holds one of each. Their
// records (the sign-ins, the risk detections and risky users they cause,
// the directory changes of the attacker) are made once by New and handed
// out by the steps they fall in; the SecurityAlert rows of Defender for
// Cloud that go with them are made by newAlerts.

// Threat kinds, as Planted reports them.
const (
	ThreatPasswordSpray     = "passwordSpray"
	ThreatImpossibleTravel  = "impossibleTravel"
	ThreatAnonymousIP       = "anonymizedIPAddress"
	ThreatMFAFatigue        = "mfaFatigue"
	ThreatSuspiciousConsent = "suspiciousConsent"
	ThreatPrivilegedRole    = "privilegedRoleAssignment"
)

// plant is a planted threat: when, from where, against whom.
type plant struct {
	kind    string
	at      time.Time
	ip      string
	loc     location
	country string
	users   []int
	// compromised are the users the attacker got in as (spray
	// successes, the MFA fatigue victim).
	compromised []int
	// subject names what the threat created: the consented app, the
	// account given a privileged role.
	subject string
}

// Incident is one planted threat as Planted reports it.
type Incident struct {
	Kind string
	At   time.Time
	// IP is the attacker's address.
	IP string
	// Users are the UPNs of the accounts targeted; Compromised those the
	// attacker got into.
	Users, Compromised []string
	// RiskySignIn says the users' sign-ins from IP carry sign-in risk
	// (SigninLogs RiskLevelDuringSignIn medium or high).
	RiskySignIn bool
	// Subject is the consented application or the account given the
	// Global Administrator role.
	Subject string
}

func placeAt(now time.Time, ago time.Duration, minute int) time.Time {
	return now.Add(-ago).Truncate(time.Hour).Add(time.Duration(minute) * time.Minute)
}

var (
	locMoscow    = location{City: "Moscow", State: "Moscow", CountryOrRegion: "RU", GeoCoordinates: geo{55.75, 37.62}}
	locFrankfurt = location{City: "Frankfurt Am Main", State: "Hessen", CountryOrRegion: "DE", GeoCoordinates: geo{50.11, 8.68}}
	locAmsterdam = location{City: "Amsterdam", State: "Noord-Holland", CountryOrRegion: "NL", GeoCoordinates: geo{52.37, 4.89}}
	locBucharest = location{City: "Bucharest", State: "Bucuresti", CountryOrRegion: "RO", GeoCoordinates: geo{44.43, 26.10}}
	locLagos     = location{City: "Lagos", State: "Lagos", CountryOrRegion: "NG", GeoCoordinates: geo{6.52, 3.38}}
	locSingapore = location{City: "Singapore", State: "Singapore", CountryOrRegion: "SG", GeoCoordinates: geo{1.35, 103.82}}
	locHanoi     = location{City: "Hanoi", State: "Ha Noi", CountryOrRegion: "VN", GeoCoordinates: geo{21.03, 105.85}}
	locKyiv      = location{City: "Kyiv", State: "Kyiv", CountryOrRegion: "UA", GeoCoordinates: geo{50.45, 30.52}}
)

// plantThreats places the planted threats.
func (s *Sim) plantThreats(rng *rand.Rand) {
	now := s.opt.Now
	perm := rng.Perm(len(s.users))
	last := func(i int) []int { return []int{perm[max(0, len(perm)-1-i)]} }
	spray := func(ago time.Duration, minute, n int, ip string, loc location) plant {
		n = min(n, max(1, len(s.users)-1))
		p := plant{kind: ThreatPasswordSpray, at: placeAt(now, ago, minute), ip: ip, loc: loc, country: loc.CountryOrRegion,
			users: perm[:n]}
		// The password was right for two accounts of the first 200.
		for i := 5; i < n; i += 97 {
			p.compromised = append(p.compromised, p.users[i])
		}
		return p
	}
	travel := func(ago time.Duration, minute int, u []int, ip string, loc location) plant {
		return plant{kind: ThreatImpossibleTravel, at: placeAt(now, ago, minute), ip: ip, loc: loc, country: loc.CountryOrRegion, users: u, compromised: u}
	}
	anon := func(ago time.Duration, minute int, u []int, ip string) plant {
		return plant{kind: ThreatAnonymousIP, at: placeAt(now, ago, minute), ip: ip, loc: locFrankfurt, country: "DE", users: u, compromised: u}
	}
	mfa := last(4)
	s.plants = []plant{
		spray(30*time.Hour, 17, 200, "185.156.73.54", locMoscow),
		spray(13*24*time.Hour, 3, 120, "45.155.205.233", locAmsterdam),
		spray(24*24*time.Hour, 48, 120, "193.142.146.7", locBucharest),
		travel(44*time.Hour, 12, last(1), "102.89.34.17", locLagos),
		travel(58*time.Hour, 36, last(2), "103.252.118.9", locSingapore),
		travel(9*24*time.Hour, 25, last(3), "113.160.92.41", locHanoi),
		anon(20*time.Hour, 41, last(0), "185.220.101.34"),
		anon(17*24*time.Hour, 9, last(5), "185.220.100.252"),
		{kind: ThreatMFAFatigue, at: placeAt(now, 22*time.Hour, 4), ip: "91.240.118.172", loc: locKyiv, country: "UA", users: mfa, compromised: mfa},
		{kind: ThreatPrivilegedRole, at: placeAt(now, 21*time.Hour, 22), ip: "91.240.118.172", loc: locKyiv, country: "UA", users: mfa,
			subject: "svc-sync-admin@" + s.opt.Domain},
		{kind: ThreatSuspiciousConsent, at: placeAt(now, 36*time.Hour, 52), ip: s.users[last(6)[0]].ip, users: last(6),
			subject: "Mail Sync Pro"},
	}
	prng := rand.New(rand.NewPCG(s.opt.Seed, 0x91a47))
	for i := range s.plants {
		s.planted = append(s.planted, s.plantRecords(prng, &s.plants[i])...)
	}
	slices.SortStableFunc(s.planted, func(a, b activity.Record) int { return a.Time.Compare(b.Time) })
	s.alerts = s.newAlerts(prng)
}

// Planted returns the threats planted in [from, to), in time order.
func (s *Sim) Planted(from, to time.Time) []Incident {
	var out []Incident
	upns := func(us []int) []string {
		var names []string
		for _, u := range us {
			names = append(names, s.users[u].upn)
		}
		return names
	}
	for _, p := range s.plants {
		if p.at.Before(from) || !p.at.Before(to) {
			continue
		}
		out = append(out, Incident{Kind: p.kind, At: p.at, IP: p.ip, Users: upns(p.users), Compromised: upns(p.compromised),
			RiskySignIn: p.kind == ThreatImpossibleTravel || p.kind == ThreatAnonymousIP || p.kind == ThreatMFAFatigue, Subject: p.subject})
	}
	slices.SortFunc(out, func(a, b Incident) int { return a.At.Compare(b.At) })
	return out
}

// plantedIn appends the planted records of [t, end) to recs.
func (s *Sim) plantedIn(recs []activity.Record, t, end time.Time) []activity.Record {
	i, _ := slices.BinarySearchFunc(s.planted, t, func(r activity.Record, t time.Time) int { return r.Time.Compare(t) })
	for ; i < len(s.planted) && s.planted[i].Time.Before(end); i++ {
		recs = append(recs, s.planted[i])
	}
	return recs
}

// plantRecords makes the records of one planted threat.
func (s *Sim) plantRecords(rng *rand.Rand, p *plant) []activity.Record {
	switch p.kind {
	case ThreatPasswordSpray:
		return s.sprayRecords(rng, p)
	case ThreatImpossibleTravel:
		return s.travelRecords(rng, p)
	case ThreatAnonymousIP:
		return s.anonRecords(rng, p)
	case ThreatMFAFatigue:
		return s.mfaRecords(rng, p)
	case ThreatPrivilegedRole:
		return s.roleRecords(rng, p)
	case ThreatSuspiciousConsent:
		return s.consentRecords(rng, p)
	}
	return nil
}

// sprayRecords: one password tried against every account within a few
// minutes, by a script; it was right for the compromised accounts.
func (s *Sim) sprayRecords(rng *rand.Rand, p *plant) []activity.Record {
	var recs []activity.Record
	office := &s.apps[2]
	detected := p.at.Add(step - time.Second)
	for i, ui := range p.users {
		u := &s.users[ui]
		at := p.at.Add(time.Duration(i) * (step - 2*time.Minute) / time.Duration(len(p.users)))
		in := userSignIn{u: u, app: office, interactive: true, ip: p.ip, loc: p.loc, country: p.country, agent: "python-requests/2.31.0"}
		level := "medium"
		if slices.Contains(p.compromised, ui) {
			level = "high"
		} else {
			in.fail = &interactiveFailures[0].failure
		}
		recs = append(recs, s.userRecord(rng, at, in), s.riskEvent(rng, detected, at, u, "passwordSpray", level, "offline", p.ip, p.loc),
			s.riskyUserRecord(rng, detected, u, level))
	}
	return recs
}

// travelRecords: the user signs in at the office, and forty minutes
// later from another continent.
func (s *Sim) travelRecords(rng *rand.Rand, p *plant) []activity.Record {
	u := &s.users[p.users[0]]
	home := s.userRecord(rng, p.at.Add(-40*time.Minute), userSignIn{u: u, app: &s.apps[0], interactive: true})
	away := userSignIn{u: u, app: &s.apps[3], interactive: true, ip: p.ip, loc: p.loc, country: p.country,
		risk: []string{"impossibleTravel"}, riskLevel: "medium"}
	recs := []activity.Record{home}
	for i := range 3 {
		recs = append(recs, s.userRecord(rng, p.at.Add(time.Duration(i)*7*time.Minute), away))
	}
	detected := p.at.Add(3 * time.Hour)
	return append(recs, s.riskEvent(rng, detected, p.at, u, "impossibleTravel", "medium", "offline", p.ip, p.loc),
		s.riskyUserRecord(rng, detected.Add(time.Minute), u, "medium"))
}

// anonRecords: three sign-ins through a Tor exit node.
func (s *Sim) anonRecords(rng *rand.Rand, p *plant) []activity.Record {
	u := &s.users[p.users[0]]
	var recs []activity.Record
	for i := range 3 {
		at := p.at.Add(time.Duration(i) * 50 * time.Second)
		recs = append(recs, s.userRecord(rng, at, userSignIn{u: u, app: &s.apps[4], interactive: true, ip: p.ip, loc: p.loc, country: p.country,
			risk: []string{"anonymizedIPAddress"}, riskLevel: "medium"}))
	}
	return append(recs, s.riskEvent(rng, p.at.Add(time.Second), p.at, u, "anonymizedIPAddress", "medium", "realtime", p.ip, p.loc),
		s.riskyUserRecord(rng, p.at.Add(2*time.Minute), u, "medium"))
}

// mfaFailure is Entra's answer to a push the user declined.
var mfaFailure = failure{500121, "Authentication failed during strong authentication request.", "MFA denied; user declined the authentication."}

// mfaRecords: with a stolen password the attacker sends push after push
// until the user approves one, then reports it as fraud an hour later.
func (s *Sim) mfaRecords(rng *rand.Rand, p *plant) []activity.Record {
	u := &s.users[p.users[0]]
	var recs []activity.Record
	in := userSignIn{u: u, app: &s.apps[5], interactive: true, ip: p.ip, loc: p.loc, country: p.country, fail: &mfaFailure,
		mfa: true, agent: devices[1].agent}
	for i := range 14 {
		recs = append(recs, s.userRecord(rng, p.at.Add(time.Duration(i)*95*time.Second), in))
	}
	in.fail, in.risk, in.riskLevel = nil, []string{"unfamiliarFeatures"}, "high"
	approved := p.at.Add(14 * 95 * time.Second)
	recs = append(recs, s.userRecord(rng, approved, in),
		s.riskEvent(rng, approved.Add(time.Second), approved, u, "unfamiliarFeatures", "medium", "realtime", p.ip, p.loc),
		s.riskEvent(rng, approved.Add(time.Hour), approved, u, "mfaFraud", "high", "offline", p.ip, p.loc),
		s.riskyUserRecord(rng, approved.Add(time.Hour+time.Minute), u, "high"))
	return recs
}

// roleRecords: signed in as the MFA fatigue victim, the attacker creates
// an account and makes it a Global Administrator.
func (s *Sim) roleRecords(rng *rand.Rand, p *plant) []activity.Record {
	actor := &s.users[p.users[0]]
	target := &user{id: newGUID(rng), upn: p.subject, name: "Sync Service Admin", department: "IT", city: actor.city, country: actor.country}
	add := s.directoryChange(rng, p.at, actor, p.ip, target, 0)
	role := s.directoryChange(rng, p.at.Add(3*time.Minute), actor, p.ip, target, 4)
	return []activity.Record{add, role}
}

// consentRecords: a user grants a newly registered multi-tenant app
// mail access; its service principal then signs in from abroad, and
// Identity Protection flags it.
func (s *Sim) consentRecords(rng *rand.Rand, p *plant) []activity.Record {
	u := &s.users[p.users[0]]
	d := &daemon{appID: newGUID(rng), spID: newGUID(rng), keyID: newGUID(rng), name: p.subject, resource: resExchange}
	recs := []activity.Record{
		s.consentRecord(rng, p.at, u, d),
	}
	for i := range 6 {
		at := p.at.Add(20*time.Minute + time.Duration(i)*37*time.Minute)
		recs = append(recs, s.spRecordFrom(rng, at, d, false, "45.142.212.61", locBucharest))
	}
	detected := p.at.Add(5 * time.Hour)
	return append(recs, s.spRiskEvent(rng, detected, p.at.Add(20*time.Minute), d, "45.142.212.61", locBucharest),
		s.riskySPRecord(rng, detected.Add(time.Minute), d))
}

// consentRecord is the AuditLogs record of a user's consent to an app,
// with the permissions in ConsentAction.Permissions as Entra spells them.
func (s *Sim) consentRecord(rng *rand.Rand, t time.Time, u *user, d *daemon) activity.Record {
	corr := newGUID(rng)
	perms := "[] => [[Id: " + newGUID(rng)[:27] + ", ClientId: " + d.spID + ", PrincipalId: " + u.id + ", ResourceId: " +
		newGUID(rng) + ", ConsentType: Principal, Scope:  Mail.ReadWrite Mail.Send offline_access User.Read, CreatedDateTime: , LastModifiedDateTime ]]; "
	name := d.name
	a := directoryAudit{
		ID: "Directory_" + corr + "_" + strconv.Itoa(10000000+rng.IntN(89999999)), Category: "ApplicationManagement", CorrelationID: corr,
		Result: "success", ActivityDisplayName: "Consent to application", ActivityDateTime: stamp(t), LoggedByService: "Core Directory",
		OperationType: "Assign",
		InitiatedBy:   initiatedBy{User: &initiatorUser{ID: u.id, UserPrincipalName: u.upn, IPAddress: u.ip, Roles: []string{}}},
		TargetResources: []targetResource{{ID: d.spID, DisplayName: &name, Type: "ServicePrincipal", AdministrativeUnits: []string{},
			ModifiedProperties: []modifiedProperty{
				{"ConsentContext.IsAdminConsent", nil, quoted("False")},
				{"ConsentContext.IsAppOnly", nil, quoted("False")},
				{"ConsentContext.OnBehalfOfAll", nil, quoted("False")},
				{"ConsentAction.Permissions", nil, quoted(perms)},
				{"TargetId.ServicePrincipalNames", nil, quoted(d.appID)},
			}}},
		AdditionalDetails: []keyValue{{"User-Agent", agentOf(u.os, u.browser)}, {"AppId", d.appID}},
	}
	r := s.envelope(t, activity.AuditLogs, a.ActivityDisplayName, "", "", "", corr)
	return s.finish(r, a)
}
