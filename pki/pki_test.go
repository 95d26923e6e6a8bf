package pki

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"
)

func TestEnsureServesTLSThatTheCAVerifies(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	f, err := Ensure(dir, []string{"127.0.0.1", "localhost"}, now)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Config(f.Cert, f.Key)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	srv.TLS = cfg
	srv.StartTLS()
	defer srv.Close()
	pool, err := Pool(f.CA)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	// A second call keeps the files; a new host re-issues the server
	// certificate from the same CA.
	before, _ := os.ReadFile(f.Cert)
	caBefore, _ := os.ReadFile(f.CA)
	if _, err := Ensure(dir, []string{"127.0.0.1"}, now); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(f.Cert); string(after) != string(before) {
		t.Fatal("certificate re-issued though it covers the hosts")
	}
	if _, err := Ensure(dir, []string{"idlogs.example"}, now); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(f.Cert)
	caAfter, _ := os.ReadFile(f.CA)
	if string(after) == string(before) || string(caAfter) != string(caBefore) {
		t.Fatal("new host: want a new server certificate from the same CA")
	}
	if st, _ := os.Stat(dir + "/ca-key.pem"); st.Mode().Perm() != 0o600 {
		t.Fatalf("CA key mode %v", st.Mode().Perm())
	}
}
