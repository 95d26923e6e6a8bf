package rowcodec

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// signInBatch returns n rows shaped like SigninLogs: 77 columns (64 string,
// 6 dynamic, 3 bool, 2 datetime, 1 real, 1 long), plain (not dictionary)
// strings as ingestion builds them, many of them empty, and property bags
// and policy arrays like those Entra sends.
func signInBatch(n int) (vec.Schema, *vec.Batch) {
	rng := rand.New(rand.NewPCG(7, 9))
	guid := func() string {
		return fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", rng.Uint32(), rng.IntN(1<<16), rng.IntN(1<<12), rng.IntN(1<<12), rng.Uint64()&(1<<48-1))
	}
	var schema vec.Schema
	var cols []*vec.Column
	add := func(name string, t types.Type, c *vec.Column) {
		c.Type, c.N = t, n
		schema = append(schema, vec.Field{Name: name, Type: t})
		cols = append(cols, c)
	}
	t0 := int64(638_650_000_000_000_000)
	times := make([]int64, n)
	for i := range times {
		times[i] = t0 + int64(i)*3_217_000 + rng.Int64N(10_000_000)
	}
	add("TimeGenerated", types.Datetime, &vec.Column{Ints: times})
	add("CreatedDateTime", types.Datetime, &vec.Column{Ints: times})
	for _, name := range []string{"IsInteractive", "IsRisky", "IsTenantRestricted"} {
		b := make([]int64, n)
		for i := range b {
			b[i] = int64(rng.IntN(2))
		}
		add(name, types.Bool, &vec.Column{Ints: b})
	}
	billed, result := make([]float64, n), make([]int64, n)
	for i := range billed {
		billed[i] = 2000 + rng.Float64()*3000
		if rng.IntN(10) == 0 {
			result[i] = 50126
		}
	}
	add("_BilledSize", types.Real, &vec.Column{Floats: billed})
	add("ResultType", types.Long, &vec.Column{Ints: result})

	users := make([]string, 500)
	for i := range users {
		users[i] = fmt.Sprintf("user%04d@contoso.onmicrosoft.com", i)
	}
	apps := []string{"Microsoft Teams", "Office 365 Exchange Online", "Azure Portal", "Microsoft Authentication Broker", "OfficeHome"}
	authDetails := `[{"authenticationStepDateTime":"2026-11-27T04:00:00Z","authenticationMethod":"Password","authenticationMethodDetail":"Password Hash Sync","succeeded":true,"authenticationStepResultDetail":"Correct password","authenticationStepRequirement":"Primary authentication"}]`
	for c := 0; c < 64; c++ {
		s := make([]string, n)
		for i := range s {
			switch {
			case c < 12: // ids
				s[i] = guid()
			case c < 16:
				s[i] = users[rng.IntN(len(users))]
			case c < 22:
				s[i] = apps[rng.IntN(len(apps))]
			case c == 22:
				s[i] = authDetails
			case c < 30:
				s[i] = fmt.Sprintf("10.%d.%d.%d", rng.IntN(256), rng.IntN(256), rng.IntN(256))
			case c < 40:
				s[i] = []string{"success", "notApplied", "singleFactorAuthentication", "Browser"}[rng.IntN(4)]
			}
		}
		add(fmt.Sprintf("Str%02d", c), types.String, &vec.Column{Strs: s})
	}
	dyn := make([][]any, 6)
	for j := range dyn {
		dyn[j] = make([]any, n)
	}
	for i := 0; i < n; i++ {
		dyn[0][i] = []any{}
		pols := make([]any, 4)
		for p := range pols {
			pols[p] = bag("id", guid(), "displayName", fmt.Sprintf("CA%03d: Require MFA for admins", p),
				"enforcedGrantControls", []any{"Mfa"}, "enforcedSessionControls", []any{},
				"result", "notApplied", "conditionsSatisfied", int64(rng.IntN(4)), "conditionsNotSatisfied", int64(0))
		}
		dyn[1][i] = pols
		dyn[2][i] = bag("deviceId", "", "displayName", "", "operatingSystem", "Windows10", "browser", "Edge 130.0.0",
			"isCompliant", rng.IntN(2) == 0, "isManaged", false, "trustType", "")
		dyn[3][i] = bag("city", "Redmond", "state", "Washington", "countryOrRegion", "US",
			"geoCoordinates", bag("latitude", 47.6+rng.Float64(), "longitude", -122.1-rng.Float64()))
		dyn[4][i] = bag("authMethod", "PhoneAppNotification", "authDetail", "")
		dyn[5][i] = bag("errorCode", int64(0), "additionalDetails", "MFA requirement satisfied by claim in the token")
	}
	for j, name := range []string{"AppliedEventListeners", "ConditionalAccessPolicies", "DeviceDetail", "LocationDetails", "MfaDetail", "Status"} {
		add(name, types.Dynamic, &vec.Column{Anys: dyn[j]})
	}
	return schema, &vec.Batch{N: n, Cols: cols}
}

// BenchmarkEncode encodes batches of 1000 sign-in rows.
func BenchmarkEncode(b *testing.B) {
	schema, batch := signInBatch(1000)
	buf := Encode(nil, "SigninLogs", schema, batch)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = Encode(buf[:0], "SigninLogs", schema, batch)
	}
	b.ReportMetric(float64(batch.N)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(len(buf))/float64(batch.N), "B/row")
}

// BenchmarkDecode decodes batches of 1000 sign-in rows.
func BenchmarkDecode(b *testing.B) {
	schema, batch := signInBatch(1000)
	buf := Encode(nil, "SigninLogs", schema, batch)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, err := Decode(buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(batch.N)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
