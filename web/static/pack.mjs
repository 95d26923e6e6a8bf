// The query pack: the sign-ins workbook's tiles and other queries an
// Entra administrator starts from.

/** The workbook's tiles: a title, a query and how to show it. */
export const TILES = [
  { id: "over-time", title: "Sign-ins over time", chart: "timechart",
    query: "SigninLogs\n| summarize SignIns = count() by bin(TimeGenerated, 1h), Result = iff(ResultType == \"0\", \"Success\", \"Failure\")\n| render timechart" },
  { id: "failures", title: "Failures by reason", chart: "barchart",
    query: "SigninLogs\n| where ResultType != \"0\"\n| summarize Failures = count() by Reason = strcat(ResultType, \": \", ResultDescription)\n| top 10 by Failures\n| render barchart" },
  { id: "apps", title: "Top applications", chart: "columnchart",
    query: "SigninLogs\n| summarize SignIns = count() by AppDisplayName\n| top 10 by SignIns\n| render columnchart" },
  { id: "locations", title: "Sign-ins by location", chart: "piechart",
    query: "SigninLogs\n| summarize SignIns = count() by Location\n| top 10 by SignIns\n| render piechart" },
  { id: "ca", title: "Conditional access outcomes", chart: "piechart",
    query: "SigninLogs\n| summarize SignIns = count() by ConditionalAccessStatus\n| render piechart" },
  { id: "risky", title: "Risky users", chart: "table",
    query: "AADRiskyUsers\n| summarize arg_max(TimeGenerated, *) by Id\n| where RiskState in (\"atRisk\", \"confirmedCompromised\")\n| order by RiskLastUpdatedDateTime desc\n| project UserPrincipalName, RiskLevel, RiskState, Updated = format_datetime(RiskLastUpdatedDateTime, \"MM-dd HH:mm\")\n| take 20" },
  { id: "risky-signins", title: "Risky sign-ins by user", chart: "table",
    query: "SigninLogs\n| where RiskLevelDuringSignIn in (\"low\", \"medium\", \"high\")\n| summarize RiskySignIns = count(), Highest = max(case(RiskLevelDuringSignIn == \"high\", 3, RiskLevelDuringSignIn == \"medium\", 2, 1)) by UserPrincipalName\n| extend Highest = case(Highest == 3, \"high\", Highest == 2, \"medium\", \"low\")\n| top 10 by RiskySignIns" },
  { id: "adal", title: "Applications signing in with ADAL", chart: "table",
    query: "SigninLogs\n| where AuthenticationProcessingDetails has \"ADAL\"\n| summarize SignIns = count(), Users = dcount(UserPrincipalName) by AppDisplayName\n| order by SignIns desc" },
];

/** Queries of the pack that are not workbook tiles. */
export const MORE = [
  { id: "lockouts", title: "Accounts locked out", query: "SigninLogs\n| where ResultType == \"50053\"\n| summarize Lockouts = count(), Addresses = dcount(IPAddress) by UserPrincipalName\n| order by Lockouts desc" },
  { id: "spray", title: "Password spray candidates", query: "SigninLogs\n| where ResultType == \"50126\"\n| summarize Accounts = dcount(UserPrincipalName), Attempts = count() by IPAddress, bin(TimeGenerated, 1h)\n| where Accounts >= 10\n| order by Accounts desc" },
  { id: "risk-events", title: "Risk detections by type", query: "AADUserRiskEvents\n| summarize Detections = count(), Users = dcount(UserPrincipalName) by RiskEventType\n| order by Detections desc" },
  { id: "audit", title: "Directory changes by activity", query: "AuditLogs\n| summarize Changes = count() by ActivityDisplayName\n| top 20 by Changes" },
  { id: "sp-signins", title: "Service principal sign-ins", query: "AADServicePrincipalSignInLogs\n| summarize SignIns = count(), Failures = countif(ResultType != \"0\") by ServicePrincipalName\n| order by SignIns desc" },
];

/** Every query of the pack: title and query. */
export const PACK = [...TILES, ...MORE];
