package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/api"
)

func newRouter() *api.Router {
	rt := &api.Router{}
	rt.HandleFunc(http.MethodGet, "/v1/workspaces/{id}/query", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "api")
	})
	Register(rt, func() Config { return Config{TenantID: "t1", ClientID: "c1", WorkspaceID: "w1"} })
	return rt
}

func get(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

func TestRoutes(t *testing.T) {
	rt := newRouter()
	for _, tc := range []struct {
		path   string
		status int
		typ    string
		body   string
	}{
		{"/", 200, "text/html; charset=utf-8", `src="/ui/app.mjs"`},
		{"/ui/app.mjs", 200, "text/javascript; charset=utf-8", "import"},
		{"/ui/app.css", 200, "text/css; charset=utf-8", ".topbar"},
		{"/ui/config.json", 200, "application/json", `"clientId":"c1"`},
		{"/ui/missing.mjs", 404, "", ""},
		{"/ui/../web.go", 404, "", ""},
		// An API route registered before the UI's keeps its path.
		{"/v1/workspaces/w1/query", 200, "", "api"},
		// Paths of neither answer as the API does.
		{"/v1/nothing", 404, "application/json", "PathNotFoundError"},
	} {
		rec := get(t, rt, tc.path)
		if rec.Code != tc.status {
			t.Errorf("GET %s: %d, want %d", tc.path, rec.Code, tc.status)
			continue
		}
		if tc.typ != "" && !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.typ) {
			t.Errorf("GET %s: Content-Type %q, want %q", tc.path, rec.Header().Get("Content-Type"), tc.typ)
		}
		if !strings.Contains(rec.Body.String(), tc.body) {
			t.Errorf("GET %s: body %.200q does not contain %q", tc.path, rec.Body.String(), tc.body)
		}
	}
}

func TestPagePolicy(t *testing.T) {
	rec := get(t, newRouter(), "/")
	csp := rec.Header().Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("policy %q lacks %q", csp, want)
		}
	}
}

func TestConfig(t *testing.T) {
	rec := get(t, newRouter(), "/ui/config.json")
	var c Config
	if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil || c.TenantID != "t1" || c.WorkspaceID != "w1" {
		t.Errorf("config %s: %v", rec.Body, err)
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("config may be cached: %q", rec.Header().Get("Cache-Control"))
	}
}

// TestModulesResolve checks that every module the page imports is
// embedded, so a renamed file fails here rather than in a browser.
func TestModulesResolve(t *testing.T) {
	entries, err := static.ReadDir("static")
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, e := range entries {
		have[e.Name()] = true
	}
	for name := range have {
		if !strings.HasSuffix(name, ".mjs") {
			continue
		}
		data, _ := static.ReadFile("static/" + name)
		for _, line := range strings.Split(string(data), "\n") {
			for _, quote := range []string{`"./`, `("./`} {
				if i := strings.Index(line, quote); i >= 0 && (strings.HasPrefix(strings.TrimSpace(line), "import") || strings.Contains(line, "import(")) {
					rest := line[i+len(quote):]
					file := rest[:strings.IndexByte(rest, '"')]
					if !have[file] {
						t.Errorf("%s imports ./%s, which is not embedded", name, file)
					}
				}
			}
		}
	}
}

func TestRevalidation(t *testing.T) {
	rt := newRouter()
	first := get(t, rt, "/ui/app.mjs")
	etag := first.Header().Get("ETag")
	if etag == "" || first.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("ETag %q, Cache-Control %q", etag, first.Header().Get("Cache-Control"))
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/ui/app.mjs", nil)
	req.Header.Set("If-None-Match", etag)
	rt.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("revalidation with the ETag: %d, want 304", rec.Code)
	}
}
