package main

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/idlogs/idlogs/pki"
)

// TestMain lets the test binary stand in for the idlogs command: with
// IDLOGS_TEST_MAIN=1 it runs the command line instead of the tests, so
// serve tests can start, signal and kill a real server process.
func TestMain(m *testing.M) {
	if os.Getenv("IDLOGS_TEST_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// serverProc is an `idlogs serve` child process.
type serverProc struct {
	cmd    *exec.Cmd
	url    string
	stderr *bytes.Buffer
}

func startServe(t *testing.T, dir string, extra ...string) *serverProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--data", dir, "--listen", "127.0.0.1:0"}, extra...)...)
	cmd.Env = append(os.Environ(), "IDLOGS_TEST_MAIN=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &serverProc{cmd: cmd, stderr: new(bytes.Buffer)}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "idlogs serving "); ok {
			p.url = rest
			break
		}
	}
	if p.url == "" {
		cmd.Wait()
		t.Fatalf("serve printed no URL; stderr:\n%s", p.stderr)
	}
	go io.Copy(io.Discard, stdout)
	return p
}

type bootFile struct {
	TenantID  string `json:"tenantId"`
	Workspace struct {
		ID         string `json:"id"`
		ResourceID string `json:"resourceId"`
	} `json:"workspace"`
	Admin struct {
		ClientID     string `json:"clientId"`
		ClientSecret string `json:"clientSecret"`
	} `json:"admin"`
}

func readBoot(t *testing.T, dir string) bootFile {
	t.Helper()
	path := filepath.Join(dir, "bootstrap.json")
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("bootstrap.json: %v %v", st, err)
	}
	data, _ := os.ReadFile(path)
	var b bootFile
	if err := json.Unmarshal(data, &b); err != nil || b.TenantID == "" || b.Admin.ClientSecret == "" {
		t.Fatalf("bootstrap.json = %s (%v)", data, err)
	}
	return b
}

func tlsClient(t *testing.T, dir string) *http.Client {
	t.Helper()
	pool, err := pki.Pool(filepath.Join(dir, "tls", "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 30 * time.Second}
}

// collect posts rows through the Data Collector API and reports whether the
// server acknowledged them.
func collect(c *http.Client, base, workspaceID, key string, body []byte) bool {
	date := time.Now().UTC().Format(http.TimeFormat)
	k, _ := base64.StdEncoding.DecodeString(key)
	m := hmac.New(sha256.New, k)
	fmt.Fprintf(m, "POST\n%d\napplication/json\nx-ms-date:%s\n/api/logs", len(body), date)
	req, _ := http.NewRequest("POST", base+"/api/logs?api-version=2016-04-01", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Log-Type", "Crash")
	req.Header.Set("x-ms-date", date)
	req.Header.Set("Authorization", "SharedKey "+workspaceID+":"+base64.StdEncoding.EncodeToString(m.Sum(nil)))
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// adminToken gets a token for scope with the bootstrap admin's secret.
func adminToken(t *testing.T, c *http.Client, base string, b bootFile, scope string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {b.Admin.ClientID},
		"client_secret": {b.Admin.ClientSecret}, "scope": {scope}}
	resp, err := c.PostForm(base+"/"+b.TenantID+"/oauth2/v2.0/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %d %v", resp.StatusCode, err)
	}
	return tok.AccessToken
}

func countRows(t *testing.T, c *http.Client, base string, b bootFile, query string) float64 {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	req, _ := http.NewRequest("POST", base+"/v1/workspaces/"+b.Workspace.ID+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminToken(t, c, base, b, "https://api.loganalytics.io/.default"))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var res struct {
		Tables []struct{ Rows [][]any } `json:"tables"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(data, &res) != nil || len(res.Tables) == 0 || len(res.Tables[0].Rows) != 1 {
		t.Fatalf("query %q: %d %s", query, resp.StatusCode, data)
	}
	return res.Tables[0].Rows[0][0].(float64)
}

// TestServeSurvivesKillAndStopsGracefully runs `idlogs serve` as a process:
// first start writes bootstrap.json; rows acknowledged before a SIGKILL are
// all there, exactly once, after a restart; the tenant stays the same; a
// request without a token gets 401; SIGTERM stops the server with exit 0.
func TestServeSurvivesKillAndStopsGracefully(t *testing.T) {
	dir := t.TempDir()
	p := startServe(t, dir)
	b := readBoot(t, dir)
	c := tlsClient(t, dir)

	resp, err := c.Post(p.url+"/v1/workspaces/"+b.Workspace.ID+"/query", "application/json", strings.NewReader(`{"query":"print 1"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("query without a token: %d, want 401", resp.StatusCode)
	}

	// The shared key is an ARM secret: read it as the admin would.
	key := armPost(t, c, p.url, adminToken(t, c, p.url, b, "https://management.azure.com/.default"), b)
	acked := 0
	for i := 0; i < 40; i++ {
		rows := fmt.Sprintf(`[{"Batch":%d,"Row":0},{"Batch":%d,"Row":1},{"Batch":%d,"Row":2}]`, i, i, i)
		if collect(c, p.url, b.Workspace.ID, key, []byte(rows)) {
			acked++
		}
	}
	if acked != 40 {
		t.Fatalf("acknowledged %d of 40 batches before the kill", acked)
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()

	p = startServe(t, dir)
	if b2 := readBoot(t, dir); b2.TenantID != b.TenantID || b2.Admin.ClientSecret != b.Admin.ClientSecret {
		t.Fatalf("restart changed the bootstrap: %+v vs %+v", b2, b)
	}
	if n := countRows(t, c, p.url, b, "Crash_CL | count"); n != 3*40 {
		t.Errorf("after kill -9: %v rows, want %d", n, 3*40)
	}
	if n := countRows(t, c, p.url, b, "Crash_CL | summarize by Batch_d, Row_d | count"); n != 3*40 {
		t.Errorf("after kill -9: %v distinct rows, want %d (no duplicates)", n, 3*40)
	}
	// The admin manages Entra's diagnostic settings with idlogs diag.
	if r := runCLI(t, "", "diag", "--data", dir, "set", "to-workspace", "--logs", "SignInLogs,AuditLogs", "--workspace", "default"); r.code != 0 {
		t.Fatalf("diag set: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, "", "diag", "--data", dir, "list"); r.code != 0 || !strings.Contains(r.stdout, "to-workspace") {
		t.Errorf("diag list: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	// The setting's own creation is an AuditLogs record it delivers; diag
	// status shows it.
	var r result
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if r = runCLI(t, "", "diag", "--data", dir, "status", "to-workspace"); r.code == 0 && !strings.Contains(r.stdout, "workspace  0 ") {
			break
		}
	}
	if r.code != 0 || !strings.Contains(r.stdout, "DELIVERED") || strings.Contains(r.stdout, "workspace  0 ") {
		t.Errorf("diag status: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v; stderr:\n%s", err, p.stderr)
	}
}

// armPost reads the default workspace's primary shared key through ARM's
// sharedKeys action.
func armPost(t *testing.T, c *http.Client, base, token string, b bootFile) string {
	t.Helper()
	req, _ := http.NewRequest("POST", base+b.Workspace.ResourceID+"/sharedKeys?api-version=2020-08-01", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var keys struct {
		Primary string `json:"primarySharedKey"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&keys); err != nil || keys.Primary == "" {
		t.Fatalf("sharedKeys: %d %v", resp.StatusCode, err)
	}
	return keys.Primary
}

// TestServeDemo: `idlogs serve --demo` starts with a simulated tenant
// whose sign-ins `idlogs query` reads.
func TestServeDemo(t *testing.T) {
	dir := t.TempDir()
	p := startServe(t, dir, "--demo", "--demo-users", "200", "--demo-days", "1")
	defer p.cmd.Process.Signal(syscall.SIGTERM)
	var r result
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		r = runCLI(t, "", "query", "--data", dir, "-o", "tsv", "union SigninLogs, AADNonInteractiveUserSignInLogs | count")
		// One tsv row: PrimaryResult, then the count.
		f := append([]string{""}, strings.Fields(r.stdout)...)
		if n, err := strconv.Atoi(f[len(f)-1]); r.code == 0 && err == nil && n > 0 {
			return
		}
	}
	t.Fatalf("no sign-ins of the demo tenant: %+v; server stderr:\n%s", r, p.stderr)
}

func TestServeDemoFlags(t *testing.T) {
	r := runCLI(t, "", "serve", "--data", t.TempDir(), "--demo", "--demo-days", "0")
	if r.code == 0 || !strings.Contains(r.stderr, "--demo-days") {
		t.Errorf("--demo-days 0: %+v", r)
	}
}
