package graphapi

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestApplicationRedirectURIs: redirect URIs are set when an application
// is made and changed by PATCH, each kind on its own, and every change is
// audited.
func TestApplicationRedirectURIs(t *testing.T) {
	e := newEnv(t)
	st, body := e.call(t, e.adminTok, "POST", "/v1.0/applications", map[string]any{"displayName": "portal",
		"web": map[string]any{"redirectUris": []string{"https://portal.example/signin-oidc"}}})
	mustStatus(t, "create application", st, 201, body)
	id := body["id"].(string)
	if web, _ := body["web"].(map[string]any); len(web["redirectUris"].([]any)) != 1 {
		t.Fatalf("created = %v", body)
	}
	st, body = e.call(t, e.adminTok, "PATCH", "/v1.0/applications/"+id, map[string]any{
		"publicClient": map[string]any{"redirectUris": []string{"http://localhost"}}})
	mustStatus(t, "patch", st, 204, body)
	st, body = e.call(t, e.adminTok, "GET", "/v1.0/applications/"+id, nil)
	web, _ := body["web"].(map[string]any)
	pub, _ := body["publicClient"].(map[string]any)
	if st != 200 || len(web["redirectUris"].([]any)) != 1 || pub["redirectUris"].([]any)[0] != "http://localhost" {
		t.Fatalf("after patch = %d %v", st, body)
	}
	for _, bad := range []map[string]any{
		{"web": map[string]any{"redirectUris": []string{"http://portal.example/cb"}}},
		{"publicClient": map[string]any{"redirectUris": []string{"https://x.example/#f"}}},
		{"displayName": "renamed"},
	} {
		if st, body := e.call(t, e.adminTok, "PATCH", "/v1.0/applications/"+id, bad); st != 400 {
			t.Errorf("%v: %d %v", bad, st, body)
		}
	}
	if st, body := e.call(t, e.adminTok, "POST", "/v1.0/applications", map[string]any{"displayName": "bad",
		"web": map[string]any{"redirectUris": []string{"ftp"}}}); st != 400 {
		t.Errorf("create with a bad redirect URI: %d %v", st, body)
	}
	updates := 0
	for _, a := range e.sink.audits() {
		b, _ := json.Marshal(a["targetResources"])
		if a["activityDisplayName"] == "Update application" && strings.Contains(string(b), "AppAddress") {
			updates++
		}
	}
	if updates != 2 {
		t.Errorf("%d Update application audits, want 2", updates)
	}
}
