package token

import (
	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/tenant"
	"github.com/idlogs/idlogs/tenant/risk"
)

// records are the activity records of a served attempt: its sign-in
// record and, for an interactive user sign-in assessed by the risk engine,
// the detections and risky users it produced, shown as the tenant's
// licence allows.
func (s *Service) records(a *attempt) []activity.Record {
	res, assessed := s.assess(a)
	lic := s.dir.License()
	if assessed {
		sig := res.SignInOf(a.id, lic)
		a.risk = &sig
	}
	recs := []activity.Record{s.signInRecord(a)}
	return append(recs, res.Records(s.dir.TenantID(), lic)...)
}

// assess runs the risk engine over an interactive user sign-in attempt. It
// gives the attempt its sign-in record id, which the detections name as
// their requestId.
func (s *Service) assess(a *attempt) (risk.Result, bool) {
	if s.risk == nil {
		return risk.Result{}, false
	}
	if category, interactive := a.category(); category != activity.SignInLogs || !interactive || a.upn == "" {
		return risk.Result{}, false
	}
	a.id = tenant.NewGUID()
	ra := risk.Attempt{
		Time:              a.start,
		RequestID:         a.id,
		CorrelationID:     a.correlation,
		IP:                a.ip,
		UserAgent:         a.userAgent,
		UserPrincipalName: a.upn,
		Succeeded:         a.err == nil && a.user != nil,
	}
	if u := a.user; u != nil {
		ra.UserID, ra.UserPrincipalName, ra.UserDisplayName = u.ID, u.UserPrincipalName, u.DisplayName
	}
	if a.err != nil {
		switch a.err.aadsts {
		case 50126, 50034, 50053: // a wrong password, an unknown or a locked-out account
			ra.FailedPassword = true
		}
	}
	res, err := s.risk.Assess(ra)
	if err != nil {
		s.logf("token: %v", err)
		return risk.Result{}, false
	}
	return res, true
}
