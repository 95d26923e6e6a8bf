package diagapi

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics"
)

const settings = "/providers/microsoft.aadiam/diagnosticSettings"
const v = "?api-version=2017-04-01"

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var out any
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSpecExampleRoundTrip sends the spec's request body and reads back the
// same properties from PUT, GET and list.
func TestSpecExampleRoundTrip(t *testing.T) {
	e := newEnv(t)
	req := readFile(t, "spec-request.json")
	want := decode(t, req).(map[string]any)["properties"]
	put := e.expect(200, "secadmin", "PUT", settings+"/full"+v, req)
	if !reflect.DeepEqual(put["properties"], want) {
		t.Errorf("PUT properties\n got %v\nwant %v", put["properties"], want)
	}
	got := e.expect(200, "secreader", "GET", settings+"/full"+v, "")
	if !reflect.DeepEqual(got, put) {
		t.Errorf("GET\n got %v\nwant %v", got, put)
	}
	list := e.expect(200, "secreader", "GET", settings+v, "")
	if items, _ := list["value"].([]any); len(items) != 1 || !reflect.DeepEqual(items[0], any(put)) {
		t.Errorf("list = %v", list)
	}
}

// TestSpecResponseShape checks the spec's response example to the letter:
// nulls for absent destinations, "" for an unset hub name, id and type.
func TestSpecResponseShape(t *testing.T) {
	e := newEnv(t)
	want := decode(t, readFile(t, "spec-response-minimal.json"))
	put := e.expect(200, "secadmin", "PUT", settings+"/mysetting"+v, readFile(t, "spec-request-minimal.json"))
	if !reflect.DeepEqual(any(put), want) {
		t.Errorf("PUT\n got %v\nwant %v", put, want)
	}
	if got := e.expect(200, "secadmin", "GET", "/providers/Microsoft.AADIAM/diagnosticSettings/mysetting"+v, ""); !reflect.DeepEqual(any(got), want) {
		t.Errorf("GET\n got %v\nwant %v", got, want)
	}
	if list := e.expect(200, "secadmin", "GET", settings+v, ""); !reflect.DeepEqual(list["value"], []any{want}) {
		t.Errorf("list = %v", list)
	}
}

func TestEmptyList(t *testing.T) {
	e := newEnv(t)
	_, raw, _ := e.do("secadmin", "GET", settings+v, "")
	if strings.TrimSpace(string(raw)) != `{"value":[]}` {
		t.Errorf("empty list = %s", raw)
	}
}

func TestCategories(t *testing.T) {
	e := newEnv(t)
	body := e.expect(200, "secreader", "GET", "/providers/microsoft.aadiam/diagnosticSettingsCategories"+v, "")
	items, _ := body["value"].([]any)
	if len(items) != len(diagnostics.DefaultCategories) {
		t.Fatalf("%d categories, want %d", len(items), len(diagnostics.DefaultCategories))
	}
	first := items[0].(map[string]any)
	want := map[string]any{"id": "/providers/microsoft.aadiam/diagnosticSettingsCategories/AuditLogs", "name": "AuditLogs",
		"type": "microsoft.aadiam/diagnosticSettingsCategories", "properties": map[string]any{"categoryType": "Logs"}}
	if !reflect.DeepEqual(first, want) {
		t.Errorf("first category %v", first)
	}
	csa := e.expect(200, "attrlogadmin", "GET", "/providers/microsoft.AadCustomSecurityAttributesDiagnosticSettings/diagnosticSettingsCategories"+v, "")
	if items, _ := csa["value"].([]any); len(items) != 1 || items[0].(map[string]any)["name"] != "CustomSecurityAttributeAuditLogs" {
		t.Errorf("custom-security-attribute categories %v", csa)
	}
}

func TestOperations(t *testing.T) {
	e := newEnv(t)
	body := e.expect(200, "nobody", "GET", "/providers/Microsoft.aadiam/operations"+v, "")
	items, _ := body["value"].([]any)
	names := map[string]bool{}
	for _, it := range items {
		o := it.(map[string]any)
		names[o["name"].(string)] = true
		if d, _ := o["display"].(map[string]any); d["provider"] == "" || d["operation"] == "" {
			t.Errorf("operation without display: %v", o)
		}
	}
	if !names["microsoft.aadiam/diagnosticSettings/write"] || !names["microsoft.aadiam/diagnosticSettings/read"] {
		t.Errorf("operations %v", names)
	}
}

// auditOf decodes the directoryAudit object of a record.
func auditOf(t *testing.T, r activity.Record) map[string]any {
	t.Helper()
	var a map[string]any
	if err := json.Unmarshal(r.Properties, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func modified(a map[string]any) map[string][2]string {
	out := map[string][2]string{}
	tr := a["targetResources"].([]any)[0].(map[string]any)
	for _, m := range tr["modifiedProperties"].([]any) {
		p := m.(map[string]any)
		out[p["displayName"].(string)] = [2]string{p["oldValue"].(string), p["newValue"].(string)}
	}
	return out
}

func TestAuditRecordPerChange(t *testing.T) {
	e := newEnv(t)
	create := `{"properties":{"workspaceId":"` + ws1 + `","logs":[{"category":"AuditLogs","enabled":true}]}}`
	update := `{"properties":{"storageAccountId":"` + sa1 + `","logs":[{"category":"SignInLogs","enabled":true}]}}`
	req := httptest.NewRequest("PUT", settings+"/s1"+v, strings.NewReader(create))
	req.Header.Set("Authorization", "Bearer secadmin")
	req.Header.Set("x-ms-client-request-id", "c0ffee00-0000-4000-8000-000000000001")
	req.RemoteAddr = "203.0.113.7:5555"
	rec := httptest.NewRecorder()
	e.rt.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	e.expect(200, "secadmin", "PUT", settings+"/s1"+v, update)
	e.expect(400, "secadmin", "PUT", settings+"/s2"+v, `{"properties":{"logs":[{"category":"AuditLogs","enabled":true}]}}`)
	e.expect(403, "secreader", "DELETE", settings+"/s1"+v, "")
	e.expect(200, "automation", "DELETE", settings+"/s1"+v, "")
	e.expect(204, "automation", "DELETE", settings+"/s1"+v, "")

	recs := e.sink.records()
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3 (create, update, delete): %v", len(recs), recs)
	}
	for i, want := range []struct{ activity, opType, oldLogs, newLogs string }{
		{"Add diagnostic setting", "Add", "", "AuditLogs"},
		{"Update diagnostic setting", "Update", "AuditLogs", "SignInLogs"},
		{"Delete diagnostic setting", "Delete", "SignInLogs", ""},
	} {
		r := recs[i]
		a := auditOf(t, r)
		if r.Category != activity.AuditLogs || r.OperationName != want.activity || r.TenantID != "tenant-1" ||
			r.ResourceID != "/tenants/tenant-1/providers/Microsoft.aadiam" || r.ID() == "" {
			t.Errorf("record %d envelope: %+v", i, r)
		}
		if a["activityDisplayName"] != want.activity || a["operationType"] != want.opType || a["loggedByService"] != "Core Directory" ||
			a["category"] != "DirectoryManagement" || a["result"] != "success" {
			t.Errorf("record %d: %v", i, a)
		}
		tr := a["targetResources"].([]any)[0].(map[string]any)
		if tr["displayName"] != "s1" || tr["id"] != settings+"/s1" {
			t.Errorf("record %d target %v", i, tr)
		}
		m := modified(a)
		logs := m["Logs"]
		if !strings.Contains(logs[0], want.oldLogs) || !strings.Contains(logs[1], want.newLogs) || (want.oldLogs == "") != (logs[0] == "") || (want.newLogs == "") != (logs[1] == "") {
			t.Errorf("record %d Logs old %q new %q", i, logs[0], logs[1])
		}
		if _, ok := m["Destinations"]; !ok {
			t.Errorf("record %d lacks Destinations", i)
		}
	}
	a0 := auditOf(t, recs[0])
	user := a0["initiatedBy"].(map[string]any)["user"].(map[string]any)
	if user["id"] != oid(2) || user["userPrincipalName"] != "secadmin" || user["ipAddress"] != "203.0.113.7" {
		t.Errorf("create initiator %v", user)
	}
	if recs[0].CorrelationID != "c0ffee00-0000-4000-8000-000000000001" || a0["correlationId"] != recs[0].CorrelationID || recs[0].CallerIPAddress != "203.0.113.7" {
		t.Errorf("create correlation %q / %v, ip %q", recs[0].CorrelationID, a0["correlationId"], recs[0].CallerIPAddress)
	}
	if d := modified(a0)["Destinations"]; !strings.Contains(d[1], ws1) {
		t.Errorf("create destinations %v", d)
	}
	app := auditOf(t, recs[2])["initiatedBy"].(map[string]any)
	if app["user"] != nil || app["app"].(map[string]any)["servicePrincipalId"] != oid(8) || app["app"].(map[string]any)["appId"] != "app-automation" {
		t.Errorf("delete initiator %v", app)
	}
}

// TestQuirkRemovalIsRecorded: disabling every log of a setting removes it,
// and the removal is audited.
func TestQuirkRemovalIsRecorded(t *testing.T) {
	e := newEnv(t)
	e.expect(200, "secadmin", "PUT", settings+"/s1"+v, `{"properties":{"workspaceId":"`+ws1+`","logs":[{"category":"AuditLogs","enabled":true}]}}`)
	put := e.expect(200, "secadmin", "PUT", settings+"/s1"+v, `{"properties":{"workspaceId":"`+ws1+`","logs":[{"category":"AuditLogs","enabled":false}]}}`)
	if put["name"] != "s1" {
		t.Errorf("quirk PUT answers %v", put)
	}
	e.expect(404, "secadmin", "GET", settings+"/s1"+v, "")
	recs := e.sink.records()
	if len(recs) != 2 || recs[1].OperationName != "Delete diagnostic setting" {
		t.Fatalf("records %v", recs)
	}
	e.expect(200, "secadmin", "PUT", settings+"/s2"+v, `{"properties":{"workspaceId":"`+ws1+`","logs":[]}}`)
	if n := len(e.sink.records()); n != 2 {
		t.Errorf("a setting never kept was recorded: %d records", n)
	}
}
