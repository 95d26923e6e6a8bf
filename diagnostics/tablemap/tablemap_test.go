package tablemap

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace/schema"
)

// tablesWithoutSchema are the tables of categories the schema catalog has
// no schema for yet. The list is enforced both ways: a table that gains a
// schema must leave it.
var tablesWithoutSchema = []string{
	"AADAgentRiskEvents", "AADFirstPartyToFirstPartySignInLogs", "AADGraphActivityLogs", "AADRiskyAgents",
	"NetworkAccessAlerts", "NetworkAccessConnectionEvents", "NetworkAccessGenerativeAIInsights",
}

func TestEveryCategoryHasATable(t *testing.T) {
	named := []string{
		activity.AuditLogs, activity.SignInLogs, activity.NonInteractiveUserSignInLogs,
		activity.ServicePrincipalSignInLogs, activity.ManagedIdentitySignInLogs, activity.ProvisioningLogs,
		activity.ADFSSignInLogs, activity.RiskyUsers, activity.UserRiskEvents, activity.NetworkAccessTrafficLogs,
		activity.RiskyServicePrincipals, activity.ServicePrincipalRiskEvents, activity.EnrichedOffice365AuditLogs,
		activity.MicrosoftGraphActivityLogs, activity.RemoteNetworkHealthLogs, activity.B2CRequestLogs,
		activity.CustomSecurityAttributeAuditLogs,
	}
	for _, c := range named {
		if _, ok := Table(c); !ok {
			t.Errorf("category %s has no table", c)
		}
	}
	for _, c := range Categories() {
		table, _ := Table(c)
		_, has := schema.Lookup(table)
		gap := slices.Contains(tablesWithoutSchema, table)
		switch {
		case !has && !gap:
			t.Errorf("category %s: table %s is not in the schema catalog", c, table)
		case has && gap:
			t.Errorf("category %s: table %s now has a schema; take it off tablesWithoutSchema", c, table)
		case has:
			sch, _ := schema.Lookup(table)
			if _, err := Compile(c, sch); err != nil {
				t.Errorf("category %s: %v", c, err)
			}
		}
	}
	if _, ok := Table("signinlogs"); ok {
		t.Error("categories must match exactly")
	}
	if _, err := Compile("NoSuchLogs", vec.Schema{{Name: "TimeGenerated", Type: types.Datetime}}); err == nil {
		t.Error("Compile accepted an unknown category")
	}
}

// signIn returns a sign-in record of user upn with result code.
func signIn(tenant, upn string, code int, at time.Time) activity.Record {
	props := fmt.Sprintf(`{"id":"%s-%d","userPrincipalName":"%s","status":{"errorCode":%d,"failureReason":"x"},`+
		`"location":{"city":"Oslo","countryOrRegion":"NO"},"isInteractive":true,"createdDateTime":"%s"}`,
		upn, at.UnixNano(), upn, code, at.Format(time.RFC3339Nano))
	return activity.Record{
		Time: at, ResourceID: activity.ResourceIDOf(tenant), OperationName: "Sign-in activity",
		Category: activity.SignInLogs, TenantID: tenant, ResultType: fmt.Sprint(code), Level: 4,
		Properties: json.RawMessage(props),
	}
}

func TestBuildAppendsToStoreAndQueries(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sch, _ := schema.Lookup("SigninLogs")
	tbl, err := st.CreateTable("SigninLogs", sch, store.TableOptions{TimeColumn: "TimeGenerated"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	recs := []activity.Record{
		signIn("t1", "ann@contoso.example", 0, now.Add(-time.Minute)),
		signIn("t1", "bob@contoso.example", 50126, now.Add(-30*time.Second)),
	}
	b, errs := Build(activity.SignInLogs, sch, "ws-1", recs, now)
	if len(errs) != 0 || b.N != 2 {
		t.Fatalf("Build: %d rows, errors %v", b.N, errs)
	}
	if err := tbl.Append(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	e := &engine.Engine{Catalog: st}
	res, err := e.Query(context.Background(),
		`SigninLogs | where ResultType == "50126" | project UserPrincipalName, tostring(Status.errorCode), tostring(LocationDetails.city), TenantId, Type`)
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if r.Rows.N != 1 {
		t.Fatalf("got %d rows, want 1", r.Rows.N)
	}
	var got []string
	for c := range r.Schema {
		got = append(got, r.Value(0, c).String())
	}
	want := []string{"bob@contoso.example", "50126", "Oslo", "ws-1", "SigninLogs"}
	if !slices.Equal(got, want) {
		t.Errorf("row = %q, want %q", got, want)
	}
}

// buildOne maps one record with properties props into schema sch.
func buildOne(t *testing.T, sch vec.Schema, props string) *vec.Batch {
	t.Helper()
	now := time.Date(2025, 6, 14, 8, 0, 0, 0, time.UTC)
	r := activity.Record{Time: now, Category: activity.SignInLogs, TenantID: "t1", Properties: json.RawMessage(props)}
	b, errs := Build(activity.SignInLogs, sch, "ws", []activity.Record{r}, now)
	if len(errs) != 0 || b.N != 1 {
		t.Fatalf("Build(%s): %d rows, %v", props, b.N, errs)
	}
	return b
}

func TestConversions(t *testing.T) {
	sch := vec.Schema{
		{Name: "Text", Type: types.String}, {Name: "Obj", Type: types.String}, {Name: "Dyn", Type: types.Dynamic},
		{Name: "DynText", Type: types.Dynamic}, {Name: "Flag", Type: types.Bool}, {Name: "Count", Type: types.Long},
		{Name: "Small", Type: types.Int}, {Name: "Ratio", Type: types.Real}, {Name: "When", Type: types.Datetime},
		{Name: "Bad", Type: types.Long}, {Name: "FlagText", Type: types.Bool},
	}
	b := buildOne(t, sch, `{"text":"a\"b", "obj": {"k": [1, 2.5, "x y"]}, "dyn":{"a":{"b":[true,null]}},
		"dynText":"[{\"Key\":\"k\"}]", "flag":true, "count":"12", "small":4294967296, "ratio":3,
		"when":"2024-01-02T03:04:05.1234567Z", "bad":"twelve", "flagText":"True", "unknown":{"x":1}}`)
	want := map[string]string{
		"Text": `a"b`, "Obj": `{"k":[1,2.5,"x y"]}`, "Dyn": `{"a":{"b":[true,null]}}`, "DynText": `[{"Key":"k"}]`,
		"Flag": "true", "Count": "12", "Small": "", "Ratio": "3", "When": "2024-01-02T03:04:05.1234567Z",
		"Bad": "", "FlagText": "true",
	}
	for i, f := range sch {
		c := b.Cols[i]
		got := ""
		if !c.IsNull(0) {
			got = formatCell(c, 0)
			if f.Type == types.String {
				got = c.Str(0)
			}
		}
		if got != want[f.Name] {
			t.Errorf("%s = %s, want %s", f.Name, got, want[f.Name])
		}
	}
}

func TestCustomColumnAndPrecedence(t *testing.T) {
	sch, _ := schema.Lookup("SigninLogs")
	sch = append(slices.Clone(sch), vec.Field{Name: "SessionId", Type: types.String})
	b := buildOne(t, sch, `{"sessionId":"s-1","category":"FromProps","tenantId":"props-tenant","TenantId":"x","type":"x","location":{"city":"Oslo"}}`)
	get := func(name string) string { return b.Cols[sch.Index(name)].Str(0) }
	checks := map[string]string{
		"SessionId":   "s-1",
		"Category":    "FromProps", // a member wins over the envelope
		"AADTenantId": "props-tenant",
		"TenantId":    "ws", // standard columns are the workspace's
		"Type":        "SigninLogs",
		"Location":    "", // signIn.location goes to LocationDetails
	}
	for col, want := range checks {
		if got := get(col); got != want {
			t.Errorf("%s = %q, want %q", col, got, want)
		}
	}
}

func TestTimeGeneratedBounds(t *testing.T) {
	recv := time.Date(2025, 6, 14, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		at   time.Time
		keep bool
		want time.Time
	}{
		{recv.Add(-time.Hour), false, recv.Add(-time.Hour)},
		{recv.Add(-49 * time.Hour), false, recv},
		{recv.Add(25 * time.Hour), false, recv},
		{time.Time{}, false, recv},
		// KeepTime records keep any past time, but not a future one.
		{recv.Add(-30 * 24 * time.Hour), true, recv.Add(-30 * 24 * time.Hour)},
		{recv.Add(25 * time.Hour), true, recv},
		{time.Time{}, true, recv},
	} {
		if got := timeGenerated(tc.at, recv, tc.keep); got != types.TicksFromTime(tc.want) {
			t.Errorf("timeGenerated(%v, keep %v) = %s, want %v", tc.at, tc.keep, types.FormatDatetimeFull(got), tc.want)
		}
	}
}

// TestKeepTimeThroughBuild: an old record's TimeGenerated is the receive
// time unless the record carries KeepTime, through the whole mapping.
func TestKeepTimeThroughBuild(t *testing.T) {
	recv := time.Date(2025, 6, 14, 8, 0, 0, 0, time.UTC)
	old := recv.Add(-7 * 24 * time.Hour)
	sch := vec.Schema{{Name: "TimeGenerated", Type: types.Datetime}, {Name: "OperationName", Type: types.String}}
	recs := []activity.Record{
		{Time: old, Category: activity.SignInLogs, OperationName: "Sign-in activity", Properties: []byte(`{"id":"a"}`)},
		{Time: old, Category: activity.SignInLogs, OperationName: "Sign-in activity", Properties: []byte(`{"id":"b"}`), KeepTime: true},
	}
	b, errs := Build(activity.SignInLogs, sch, "ws", recs, recv)
	if len(errs) != 0 || b.N != 2 {
		t.Fatalf("Build: %d rows, %v", b.N, errs)
	}
	if got, want := b.Cols[0].Ints, []int64{types.TicksFromTime(recv), types.TicksFromTime(old)}; got[0] != want[0] || got[1] != want[1] {
		t.Errorf("TimeGenerated = %v, want %v (receive time, then the record's own)", got, want)
	}
}

func TestBadRecordsKeepTheOthers(t *testing.T) {
	sch, _ := schema.Lookup("SigninLogs")
	now := time.Now().UTC()
	good := signIn("t1", "ann@contoso.example", 0, now)
	recs := []activity.Record{
		good,
		{Time: now, Category: activity.SignInLogs, Properties: json.RawMessage(`{"id":"broken","status":{"errorCode":1`)},
		{Time: now, Category: activity.AuditLogs, Properties: json.RawMessage(`{"id":"audit-1"}`)},
		good,
	}
	b, errs := Build(activity.SignInLogs, sch, "ws", recs, now)
	if b.N != 2 || len(errs) != 2 {
		t.Fatalf("%d rows, errors %v; want 2 rows and 2 errors", b.N, errs)
	}
	var re *RecordError
	if !errors.As(errs[0], &re) || re.Index != 1 || !strings.Contains(errs[0].Error(), "end of JSON") {
		t.Errorf("first error = %v", errs[0])
	}
	if !errors.As(errs[1], &re) || re.Index != 2 || re.ID != "audit-1" {
		t.Errorf("second error = %v", errs[1])
	}
	// The failed record's partial row must not leak into the next row.
	upn := b.Cols[sch.Index("UserPrincipalName")]
	status := b.Cols[sch.Index("Status")]
	for row := 0; row < b.N; row++ {
		if upn.Str(row) != "ann@contoso.example" || types.FormatJSON(status.Any(row)) != `{"errorCode":0,"failureReason":"x"}` {
			t.Errorf("row %d: %q %s", row, upn.Str(row), types.FormatJSON(status.Any(row)))
		}
	}
}

func TestMalformedProperties(t *testing.T) {
	sch, _ := schema.Lookup("SigninLogs")
	for _, props := range []string{
		`{"a":}`, `{"a":1,}`, `{"a" 1}`, `{"a":tru}`, `{"a":[1 2]}`, `{"a":"x}`, `{"a":1}x`, `"x"`, `{"a":1e}`,
	} {
		r := activity.Record{Category: activity.SignInLogs, Properties: json.RawMessage(props)}
		if b, errs := Build(activity.SignInLogs, sch, "ws", []activity.Record{r}, time.Now()); len(errs) != 1 || b.N != 0 {
			t.Errorf("%s: %d rows, errors %v; want an error", props, b.N, errs)
		}
	}
	for _, props := range []string{``, `null`, ` {} `, `{"\u0069d":"x"}`} {
		r := activity.Record{Category: activity.SignInLogs, Properties: json.RawMessage(props)}
		if b, errs := Build(activity.SignInLogs, sch, "ws", []activity.Record{r}, time.Now()); len(errs) != 0 || b.N != 1 {
			t.Errorf("%q: %d rows, errors %v; want a row", props, b.N, errs)
		}
	}
}

func FuzzBuild(f *testing.F) {
	f.Add(`{"status":{"errorCode":0},"location":{"city":"Oslo"},"id":"x","processingTimeInMilliseconds":3}`)
	f.Add(`{"a":[1,{"b":"\u00e9"}],"createdDateTime":"2024-01-01T00:00:00Z","isInteractive":"true"}`)
	sch, _ := schema.Lookup("SigninLogs")
	f.Fuzz(func(t *testing.T, props string) {
		r := activity.Record{Category: activity.SignInLogs, Properties: json.RawMessage(props)}
		b, errs := Build(activity.SignInLogs, sch, "ws", []activity.Record{r}, time.Now())
		if b.N+len(errs) != 1 {
			t.Fatalf("%d rows and %d errors for one record", b.N, len(errs))
		}
		if len(errs) == 0 && !json.Valid([]byte(props)) && strings.TrimSpace(props) != "" {
			t.Fatalf("accepted invalid JSON %q", props)
		}
	})
}

func TestConcurrentBuild(t *testing.T) {
	sch, _ := schema.Lookup("SigninLogs")
	now := time.Now().UTC()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			upn := fmt.Sprintf("user%d@contoso.example", g)
			recs := []activity.Record{signIn("t1", upn, 0, now), signIn("t1", upn, 50126, now)}
			for range 50 {
				b, errs := Build(activity.SignInLogs, sch, "ws", recs, now)
				if len(errs) != 0 || b.N != 2 || b.Cols[sch.Index("UserPrincipalName")].Str(1) != upn {
					t.Errorf("goroutine %d: %d rows, %v", g, b.N, errs)
					return
				}
			}
		}()
	}
	wg.Wait()
}
