package segment

import (
	"fmt"
	"math/rand/v2"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// A synthetic SigninLogs table: the columns and value distributions of
// Entra ID sign-in logs that matter for the size of a segment.
var signinSchema = vec.Schema{
	{Name: "TimeGenerated", Type: types.Datetime}, {Name: "TenantId", Type: types.String},
	{Name: "Id", Type: types.String}, {Name: "CorrelationId", Type: types.String},
	{Name: "UserPrincipalName", Type: types.String}, {Name: "UserDisplayName", Type: types.String},
	{Name: "UserId", Type: types.String}, {Name: "AppDisplayName", Type: types.String},
	{Name: "AppId", Type: types.String}, {Name: "IPAddress", Type: types.String},
	{Name: "ResultType", Type: types.String}, {Name: "ResultDescription", Type: types.String},
	{Name: "ClientAppUsed", Type: types.String}, {Name: "UserAgent", Type: types.String},
	{Name: "ConditionalAccessStatus", Type: types.String}, {Name: "IsInteractive", Type: types.Bool},
	{Name: "DurationMs", Type: types.Long}, {Name: "DeviceDetail", Type: types.Dynamic},
	{Name: "LocationDetails", Type: types.Dynamic}, {Name: "Status", Type: types.Dynamic},
	{Name: "AuthenticationProcessingDetails", Type: types.String},
}

func guid(r *rand.Rand) string {
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", r.Uint32(), r.Uint32()&0xffff, r.Uint32()&0xfff,
		0x8000|r.Uint32()&0x3fff, r.Uint64()&0xffffffffffff)
}

type signinGen struct {
	r                   *rand.Rand
	users, userIDs      []string
	apps, appIDs, ips   []string
	agents              []string
	cities              [][4]any
	tenant              string
	oses, browsers      []string
	results, resultDesc []string
}

func newSigninGen(seed uint64) *signinGen {
	r := rand.New(rand.NewPCG(seed, 1))
	g := &signinGen{r: r, tenant: guid(r)}
	for i := 0; i < 800; i++ {
		g.users = append(g.users, fmt.Sprintf("user%03d.name%d@contoso.example.com", i, i%7))
		g.userIDs = append(g.userIDs, guid(r))
	}
	for i := 0; i < 40; i++ {
		g.apps = append(g.apps, fmt.Sprintf("Application %d Portal", i))
		g.appIDs = append(g.appIDs, guid(r))
	}
	for i := 0; i < 3000; i++ {
		g.ips = append(g.ips, fmt.Sprintf("%d.%d.%d.%d", 20+r.IntN(180), r.IntN(256), r.IntN(256), 1+r.IntN(254)))
	}
	g.oses = []string{"Windows 10", "Windows 11", "MacOs", "Ios 17.4", "Android 14", "Linux"}
	g.browsers = []string{"Edge 122.0.0", "Chrome 123.0.0", "Safari 17.4", "Firefox 124.0", "Mobile Safari", "Rich Client 4.61.0.0"}
	for i := 0; i < 300; i++ {
		g.agents = append(g.agents, fmt.Sprintf("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.%d.%d Safari/537.36 Edg/%d.0.%d.0",
			100+i%30, 5000+i*7, i%200, 100+i%30, 2000+i))
	}
	for i, c := range []string{"Seattle", "Redmond", "Dublin", "Amsterdam", "Paris", "Tokyo", "Sydney", "Zurich", "London", "Berlin"} {
		g.cities = append(g.cities, [4]any{c, []string{"US", "US", "IE", "NL", "FR", "JP", "AU", "CH", "GB", "DE"}[i], 47.6 - float64(i)*3.3, -122.3 + float64(i)*21.7})
	}
	g.results = []string{"0", "0", "0", "0", "0", "0", "50126", "50140", "50074", "700016"}
	g.resultDesc = []string{"", "", "", "", "", "", "Invalid username or password.", "Keep me signed in interrupt", "Strong Authentication is required.", "Application not found in the directory."}
	return g
}

// batch returns n rows, one every 0.2 s on average from a fixed start.
func (g *signinGen) batch(n int) *vec.Batch {
	r := g.r
	bs := make([]*vec.Builder, len(signinSchema))
	for i, f := range signinSchema {
		bs[i] = vec.NewBuilder(f.Type, n)
	}
	t := int64(638500000000000000)
	for i := 0; i < n; i++ {
		t += int64(r.IntN(4_000_000))
		u, a := r.IntN(len(g.users)), r.IntN(len(g.apps))
		res := r.IntN(len(g.results))
		city := g.cities[u%len(g.cities)]
		os := g.oses[u%len(g.oses)]
		dev := bag("deviceId", "", "operatingSystem", os, "browser", g.browsers[(u+a)%len(g.browsers)])
		if u%3 == 0 {
			dev = bag("deviceId", g.userIDs[(u*7)%len(g.userIDs)], "displayName", fmt.Sprintf("DESKTOP-%05d", u), "operatingSystem", os,
				"browser", g.browsers[(u+a)%len(g.browsers)], "isCompliant", true, "isManaged", true, "trustType", "Azure AD joined")
		}
		loc := bag("city", city[0], "state", "", "countryOrRegion", city[1],
			"geoCoordinates", bag("latitude", city[2], "longitude", city[3]))
		st := bag("errorCode", int64(0))
		if g.results[res] != "0" {
			var code int64
			fmt.Sscan(g.results[res], &code)
			st = bag("errorCode", code, "failureReason", g.resultDesc[res], "additionalDetails", "MFA requirement satisfied by claim in the token")
		}
		apd := fmt.Sprintf(`[{"key":"Legacy TLS (TLS 1.0, 1.1, 3DES)","value":"False"},{"key":"Is CAE Token","value":"%v"},{"key":"Oauth Scope Info","value":"[\"openid\",\"profile\",\"User.Read\"]"}]`, a%2 == 0)
		bs[0].AppendInt(t)
		bs[1].AppendString(g.tenant)
		bs[2].AppendString(guid(r))
		bs[3].AppendString(guid(r))
		bs[4].AppendString(g.users[u])
		bs[5].AppendString(fmt.Sprintf("User %d Name", u))
		bs[6].AppendString(g.userIDs[u])
		bs[7].AppendString(g.apps[a])
		bs[8].AppendString(g.appIDs[a])
		bs[9].AppendString(g.ips[(u*13+r.IntN(3))%len(g.ips)])
		bs[10].AppendString(g.results[res])
		bs[11].AppendString(g.resultDesc[res])
		bs[12].AppendString([]string{"Browser", "Mobile Apps and Desktop clients"}[a%2])
		bs[13].AppendString(g.agents[(u+r.IntN(2))%len(g.agents)])
		bs[14].AppendString([]string{"notApplied", "success", "failure"}[r.IntN(3)])
		bs[15].AppendInt(int64(a % 2))
		bs[16].AppendInt(int64(r.IntN(5000)))
		bs[17].AppendAny(dev)
		bs[18].AppendAny(loc)
		bs[19].AppendAny(st)
		bs[20].AppendString(apd)
	}
	cols := make([]*vec.Column, len(bs))
	for i, b := range bs {
		cols[i] = b.Build()
	}
	return vec.NewBatch(cols, n)
}
