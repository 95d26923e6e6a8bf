package graphapi

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/tenant"
	"github.com/idlogs/idlogs/tenant/reports"
)

// openReports gives e an activity log and the reports that follow it.
func (e *env) openReports(t *testing.T, db *state.DB) {
	dir := t.TempDir()
	var err error
	if e.actLog, err = activity.OpenLog(filepath.Join(dir, "activity"), activity.LogOptions{NoSync: true}); err != nil {
		t.Fatal(err)
	}
	if e.reports, err = reports.Open(filepath.Join(dir, "reports"), db, reports.Options{
		TenantID: e.dir.TenantID(), Store: store.Options{NoSync: true, NoBackground: true},
	}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.reports.Run(ctx, e.actLog) }()
	t.Cleanup(func() { cancel(); <-done; e.reports.Close(); e.actLog.Close() })
}

// emit adds records to the log and waits until the reports hold them.
func (e *env) emit(t *testing.T, recs ...activity.Record) {
	t.Helper()
	if err := e.actLog.Emit(context.Background(), recs...); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); e.reports.Position() < e.actLog.Last(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("reports did not catch up")
		}
	}
}

// signIn is sign-in i: app "App {i%3}", failed with 50126 when i is odd.
func signIn(tid, category string, i int, at time.Time) activity.Record {
	return activity.Record{Time: at, Category: category, TenantID: tid, ResourceID: activity.ResourceIDOf(tid),
		Properties: fmt.Appendf(nil, `{"id":"si-%02d","createdDateTime":%q,"status":{"errorCode":%d},"appDisplayName":"App %d"}`,
			i, at.Format("2006-01-02T15:04:05.0000000Z"), i%2*50126, i%3)}
}

// ids lists the ids of a page and its nextLink's path and query.
func ids(t *testing.T, body map[string]any) (out []string, next string) {
	t.Helper()
	for _, v := range body["value"].([]any) {
		out = append(out, v.(map[string]any)["id"].(string))
	}
	if n, ok := body["@odata.nextLink"].(string); ok {
		u, err := url.Parse(n)
		if err != nil {
			t.Fatal(err)
		}
		next = u.RequestURI()
	}
	return out, next
}

func TestAuditLogsThroughGraph(t *testing.T) {
	e := newEnv(t)
	tid := e.dir.TenantID()
	base := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	var recs []activity.Record
	for i := range 12 {
		cat := activity.SignInLogs
		if i%4 == 3 {
			cat = activity.NonInteractiveUserSignInLogs
		}
		recs = append(recs, signIn(tid, cat, i, base.Add(time.Duration(i)*time.Minute)))
	}
	recs = append(recs, activity.Record{Time: base, Category: activity.AuditLogs, TenantID: tid,
		Properties: []byte(`{"id":"Directory_1","activityDateTime":"2026-05-01T10:00:00Z","activityDisplayName":"Add user"}`)})
	e.emit(t, recs...)

	// Interactive sign-ins, newest first, three to a page.
	var got []string
	next := "/v1.0/auditLogs/signIns?$top=3"
	for pages := 0; next != ""; pages++ {
		st, body := e.call(t, e.adminTok, "GET", next, nil)
		mustStatus(t, "page", st, 200, body)
		if body["@odata.context"] != "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns" {
			t.Errorf("context = %v", body["@odata.context"])
		}
		var page []string
		page, next = ids(t, body)
		got = append(got, page...)
		if pages > 10 {
			t.Fatal("paging does not end")
		}
	}
	want := []string{"si-10", "si-09", "si-08", "si-06", "si-05", "si-04", "si-02", "si-01", "si-00"}
	if !slices.Equal(got, want) {
		t.Errorf("interactive pages = %v, want %v", got, want)
	}

	for _, c := range []struct {
		query string
		want  []string
	}{
		{"$filter=createdDateTime ge 2026-05-01T10:02:00Z and createdDateTime lt 2026-05-01T10:05:00Z&$orderby=createdDateTime asc", []string{"si-02", "si-04"}},
		{"$filter=createdDateTime gt 2026-05-01T10:09:00Z", []string{"si-10"}},
		{"$filter=signInEventTypes/any(t: t eq 'nonInteractiveUser')&$orderby=createdDateTime", []string{"si-03", "si-07", "si-11"}},
		{"$filter=(signInEventTypes/any(t: t ne 'interactiveUser')) and createdDateTime le 2026-05-01T10:07:00Z", []string{"si-07", "si-03"}},
		{"$filter=signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser') and createdDateTime le 2026-05-01T10:01:00Z", []string{"si-01", "si-00"}},
		{"$filter=signInEventTypes/any(t: t eq 'servicePrincipal')", nil},
		{"$filter=appDisplayName eq 'app 2' and status/errorCode eq 50126", []string{"si-05"}},
		{"$filter=appDisplayName eq 'app 2'", []string{"si-08", "si-05", "si-02"}},
	} {
		u := "/beta/auditLogs/signIns?" + strings.ReplaceAll(c.query, " ", "%20")
		st, body := e.call(t, e.adminTok, "GET", u, nil)
		mustStatus(t, c.query, st, 200, body)
		if got, _ := ids(t, body); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.query, got, c.want)
		}
	}
	st, body := e.call(t, e.adminTok, "GET", "/beta/auditLogs/signIns?$top=1", nil)
	mustStatus(t, "beta", st, 200, body)
	if v := body["value"].([]any)[0].(map[string]any); fmt.Sprint(v["signInEventTypes"]) != "[interactiveUser]" {
		t.Errorf("beta sign-in = %v", v)
	}

	st, body = e.call(t, e.adminTok, "GET", "/v1.0/auditLogs/signIns/si-07", nil)
	mustStatus(t, "get sign-in", st, 200, body)
	if body["id"] != "si-07" || body["@odata.context"] != "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns/$entity" {
		t.Errorf("sign-in si-07 = %v", body)
	}
	if st, body = e.call(t, e.adminTok, "GET", "/v1.0/auditLogs/signIns/si-99", nil); st != 404 || errCode(body) != "Request_ResourceNotFound" {
		t.Errorf("unknown sign-in: %d %v", st, body)
	}
	st, body = e.call(t, e.adminTok, "GET", "/v1.0/auditLogs/directoryAudits?$filter=activityDateTime%20ge%202026-05-01T09:00:00Z", nil)
	mustStatus(t, "directoryAudits", st, 200, body)
	if got, _ := ids(t, body); !slices.Equal(got, []string{"Directory_1"}) {
		t.Errorf("directoryAudits = %v", got)
	}
	st, body = e.call(t, e.adminTok, "GET", "/v1.0/auditLogs/provisioning", nil)
	mustStatus(t, "provisioning", st, 200, body)
	if got, _ := ids(t, body); len(got) != 0 {
		t.Errorf("provisioning = %v", got)
	}

	for _, c := range []struct{ query, code string }{
		{"$filter=createdDateTime ge '2026'", "BadRequest"},
		{"$filter=createdDateTime ge 2026-05-01T10:00:00Z or createdDateTime le 2026-05-01T10:00:00Z", "BadRequest"},
		{"$filter=signInEventTypes/any(t: t eq 'robot')", "BadRequest"},
		{"$filter=createdDateTime ge", "BadRequest"},
		{"$orderby=appDisplayName", "Request_UnsupportedQuery"},
		{"$top=0", "Request_BadRequest"},
		{"$skiptoken=!!", "Request_BadRequest"},
	} {
		st, body := e.call(t, e.adminTok, "GET", "/v1.0/auditLogs/signIns?"+strings.ReplaceAll(c.query, " ", "%20"), nil)
		if st != 400 || errCode(body) != c.code {
			t.Errorf("%s: %d %v, want 400 %s", c.query, st, body, c.code)
		}
	}
}

func TestAuditLogsNeedARole(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, _, err := e.dir.CreateUser(ctx, tenant.Initiator{}, tenant.NewUser{UserPrincipalName: "nobody@idlogs.local",
		DisplayName: "Nobody", Password: "nobody password 1"}); err != nil {
		t.Fatal(err)
	}
	tok := e.userToken(t, "nobody@idlogs.local", "nobody password 1", "https://graph.microsoft.com/.default")
	if st, body := e.call(t, tok, "GET", "/v1.0/auditLogs/signIns", nil); st != 403 || errCode(body) != "Authorization_RequestDenied" {
		t.Errorf("user without a role: %d %v", st, body)
	}
	reader := e.userToken(t, "reader@idlogs.local", readerPassword, "https://graph.microsoft.com/.default")
	if st, body := e.call(t, reader, "GET", "/v1.0/auditLogs/directoryAudits", nil); st != 200 {
		t.Errorf("Security Reader: %d %v", st, body)
	}
	// An application with the AuditLog.Read.All permission and no role.
	app, secret, err := e.dir.CreateApplication("collector")
	if err != nil {
		t.Fatal(err)
	}
	appTok := func() string {
		return e.token(t, url.Values{"grant_type": {"client_credentials"}, "client_id": {app.AppID},
			"client_secret": {secret}, "scope": {"https://graph.microsoft.com/.default"}})
	}
	if st, _ := e.call(t, appTok(), "GET", "/v1.0/auditLogs/signIns", nil); st != 403 {
		t.Errorf("application without permission: %d", st)
	}
	if err := e.dir.SetRoles(app.AppID, []string{"AuditLog.Read.All"}); err != nil {
		t.Fatal(err)
	}
	if st, body := e.call(t, appTok(), "GET", "/v1.0/auditLogs/signIns", nil); st != 200 {
		t.Errorf("application with AuditLog.Read.All: %d %v", st, body)
	}
}
