package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/idlogs/idlogs/tenant"
)

// TestGraphSource runs a Graph source inside a server: it reads another
// server's tenant through that server's Microsoft Graph reports, with the
// other tenant's application and token service, and the records land in
// the default workspace of the reading server, once, with their tenant's
// id; the status route reports the feeds.
func TestGraphSource(t *testing.T) {
	real := startServer(t)
	rb := real.boot
	// A sign-in of the tenant: a client credential grant of its admin.
	real.token(real.admin(), "https://management.azure.com//.default")
	reader := startServer(t, func(c *Config) {
		c.GraphSources = []GraphSource{{
			TenantID: rb.TenantID, ClientID: rb.Admin.ClientID, ClientSecret: rb.Admin.ClientSecret,
			Authority: real.URL(), GraphURL: real.URL(), HTTPClient: real.client,
			Feeds: []string{"directoryAudits", "servicePrincipalSignIns"}, Interval: 100 * time.Millisecond,
		}}
	})
	counts := func() (audits, signIns float64) {
		// AADServicePrincipalSignInLogs has no AADTenantId: its rows are
		// the other tenant's application's.
		q := fmt.Sprintf(`union (AuditLogs | where AADTenantId == %q), (AADServicePrincipalSignInLogs | where AppId == %q)
			| summarize countif(Type == "AuditLogs"), countif(Type != "AuditLogs")`, rb.TenantID, rb.Admin.ClientID)
		rows := reader.query(q)
		if len(rows) != 1 {
			return 0, 0
		}
		a, _ := rows[0][0].(float64)
		s, _ := rows[0][1].(float64)
		return a, s
	}
	// Every record the feeds emitted lands once: the rows match the
	// feeds' counts, and go on matching while later polls read their
	// overlap (15 minutes) again.
	emitted := func() (audits, signIns float64) {
		st := reader.GraphStatus()
		if len(st) != 1 {
			t.Fatalf("sources: %+v", st)
		}
		for _, f := range st[0].Feeds {
			switch f.Feed {
			case "directoryAudits":
				audits = float64(f.Emitted)
			case "servicePrincipalSignIns":
				signIns = float64(f.Emitted)
			}
		}
		return audits, signIns
	}
	settled := func() bool {
		ea, es := emitted()
		a, si := counts()
		return ea > 0 && es > 0 && a == ea && si == es
	}
	deadline := time.Now().Add(30 * time.Second)
	for !settled() && time.Now().Before(deadline) {
		time.Sleep(300 * time.Millisecond)
	}
	if !settled() {
		a, si := counts()
		t.Fatalf("mirrored %v audit records and %v service principal sign-ins; sources: %+v", a, si, reader.GraphStatus())
	}
	time.Sleep(time.Second)
	for deadline := time.Now().Add(10 * time.Second); !settled(); time.Sleep(300 * time.Millisecond) {
		if time.Now().After(deadline) {
			a, si := counts()
			t.Fatalf("after more polls: %v audit records, %v sign-ins; sources: %+v", a, si, reader.GraphStatus())
		}
	}

	armTok := reader.token(reader.admin(), "https://management.azure.com//.default")
	status, data := reader.do("GET", GraphSourcesRoute+"?api-version=2021-05-01", armTok, nil, nil)
	var got struct {
		Value []GraphStatus `json:"value"`
	}
	if status != http.StatusOK || json.Unmarshal(data, &got) != nil || len(got.Value) != 1 || len(got.Value[0].Feeds) != 2 {
		t.Fatalf("status: %d %s", status, data)
	}
	for _, f := range got.Value[0].Feeds {
		if f.LastPoll.IsZero() || f.LastError != "" {
			t.Errorf("feed %s: %+v", f.Feed, f)
		}
	}
	if status, _ := reader.do("GET", GraphSourcesRoute+"?api-version=2021-05-01", "", nil, nil); status != http.StatusUnauthorized {
		t.Errorf("no token: %d", status)
	}
	// An application with a workspace role only may not read it.
	wsReader := reader.newApp("reader", roleLogAnalyticsReader, reader.rgPath())
	if status, _ := reader.do("GET", GraphSourcesRoute+"?api-version=2021-05-01", reader.token(wsReader, "https://management.azure.com//.default"), nil, nil); status != http.StatusForbidden {
		t.Errorf("a Log Analytics Reader got %d", status)
	}
	// A directory role that reads the diagnostic settings reads the
	// sources too, both routes, without an Azure role.
	upn, userID := reader.uiAccount(t, "sam", "Sam Security", "Correct-Horse-9")
	if err := reader.parts.ensureDirectoryRole(userID, tenant.RoleSecurityReader); err != nil {
		t.Fatal(err)
	}
	code, grant, _ := reader.passwordSignIn(upn, "Correct-Horse-9")
	userTok, _ := grant["access_token"].(string)
	if code != http.StatusOK || userTok == "" {
		t.Fatalf("sign-in of %s: %d %v", upn, code, grant)
	}
	for _, route := range []string{GraphSourcesRoute, SourcesRoute} {
		if status, data := reader.do("GET", route+"?api-version=2017-04-01", userTok, nil, nil); status != http.StatusOK {
			t.Errorf("a Security Reader got %d from %s: %s", status, route, data)
		}
	}
}
