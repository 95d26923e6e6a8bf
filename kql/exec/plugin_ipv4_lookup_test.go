package exec_test

import "testing"

func TestIPv4Lookup(t *testing.T) {
	lookup := `let IP_Data = datatable(network:string, continent_code:string, country_name:string)
[
  "111.68.128.0/17", "AS", "Japan",
  "5.8.0.0/19", "EU", "Russia",
  "2.20.183.0/24", "EU", "United Kingdom",
  "2.20.0.0/16", "EU", "Wider",
  "46.36.200.51", "OC", "Cook Islands",
  "not an address", "XX", "Nowhere",
];
let IPs = datatable(ip:string)
[
  '2.20.183.12',
  '5.8.1.2',
  '192.165.12.17',
  '46.36.200.51',
  '',
];
`
	runPluginCases(t, nil, []pluginCase{
		{"matching rows", lookup + "IPs | evaluate ipv4_lookup(IP_Data, ip, network)", `
ip:string | network:string | continent_code:string | country_name:string
2.20.183.12 | 2.20.183.0/24 | EU | United Kingdom
2.20.183.12 | 2.20.0.0/16 | EU | Wider
5.8.1.2 | 5.8.0.0/19 | EU | Russia
46.36.200.51 | 46.36.200.51 | OC | Cook Islands`},
		{"unmatched rows by name", lookup + "IPs | evaluate ipv4_lookup(IP_Data, ip, network, return_unmatched = true) | count", `
Count:long
6`},
		{"unmatched rows kept", lookup + "IPs | evaluate ipv4_lookup(IP_Data, ip, network, true) | project ip, country_name", `
ip:string | country_name:string
2.20.183.12 | United Kingdom
2.20.183.12 | Wider
5.8.1.2 | Russia
192.165.12.17 | 
46.36.200.51 | Cook Islands
 | `},
		{"extra keys", `let L = datatable(net:string, tenant:long, name:string)["10.0.0.0/8", 1, "a", "10.0.0.0/8", 2, "b"];
datatable(ip:string, tenant:long)["10.1.2.3", 2, "10.9.9.9", 3]
| evaluate ipv4_lookup(L, ip, net, tenant)`, `
ip:string | tenant:long | net:string | name:string
10.1.2.3 | 2 | 10.0.0.0/8 | b`},
		{"source prefixes", `let L = datatable(net:string)["10.0.0.0/8"];
datatable(ip:string)["10.1.0.0/16", "11.0.0.0/8", "0.0.0.0/0"]
| evaluate ipv4_lookup(L, ip, net)`, `
ip:string | net:string
10.1.0.0/16 | 10.0.0.0/8`},
		{"bad extra key", `let L = datatable(net:string)["10.0.0.0/8"]; datatable(ip:string, k:long)["1.2.3.4", 1] | evaluate ipv4_lookup(L, ip, net, k)`,
			"error: the extra key 'k' must be a column of both tables"},
		{"unknown lookup key", `let L = datatable(net:string)["10.0.0.0/8"]; datatable(ip:string)["1.2.3.4"] | evaluate ipv4_lookup(L, ip, nope)`,
			"error: unknown column 'nope'"},
	})
}
