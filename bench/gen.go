package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/idlogs/idlogs/kql/types"
)

// The dataset: an Entra tenant's interactive sign-ins over 30 days ending
// at genEnd. Everything is drawn from one seeded source, so a row count and
// a seed always give the same rows.
var genEnd = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)

const (
	genDays    = 30
	genUsers   = 50_000
	genApps    = 300
	chunkRows  = 64 << 10
	tenantID   = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	q8Marker   = 0.004 // share of sessions that fail 50126 and succeed from another IP
	failShare  = 0.08
	adalTarget = 0.03
)

// signin is one generated row. Values shared between rows (users, apps,
// devices, places, outcomes) are pointers into the generator's tables, so
// a chunk costs little more than its unique strings.
type signin struct {
	Time          int64 // ticks
	ID            string
	CorrelationID string
	User          *genUser
	App           *genApp
	IP            string
	Place         *place
	Outcome       *outcome
	ClientApp     string
	UserAgent     string
	Interactive   bool
	AuthReq       string
	RiskLevel     string
	RiskState     string
	Device        *device
	APD           string
	DurationMs    int64
}

type genUser struct {
	UPN, ID, Name string
	HomeIP        string
	Home          *place
	Devices       []*device
	Script        string // a scripting user agent, or ""
}

type genApp struct {
	Name, ID, Resource string
	Legacy             bool // signs in through ADAL
}

type device struct {
	OS, Browser, UserAgent string
	Bag                    *types.Bag
	JSON                   string
}

type place struct {
	City, State, Country string
	Lat, Lon             float64
	Bag                  *types.Bag
	JSON                 string
}

type outcome struct {
	Code        string // ResultType
	Description string
	ErrorCode   int64
	Failure     string
	Details     string
	CAStatus    string
	Weight      float64
	Bag         *types.Bag
	JSON        string
}

// generator yields the dataset in chunks.
type generator struct {
	rng      *rand.Rand
	rows     int
	produced int
	users    []*genUser
	userCDF  []float64
	apps     []*genApp
	appCDF   []float64
	places   []*place
	success  *outcome
	fails    []*outcome
	failCDF  []float64
	hourCDF  []float64
	adalP    float64
	pending  []signin // the rest of a session that did not fit the last chunk
	start    int64
}

func newGenerator(rows int, seed uint64) *generator {
	g := &generator{rng: rand.New(rand.NewPCG(seed, 0x5eed)), rows: rows}
	g.start = types.TicksFromTime(genEnd.Add(-genDays * 24 * time.Hour))
	g.places = makePlaces()
	g.makeOutcomes()
	g.makeApps()
	g.makeUsers()
	g.makeHours()
	return g
}

// guid returns a random guid in canonical text form.
func (g *generator) guid() string {
	a, b := g.rng.Uint64(), g.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xfff, 0x8000|(b>>48)&0x3fff, b&0xffffffffffff)
}

func zipfCDF(n int, s float64) []float64 {
	cdf := make([]float64, n)
	sum := 0.0
	for i := range cdf {
		sum += math.Pow(float64(i+1), -s)
		cdf[i] = sum
	}
	for i := range cdf {
		cdf[i] /= sum
	}
	return cdf
}

func pick(cdf []float64, u float64) int {
	i := sort.SearchFloat64s(cdf, u)
	if i >= len(cdf) {
		i = len(cdf) - 1
	}
	return i
}

func makePlaces() []*place {
	raw := []struct {
		city, state, country string
		lat, lon             float64
		weight               int
	}{
		{"Redmond", "Washington", "US", 47.674, -122.121, 20},
		{"Seattle", "Washington", "US", 47.606, -122.332, 12},
		{"New York", "New York", "US", 40.713, -74.006, 10},
		{"Chicago", "Illinois", "US", 41.878, -87.630, 6},
		{"Austin", "Texas", "US", 30.267, -97.743, 5},
		{"San Francisco", "California", "US", 37.775, -122.419, 6},
		{"Atlanta", "Georgia", "US", 33.749, -84.388, 3},
		{"London", "England", "GB", 51.507, -0.128, 8},
		{"Manchester", "England", "GB", 53.481, -2.243, 2},
		{"Dublin", "Dublin", "IE", 53.350, -6.260, 3},
		{"Amsterdam", "Noord-Holland", "NL", 52.370, 4.895, 3},
		{"Berlin", "Berlin", "DE", 52.520, 13.405, 3},
		{"Munich", "Bavaria", "DE", 48.135, 11.582, 2},
		{"Paris", "Ile-De-France", "FR", 48.857, 2.352, 3},
		{"Madrid", "Madrid", "ES", 40.417, -3.704, 1},
		{"Stockholm", "Stockholms Lan", "SE", 59.329, 18.069, 1},
		{"Warsaw", "Mazowieckie", "PL", 52.230, 21.012, 1},
		{"Bengaluru", "Karnataka", "IN", 12.972, 77.595, 4},
		{"Hyderabad", "Telangana", "IN", 17.385, 78.487, 3},
		{"Singapore", "Singapore", "SG", 1.352, 103.820, 2},
		{"Tokyo", "Tokyo", "JP", 35.677, 139.650, 2},
		{"Sydney", "New South Wales", "AU", -33.869, 151.209, 2},
		{"Toronto", "Ontario", "CA", 43.653, -79.383, 2},
		{"Sao Paulo", "Sao Paulo", "BR", -23.551, -46.633, 1},
		{"Lagos", "Lagos", "NG", 6.524, 3.379, 1},
		{"Moscow", "Moscow", "RU", 55.756, 37.617, 1},
	}
	var out []*place
	for _, r := range raw {
		p := &place{City: r.city, State: r.state, Country: r.country, Lat: r.lat, Lon: r.lon}
		geo := &types.Bag{Keys: []string{"latitude", "longitude"}, Vals: []any{r.lat, r.lon}}
		p.Bag = &types.Bag{Keys: []string{"city", "state", "countryOrRegion", "geoCoordinates"},
			Vals: []any{r.city, r.state, r.country, geo}}
		p.JSON = fmt.Sprintf(`{"city":%q,"state":%q,"countryOrRegion":%q,"geoCoordinates":{"latitude":%v,"longitude":%v}}`,
			r.city, r.state, r.country, r.lat, r.lon)
		for i := 0; i < r.weight; i++ {
			out = append(out, p)
		}
	}
	return out
}

func (g *generator) makeOutcomes() {
	mk := func(code, desc, failure, details, ca string, w float64) *outcome {
		o := &outcome{Code: code, Description: desc, Failure: failure, Details: details, CAStatus: ca, Weight: w}
		fmt.Sscan(code, &o.ErrorCode)
		o.Bag = &types.Bag{Keys: []string{"errorCode"}, Vals: []any{o.ErrorCode}}
		o.JSON = fmt.Sprintf(`{"errorCode":%d`, o.ErrorCode)
		if failure != "" {
			o.Bag.Set("failureReason", failure)
			o.JSON += fmt.Sprintf(`,"failureReason":%q`, failure)
		}
		if details != "" {
			o.Bag.Set("additionalDetails", details)
			o.JSON += fmt.Sprintf(`,"additionalDetails":%q`, details)
		}
		o.JSON += "}"
		return o
	}
	g.success = mk("0", "", "", "MFA requirement satisfied by claim in the token", "success", 1)
	g.fails = []*outcome{
		mk("50126", "Invalid username or password or Invalid on-premise username or password.",
			"Error validating credentials due to invalid username or password.", "The user didn't enter the right credentials. It's expected to see some number of these errors in your logs due to users making mistakes.", "notApplied", 30),
		mk("50074", "Strong Authentication is required.", "Strong Authentication is required.",
			"The user is required to complete multi-factor authentication.", "notApplied", 15),
		mk("50140", "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
			"This error occurred due to 'Keep me signed in' interrupt when the user was signing in.", "This is an expected part of the login flow, where a user is asked if they want to remain signed into this browser to make further logins easier.", "notApplied", 15),
		mk("50076", "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.",
			"Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.", "", "notApplied", 10),
		mk("53003", "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
			"Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.", "", "failure", 8),
		mk("500121", "Authentication failed during strong authentication request.",
			"Authentication failed during strong authentication request.", "The user didn't complete the MFA prompt.", "notApplied", 8),
		mk("70044", "The session has expired or is invalid due to sign-in frequency checks by conditional access.",
			"The session has expired or is invalid due to sign-in frequency checks by conditional access.", "", "notApplied", 5),
		mk("50053", "Account is locked because user tried to sign in too many times with an incorrect user ID or password.",
			"Account is locked because user tried to sign in too many times with an incorrect user ID or password.", "", "notApplied", 3),
		mk("50057", "User account is disabled.", "User account is disabled.", "", "notApplied", 2),
		mk("50158", "External security challenge was not satisfied.", "External security challenge was not satisfied.", "", "notApplied", 2),
		mk("65001", "The user or administrator has not consented to use the application.",
			"The user or administrator has not consented to use the application.", "", "notApplied", 2),
	}
	sum := 0.0
	for _, o := range g.fails {
		sum += o.Weight
		g.failCDF = append(g.failCDF, sum)
	}
	for i := range g.failCDF {
		g.failCDF[i] /= sum
	}
}

func (g *generator) makeApps() {
	known := []string{"Microsoft Teams", "Office 365 Exchange Online", "OfficeHome", "Microsoft Office",
		"Office 365 SharePoint Online", "Azure Portal", "Microsoft Authentication Broker", "Outlook Mobile",
		"Windows Sign In", "My Apps", "Microsoft Edge", "OneDrive SyncEngine", "Microsoft Azure CLI",
		"Microsoft Azure PowerShell", "Power BI Desktop", "Microsoft Intune Company Portal", "Visual Studio",
		"Microsoft Power Apps", "Microsoft Planner", "Microsoft To-Do client", "Azure Virtual Desktop Client",
		"Microsoft Whiteboard Client", "Dynamics CRM Online", "Graph Explorer", "ServiceNow", "Salesforce",
		"Workday", "Zoom", "Slack", "GitHub Enterprise Cloud", "Atlassian Cloud", "Adobe Creative Cloud"}
	resources := []string{"Microsoft Graph", "Office 365 Exchange Online", "Office 365 SharePoint Online",
		"Windows Azure Service Management API", "Microsoft Teams Services", "Windows Azure Active Directory",
		"Microsoft Intune", "Power BI Service"}
	g.appCDF = zipfCDF(genApps, 1.1)
	legacyShare := 0.0
	for i := 0; i < genApps; i++ {
		name := fmt.Sprintf("Contoso Line-of-Business App %03d", i)
		if i < len(known) {
			name = known[i]
		}
		a := &genApp{Name: name, ID: g.guid(), Resource: resources[g.rng.IntN(len(resources))]}
		a.Legacy = i >= 8 && g.rng.IntN(9) == 0
		if a.Legacy {
			w := g.appCDF[i]
			if i > 0 {
				w -= g.appCDF[i-1]
			}
			legacyShare += w
		}
		g.apps = append(g.apps, a)
	}
	g.adalP = math.Min(1, adalTarget/legacyShare)
}

var (
	firstNames = []string{"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
		"Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Priya",
		"Wei", "Aisha", "Lukas", "Sofia", "Hiroshi", "Olga", "Mateo", "Fatima", "Noah", "Emma", "Raj"}
	lastNames = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
		"Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore",
		"Jackson", "Martin", "Lee", "Patel", "Chen", "Kumar", "Schmidt", "Nguyen", "Kowalski", "Tanaka", "Okafor"}
)

// platform is an operating system and browser with its user agent.
type platform struct {
	os, browser, ua string
	weight          int
}

// platforms are roughly in the proportions a corporate tenant sees.
var platforms = []platform{
	{"Windows10", "Edge 120.0.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91", 30},
	{"Windows10", "Chrome 120.0.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", 15},
	{"Windows10", "Rich Client 5.2.8.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; WebView/3.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19045", 10},
	{"Windows 11", "Edge 121.0.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36 Edg/121.0.2277.83", 12},
	{"MacOs", "Safari 17.2", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15", 6},
	{"MacOs", "Chrome 120.0.0", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", 5},
	{"Ios", "Mobile Safari 17.2", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1", 7},
	{"Ios", "Rich Client 4.4.0", "Outlook-iOS/723.4027091.prod.iphone (4.2403.0)", 4},
	{"Android", "Chrome Mobile 120.0.6099", "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36", 5},
	{"Android", "Rich Client 4.2403.1", "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.193 Mobile Safari/537.36 PKeyAuth/1.0", 3},
	{"Linux", "Firefox 121.0", "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", 2},
	{"", "", "", 1},
}

var scriptAgents = []string{"python-requests/2.31.0", "python-requests/2.28.2", "python", "Python/3.11 aiohttp/3.9.1",
	"python-urllib3/2.1.0", "azure-cli/2.56.0 (MSI) azsdk-python-core/1.29.6 Python/3.11.5 (Linux-5.15.0-1053-azure-x86_64-with-glibc2.35)"}

func (g *generator) makeUsers() {
	g.userCDF = zipfCDF(genUsers, 0.8)
	platformTotal := 0
	for _, p := range platforms {
		platformTotal += p.weight
	}
	pickPlatform := func() int {
		x := g.rng.IntN(platformTotal)
		for i, p := range platforms {
			if x < p.weight {
				return i
			}
			x -= p.weight
		}
		return 0
	}
	corpIPs := make([]string, 200)
	for i := range corpIPs {
		corpIPs[i] = fmt.Sprintf("20.%d.%d.%d", 40+i/50, g.rng.IntN(256), 1+g.rng.IntN(254))
	}
	for i := 0; i < genUsers; i++ {
		first, last := firstNames[g.rng.IntN(len(firstNames))], lastNames[g.rng.IntN(len(lastNames))]
		u := &genUser{
			UPN:  fmt.Sprintf("%s.%s%d@contoso.com", strings.ToLower(first), strings.ToLower(last), i),
			ID:   g.guid(),
			Name: first + " " + last,
			Home: g.places[g.rng.IntN(len(g.places))],
		}
		if g.rng.IntN(10) < 6 {
			u.HomeIP = corpIPs[g.rng.IntN(len(corpIPs))]
		} else {
			u.HomeIP = g.randomIP()
		}
		if g.rng.IntN(200) == 0 {
			u.Script = scriptAgents[g.rng.IntN(len(scriptAgents))]
		}
		for d := 1 + g.rng.IntN(2); d > 0; d-- {
			u.Devices = append(u.Devices, g.makeDevice(platforms[pickPlatform()], u.Name))
		}
		g.users = append(g.users, u)
	}
}

func (g *generator) makeDevice(p platform, owner string) *device {
	d := &device{OS: p.os, Browser: p.browser, UserAgent: p.ua}
	id, name, trust := "", "", ""
	compliant, managed := false, false
	if p.os != "" && g.rng.IntN(10) < 7 {
		id = g.guid()
		name = fmt.Sprintf("%s-%s-%04d", strings.ToUpper(strings.ReplaceAll(owner, " ", "")[:4]), strings.ToUpper(p.os[:3]), g.rng.IntN(10000))
		trust = []string{"Azure AD joined", "Hybrid Azure AD joined", "Azure AD registered"}[g.rng.IntN(3)]
		compliant, managed = g.rng.IntN(10) < 8, true
	}
	d.Bag = &types.Bag{
		Keys: []string{"deviceId", "displayName", "operatingSystem", "browser", "isCompliant", "isManaged", "trustType"},
		Vals: []any{id, name, p.os, p.browser, compliant, managed, trust},
	}
	d.JSON = fmt.Sprintf(`{"deviceId":%q,"displayName":%q,"operatingSystem":%q,"browser":%q,"isCompliant":%t,"isManaged":%t,"trustType":%q}`,
		id, name, p.os, p.browser, compliant, managed, trust)
	return d
}

func (g *generator) randomIP() string {
	return fmt.Sprintf("%d.%d.%d.%d", 23+g.rng.IntN(170), g.rng.IntN(256), g.rng.IntN(256), 1+g.rng.IntN(254))
}

// makeHours weights the 720 hours of the window: a business-hours curve
// (UTC, the tenant being mostly in the Americas and Europe) and quiet
// weekends.
func (g *generator) makeHours() {
	diurnal := []float64{0.25, 0.2, 0.18, 0.18, 0.2, 0.3, 0.5, 0.8, 1.0, 1.1, 1.15, 1.1,
		1.0, 1.2, 1.4, 1.5, 1.5, 1.4, 1.2, 1.0, 0.8, 0.6, 0.45, 0.35}
	start := genEnd.Add(-genDays * 24 * time.Hour)
	sum := 0.0
	for h := 0; h < genDays*24; h++ {
		t := start.Add(time.Duration(h) * time.Hour)
		w := diurnal[t.Hour()]
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
			w *= 0.3
		}
		sum += w
		g.hourCDF = append(g.hourCDF, sum)
	}
	for i := range g.hourCDF {
		g.hourCDF[i] /= sum
	}
}

// lookupIP is the address the point-lookup query looks for: the home
// address of a rarely seen user on a residential line (a few dozen rows in
// 5 M).
func (g *generator) lookupIP() string {
	const rank = 20_000
	for _, u := range g.users[rank:] {
		if !strings.HasPrefix(u.HomeIP, "20.") {
			return u.HomeIP
		}
	}
	return g.users[rank].HomeIP
}

// lookupUPN is the user the case-insensitive lookup query looks for, in
// other case than stored.
func (g *generator) lookupUPN() string {
	return strings.ToUpper(g.users[123].UPN[:1]) + g.users[123].UPN[1:]
}

// next fills dst with the next rows and returns how many it wrote; 0
// means the dataset is complete.
func (g *generator) next(dst []signin) int {
	n := 0
	for n < len(dst) && g.produced < g.rows {
		if len(g.pending) == 0 {
			g.pending = g.session(g.pending[:0])
		}
		dst[n] = g.pending[0]
		g.pending = g.pending[1:]
		n++
		g.produced++
	}
	return n
}

// session generates the one to four sign-ins of one session, or a failed
// password followed by a success from another address.
func (g *generator) session(out []signin) []signin {
	h := pick(g.hourCDF, (float64(g.produced)+g.rng.Float64())/float64(g.rows))
	t := g.start + int64(h)*types.TicksPerHour + g.rng.Int64N(3600_000)*types.TicksPerMillisecond
	u := g.users[pick(g.userCDF, g.rng.Float64())]
	if g.rng.Float64() < q8Marker {
		first := g.row(u, t, g.guid(), g.roamIP(u), g.fails[0])
		second := g.row(u, t+int64(1+g.rng.IntN(540))*types.TicksPerSecond, g.guid(), u.HomeIP, g.success)
		return append(out, first, second)
	}
	corr := g.guid()
	ip := u.HomeIP
	if g.rng.IntN(20) == 0 {
		ip = g.roamIP(u)
	}
	k := []int{1, 1, 1, 1, 2, 2, 2, 3, 3, 4}[g.rng.IntN(10)]
	for i := 0; i < k; i++ {
		o := g.success
		if g.rng.Float64() < failShare {
			o = g.fails[pick(g.failCDF, g.rng.Float64())]
		}
		out = append(out, g.row(u, t, corr, ip, o))
		t += int64(1+g.rng.IntN(90)) * types.TicksPerSecond
	}
	return out
}

func (g *generator) roamIP(u *genUser) string {
	if g.rng.IntN(3) == 0 {
		return fmt.Sprintf("172.%d.%d.%d", 56+g.rng.IntN(8), g.rng.IntN(256), 1+g.rng.IntN(254))
	}
	return g.randomIP()
}

func (g *generator) row(u *genUser, t int64, corr, ip string, o *outcome) signin {
	app := g.apps[pick(g.appCDF, g.rng.Float64())]
	dev := u.Devices[g.rng.IntN(len(u.Devices))]
	s := signin{
		Time: t, ID: g.guid(), CorrelationID: corr, User: u, App: app, IP: ip, Place: u.Home,
		Outcome: o, Interactive: true, Device: dev, UserAgent: dev.UserAgent,
		ClientApp: "Browser", AuthReq: "singleFactorAuthentication", RiskLevel: "none", RiskState: "none",
		DurationMs: int64(40 + g.rng.IntN(1500)),
	}
	if ip != u.HomeIP {
		s.Place = g.places[g.rng.IntN(len(g.places))]
	}
	switch {
	case u.Script != "" && g.rng.IntN(2) == 0:
		s.UserAgent, s.ClientApp, s.Interactive = u.Script, "Mobile Apps and Desktop clients", false
	case strings.HasPrefix(dev.Browser, "Rich Client"):
		s.ClientApp = "Mobile Apps and Desktop clients"
	case dev.OS == "":
		s.ClientApp = []string{"Exchange ActiveSync", "IMAP4", "Authenticated SMTP", "Other clients"}[g.rng.IntN(4)]
	}
	if g.rng.IntN(3) == 0 {
		s.AuthReq = "multiFactorAuthentication"
	}
	if r := g.rng.IntN(200); r < 6 {
		s.RiskLevel = []string{"low", "low", "low", "medium", "medium", "high"}[r]
		s.RiskState = []string{"atRisk", "dismissed", "remediated"}[g.rng.IntN(3)]
	}
	s.APD = g.processingDetails(app)
	return s
}

var (
	adalLibraries = []string{
		"Family: ADAL Library: ADAL.NET 3.19.8.16603 Platform: .NET",
		"Family: ADAL Library: ADAL.NET 5.2.9.0 Platform: .NET",
		"Family: ADAL Library: ADAL.JS 1.0.17 Platform: JS",
		"Family: ADAL Library: ADAL.Android 3.1.1 Platform: Android",
		"Family: ADAL Library: ADAL.iOS 4.0.0 Platform: iOS",
	}
	msalLibraries = []string{
		"Family: MSAL Library: MSAL.Desktop 4.54.1.0 Platform: .NET",
		"Family: MSAL Library: MSAL.JS 2.38.0 Platform: JS",
		"Family: MSAL Library: MSAL.Android 4.9.0 Platform: Android",
		"Family: MSAL Library: MSAL.iOS 1.2.17 Platform: iOS",
		"Family: MSAL Library: MSAL.Python 1.24.0 Platform: Python",
	}
	apdTexts = func() (m map[string]string) {
		m = map[string]string{}
		for _, lib := range append(append([]string{}, adalLibraries...), msalLibraries...) {
			key := "Microsoft Authentication Library"
			if strings.Contains(lib, "ADAL") {
				key = "Azure AD App Authentication Library"
			}
			m[lib] = fmt.Sprintf(`[{"key":"Legacy TLS (TLS 1.0, 1.1, 3DES)","value":"False"},{"key":%q,"value":%q},{"key":"Is CAE Token","value":"False"}]`, key, lib)
		}
		return m
	}()
)

const (
	apdPlain = `[{"key":"Legacy TLS (TLS 1.0, 1.1, 3DES)","value":"False"},{"key":"Is CAE Token","value":"False"}]`
	apdTLS   = `[{"key":"Legacy TLS (TLS 1.0, 1.1, 3DES)","value":"True"},{"key":"Oauth Scope Info","value":"[\"openid\",\"profile\",\"offline_access\"]"}]`
)

func (g *generator) processingDetails(app *genApp) string {
	r := g.rng.Float64()
	switch {
	case app.Legacy && r < g.adalP:
		return apdTexts[adalLibraries[g.rng.IntN(len(adalLibraries))]]
	case r < 0.55:
		return apdTexts[msalLibraries[g.rng.IntN(len(msalLibraries))]]
	case r < 0.57:
		return apdTLS
	}
	return apdPlain
}
