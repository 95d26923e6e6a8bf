// Package web serves idlogs' web UI: static files embedded in the binary
// (plain ES modules, no build step) at / and /ui/, and the page's
// configuration at /ui/config.json.
//
// The page signs the user in through idlogs' own token service
// (authorization code with PKCE, as the public client application the
// server registers for it), then calls the Log Analytics query API, the
// query editor's language service (api/kqlapi) and ARM (workspaces,
// diagnostic settings) with the user's tokens, so what it shows follows the
// user's roles.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/idlogs/idlogs/api"
)

//go:embed static
var static embed.FS

// Config is what the page needs before the user signs in. None of it is
// secret.
type Config struct {
	TenantID string `json:"tenantId"`
	// ClientID is the web UI's public client application.
	ClientID            string `json:"clientId"`
	SubscriptionID      string `json:"subscriptionId"`
	ResourceGroup       string `json:"resourceGroup"`
	WorkspaceID         string `json:"workspaceId"`
	WorkspaceResourceID string `json:"workspaceResourceId"`
}

// contentPolicy keeps the page to its own origin: its scripts, styles and
// the APIs it calls.
const contentPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// Register adds the UI's routes to rt. Register it after every API family:
// GET / and GET /ui/... then only serve paths no API route has.
func Register(rt *api.Router, config func() Config) {
	files, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree always has static/
	}
	rt.HandleFunc(http.MethodGet, "/ui/config.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		api.WriteJSON(w, http.StatusOK, config())
	})
	// Files are read once; each has an ETag of its content, so that a
	// reload revalidates (Cache-Control: no-cache) and gets 304s.
	type file struct {
		data []byte
		etag string
	}
	cache := map[string]file{}
	fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := fs.ReadFile(files, name)
			sum := sha256.Sum256(data)
			cache[name] = file{data, `"` + hex.EncodeToString(sum[:8]) + `"`}
		}
		return nil
	})
	serve := func(w http.ResponseWriter, r *http.Request, name string) {
		f, ok := cache[name]
		if !ok {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		ct := mime.TypeByExtension(path.Ext(name))
		if strings.HasSuffix(name, ".mjs") || strings.HasSuffix(name, ".js") {
			ct = "text/javascript; charset=utf-8"
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
		h := w.Header()
		h.Set("Content-Type", ct)
		h.Set("Content-Security-Policy", contentPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", f.etag)
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.data))
	}
	rt.HandleFunc(http.MethodGet, "/", func(w http.ResponseWriter, r *http.Request) { serve(w, r, "index.html") })
	rt.HandleFunc(http.MethodGet, "/ui/{file...}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		if !fs.ValidPath(name) {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		serve(w, r, name)
	})
}
