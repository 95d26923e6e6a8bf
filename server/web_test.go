package server

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestWebApplication: the first start registers the web UI's public client
// with the server's page as its redirect URI; a restart keeps it; the page
// and its configuration are served beside the APIs.
func TestWebApplication(t *testing.T) {
	dir := t.TempDir()
	first := startServer(t, func(c *Config) { c.DataDir = dir })
	id := first.boot.WebClientID
	app, ok := first.parts.dir.Application(id)
	if id == "" || !ok || !app.PublicClient || !slices.Contains(app.PublicClientRedirectURIs, first.URL()+"/") {
		t.Fatalf("web application %q: %+v", id, app)
	}
	status, data := first.do("GET", "/ui/config.json", "", nil, nil)
	var cfg map[string]string
	if err := json.Unmarshal(data, &cfg); status != http.StatusOK || err != nil || cfg["clientId"] != id || cfg["workspaceId"] != first.boot.Workspace.ID {
		t.Errorf("config: %d %s", status, data)
	}
	if status, data := first.do("GET", "/", "", nil, nil); status != http.StatusOK || !strings.Contains(string(data), "/ui/app.mjs") {
		t.Errorf("GET /: %d %.100s", status, data)
	}
	// API paths keep their answers.
	if status, data := first.do("GET", "/v1/workspaces/"+first.boot.Workspace.ID+"/query?query=print%201", "", nil, nil); status != http.StatusUnauthorized {
		t.Errorf("query API without a token: %d %s, want 401", status, data)
	}
	if err := first.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	second := startServer(t, func(c *Config) { c.DataDir = dir })
	if second.boot.WebClientID != id {
		t.Errorf("web application after a restart: %s, want %s", second.boot.WebClientID, id)
	}
	app, _ = second.parts.dir.Application(id)
	if !slices.Contains(app.PublicClientRedirectURIs, second.URL()+"/") {
		t.Errorf("redirect URIs after a restart on another port: %v, want %s/", app.PublicClientRedirectURIs, second.URL())
	}
}
