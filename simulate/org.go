package simulate

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// user is one member of the simulated organisation.
type user struct {
	id, upn, name, department string
	country                   *country
	city                      *city
	// ip is the address of the user's office or home network.
	ip string
	// device is the user's usual operating system and browser.
	os, browser string
	// apps are the indexes (in Sim.apps) of the applications the user
	// works with, most used first.
	apps []int
	// legacy is the index of the ADAL application the user runs, or -1.
	legacy int
	// mail is the legacy protocol of the user's old mail client, or "".
	mail string
	// mobile is another city of the user's country where some of the
	// user's refreshes come from (a phone on the road), or nil; mobileIP
	// is the carrier's address there.
	mobile   *city
	mobileIP string
}

// country is where a share of the organisation works.
type country struct {
	code string
	// offset is the UTC offset of its working day, in minutes (standard
	// time; daylight saving is ignored).
	offset int
	// share is the country's weight among the users.
	share  int
	cities []city
	// prefix is the first two octets of its addresses.
	prefix string
}

type city struct {
	name, state string
	lat, long   float64
}

var countries = []country{
	{"US", -5 * 60, 30, []city{{"New York", "New York", 40.71, -74.01}, {"Boston", "Massachusetts", 42.36, -71.06}, {"Atlanta", "Georgia", 33.75, -84.39}}, "20.119"},
	{"US", -8 * 60, 15, []city{{"Seattle", "Washington", 47.61, -122.33}, {"Redmond", "Washington", 47.68, -122.12}, {"San Francisco", "California", 37.77, -122.42}}, "52.160"},
	{"GB", 0, 12, []city{{"London", "England", 51.51, -0.13}, {"Manchester", "England", 53.48, -2.24}}, "81.2"},
	{"DE", 60, 10, []city{{"Berlin", "Berlin", 52.52, 13.40}, {"Munich", "Bavaria", 48.14, 11.58}}, "91.64"},
	{"NL", 60, 6, []city{{"Amsterdam", "Noord-Holland", 52.37, 4.89}}, "145.53"},
	{"FR", 60, 6, []city{{"Paris", "Ile-de-France", 48.86, 2.35}, {"Lyon", "Auvergne-Rhone-Alpes", 45.76, 4.84}}, "90.84"},
	{"IN", 330, 10, []city{{"Bengaluru", "Karnataka", 12.97, 77.59}, {"Hyderabad", "Telangana", 17.39, 78.49}}, "49.205"},
	{"JP", 540, 4, []city{{"Tokyo", "Tokyo", 35.68, 139.69}}, "126.75"},
	{"AU", 600, 4, []city{{"Sydney", "New South Wales", -33.87, 151.21}}, "101.160"},
	{"BR", -3 * 60, 3, []city{{"Sao Paulo", "Sao Paulo", -23.55, -46.63}}, "177.92"},
}

var (
	firstNames = []string{"Megan", "Alex", "Adele", "Diego", "Isaiah", "Johanna", "Lee", "Lidia", "Lynne", "Miriam",
		"Nestor", "Patti", "Pradeep", "Grady", "Henrietta", "Joni", "Allan", "Emily", "Ben", "Christie", "Debra",
		"Irvin", "Lena", "Mario", "Sanjay", "Yuki", "Priya", "Lukas", "Sofia", "Chloe", "Mateo", "Aisha", "Noah",
		"Olivia", "Liam", "Emma", "Hiro", "Ana", "Wei", "Fatima", "Jonas", "Elena", "Ravi", "Camille", "Thomas"}
	lastNames = []string{"Bowen", "Wilber", "Vance", "Soto", "Langer", "Lauer", "Gu", "Holloway", "Robbins", "Graham",
		"Wilke", "Fernandez", "Gupta", "Archie", "Cerrato", "Sherman", "Deyoung", "Braun", "Walters", "Cline",
		"Berg", "Sink", "Sullivan", "Rossi", "Patel", "Tanaka", "Sharma", "Becker", "Martin", "Dubois", "Silva",
		"Khan", "Smith", "Jones", "Nguyen", "Kim", "Muller", "Novak", "Costa", "Lopez", "Schmidt", "Evans"}
	departments = []string{"Sales", "Sales", "Marketing", "Engineering", "Engineering", "Engineering", "Finance",
		"HR", "Legal", "Operations", "Operations", "Support", "Support", "IT", "Research"}
	devices = []struct{ os, browser, agent string }{
		{"Windows 10", "Edge 125.0.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0"},
		{"Windows 10", "Chrome 125.0.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36"},
		{"Windows 10", "Edge 125.0.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0"},
		{"MacOs", "Safari 17.5", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"},
		{"MacOs", "Chrome 125.0.0", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36"},
		{"Ios", "Mobile Safari", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"},
		{"Android", "Chrome Mobile 125.0.0", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36"},
	}
)

// app is an application users or services sign in to.
type app struct {
	id, name string
	// resource is the application id and name of the API its tokens are
	// for.
	resourceID, resourceName string
	// client is how Entra names the client: "Browser" or "Mobile Apps and
	// Desktop clients".
	client string
	// weight is the app's popularity among users.
	weight int
	// adal marks a legacy application signing in with ADAL.
	adal bool
}

// Resources of first-party APIs (application ids are Microsoft's).
const (
	resGraph    = "00000003-0000-0000-c000-000000000000"
	resExchange = "00000002-0000-0ff1-ce00-000000000000"
	resSPO      = "00000003-0000-0ff1-ce00-000000000000"
	resARM      = "797f4846-ba00-4fd7-ba43-dac1f8f63013"
	resKeyVault = "cfa8b339-82a2-471a-a3c9-0fc0be7a4093"
	resTeams    = "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"
)

var resourceNames = map[string]string{
	resGraph: "Microsoft Graph", resExchange: "Office 365 Exchange Online", resSPO: "Office 365 SharePoint Online",
	resARM: "Windows Azure Service Management API", resKeyVault: "Azure Key Vault", resTeams: "Microsoft Teams Services",
}

const (
	browser = "Browser"
	desktop = "Mobile Apps and Desktop clients"
)

// firstParty are Microsoft's applications with their real application ids.
var firstParty = []app{
	{"1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams", resTeams, "", desktop, 30, false},
	{"5e3ce6c0-2b1f-4285-8d4b-75ee78787346", "Microsoft Teams Web Client", resTeams, "", browser, 6, false},
	{"d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office", resExchange, "", desktop, 25, false},
	{"00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online", resExchange, "", browser, 12, false},
	{"00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online", resSPO, "", browser, 10, false},
	{"4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome", resGraph, "", browser, 10, false},
	{"ab9b8c07-8f02-4f72-87fa-80105867a763", "OneDrive SyncEngine", resSPO, "", desktop, 10, false},
	{"27922004-5251-4030-b22d-91ecd9a37ea4", "Outlook Mobile", resExchange, "", desktop, 8, false},
	{"c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal", resARM, "", browser, 5, false},
	{"04b07795-8ddb-461a-bbee-02f9e1bf7b46", "Microsoft Azure CLI", resARM, "", desktop, 3, false},
	{"1950a258-227b-4e31-a9cf-717495945fc2", "Microsoft Azure PowerShell", resARM, "", desktop, 2, false},
	{"14d82eec-204b-4c2f-b7e8-296a70dab67e", "Microsoft Graph Command Line Tools", resGraph, "", desktop, 1, false},
	{"de8bc8b5-d9f9-48b1-a8ad-b748da725064", "Graph Explorer", resGraph, "", browser, 1, false},
	{"ecd6b820-32c2-49b6-98a6-444530e5a77a", "Microsoft Edge", resGraph, "", desktop, 6, false},
	{"4813382a-8fa7-425e-ab75-3b753aab3abb", "Microsoft Authenticator App", resGraph, "", desktop, 3, false},
	{"872cd9fa-d31f-45e0-9eab-6e460a02d1f1", "Visual Studio", resARM, "", desktop, 2, false},
	{"aebc6443-996d-45c2-90f0-388ff96faa56", "Visual Studio Code", resGraph, "", desktop, 2, false},
	{"2793995e-0a7d-40d7-bd35-6968ba142197", "My Apps", resGraph, "", browser, 2, false},
	{"19db86c3-b2b9-44cc-b339-36da233a3be2", "My Signins", resGraph, "", browser, 1, false},
	{"8c59ead7-d703-4a27-9e55-c96a0054c8d2", "My Profile", resGraph, "", browser, 1, false},
	{"9ba1a5c7-f17a-4de9-a1f1-6178c8d51223", "Microsoft Intune Company Portal", resGraph, "", desktop, 2, false},
	{"38aa3b87-a06d-4817-b275-7a316988d93b", "Windows Sign In", resGraph, "", desktop, 8, false},
	{"00000006-0000-0ff1-ce00-000000000000", "Microsoft Office 365 Portal", resGraph, "", browser, 3, false},
	{"871c010f-5e61-4fb1-83ac-98610a7e9110", "Power BI Service", resGraph, "", browser, 3, false},
	{"7f67af8a-fedc-4b08-8b4e-37c4d127b6cf", "Power BI Desktop", resGraph, "", desktop, 1, false},
	{"29d9ed98-a469-4536-ade2-f981bc1d605e", "Microsoft Authentication Broker", resGraph, "", desktop, 4, false},
	{"89bee1f7-5e6e-4d8a-9f3d-ecd601259da7", "Office365 Shell WCSS-Client", resGraph, "", browser, 4, false},
	{"66375f6b-983f-4c2c-9701-d680650f588f", "Microsoft Planner", resGraph, "", browser, 1, false},
	{"0ec893e0-5785-4de6-99da-4ed124e5296c", "Office UWP PWA", resGraph, "", desktop, 1, false},
	{"57fb890c-0dab-4253-a5e0-7188c88b2bb4", "SharePoint Online Client Extensibility", resSPO, "", browser, 2, false},
	{"cf36b471-5b44-428c-9ce7-313bf84528de", "Microsoft Bing Search", resGraph, "", browser, 1, false},
}

// lobNames are the organisation's own applications; the legacy ones sign
// in with ADAL.
var lobNames = []struct {
	name  string
	adal  bool
	agent string
}{
	{"Contoso Expenses", false, ""}, {"HR Self Service", false, ""}, {"Travel Booking", false, ""},
	{"Sales Dashboard", false, ""}, {"Support Desk", false, ""}, {"Engineering Wiki", false, ""},
	{"Payroll Portal", false, ""}, {"Learning Hub", false, ""}, {"Contract Manager", false, ""},
	{"Inventory Tracker", false, ""}, {"Partner Portal", false, ""}, {"Build Dashboard", false, ""},
	{"Legacy Timesheet", true, "ADAL.NET 3.19.8"}, {"Finance Reporting Tool", true, "ADAL.NET 3.19.8"},
	{"Warehouse Scanner", true, "ADAL.NET 3.19.8"},
}

// daemons are the organisation's services signing in with their own
// credentials, and the API each calls.
var daemons = []struct{ name, resource string }{
	{"nightly-export", resGraph}, {"hr-sync", resGraph}, {"backup-agent", resKeyVault}, {"billing-worker", resKeyVault},
	{"deploy-pipeline", resARM}, {"monitoring-collector", resARM}, {"mail-archiver", resExchange}, {"crm-connector", resGraph},
}

// adalDetail is the processing detail Entra adds to sign-ins of ADAL
// clients.
const adalDetail = "Family: ADAL Library: ADAL.NET 3.19.8 Platform: .NET"

// newGUID draws a random (version 4) GUID from rng. It is written out by
// hand: fmt took a tenth of the simulator's time.
func newGUID(rng *rand.Rand) string {
	a, b := rng.Uint64(), rng.Uint64()
	a = a&^0xf000 | 0x4000
	b = b&^(0xc<<60) | 0x8<<60
	var raw [16]byte
	binary.BigEndian.PutUint64(raw[:8], a)
	binary.BigEndian.PutUint64(raw[8:], b)
	var out [36]byte
	hex.Encode(out[0:8], raw[0:4])
	hex.Encode(out[9:13], raw[4:6])
	hex.Encode(out[14:18], raw[6:8])
	hex.Encode(out[19:23], raw[8:10])
	hex.Encode(out[24:36], raw[10:16])
	out[8], out[13], out[18], out[23] = '-', '-', '-', '-'
	return string(out[:])
}

// newOrg draws the users and applications of an organisation.
func (s *Sim) newOrg(rng *rand.Rand) {
	for _, a := range firstParty {
		a.resourceName = resourceNames[a.resourceID]
		s.apps = append(s.apps, a)
	}
	for _, l := range lobNames {
		s.apps = append(s.apps, app{id: newGUID(rng), name: l.name, resourceID: resGraph, resourceName: resourceNames[resGraph],
			client: browser, weight: 2, adal: l.adal})
		if l.adal {
			s.apps[len(s.apps)-1].client = desktop
			s.legacy = append(s.legacy, len(s.apps)-1)
		}
	}
	for _, d := range daemons {
		s.daemons = append(s.daemons, daemon{appID: newGUID(rng), spID: newGUID(rng), keyID: newGUID(rng), name: d.name, resource: d.resource})
	}
	var nonLegacy []int
	total := 0
	for i, a := range s.apps {
		if !a.adal {
			nonLegacy = append(nonLegacy, i)
			total += a.weight
		}
	}
	shares := 0
	for _, c := range countries {
		shares += c.share
	}
	seen := map[string]int{}
	for i := 0; i < s.opt.Users; i++ {
		u := user{id: newGUID(rng), legacy: -1}
		first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
		u.name = first + " " + last
		nick := strings.ToLower(first + "." + last)
		if n := seen[nick]; n > 0 {
			nick = fmt.Sprintf("%s%d", nick, n+1)
		}
		seen[strings.ToLower(first+"."+last)]++
		u.upn = nick + "@" + s.opt.Domain
		u.department = departments[rng.IntN(len(departments))]
		pick := rng.IntN(shares)
		for ci := range countries {
			if pick -= countries[ci].share; pick < 0 {
				u.country = &countries[ci]
				break
			}
		}
		u.city = &u.country.cities[rng.IntN(len(u.country.cities))]
		u.ip = fmt.Sprintf("%s.%d.%d", u.country.prefix, rng.IntN(256), 1+rng.IntN(254))
		d := devices[rng.IntN(len(devices))]
		u.os, u.browser = d.os, d.browser
		// Each user works with 4 to 8 applications, drawn by popularity.
		for n := 4 + rng.IntN(5); len(u.apps) < n; {
			pick := rng.IntN(total)
			for _, ai := range nonLegacy {
				if pick -= s.apps[ai].weight; pick < 0 {
					u.apps = appendUnique(u.apps, ai)
					break
				}
			}
		}
		// Operations and Finance still run the legacy tools.
		if (u.department == "Operations" || u.department == "Finance") && rng.IntN(3) == 0 {
			u.legacy = s.legacy[rng.IntN(len(s.legacy))]
		}
		// A few still read mail over IMAP or POP.
		if rng.IntN(150) == 0 {
			u.mail = []string{"IMAP4", "POP3", "Authenticated SMTP", "Exchange ActiveSync"}[rng.IntN(4)]
		}
		if len(u.country.cities) > 1 && rng.IntN(20) == 0 {
			u.mobile = &u.country.cities[(slices.Index(cityNames(u.country), u.city.name)+1)%len(u.country.cities)]
			u.mobileIP = fmt.Sprintf("%s.%d.%d", u.country.prefix, 128+rng.IntN(128), 1+rng.IntN(254))
		}
		s.users = append(s.users, u)
	}
	for i := range s.users {
		s.byZone[s.users[i].country.offset] = append(s.byZone[s.users[i].country.offset], i)
	}
	for z := range s.byZone {
		s.zones = append(s.zones, z)
	}
	sortInts(s.zones)
}

func cityNames(c *country) []string {
	var names []string
	for _, ci := range c.cities {
		names = append(names, ci.name)
	}
	return names
}

func appendUnique(xs []int, x int) []int {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// agentOf returns the user agent of a device.
func agentOf(os, browser string) string {
	for _, d := range devices {
		if d.os == os && d.browser == browser {
			return d.agent
		}
	}
	return devices[0].agent
}
