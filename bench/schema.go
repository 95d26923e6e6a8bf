package main

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// column is one SigninLogs column of the dataset, named and typed as in the
// Azure Monitor schema, with how to read it from a generated row. Exactly
// one of str, num and dyn is set; num gives ticks for datetimes and 0/1 for
// bools.
type column struct {
	name string
	typ  types.Type
	str  func(*signin) string
	num  func(*signin) int64
	dyn  func(*signin) (bag *types.Bag, json string)
}

func constStr(s string) func(*signin) string { return func(*signin) string { return s } }

var columns = []column{
	{name: "TenantId", typ: types.String, str: constStr(tenantID)},
	{name: "TimeGenerated", typ: types.Datetime, num: func(s *signin) int64 { return s.Time }},
	{name: "CreatedDateTime", typ: types.Datetime, num: func(s *signin) int64 { return s.Time }},
	{name: "Id", typ: types.String, str: func(s *signin) string { return s.ID }},
	{name: "CorrelationId", typ: types.String, str: func(s *signin) string { return s.CorrelationID }},
	{name: "OperationName", typ: types.String, str: constStr("Sign-in activity")},
	{name: "Category", typ: types.String, str: constStr("SignInLogs")},
	{name: "UserPrincipalName", typ: types.String, str: func(s *signin) string { return s.User.UPN }},
	{name: "UserId", typ: types.String, str: func(s *signin) string { return s.User.ID }},
	{name: "UserDisplayName", typ: types.String, str: func(s *signin) string { return s.User.Name }},
	{name: "UserType", typ: types.String, str: constStr("Member")},
	{name: "AppDisplayName", typ: types.String, str: func(s *signin) string { return s.App.Name }},
	{name: "AppId", typ: types.String, str: func(s *signin) string { return s.App.ID }},
	{name: "ResourceDisplayName", typ: types.String, str: func(s *signin) string { return s.App.Resource }},
	{name: "IPAddress", typ: types.String, str: func(s *signin) string { return s.IP }},
	{name: "Location", typ: types.String, str: func(s *signin) string { return s.Place.Country }},
	{name: "ResultType", typ: types.String, str: func(s *signin) string { return s.Outcome.Code }},
	{name: "ResultDescription", typ: types.String, str: func(s *signin) string { return s.Outcome.Description }},
	{name: "ClientAppUsed", typ: types.String, str: func(s *signin) string { return s.ClientApp }},
	{name: "UserAgent", typ: types.String, str: func(s *signin) string { return s.UserAgent }},
	{name: "IsInteractive", typ: types.Bool, num: func(s *signin) int64 { return b2i(s.Interactive) }},
	{name: "ConditionalAccessStatus", typ: types.String, str: func(s *signin) string { return s.Outcome.CAStatus }},
	{name: "AuthenticationRequirement", typ: types.String, str: func(s *signin) string { return s.AuthReq }},
	{name: "RiskLevelDuringSignIn", typ: types.String, str: func(s *signin) string { return s.RiskLevel }},
	{name: "RiskState", typ: types.String, str: func(s *signin) string { return s.RiskState }},
	{name: "DeviceDetail", typ: types.Dynamic, dyn: func(s *signin) (*types.Bag, string) { return s.Device.Bag, s.Device.JSON }},
	{name: "LocationDetails", typ: types.Dynamic, dyn: func(s *signin) (*types.Bag, string) { return s.Place.Bag, s.Place.JSON }},
	{name: "Status", typ: types.Dynamic, dyn: func(s *signin) (*types.Bag, string) { return s.Outcome.Bag, s.Outcome.JSON }},
	{name: "AuthenticationProcessingDetails", typ: types.String, str: func(s *signin) string { return s.APD }},
	{name: "DurationMs", typ: types.Long, num: func(s *signin) int64 { return s.DurationMs }},
	{name: "Type", typ: types.String, str: constStr("SigninLogs")},
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// schema is the table's columns for idlogs.
func schema() vec.Schema {
	s := make(vec.Schema, len(columns))
	for i, c := range columns {
		s[i] = vec.Field{Name: c.name, Type: c.typ}
	}
	return s
}

// toBatch converts rows to a column batch for idlogs.
func toBatch(rows []signin) *vec.Batch {
	n := len(rows)
	cols := make([]*vec.Column, len(columns))
	for i, c := range columns {
		col := &vec.Column{Type: c.typ, N: n}
		switch {
		case c.str != nil:
			col.Strs = make([]string, n)
			for r := range rows {
				col.Strs[r] = c.str(&rows[r])
			}
		case c.num != nil:
			col.Ints = make([]int64, n)
			for r := range rows {
				col.Ints[r] = c.num(&rows[r])
			}
		default:
			col.Anys = make([]any, n)
			for r := range rows {
				bag, _ := c.dyn(&rows[r])
				col.Anys[r] = bag
			}
		}
		cols[i] = col
	}
	return vec.NewBatch(cols, n)
}
