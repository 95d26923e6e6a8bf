package simulate

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Row is a row of a workspace table that no Entra category feeds: the
// alerts Microsoft Defender for Cloud writes to SecurityAlert, and the
// requests and performance counters Application Insights writes to
// AppRequests and AppPerformanceCounters for the organisation's expenses
// app. Those products have their own pipelines into a workspace, so these
// rows do not go through the activity log.
//
// Values holds a value per column: string, float64, int64, bool or
// time.Time; dynamic columns take their JSON text as a string. Columns
// not in Values are null; TimeGenerated is Time.
type Row struct {
	Table  string
	Time   time.Time
	Values map[string]any
}

// The tables of Rows.
const (
	TableSecurityAlert          = "SecurityAlert"
	TableAppRequests            = "AppRequests"
	TableAppPerformanceCounters = "AppPerformanceCounters"
)

// SignInPage is the AppRequests Name of the sign-in page of Contoso
// Expenses, the line-of-business app Application Insights watches.
const SignInPage = "GET Account/SignIn"

// appRole is the expenses app's cloud role name in Application Insights.
const appRole = "contoso-expenses-web"

// rowsSalt separates the rows' random streams from the records'.
const rowsSalt = 0xa99a11e

// RowsBetween generates the rows of [from, to) in time order and passes
// them to emit in batches of at most Options.BatchSize rows, as Between
// does for records.
func (s *Sim) RowsBetween(from, to time.Time, emit func([]Row) error) error {
	var batch []Row
	for t := from.Truncate(step); t.Before(to); t = t.Add(step) {
		for _, r := range s.rowStep(t) {
			if r.Time.Before(from) || !r.Time.Before(to) {
				continue
			}
			batch = append(batch, r)
			if len(batch) == s.opt.BatchSize {
				if err := emit(batch); err != nil {
					return err
				}
				batch = nil
			}
		}
	}
	if len(batch) > 0 {
		return emit(batch)
	}
	return nil
}

// SlowHours returns the hours in [from, to) when the expenses app's
// sign-in page was slow (its database was failing over): requests took
// seconds, some timed out, the web servers' processors were saturated.
func (s *Sim) SlowHours(from, to time.Time) []time.Time {
	var out []time.Time
	for _, h := range s.slow {
		if !h.Before(from) && h.Before(to) {
			out = append(out, h)
		}
	}
	return out
}

// slowHours places the slow hours: busy afternoon hours (UTC) one, two,
// eight and sixteen days before Now's day.
func slowHours(now time.Time) []time.Time {
	day := now.UTC().Truncate(24 * time.Hour)
	var out []time.Time
	for _, p := range []struct{ days, hour int }{{16, 16}, {8, 13}, {2, 15}, {1, 14}} {
		out = append(out, day.Add(time.Duration(-p.days*24+p.hour)*time.Hour))
	}
	return out
}

func (s *Sim) isSlow(t time.Time) bool {
	return slices.Contains(s.slow, t.Truncate(time.Hour))
}

// rowStep generates the rows of the step starting at t, sorted by time.
func (s *Sim) rowStep(t time.Time) []Row {
	rng := rand.New(rand.NewPCG(s.opt.Seed^rowsSalt, uint64(t.UnixNano())))
	at := func() time.Time { return t.Add(time.Duration(rng.Int64N(int64(step)))) }
	slow := s.isSlow(t)
	var rows []Row
	// The sign-in page is opened by about one user in three on a working
	// day; in a slow hour users retry.
	for _, z := range s.zones {
		members := s.byZone[z]
		n := poisson(rng, float64(len(members))*0.35*activityAt(t, z))
		if slow && n > 0 {
			n += n/2 + 1
		}
		for range n {
			rows = append(rows, s.requestRow(rng, at(), &s.users[members[rng.IntN(len(members))]], slow))
		}
	}
	for i := range 2 {
		rows = append(rows, s.counterRows(rng, t.Add(time.Duration(i)*time.Second+time.Duration(rng.IntN(900))*time.Millisecond), i, slow)...)
	}
	// Defender for Cloud's everyday alerts about the organisation's
	// servers, a few a week.
	if rng.Float64() < float64(step)/float64(40*time.Hour) {
		rows = append(rows, s.serverAlert(rng, at()))
	}
	i, _ := slices.BinarySearchFunc(s.alerts, t, func(r Row, t time.Time) int { return r.Time.Compare(t) })
	for ; i < len(s.alerts) && s.alerts[i].Time.Before(t.Add(step)); i++ {
		rows = append(rows, s.alerts[i])
	}
	slices.SortStableFunc(rows, func(a, b Row) int { return a.Time.Compare(b.Time) })
	return rows
}

// appCommon are the columns every Application Insights row of the app
// has.
func (s *Sim) appCommon(instance int) map[string]any {
	return map[string]any{
		"AppRoleName": appRole, "AppRoleInstance": "web-" + strconv.Itoa(instance), "AppVersion": "4.12.3",
		"SDKVersion": "dotnetc:2.22.0-997", "IKey": s.ikey, "ResourceGUID": s.ikey, "SourceSystem": "Azure", "ClientType": "PC",
		"_ResourceId": "/subscriptions/" + s.ikey + "/resourcegroups/expenses/providers/microsoft.insights/components/contoso-expenses",
	}
}

// requestRow is one request of the sign-in page by u.
func (s *Sim) requestRow(rng *rand.Rand, t time.Time, u *user, slow bool) Row {
	v := s.appCommon(rng.IntN(2))
	// Log-normal around 180 ms; around 2.6 s in a slow hour, when one
	// request in ten times out after 30 s.
	median, code := 180.0, "200"
	if slow {
		median = 2600
	}
	d := median * math.Exp(0.45*rng.NormFloat64())
	if slow && rng.IntN(10) == 0 {
		d, code = 30000+rng.Float64()*200, "504"
	} else if rng.IntN(400) == 0 {
		code = "500"
	}
	op := newGUID(rng)
	op = strings.ReplaceAll(op, "-", "")
	setAll(v, map[string]any{
		"Id": op[:16], "Name": SignInPage, "OperationName": SignInPage, "OperationId": op, "ParentId": op,
		"Url": "https://expenses.contoso.example/Account/SignIn", "DurationMs": math.Round(d*100) / 100, "ResultCode": code,
		"Success": code == "200", "ItemCount": int64(1), "ClientIP": u.ip, "ClientCity": u.city.name, "ClientStateOrProvince": u.city.state,
		"ClientCountryOrRegion": u.country.code, "ClientOS": u.os, "ClientBrowser": u.browser, "ClientModel": "Other",
		"UserAuthenticatedId": u.upn, "UserId": u.id[:8], "SessionId": newGUID(rng)[:8],
		"Properties": `{"_MS.ProcessedByMetricExtractors":"(Name:'Requests', Ver:'1.1')","AspNetCoreEnvironment":"Production"}`,
	})
	return Row{Table: TableAppRequests, Time: t, Values: v}
}

// counterRows are one instance's performance counters of a step.
func (s *Sim) counterRows(rng *rand.Rand, t time.Time, instance int, slow bool) []Row {
	cpu := 18 + 12*rng.Float64()
	mem := 5.2e9 + 6e8*rng.Float64()
	exec := 150 + 60*rng.Float64()
	if slow {
		cpu, mem, exec = 91+8*rng.Float64(), 1.1e9+3e8*rng.Float64(), 2400+900*rng.Float64()
	}
	counters := []struct {
		name, category, counter string
		value                   float64
	}{
		{"% Processor Time", "Processor", "% Processor Time", cpu},
		{"Available Bytes", "Memory", "Available Bytes", mem},
		{"Request Execution Time", "ASP.NET Applications", "Request Execution Time", exec},
	}
	var rows []Row
	for _, c := range counters {
		v := s.appCommon(instance)
		setAll(v, map[string]any{"Name": c.name, "Category": c.category, "Counter": c.counter, "Instance": "",
			"Value": math.Round(c.value*100) / 100, "Properties": `{"CustomPerfCounter":"false"}`})
		rows = append(rows, Row{Table: TableAppPerformanceCounters, Time: t, Values: v})
	}
	return rows
}

func setAll(dst, src map[string]any) {
	for k, v := range src {
		dst[k] = v
	}
}

// alertKind is a Defender for Cloud alert type.
type alertKind struct {
	typ, name, severity, component, description, tactics string
}

var (
	alertImpossibleTravel = alertKind{"ARM.MCAS_ImpossibleTravelActivity", "Impossible travel activity", "Medium", "Resource Manager",
		"Two user activities (in a single or multiple sessions) were detected, originating from geographically distant locations within a time period shorter than the time it would have taken the user to travel from the first location to the second.", "InitialAccess"}
	alertAnonymousIP = alertKind{"ARM.MCAS_ActivityFromAnonymousIPAddresses", "Activity from an anonymous IP address", "Medium", "Resource Manager",
		"Users activity from an IP address that has been identified as an anonymous proxy IP address has been detected.", "InitialAccess"}
	alertSuspiciousIP = alertKind{"ARM_OperationFromSuspiciousIP", "Azure Resource Manager operation from suspicious IP address", "Medium", "Resource Manager",
		"Microsoft Defender for Resource Manager detected an operation from an IP address that has been marked as suspicious in threat intelligence feeds.", "Execution"}
	alertRoleAssignment = alertKind{"ARM_AnomalousRBACRoleAssignment", "Suspicious Azure role assignment detected", "High", "Resource Manager",
		"Microsoft Defender for Resource Manager identified a suspicious role assignment in your tenant that might indicate a compromised account.", "PrivilegeEscalation"}
	alertInfrequentCountry = alertKind{"ARM.MCAS_ActivityFromInfrequentCountry", "Activity from infrequent country", "Medium", "Resource Manager",
		"Activity from a location that wasn't recently or ever visited by any user in the organization has occurred.", "InitialAccess"}
)

// serverAlerts are Defender for Servers' routine alerts.
var serverAlerts = []alertKind{
	{"VM_AmMalwareDetected", "Antimalware Action Taken", "Low", "Servers", "Microsoft Antimalware for Azure has taken an action to protect this machine from malware.", "Execution"},
	{"VM_SuspectDownloadArtifacts", "Detected suspicious file download", "Low", "Servers", "Analysis of host data has detected suspicious download of remote file.", "Execution"},
	{"VM_SshBruteForceFailed", "Failed SSH brute force attack", "Medium", "Servers", "Failed brute force attacks were detected from the attackers.", "PreAttack"},
}

var servers = []string{"vm-build-01", "vm-web-02", "vm-sql-01", "vm-jump-01"}

// newAlerts makes the alerts of the planted threats: Defender for
// Resource Manager saw the same users and addresses as Identity
// Protection.
func (s *Sim) newAlerts(rng *rand.Rand) []Row {
	var rows []Row
	for _, p := range s.plants {
		switch p.kind {
		case ThreatImpossibleTravel:
			rows = append(rows, s.accountAlert(rng, p.at.Add(25*time.Minute), alertImpossibleTravel, &s.users[p.users[0]], p.ip))
		case ThreatAnonymousIP:
			rows = append(rows, s.accountAlert(rng, p.at.Add(12*time.Minute), alertAnonymousIP, &s.users[p.users[0]], p.ip))
		case ThreatMFAFatigue:
			rows = append(rows, s.accountAlert(rng, p.at.Add(40*time.Minute), alertSuspiciousIP, &s.users[p.users[0]], p.ip))
		case ThreatPrivilegedRole:
			rows = append(rows, s.accountAlert(rng, p.at.Add(9*time.Minute), alertRoleAssignment, &s.users[p.users[0]], p.ip))
		case ThreatPasswordSpray:
			for i, u := range p.compromised {
				rows = append(rows, s.accountAlert(rng, p.at.Add(time.Duration(50+i)*time.Minute), alertInfrequentCountry, &s.users[u], p.ip))
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b Row) int { return a.Time.Compare(b.Time) })
	return rows
}

// entity is one member of an alert's Entities.
type entity map[string]any

func (s *Sim) alertRow(rng *rand.Rand, t time.Time, k alertKind, compromised string, entities []entity, props map[string]string) Row {
	id := newGUID(rng)
	for i, e := range entities {
		e["$id"] = strconv.Itoa(i + 2)
	}
	ents, _ := json.Marshal(entities)
	props["resourceType"] = map[string]string{"Resource Manager": "Subscription", "Servers": "Virtual Machine"}[k.component]
	ext, _ := json.Marshal(props)
	start := t.Add(-time.Duration(5+rng.IntN(20)) * time.Minute)
	sub := s.ikey
	v := map[string]any{
		"AlertName": k.name, "DisplayName": k.name, "AlertType": k.typ, "AlertSeverity": k.severity, "Description": k.description,
		"CompromisedEntity": compromised, "ProductName": "Azure Security Center", "ProviderName": "Azure Security Center",
		"ProductComponentName": k.component, "VendorName": "Microsoft", "VendorOriginalId": newGUID(rng), "SystemAlertId": id,
		"StartTime": start, "EndTime": t.Add(-time.Minute), "ProcessingEndTime": t, "Status": "New", "IsIncident": false,
		"ConfidenceLevel": "Unknown", "Tactics": k.tactics, "Techniques": "", "SubTechniques": "",
		"Entities": string(ents), "ExtendedProperties": string(ext), "ExtendedLinks": "[]", "RemediationSteps": `["Review the activity and the account's recent sign-ins."]`,
		"AlertLink":               "https://portal.azure.com/#blade/Microsoft_Azure_Security_AzureDefenderForData/AlertBlade/alertId/" + id,
		"ResourceId":              "/subscriptions/" + sub,
		"WorkspaceSubscriptionId": sub, "WorkspaceResourceGroup": "idlogs",
	}
	return Row{Table: TableSecurityAlert, Time: t, Values: v}
}

// accountAlert is an alert about user u acting from ip.
func (s *Sim) accountAlert(rng *rand.Rand, t time.Time, k alertKind, u *user, ip string) Row {
	name, suffix, _ := strings.Cut(u.upn, "@")
	ents := []entity{
		{"Type": "account", "Name": name, "UPNSuffix": suffix, "AadUserId": u.id, "DisplayName": u.name},
		{"Type": "ip", "Address": ip},
	}
	return s.alertRow(rng, t, k, u.upn, ents, map[string]string{"User name": u.upn, "Client IP address": ip,
		"Investigation steps": fmt.Sprintf(`{"displayValue":"View related activity","kind":"Link","value":"sign-ins of %s"}`, u.upn)})
}

// serverAlert is one of Defender for Servers' routine alerts.
func (s *Sim) serverAlert(rng *rand.Rand, t time.Time) Row {
	k := serverAlerts[rng.IntN(len(serverAlerts))]
	host := servers[rng.IntN(len(servers))]
	ents := []entity{{"Type": "host", "HostName": host, "OSFamily": "Linux"}}
	return s.alertRow(rng, t, k, host, ents, map[string]string{"Compromised Host": host})
}
