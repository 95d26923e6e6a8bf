package main

import (
	"strings"
	"time"
)

// query is one benchmark query in its KQL form for idlogs and the fastest
// SQL form for DuckDB we know. Both must return the same rows, in the same
// column order.
type query struct {
	name string
	desc string
	kql  string
	sql  string
	// ordered results are compared row by row; others after sorting.
	ordered bool
	// tolerance is the relative difference allowed between numbers (dcount
	// estimates); 0 means exact.
	tolerance float64
	// check, when set, is the SQL whose result idlogs is checked against
	// instead of sql's: the exact answer where sql is an estimate.
	check string
}

// queries returns the suite for a dataset ending at end, with the lookup
// values the generator chose.
func queries(end time.Time, ip, upn string) []query {
	weekAgo := end.Add(-7 * 24 * time.Hour).Format("2006-01-02 15:04:05")
	r := strings.NewReplacer("{weekAgo}", weekAgo, "{ip}", ip, "{upn}", upn, "{upnLower}", strings.ToLower(upn))
	qs := []query{
		{name: "Q1", desc: "failures in the last 7 days",
			kql: `SigninLogs | where TimeGenerated > ago(7d) and ResultType != "0" | count`,
			sql: `SELECT count(*) FROM SigninLogs WHERE TimeGenerated > TIMESTAMP '{weekAgo}' AND ResultType <> '0'`},
		{name: "Q2", desc: "top 10 apps by sign-ins", ordered: true,
			kql: `SigninLogs | summarize SignIns = count() by AppDisplayName | top 10 by SignIns desc, AppDisplayName asc`,
			sql: `SELECT AppDisplayName, count(*) AS SignIns FROM SigninLogs GROUP BY AppDisplayName ORDER BY SignIns DESC, AppDisplayName ASC LIMIT 10`},
		{name: "Q3", desc: "distinct users per day (dcount)", ordered: true, tolerance: 0.05,
			check: `SELECT date_trunc('day', TimeGenerated) AS Day, count(DISTINCT UserPrincipalName) AS Users FROM SigninLogs GROUP BY Day ORDER BY Day`,
			kql:   `SigninLogs | summarize Users = dcount(UserPrincipalName) by Day = bin(TimeGenerated, 1d) | sort by Day asc`,
			sql:   `SELECT date_trunc('day', TimeGenerated) AS Day, approx_count_distinct(UserPrincipalName) AS Users FROM SigninLogs GROUP BY Day ORDER BY Day`},
		{name: "Q4", desc: `UserAgent has "python"`,
			kql: `SigninLogs | where UserAgent has "python" | count`,
			sql: `SELECT count(*) FROM SigninLogs WHERE contains(lower(UserAgent), 'python') AND regexp_matches(UserAgent, '(?i)(^|[^a-z0-9])python([^a-z0-9]|$)')`},
		{name: "Q5", desc: "sign-ins by DeviceDetail.operatingSystem",
			kql: `SigninLogs | summarize SignIns = count() by OS = tostring(DeviceDetail.operatingSystem)`,
			sql: `SELECT coalesce(json_extract_string(DeviceDetail, '$.operatingSystem'), '') AS OS, count(*) AS SignIns FROM SigninLogs GROUP BY OS`},
		{name: "Q6", desc: "ADAL sign-ins: distinct users and apps",
			kql: `SigninLogs
| where AuthenticationProcessingDetails has "Azure AD App Authentication Library"
| mv-expand d = parse_json(AuthenticationProcessingDetails)
| where tostring(d.key) startswith "Azure AD App Authentication Library"
| summarize Users = count_distinct(UserPrincipalName), Apps = count_distinct(AppDisplayName)`,
			sql: `SELECT count(DISTINCT UserPrincipalName) AS Users, count(DISTINCT AppDisplayName) AS Apps FROM (
  SELECT UserPrincipalName, AppDisplayName, unnest(CAST(AuthenticationProcessingDetails AS JSON[])) AS d
  FROM SigninLogs WHERE contains(AuthenticationProcessingDetails, 'Azure AD App Authentication Library'))
WHERE starts_with(lower(d->>'key'), 'azure ad app authentication library')`},
		{name: "Q7", desc: "latest sign-in per user (arg_max *), counted",
			kql: `SigninLogs | summarize arg_max(TimeGenerated, *) by UserPrincipalName | count`,
			sql: `SELECT count(*) FROM (SELECT * FROM SigninLogs QUALIFY row_number() OVER (PARTITION BY UserPrincipalName ORDER BY TimeGenerated DESC) = 1)`},
		{name: "Q8", desc: "50126 then success from another IP within 10m (join)",
			kql: `let fails = SigninLogs
  | where ResultType == "50126"
  | project UserPrincipalName, FailTime = TimeGenerated, FailIP = IPAddress
  | extend Bucket = range(bin(FailTime, 10m), bin(FailTime, 10m) + 10m, 10m)
  | mv-expand Bucket to typeof(datetime);
SigninLogs
| where ResultType == "0"
| project UserPrincipalName, SuccessTime = TimeGenerated, SuccessIP = IPAddress, Bucket = bin(TimeGenerated, 10m)
| join kind=inner fails on UserPrincipalName, Bucket
| where SuccessTime > FailTime and SuccessTime <= FailTime + 10m and SuccessIP != FailIP
| distinct UserPrincipalName`,
			sql: `WITH fails AS (
  SELECT UserPrincipalName, TimeGenerated AS FailTime, IPAddress AS FailIP, time_bucket(INTERVAL 10 minutes, TimeGenerated) AS B
  FROM SigninLogs WHERE ResultType = '50126'),
windows AS (
  SELECT UserPrincipalName, FailTime, FailIP, B AS Bucket FROM fails
  UNION ALL SELECT UserPrincipalName, FailTime, FailIP, B + INTERVAL 10 minutes FROM fails),
ok AS (
  SELECT UserPrincipalName, TimeGenerated AS SuccessTime, IPAddress AS SuccessIP, time_bucket(INTERVAL 10 minutes, TimeGenerated) AS Bucket
  FROM SigninLogs WHERE ResultType = '0')
SELECT DISTINCT ok.UserPrincipalName FROM ok JOIN windows USING (UserPrincipalName, Bucket)
WHERE SuccessTime > FailTime AND SuccessTime <= FailTime + INTERVAL 10 minutes AND SuccessIP <> FailIP`},
		{name: "Q9", desc: "point lookup by IPAddress",
			kql: `SigninLogs | where IPAddress == "{ip}" | project TimeGenerated, UserPrincipalName, AppDisplayName, ResultType`,
			sql: `SELECT TimeGenerated, UserPrincipalName, AppDisplayName, ResultType FROM SigninLogs WHERE IPAddress = '{ip}'`},
		{name: "Q10", desc: "UserPrincipalName =~ (case-insensitive equality)",
			kql: `SigninLogs | where UserPrincipalName =~ "{upn}" | count`,
			sql: `SELECT count(*) FROM SigninLogs WHERE lower(UserPrincipalName) = '{upnLower}'`},
	}
	for i := range qs {
		qs[i].kql = r.Replace(qs[i].kql)
		qs[i].sql = r.Replace(qs[i].sql)
		qs[i].check = r.Replace(qs[i].check)
	}
	return qs
}
