package builtin_test

import "testing"

func TestParseIPv4(t *testing.T) {
	runDynCases(t, []dynCase{
		{`datatable(ip_string: string) ['192.168.1.1', '192.168.1.1/24', '255.255.255.255/31']
| extend ip_long = parse_ipv4(ip_string)`,
			"192.168.1.1 | 3232235777\n192.168.1.1/24 | 3232235776\n255.255.255.255/31 | 4294967294"},
		{`print parse_ipv4('1.2.3'), parse_ipv4('1.2.3.256'), parse_ipv4('1.2.3.4/33'), parse_ipv4(''), parse_ipv4('a.b.c.d')`, ` |  |  |  | `},
		{`print parse_ipv4_mask("127.0.0.1", 24), parse_ipv4_mask("192.1.168.2", 8), parse_ipv4_mask("192.1.168.2/8", 24)`,
			`2130706432 | 3221225472 | 3221225472`},
		{`print parse_ipv4_mask("127.0.0.1", 33), parse_ipv4_mask("127.0.0.1", -1)`, ` | `},
	})
}

func TestFormatIPv4(t *testing.T) {
	runDynCases(t, []dynCase{
		{`datatable(address:string, mask:long)
[
 '192.168.1.1', 24,
 '192.168.1.1', 32,
 '192.168.1.1/24', 32,
 '192.168.1.1/24', long(-1),
]
| extend result = format_ipv4(address, mask), result_mask = format_ipv4_mask(address, mask)`,
			"192.168.1.1 | 24 | 192.168.1.0 | 192.168.1.0/24\n" +
				"192.168.1.1 | 32 | 192.168.1.1 | 192.168.1.1/32\n" +
				"192.168.1.1/24 | 32 | 192.168.1.0 | 192.168.1.0/24\n" +
				"192.168.1.1/24 | -1 |  | "},
		{`print format_ipv4(3232235777), format_ipv4_mask(3232235777), format_ipv4('10.1.2.3', 8)`,
			`192.168.1.1 | 192.168.1.1/32 | 10.0.0.0`},
		{`print format_ipv4(-1), format_ipv4('nope'), format_ipv4_mask('10.0.0.1', long(null))`, ` |  | `},
	})
}

func TestIPv4CompareAndMatch(t *testing.T) {
	runDynCases(t, []dynCase{
		{`datatable(ip1_string:string, ip2_string:string)
[
 '192.168.1.0',    '192.168.1.0',
 '192.168.1.1/24', '192.168.1.255',
 '192.168.1.1',    '192.168.1.255/24',
 '192.168.1.1/30', '192.168.1.255/24',
]
| project ipv4_compare(ip1_string, ip2_string), ipv4_is_match(ip1_string, ip2_string)`,
			"0 | true\n0 | true\n0 | true\n0 | true"},
		{`datatable(ip1_string:string, ip2_string:string, prefix:long)
[
 '192.168.1.1',    '192.168.1.0',   31,
 '192.168.1.1/24', '192.168.1.255', 31,
 '192.168.1.1',    '192.168.1.255', 24,
]
| project ipv4_compare(ip1_string, ip2_string, prefix), ipv4_is_match(ip1_string, ip2_string, prefix)`,
			"0 | true\n0 | true\n0 | true"},
		{`print ipv4_compare('127.0.0.1', '127.0.0.2'), ipv4_compare('10.0.0.1', '9.255.255.255'), ipv4_is_match('127.0.0.1', '127.0.0.2')`,
			`-1 | 1 | false`},
		{`print ipv4_compare('127.0.0.1', 'x'), ipv4_is_match('127.0.0.1', '127.0.0.1', 40)`, ` | `},
	})
}

func TestIPv4Ranges(t *testing.T) {
	runDynCases(t, []dynCase{
		{`datatable(ip_address:string, ip_range:string)
[
 '192.168.1.1',    '192.168.1.1',
 '192.168.1.1',    '192.168.1.255/24',
 '192.168.2.1',    '192.168.1.255/24',
]
| project ipv4_is_in_range(ip_address, ip_range)`, "true\ntrue\nfalse"},
		{`print ipv4_is_in_range('x', '10.0.0.0/8')`, ``},
		{`print Result=ipv4_is_in_any_range('192.168.1.6', '192.168.1.1/24', '10.0.0.1/8', '127.1.0.1/16')`, `true`},
		{`print Result=ipv4_is_in_any_range("127.0.0.1", dynamic(["127.0.0.1", "192.168.1.1"]))`, `true`},
		{`let LocalNetworks=dynamic(["192.168.1.1/16", "127.0.0.1/8", "10.0.0.1/8"]);
datatable(IP:string) ["10.1.2.3", "192.168.1.5", "123.1.11.21", "1.1.1.1"]
| extend IsLocal=ipv4_is_in_any_range(IP, LocalNetworks)`,
			"10.1.2.3 | true\n192.168.1.5 | true\n123.1.11.21 | false\n1.1.1.1 | false"},
		{`print ipv4_is_in_any_range("10.0.0.1", dynamic([])), ipv4_is_in_any_range("x", "10.0.0.0/8")`, `false | `},
		{`print ipv4_is_in_any_range("10.0.0.1")`, `error: at least 2`},
	})
}

func TestIPv4IsPrivate(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print ipv4_is_private('192.168.1.1/24'), ipv4_is_private('10.1.2.3/24'), ipv4_is_private('202.1.2.3'), ipv4_is_private("127.0.0.1")`,
			`true | true | false | false`},
		{`print ipv4_is_private('172.16.0.1'), ipv4_is_private('172.32.0.1'), ipv4_is_private('10.1.2.3/4'), ipv4_is_private('nope')`,
			`true | false | false | `},
	})
}

func TestIPv4NetmaskSuffix(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print ipv4_netmask_suffix('192.168.1.1/24'), ipv4_netmask_suffix('192.168.1.1'), ipv4_netmask_suffix('10.0.0.0/0')`, `24 | 32 | 0`},
		{`print ipv4_netmask_suffix('192.168.1.1/33'), ipv4_netmask_suffix('')`, ` | `},
	})
}

func TestHasIPv4(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print has_ipv4('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.0.1')`, `true`},
		{`print has_ipv4('05:04:54 127.0.0.256 GET /favicon.ico 404', '127.0.0.256')`, `false`},
		{`print has_ipv4('05:04:54127.0.0.1 GET /favicon.ico 404', '127.0.0.1')`, `false`},
		{`print has_ipv4('from: 192.168.1.1, 10.1.1.115 and 10.1.1.201.', '10.1.1.201')`, `true`},
		{`print has_ipv4('ip=10.0.0.1;', '10.0.0.1'), has_ipv4('x10.0.0.1', '10.0.0.1'), has_ipv4('10.0.0.1', '10.0.0.')`,
			`true | false | false`},
		{`print has_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.')`, `true`},
		{`print has_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0')`, `false`},
		{`print has_ipv4_prefix('05:04:54 127.0.0.256 GET /favicon.ico 404', '127.0.')`, `false`},
		{`print has_ipv4_prefix('05:04:54127.0.0.1 GET /favicon.ico 404', '127.0.')`, `false`},
		{`print has_ipv4_prefix('127.0.0.1', '127.0.0.1'), has_ipv4_prefix('', '1.')`, `true | false`},
	})
}

func TestHasAnyIPv4(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print has_any_ipv4('05:04:54 127.0.0.1 GET /favicon.ico 404', dynamic(['127.0.0.1', '127.0.0.2']))`, `true`},
		{`print has_any_ipv4('05:04:54 127.0.0.256 GET /favicon.ico 404', dynamic(["127.0.0.256", "192.168.1.1"]))`, `false`},
		{`print has_any_ipv4('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.0.2', '127.0.0.1')`, `true`},
		{`print has_any_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.', '192.168.')`, `true`},
		{`print has_any_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', dynamic(["127.0.", "192.168."]))`, `true`},
		{`print has_any_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0')`, `false`},
		{`print has_any_ipv4('127.0.0.1', dynamic([]))`, `false`},
	})
}

func TestParseIPv6(t *testing.T) {
	runDynCases(t, []dynCase{
		{`datatable(ip_string: string, netmask: long)
[
    '192.168.255.255', 120,
    '192.168.255.255/24', 124,
    '255.255.255.255', 128,
    'fe80::85d:e82c:9446:7994', 128,
    'fe80::85d:e82c:9446:7994/120', 124,
    '::192.168.255.255', 128,
    '::192.168.255.255/24', 128,
]
| project parse_ipv6_mask(ip_string, netmask)`,
			"0000:0000:0000:0000:0000:ffff:c0a8:ff00\n" +
				"0000:0000:0000:0000:0000:ffff:c0a8:ff00\n" +
				"0000:0000:0000:0000:0000:ffff:ffff:ffff\n" +
				"fe80:0000:0000:0000:085d:e82c:9446:7994\n" +
				"fe80:0000:0000:0000:085d:e82c:9446:7900\n" +
				"0000:0000:0000:0000:0000:ffff:c0a8:ffff\n" +
				"0000:0000:0000:0000:0000:ffff:c0a8:ff00"},
		{`print parse_ipv6('fe80::85d:e82c:9446:7994'), parse_ipv6('fe80::85d:e82c:9446:7994/120'), parse_ipv6('::1')`,
			`fe80:0000:0000:0000:085d:e82c:9446:7994 | fe80:0000:0000:0000:085d:e82c:9446:7900 | 0000:0000:0000:0000:0000:0000:0000:0001`},
		{`print parse_ipv6('::ffff:c0a8:0101'), parse_ipv6('1.2.3.4/8')`,
			`0000:0000:0000:0000:0000:ffff:c0a8:0101 | 0000:0000:0000:0000:0000:ffff:0100:0000`},
		{`print parse_ipv6('nope'), parse_ipv6('fe80::1/129'), parse_ipv6('1.2.3.4/33'), parse_ipv6_mask('::1', 129)`, ` |  |  | `},
	})
}

func TestIPv6CompareAndMatch(t *testing.T) {
	const pairs = `datatable(ip1_string:string, ip2_string:string)
[
 '192.168.1.1',    '192.168.1.1',
 '192.168.1.1/24', '192.168.1.255',
 '192.168.1.1',    '192.168.1.255/24',
 '192.168.1.1/30', '192.168.1.255/24',
 'fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7994',
 'fe80::85d:e82c:9446:7994/120', 'fe80::85d:e82c:9446:7998',
 'fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7998/120',
 'fe80::85d:e82c:9446:7994/120', 'fe80::85d:e82c:9446:7998/120',
 '192.168.1.1',      '::ffff:c0a8:0101',
 '192.168.1.1/24',   '::ffff:c0a8:01ff',
 '::ffff:c0a8:0101', '192.168.1.255/24',
 '::192.168.1.1/30', '192.168.1.255/24',
]`
	all := "0 | true\n0 | true\n0 | true\n0 | true\n0 | true\n0 | true\n0 | true\n0 | true\n0 | true\n0 | true\n0 | true\n0 | true"
	runDynCases(t, []dynCase{
		{pairs + `| project ipv6_compare(ip1_string, ip2_string), ipv6_is_match(ip1_string, ip2_string)`, all},
		{`datatable(ip1_string:string, ip2_string:string, prefix:long)
[
 '192.168.1.1',    '192.168.1.0',   31,
 '192.168.1.1/24', '192.168.1.255', 31,
 '192.168.1.1',    '192.168.1.255', 24,
 'fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7995',     127,
 'fe80::85d:e82c:9446:7994/127', 'fe80::85d:e82c:9446:7998', 120,
 'fe80::85d:e82c:9446:7994/120', 'fe80::85d:e82c:9446:7998', 127,
 '192.168.1.1/24',   '::ffff:c0a8:01ff', 127,
 '::ffff:c0a8:0101', '192.168.1.255',    120,
 '::192.168.1.1/30', '192.168.1.255/24', 127,
]
| project ipv6_is_match(ip1_string, ip2_string, prefix)`, "true\ntrue\ntrue\ntrue\ntrue\ntrue\ntrue\ntrue\ntrue"},
		{`print ipv6_compare('::1', '::2'), ipv6_compare('fe80::1', '::1'), ipv6_is_match('::1', '::2'), ipv6_compare('::1', 'x')`,
			`-1 | 1 | false | `},
	})
}

func TestIPv6Ranges(t *testing.T) {
	runDynCases(t, []dynCase{
		{`datatable(ip_address:string, ip_range:string)
[
 'a5e:f127:8a9d:146d:e102:b5d3:c755:abcd',    'a5e:f127:8a9d:146d:e102:b5d3:c755:0000/112',
 'a5e:f127:8a9d:146d:e102:b5d3:c755:abcd',    'a5e:f127:8a9d:146d:e102:b5d3:c755:abcd',
 'a5e:f127:8a9d:146d:e102:b5d3:c755:abcd',    '0:0:0:0:0:ffff:c0a8:ac/60',
]
| project ipv6_is_in_range(ip_address, ip_range)`, "true\ntrue\nfalse"},
		{`let LocalNetworks=dynamic([
    "a5e:f127:8a9d:146d:e102:b5d3:c755:f6cd/112",
    "0:0:0:0:0:ffff:c0a8:ac/60"
]);
datatable(IP:string) [
    "a5e:f127:8a9d:146d:e102:b5d3:c755:abcd",
    "a5e:f127:8a9d:146d:e102:b5d3:c756:abd1",
]
| extend IsLocal=ipv6_is_in_any_range(IP, LocalNetworks)`,
			"a5e:f127:8a9d:146d:e102:b5d3:c755:abcd | true\na5e:f127:8a9d:146d:e102:b5d3:c756:abd1 | false"},
		{`print ipv6_is_in_any_range('::1', '::/127', 'fe80::/10'), ipv6_is_in_any_range('10.1.1.1', '10.0.0.0/8')`, `true | true`},
	})
}
