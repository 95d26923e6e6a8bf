package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/kql/types"
)

func TestConvert(t *testing.T) {
	cases := []struct {
		json string
		typ  types.Type
		want string // Value.String(), or "error: ..." for a refusal
	}{
		{`"abc"`, types.String, "abc"},
		{`12`, types.String, "12"},
		{`{"a":1}`, types.String, `{"a":1}`},
		{`true`, types.String, "true"},
		{`12`, types.Long, "12"},
		{`"12"`, types.Long, "12"},
		{`12.0`, types.Long, "12"},
		{`12.5`, types.Long, "error: 12.5 is not a long"},
		{`"abc"`, types.Long, `error: "abc" is not a long`},
		{`3000000000`, types.Int, "error: 3000000000 is not a int"},
		{`-7`, types.Int, "-7"},
		{`1.5`, types.Real, "1.5"},
		{`2`, types.Real, "2"},
		{`"2.25"`, types.Real, "2.25"},
		{`"x"`, types.Real, `error: "x" is not a real`},
		{`true`, types.Bool, "true"},
		{`"False"`, types.Bool, "false"},
		{`1`, types.Bool, "true"},
		{`"yes"`, types.Bool, `error: "yes" is not a boolean`},
		{`"2023-11-14 15:10:02"`, types.Datetime, "2023-11-14T15:10:02Z"},
		{`"2023-11-14T15:10:02.1234567+01:00"`, types.Datetime, "2023-11-14T14:10:02.1234567Z"},
		{`1700000000`, types.Datetime, "2023-11-14T22:13:20Z"},
		{`"soon"`, types.Datetime, `error: "soon" is not a datetime`},
		{`{"a":[1,2]}`, types.Dynamic, `{"a":[1,2]}`},
		{`null`, types.Long, "<null>"},
	}
	for _, c := range cases {
		v, err := types.ParseJSON(c.json)
		if err != nil {
			t.Fatal(err)
		}
		got, cerr := convert(v, c.typ)
		s := got.String()
		if got.IsNull() {
			s = "<null>"
		}
		if cerr != nil {
			s = "error: " + cerr.Error()
		}
		if s != c.want {
			t.Errorf("convert(%s, %s) = %q, want %q", c.json, c.typ, s, c.want)
		}
	}
}

func TestConvertTruncatesLongStrings(t *testing.T) {
	v, _ := convert(strings.Repeat("é", maxFieldBytes), types.String)
	if len(v.S) > maxFieldBytes || len(v.S) < maxFieldBytes-1 || !strings.HasSuffix(v.S, "é") {
		t.Fatalf("truncated to %d bytes", len(v.S))
	}
}

func mustPut(t *testing.T, f *fixture, name string, r Rule) *Rule {
	t.Helper()
	out, _, err := f.svc.PutRule("sub1", "rg1", name, r)
	if err != nil {
		t.Fatalf("PutRule: %v", err)
	}
	return out
}

func apiErr(t *testing.T, err error) *apierror.Error {
	t.Helper()
	var e *apierror.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *apierror.Error", err)
	}
	return e
}

func TestPutRuleShape(t *testing.T) {
	f := newFixture(t)
	f.createTable(t, "MyTable_CL", "TimeGenerated:datetime", "Computer:string")
	r, created, err := f.svc.PutRule("sub1", "rg1", "dcr1", f.rule("Custom-MyTable", cols("TimeGenerated:datetime", "Computer:string"), "source", "Custom-MyTable_CL"))
	if err != nil || !created {
		t.Fatalf("created=%v err=%v", created, err)
	}
	if !regexp.MustCompile(`^dcr-[0-9a-f]{32}$`).MatchString(r.Properties.ImmutableID) {
		t.Errorf("immutable id %q", r.Properties.ImmutableID)
	}
	if r.ID != "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Insights/dataCollectionRules/dcr1" || r.Type != RuleType {
		t.Errorf("id %q type %q", r.ID, r.Type)
	}
	if r.Properties.ProvisioningState != "Succeeded" || r.Properties.Destinations.LogAnalytics[0].WorkspaceID != f.ws.CustomerID {
		t.Errorf("properties %+v", r.Properties)
	}
	again, created, err := f.svc.PutRule("sub1", "RG1", "DCR1", f.rule("Custom-MyTable", cols("TimeGenerated:datetime", "Computer:string"), "", "Custom-MyTable_CL"))
	if err != nil || created || again.Properties.ImmutableID != r.Properties.ImmutableID {
		t.Fatalf("update: created=%v err=%v id %s", created, err, again.Properties.ImmutableID)
	}
	// The rule survives a restart.
	svc, err := Open(f.db, f.reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := svc.RuleByImmutableID(strings.ToUpper(r.Properties.ImmutableID)); !ok || got.Name != "dcr1" {
		t.Fatalf("after reopen: %v %v", got, ok)
	}
	if n := len(svc.Rules("SUB1", "")); n != 1 {
		t.Fatalf("%d rules listed", n)
	}
	if err := svc.DeleteRule(r.ID); err != nil {
		t.Fatal(err)
	}
	if err := svc.DeleteRule(r.ID); err != ErrNotFound {
		t.Fatalf("second delete: %v", err)
	}
}

func TestPutRuleInvalid(t *testing.T) {
	f := newFixture(t)
	f.createTable(t, "MyTable_CL", "TimeGenerated:datetime", "Computer:string", "N:long")
	base := cols("TimeGenerated:datetime", "Computer:string", "N:long")
	cases := []struct {
		name   string
		edit   func(r *Rule)
		code   string
		target string
		msg    string
	}{
		{"unknown destination", func(r *Rule) { r.Properties.DataFlows[0].Destinations = []string{"nope"} },
			codeInvalidDataFlow, "properties.dataFlows[0].destinations", "Destination 'nope' is not defined"},
		{"missing table", func(r *Rule) { r.Properties.DataFlows[0].OutputStream = "Custom-Other_CL" },
			codeInvalidOutputTable, "properties.dataFlows[0]", "Table for output stream 'Custom-Other_CL' is not available for destination 'la'"},
		{"custom without _CL", func(r *Rule) { r.Properties.DataFlows[0].OutputStream = "Custom-MyTable" },
			codeInvalidOutputTable, "properties.dataFlows[0].outputStream", "must be 'Custom-<Table>_CL'"},
		{"Entra table", func(r *Rule) { r.Properties.DataFlows[0].OutputStream = "Microsoft-SigninLogs" },
			codeInvalidOutputTable, "properties.dataFlows[0]", "Microsoft-SigninLogs"},
		{"stream prefix", func(r *Rule) {
			r.Properties.StreamDeclarations = map[string]StreamDeclaration{"MyTable": {Columns: base}}
		}, codeInvalidStream, "properties.streamDeclarations.MyTable", "must start with 'Custom-'"},
		{"column type", func(r *Rule) {
			r.Properties.StreamDeclarations["Custom-S"] = StreamDeclaration{Columns: cols("TimeGenerated:datetime", "G:uuid")}
		}, codeInvalidStream, "properties.streamDeclarations.Custom-S.columns[1]", "has type 'uuid'"},
		{"transform too long", func(r *Rule) {
			r.Properties.DataFlows[0].TransformKql = "source" + strings.Repeat(" ", MaxTransformLength)
		},
			codeInvalidTransform, "properties.dataFlows[0].transformKql", "at most 15360"},
		{"transform unknown column", func(r *Rule) { r.Properties.DataFlows[0].TransformKql = "source | extend N = Missing * 2" },
			codeInvalidTransform, "properties.dataFlows[0].transformKql", "does not compile"},
		{"transform output column", func(r *Rule) { r.Properties.DataFlows[0].TransformKql = "source | extend Extra = 1" },
			codeInvalidTransformOut, "properties.dataFlows[0].transformKql", "Output column 'Extra' is not a column"},
		{"transform output type", func(r *Rule) { r.Properties.DataFlows[0].TransformKql = "source | extend N = now()" },
			codeInvalidTransformOut, "properties.dataFlows[0].transformKql", "Output column 'N' is datetime; the table's column is long"},
		{"summarize", func(r *Rule) {
			r.Properties.DataFlows[0].TransformKql = "source | summarize N = count() by Computer, TimeGenerated"
		},
			codeInvalidTransform, "properties.dataFlows[0].transformKql", "operator 'summarize' is not supported"},
		{"union", func(r *Rule) { r.Properties.DataFlows[0].TransformKql = "union source, source" },
			codeInvalidTransform, "properties.dataFlows[0].transformKql", "operator 'union' is not supported"},
		{"no TimeGenerated", func(r *Rule) { r.Properties.DataFlows[0].TransformKql = "source | project Computer" },
			codeInvalidTransformOut, "properties.dataFlows[0].transformKql", "must contain TimeGenerated"},
		{"missing workspace", func(r *Rule) { r.Properties.Destinations.LogAnalytics[0].WorkspaceResourceID += "x" },
			codeInvalidDestination, "properties.destinations.logAnalytics[0]", "does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := f.rule("Custom-S", base, "source", "Custom-MyTable_CL")
			c.edit(&r)
			_, _, err := f.svc.PutRule("sub1", "rg1", "bad", r)
			if err == nil {
				t.Fatal("accepted")
			}
			e := apiErr(t, err)
			if e.Status != http.StatusBadRequest || e.Code != codeInvalidPayload || len(e.Details) == 0 {
				t.Fatalf("got %d %s %v", e.Status, e.Code, e.Details)
			}
			d := e.Details[0]
			if d.Code != c.code || d.Target != c.target || !strings.Contains(d.Message, c.msg) {
				t.Fatalf("detail %s %s %q", d.Code, d.Target, d.Message)
			}
		})
	}
	if len(f.svc.Rules("sub1", "rg1")) != 0 {
		t.Fatal("an invalid rule was stored")
	}
}

func TestPutRuleBuiltinTable(t *testing.T) {
	f := newFixture(t)
	r := f.rule("Custom-Sys", cols("TimeGenerated:datetime", "Computer:string", "SyslogMessage:string"), "source", "Microsoft-Syslog")
	rule := mustPut(t, f, "sys", r)
	body := `[{"TimeGenerated":"2026-11-27T07:00:00Z","Computer":"h1","SyslogMessage":"sshd started"}]`
	if err := f.svc.Ingest(context.Background(), rule.Properties.ImmutableID, "Custom-Sys", []byte(body)); err != nil {
		t.Fatal(err)
	}
	if got := f.query(t, "Syslog | project Computer, SyslogMessage, TenantId, Type"); len(got) != 1 || got[0] != "h1 | sshd started | "+f.ws.CustomerID+" | Syslog" {
		t.Fatalf("got %v", got)
	}
}

func TestIngestTransform(t *testing.T) {
	f := newFixture(t)
	f.createTable(t, "T_CL", "TimeGenerated:datetime", "Computer:string", "X:long", "_TimeReceived:datetime")
	r := mustPut(t, f, "d", f.rule("Custom-S", cols("TimeGenerated:datetime", "Computer:string", "Y:long"),
		"source | extend X = Y * 2 | project-away Y", "Custom-T_CL"))
	body := `[{"TimeGenerated":"2026-11-27T07:00:00Z","Computer":"c1","Y":4},{"TimeGenerated":"2026-11-27 07:30:00","Computer":"c2","Y":"21","Ignored":true}]`
	if err := f.svc.Ingest(context.Background(), r.Properties.ImmutableID, "Custom-S", []byte(body)); err != nil {
		t.Fatal(err)
	}
	got := f.query(t, "T_CL | order by Computer asc")
	want := []string{
		"2026-11-27T07:00:00Z | c1 | 8 | 2026-11-27T08:00:00Z",
		"2026-11-27T07:30:00Z | c2 | 42 | 2026-11-27T08:00:00Z",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestIngestTimeGenerated(t *testing.T) {
	f := newFixture(t)
	f.createTable(t, "T_CL", "TimeGenerated:datetime", "Name:string")
	r := mustPut(t, f, "d", f.rule("Custom-S", cols("TimeGenerated:datetime", "Name:string"), "source", "Custom-T_CL"))
	rec := func(name string, tg time.Time) string {
		return fmt.Sprintf(`{"Name":%q,"TimeGenerated":%q}`, name, tg.Format(time.RFC3339Nano))
	}
	body := "[" + strings.Join([]string{
		`{"Name":"a missing"}`,
		rec("b 47h old", testNow.Add(-47*time.Hour)),
		rec("c 49h old", testNow.Add(-49*time.Hour)),
		rec("d 23h ahead", testNow.Add(23*time.Hour)),
		rec("e 25h ahead", testNow.Add(25*time.Hour)),
	}, ",") + "]"
	if err := f.svc.Ingest(context.Background(), r.Properties.ImmutableID, "Custom-S", []byte(body)); err != nil {
		t.Fatal(err)
	}
	got := f.query(t, "T_CL | order by Name asc | project Name, TimeGenerated")
	want := []string{
		"a missing | 2026-11-27T08:00:00Z",
		"b 47h old | 2026-11-25T09:00:00Z",
		"c 49h old | 2026-11-27T08:00:00Z",
		"d 23h ahead | 2026-11-28T07:00:00Z",
		"e 25h ahead | 2026-11-27T08:00:00Z",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A bad record anywhere stores nothing in any of the rule's tables.
func TestIngestAllOrNothing(t *testing.T) {
	f := newFixture(t)
	f.createTable(t, "A_CL", "TimeGenerated:datetime", "Count:long")
	f.createTable(t, "B_CL", "TimeGenerated:datetime", "Count:long", "Double:long")
	r := f.rule("Custom-S", cols("TimeGenerated:datetime", "Count:long"), "source", "Custom-A_CL")
	r.Properties.DataFlows = append(r.Properties.DataFlows, DataFlow{Streams: []string{"Custom-S"}, Destinations: []string{"la"},
		TransformKql: "source | extend Double = Count * 2", OutputStream: "Custom-B_CL"})
	rule := mustPut(t, f, "d", r)
	var recs []string
	for i := 0; i < 1000; i++ {
		v := fmt.Sprint(i)
		if i == 500 {
			v = `"abc"`
		}
		recs = append(recs, `{"Count":`+v+`}`)
	}
	body := []byte("[" + strings.Join(recs, ",") + "]")
	err := f.svc.Ingest(context.Background(), rule.Properties.ImmutableID, "Custom-S", body)
	if err == nil {
		t.Fatal("accepted")
	}
	e := apiErr(t, err)
	if e.Status != http.StatusBadRequest || e.Message != `record 500, field "Count": "abc" is not a long` {
		t.Fatalf("got %d %q", e.Status, e.Message)
	}
	for _, table := range []string{"A_CL", "B_CL"} {
		if got := f.query(t, table+" | count"); got[0] != "0" {
			t.Fatalf("%s has %s rows", table, got[0])
		}
	}
	// The same body without the bad record fills both tables.
	body = []byte(strings.Replace(string(body), `"abc"`, "500", 1))
	if err := f.svc.Ingest(context.Background(), rule.Properties.ImmutableID, "Custom-S", body); err != nil {
		t.Fatal(err)
	}
	if got := f.query(t, "B_CL | summarize count(), sum(Double)"); got[0] != "1000 | 999000" {
		t.Fatalf("B_CL: %v", got)
	}
	if got := f.query(t, "A_CL | count"); got[0] != "1000" {
		t.Fatalf("A_CL: %v", got)
	}
}

func TestIngestErrors(t *testing.T) {
	f := newFixture(t)
	f.createTable(t, "T_CL", "TimeGenerated:datetime", "Name:string")
	r := mustPut(t, f, "d", f.rule("Custom-S", cols("TimeGenerated:datetime", "Name:string"), "source", "Custom-T_CL"))
	id := r.Properties.ImmutableID
	cases := []struct {
		id, stream, body string
		status           int
		code             string
	}{
		{"dcr-00000000000000000000000000000000", "Custom-S", `[]`, 404, codeRuleNotFound},
		{id, "Custom-Other", `[]`, 400, codeStreamNotFound},
		{id, "Custom-S", `{"a":`, 400, codeBadContent},
		{id, "Custom-S", `[1]`, 400, codeBadContent},
		{id, "Custom-S", `"x"`, 400, codeBadContent},
		{id, "Custom-S", `[{"Name":"` + strings.Repeat("x", MaxIngestBytes) + `"}]`, 413, CodeTooLarge},
	}
	for _, c := range cases {
		err := f.svc.Ingest(context.Background(), c.id, c.stream, []byte(c.body))
		if err == nil {
			t.Errorf("%s %s: accepted", c.stream, c.body[:min(len(c.body), 20)])
			continue
		}
		e := apiErr(t, err)
		if e.Status != c.status || e.Code != c.code {
			t.Errorf("%s %.20s: got %d %s (%s)", c.stream, c.body, e.Status, e.Code, e.Message)
		}
	}
	// Stream names match case-insensitively; a lone object is one record.
	if err := f.svc.Ingest(context.Background(), id, "custom-s", []byte(`{"Name":"one"}`)); err != nil {
		t.Fatal(err)
	}
	if got := f.query(t, "T_CL | project Name"); len(got) != 1 || got[0] != "one" {
		t.Fatalf("got %v", got)
	}
}

// A transformation may drop every row; nothing is appended then.
func TestIngestTransformDropsAll(t *testing.T) {
	f := newFixture(t)
	f.createTable(t, "T_CL", "TimeGenerated:datetime", "N:long")
	r := mustPut(t, f, "d", f.rule("Custom-S", cols("TimeGenerated:datetime", "N:long"), "source | where N > 100", "Custom-T_CL"))
	if err := f.svc.Ingest(context.Background(), r.Properties.ImmutableID, "Custom-S", []byte(`[{"N":1},{"N":2}]`)); err != nil {
		t.Fatal(err)
	}
	if got := f.query(t, "T_CL | count"); got[0] != "0" {
		t.Fatalf("%s rows", got[0])
	}
	if err := f.svc.Ingest(context.Background(), r.Properties.ImmutableID, "Custom-S", []byte(`[{"N":1},{"N":200}]`)); err != nil {
		t.Fatal(err)
	}
	if got := f.query(t, "T_CL | project N"); len(got) != 1 || got[0] != "200" {
		t.Fatalf("got %v", got)
	}
}

// TenantId and Type are idlogs' own, whatever a record says; a rule whose
// workspace was deleted refuses data.
func TestIngestStandardColumnsAndDeletedWorkspace(t *testing.T) {
	f := newFixture(t)
	f.createTable(t, "T_CL", "TimeGenerated:datetime", "TenantId:string", "Type:string", "Name:string")
	r := mustPut(t, f, "d", f.rule("Custom-S", cols("TimeGenerated:datetime", "Name:string"), "source | extend TenantId = 'spoofed', Type = 'x'", "Custom-T_CL"))
	if err := f.svc.Ingest(context.Background(), r.Properties.ImmutableID, "Custom-S", []byte(`[{"Name":"a"}]`)); err != nil {
		t.Fatal(err)
	}
	if got := f.query(t, "T_CL | project TenantId, Type, Name"); len(got) != 1 || got[0] != f.ws.CustomerID+" | T_CL | a" {
		t.Fatalf("got %v", got)
	}
	if err := f.reg.Delete(f.ws.ResourceID()); err != nil {
		t.Fatal(err)
	}
	err := f.svc.Ingest(context.Background(), r.Properties.ImmutableID, "Custom-S", []byte(`[{"Name":"b"}]`))
	if e := apiErr(t, err); e.Status != http.StatusBadRequest || !strings.Contains(e.Message, "no longer exists") {
		t.Fatalf("got %d %s", e.Status, e.Message)
	}
}

// The transformation subset Azure documents passes validation.
func TestPutRuleTransformSubset(t *testing.T) {
	f := newFixture(t)
	f.createTable(t, "T_CL", "TimeGenerated:datetime", "Computer:string", "N:long", "Port:long")
	kql := `let twice = (x:long) { x * 2 };
source
| where N > 0
| parse Raw with * "port=" Port:long
| extend N = twice(N)
| project-rename Computer = Host
| project-away Raw`
	r := mustPut(t, f, "d", f.rule("Custom-S", cols("TimeGenerated:datetime", "Host:string", "N:long", "Raw:string"), kql, "Custom-T_CL"))
	body := `[{"Host":"h","N":2,"Raw":"a port=443"},{"Host":"g","N":0,"Raw":""}]`
	if err := f.svc.Ingest(context.Background(), r.Properties.ImmutableID, "Custom-S", []byte(body)); err != nil {
		t.Fatal(err)
	}
	if got := f.query(t, "T_CL | project Computer, N, Port"); len(got) != 1 || got[0] != "h | 4 | 443" {
		t.Fatalf("got %v", got)
	}
}
