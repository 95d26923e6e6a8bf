package builtin

import (
	"regexp"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
)

// parse_user_agent(useragent, look_for): the browser, operating system
// and device a user-agent string names, as a bag with the keys Browser,
// OperatingSystem and Device for the targets asked for ("browser", "os",
// "device", one as a string or several in a dynamic array). The rules are
// a compact subset of the uap-core pattern set Kusto uses, covering the
// agents seen in sign-in and web logs; anything else is Family "Other".
func init() {
	RegisterScalar(Fixed("parse_user_agent", true, Sig{
		Params: []types.Type{types.String, types.Null}, Ret: types.Dynamic, F: parseUserAgentFn,
	}))
}

// uaRule is one pattern: the first matching rule of a table wins. family
// replaces the family captured by group 1 when set ("$1" keeps it);
// versions, when set, replace the captured version numbers (groups 2...),
// each "$n" naming a group.
type uaRule struct {
	re       *regexp.Regexp
	family   string
	versions []string
}

func ua(pattern, family string, versions ...string) uaRule {
	return uaRule{re: regexp.MustCompile(pattern), family: family, versions: versions}
}

// browserRules follows uap-core's user_agent_parsers order: specific
// agents built on Chrome or Safari come before Chrome and Safari.
var browserRules = []uaRule{
	ua(`(python-requests)/(\d+)\.(\d+)(?:\.(\d+))?`, "Python Requests"),
	ua(`^(Go-http-client)/(\d+)\.(\d+)`, "$1"),
	ua(`^(curl)/(\d+)\.(\d+)(?:\.(\d+))?`, "curl"),
	ua(`^(Wget)/(\d+)\.(\d+)(?:\.(\d+))?`, "$1"),
	ua(`(AdobeAIR)/(\d+)\.(\d+)(?:\.(\d+))?`, "$1"),
	ua(`(okhttp)/(\d+)\.(\d+)(?:\.(\d+))?`, "$1"),
	ua(`(Apache-HttpClient)/(\d+)\.(\d+)(?:\.(\d+))?`, "$1"),
	ua(`^(Java)/(\d+)\.(\d+)(?:\.(\d+))?`, "$1"),
	ua(`(Microsoft Outlook|MSOffice) (\d+)(?:\.(\d+))?(?:\.(\d+))?`, "Outlook"),
	ua(`(SamsungBrowser)/(\d+)\.(\d+)`, "Samsung Internet"),
	ua(`(EdgiOS|EdgA)/(\d+)\.(\d+)(?:\.(\d+))?`, "Edge Mobile"),
	ua(`(Edge?)/(\d+)(?:\.(\d+))?(?:\.(\d+))?`, "Edge"),
	ua(`(OPR)/(\d+)\.(\d+)(?:\.(\d+))?`, "Opera"),
	ua(`(Opera)/.+Version/(\d+)\.(\d+)`, "$1"),
	ua(`(Opera)[/ ](\d+)\.(\d+)`, "$1"),
	ua(`(FxiOS)/(\d+)\.(\d+)(?:\.(\d+))?`, "Firefox iOS"),
	ua(`Mobile.*(Firefox)/(\d+)\.(\d+)`, "Firefox Mobile"),
	ua(`(Firefox)/(\d+)\.(\d+)(?:\.(\d+)|[ab]\d+|pre\d*)?`, "$1"),
	ua(`(CriOS)/(\d+)\.(\d+)(?:\.(\d+))?`, "Chrome Mobile iOS"),
	ua(`; wv\).+(Chrome)/(\d+)\.(\d+)(?:\.(\d+))?`, "Chrome Mobile WebView"),
	ua(`(Chrome)/(\d+)\.(\d+)(?:\.(\d+))?(?:\.\d+)? Mobile(?:[ /]|$)`, "Chrome Mobile"),
	ua(`(Chromium|Chrome)/(\d+)\.(\d+)(?:\.(\d+))?`, "$1"),
	ua(`(MSIE) (\d+)\.(\d+)`, "IE"),
	ua(`(Trident)/\d+\.\d+.*rv:(\d+)\.(\d+)`, "IE"),
	ua(`(iPod|iPhone|iPad).+Version/(\d+)\.(\d+)(?:\.(\d+))?.*[ +]Safari`, "Mobile Safari"),
	ua(`(iPod|iPhone|iPad).+Version/(\d+)\.(\d+)(?:\.(\d+))?`, "Mobile Safari UI/WKWebView"),
	ua(`(iPod|iPhone|iPad);.*CPU.*OS[ +](\d+)_(\d+)(?:_(\d+))?.*Mobile`, "Mobile Safari UI/WKWebView"),
	ua(`(Version)/(\d+)\.(\d+)(?:\.(\d+))?.*Safari/`, "Safari"),
	ua(`(Series60)/(\d+)\.(\d+)`, "Nokia OSS Browser"),
	ua(`(Safari)/\d+`, "Safari"),
}

// osRules follows uap-core's os_parsers: Windows NT versions map to
// marketing names.
var osRules = []uaRule{
	ua(`(Windows Phone)(?: OS)?[ /](\d+)\.(\d+)`, "$1"),
	ua(`(Windows NT 10\.0)`, "Windows", "10"),
	ua(`(Windows NT 6\.3)`, "Windows", "8.1"),
	ua(`(Windows NT 6\.2)`, "Windows", "8"),
	ua(`(Windows NT 6\.1)`, "Windows", "7"),
	ua(`(Windows NT 6\.0)`, "Windows", "Vista"),
	ua(`(Windows NT 5\.[12])`, "Windows", "XP"),
	ua(`(Windows (?:NT|10|11))`, "Windows"),
	ua(`(Android)[ \-/](\d+)(?:\.(\d+))?(?:[.\-]([a-z0-9]+))?`, "Android"),
	ua(`(Android)`, "Android"),
	ua(`(?:CPU[ +]OS|iPhone[ +]OS|CPU[ +]iPhone|CPU IPhone OS|CPU iPad OS)[ +]+(\d+)[_.](\d+)(?:[_.](\d+))?`, "iOS", "$1", "$2", "$3"),
	ua(`(iPhone|iPad|iPod)`, "iOS"),
	ua(`(Mac OS X)[,/ ](\d+)[_.](\d+)(?:[_.](\d+))?`, "$1"),
	ua(`(Mac OS X|Macintosh)`, "Mac OS X"),
	ua(`(CrOS) [a-z0-9_]+ (\d+)\.(\d+)(?:\.(\d+))?`, "Chrome OS"),
	ua(`(SymbianOS)/(\d+)\.(\d+)`, "Symbian OS"),
	ua(`(Ubuntu)(?:[ /](\d+)\.(\d+))?`, "$1"),
	ua(`(Linux)(?:[ /](\d+)\.(\d+)(?:\.(\d+))?)?`, "$1"),
	ua(`(Windows)`, "Windows"),
}

// device is a parsed device: family, brand and model.
type device struct{ family, brand, model string }

// deviceRule maps a match to a device; "$n" in the fields names a group.
type deviceRule struct {
	re  *regexp.Regexp
	dev device
}

func dv(pattern, family, brand, model string) deviceRule {
	return deviceRule{regexp.MustCompile(pattern), device{family, brand, model}}
}

var deviceRules = []deviceRule{
	dv(`(?i)(?:bot|spider|crawl)`, "Spider", "Spider", "Desktop"),
	dv(`iPad`, "iPad", "Apple", "iPad"),
	dv(`iPod`, "iPod", "Apple", "iPod"),
	dv(`iPhone`, "iPhone", "Apple", "iPhone"),
	dv(`Macintosh`, "Mac", "Apple", "Mac"),
	dv(`CrOS`, "Other", "", ""),
	dv(`Nokia(N\d+)(?:-\d+)?`, "Nokia $1", "Nokia", "$1"),
	dv(`Android[^;]*; *(SM-[A-Z0-9]+|GT-[A-Z0-9]+)(?:[;)/ ]| Build)`, "Samsung $1", "Samsung", "$1"),
	dv(`Android[^;]*; *(Pixel[^;)]*?)(?: Build|\))`, "$1", "Google", "$1"),
	dv(`Android[^;]*; *K\)`, "K", "Generic_Android", "K"),
	dv(`Android[^;]*;(?: *[a-z]{2}[-_][a-zA-Z]{2};)? *([^;/)]+?)(?: Build|\) AppleWebKit)`, "$1", "Generic_Android", "$1"),
	dv(`Android.*Mobile`, "Generic Smartphone", "Generic", "Smartphone"),
	dv(`Android`, "Generic Tablet", "Generic", "Tablet"),
}

func parseUserAgentFn(args []types.Value) types.Value {
	if !args[0].Valid || args[0].Type != types.String && args[0].Type != types.Dynamic {
		return types.NullOf(types.Dynamic)
	}
	s := args[0].S
	if args[0].Type == types.Dynamic {
		str, ok := args[0].D.(string)
		if !ok {
			return types.NullOf(types.Dynamic)
		}
		s = str
	}
	bag := &types.Bag{}
	for _, target := range lookFor(args[1]) {
		switch target {
		case "browser":
			bag.Set("Browser", matchUA(browserRules, s, false))
		case "os":
			bag.Set("OperatingSystem", matchUA(osRules, s, true))
		case "device":
			bag.Set("Device", matchDevice(s))
		}
	}
	return types.Value{Type: types.Dynamic, Valid: true, D: bag}
}

// lookFor lists the lower-cased targets of the look_for argument.
func lookFor(v types.Value) []string {
	if !v.Valid {
		return nil
	}
	if v.Type == types.String {
		return []string{strings.ToLower(strings.TrimSpace(v.S))}
	}
	var out []string
	switch d := v.D.(type) {
	case string:
		out = append(out, strings.ToLower(strings.TrimSpace(d)))
	case []any:
		for _, e := range d {
			if s, ok := e.(string); ok {
				out = append(out, strings.ToLower(strings.TrimSpace(s)))
			}
		}
	}
	return out
}

// matchUA applies the first matching rule; os adds PatchMinor.
func matchUA(rules []uaRule, s string, os bool) *types.Bag {
	family, vers := "Other", []string{"", "", "", ""}
	for _, r := range rules {
		m := r.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		family = expandGroups(r.family, m)
		if r.family == "" {
			family = m[1]
		}
		for i := range vers {
			switch {
			case r.versions != nil && i < len(r.versions):
				vers[i] = expandGroups(r.versions[i], m)
			case r.versions == nil && i+2 < len(m):
				vers[i] = m[i+2]
			}
		}
		break
	}
	b := &types.Bag{}
	b.Set("Family", family)
	b.Set("MajorVersion", vers[0])
	b.Set("MinorVersion", vers[1])
	b.Set("Patch", vers[2])
	if os {
		b.Set("PatchMinor", vers[3])
	}
	return b
}

func matchDevice(s string) *types.Bag {
	d := device{"Other", "", ""}
	for _, r := range deviceRules {
		if m := r.re.FindStringSubmatch(s); m != nil {
			d = device{expandGroups(r.dev.family, m), expandGroups(r.dev.brand, m), expandGroups(r.dev.model, m)}
			break
		}
	}
	b := &types.Bag{}
	b.Set("Family", strings.TrimSpace(d.family))
	b.Set("Brand", d.brand)
	b.Set("Model", strings.TrimSpace(d.model))
	return b
}

// expandGroups replaces $1..$9 in tmpl with the groups of m.
func expandGroups(tmpl string, m []string) string {
	if !strings.Contains(tmpl, "$") {
		return tmpl
	}
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] == '$' && i+1 < len(tmpl) && tmpl[i+1] >= '1' && tmpl[i+1] <= '9' {
			if g := int(tmpl[i+1] - '0'); g < len(m) {
				b.WriteString(m[g])
			}
			i++
			continue
		}
		b.WriteByte(tmpl[i])
	}
	return b.String()
}
