package builtin_test

import "testing"

func TestParseUserAgent(t *testing.T) {
	const chromeWin = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.130 Safari/537.36"
	const edgeWin = chromeWin + " Edg/120.0.2210.91"
	const iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1"
	const mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15"
	const samsung = "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36"
	runDynCases(t, []dynCase{
		{`print parse_user_agent("Mozilla/5.0 (Windows; U; en-US) AppleWebKit/531.9 (KHTML, like Gecko) AdobeAIR/2.5.1", "browser")`,
			`{"Browser":{"Family":"AdobeAIR","MajorVersion":"2","MinorVersion":"5","Patch":"1"}}`},
		{`print parse_user_agent("` + chromeWin + `", dynamic(["browser", "os", "device"]))`,
			`{"Browser":{"Family":"Chrome","MajorVersion":"120","MinorVersion":"0","Patch":"6099"},` +
				`"OperatingSystem":{"Family":"Windows","MajorVersion":"10","MinorVersion":"","Patch":"","PatchMinor":""},` +
				`"Device":{"Family":"Other","Brand":"","Model":""}}`},
		{`print tostring(parse_user_agent("` + edgeWin + `", "browser").Browser.Family)`, `Edge`},
		{`print x = parse_user_agent("` + iphone + `", dynamic(["browser", "os", "device"])) | project x.Browser.Family, x.Browser.MajorVersion, x.OperatingSystem.Family, x.OperatingSystem.MajorVersion, x.Device.Family`,
			`Mobile Safari | 17 | iOS | 17 | iPhone`},
		{`print x = parse_user_agent("` + mac + `", dynamic(["browser", "os", "device"])) | project x.Browser.Family, x.OperatingSystem.Family, x.OperatingSystem.MinorVersion, x.Device.Family`,
			`Safari | Mac OS X | 15 | Mac`},
		{`print x = parse_user_agent("` + samsung + `", dynamic(["browser", "os", "device"])) | project x.Browser.Family, x.OperatingSystem.Family, x.OperatingSystem.MajorVersion, x.Device.Brand, x.Device.Model`,
			`Samsung Internet | Android | 13 | Samsung | SM-S918B`},
		{`print x = parse_user_agent("Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko", dynamic(["browser", "os"])) | project x.Browser.Family, x.Browser.MajorVersion, x.OperatingSystem.MajorVersion`,
			`IE | 11 | 7`},
		{`print parse_user_agent("python-requests/2.31.0", "browser").Browser.Family, parse_user_agent("Go-http-client/1.1", "browser").Browser.Family, parse_user_agent("curl/8.4.0", "os").OperatingSystem.Family`,
			`Python Requests | Go-http-client | Other`},
		{`print parse_user_agent("okhttp/4.9.2", "browser").Browser.Family, parse_user_agent("Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; Microsoft Outlook 16.0.17126; ms-office; MSOffice 16)", "browser").Browser.Family`,
			`okhttp | Outlook`},
		{`print parse_user_agent("", "device"), parse_user_agent("x", "nothing")`,
			`{"Device":{"Family":"Other","Brand":"","Model":""}} | {}`},
	})
}
