package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/server"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace/query"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// sampleQuery returns one row of every kind of value, a null of each in
// another, and a third with characters the formats must quote.
const sampleQuery = `datatable(Name:string, Count:long, Ratio:real, Seen:datetime, Id:guid, Props:dynamic, Ok:bool, Took:timespan)
[
  "alice", 3, 0.5, datetime(2026-11-27T08:00:00.25Z), guid(74be27de-1e4e-49d9-b579-fe0b331d3642), dynamic({"a":[1,2],"b":"x"}), true, 1h,
  "", long(null), real(null), datetime(null), guid(null), dynamic(null), bool(null), timespan(null),
  "zoë \"q\", tab\there", -12, 1e20, datetime(2026-01-02), guid(00000000-0000-0000-0000-000000000001), dynamic([1,"two"]), false, 1d
]
| order by Count asc nulls last`

// startQueryServer starts a real server in-process with a result limit of
// five rows and returns its data directory.
func startQueryServer(t *testing.T) (string, *server.Server) {
	t.Helper()
	dir := t.TempDir()
	srv, err := server.Start(server.Config{
		DataDir:     dir,
		Listen:      "127.0.0.1:0",
		Store:       store.Options{FlushInterval: time.Second},
		QueryLimits: query.Limits{MaxRows: 5},
		Logf:        t.Logf,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return dir, srv
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestQueryCommand(t *testing.T) {
	dir, srv := startQueryServer(t)
	q := func(stdin string, args ...string) result {
		t.Helper()
		return runCLI(t, stdin, append([]string{"query", "--data", dir}, args...)...)
	}
	boot := srv.Bootstrap()

	for _, format := range []string{"table", "json", "jsonc", "tsv", "csv"} {
		r := q("", "-o", format, sampleQuery)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("-o %s: %+v", format, r)
		}
		checkGolden(t, "query."+format+".golden", r.stdout)
	}
	t.Run("json is a list of string objects", func(t *testing.T) {
		var rows []map[string]string
		if err := json.Unmarshal([]byte(q("", "-o", "json", sampleQuery).stdout), &rows); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0]["TableName"] != "PrimaryResult" || rows[2]["Count"] != "None" {
			t.Errorf("rows: %v", rows)
		}
	})

	table := q("", sampleQuery).stdout
	t.Run("file and stdin", func(t *testing.T) {
		if r := q("", "--file", writeQuery(t, sampleQuery)); r.code != 0 || r.stdout != table {
			t.Errorf("--file: %+v", r)
		}
		if r := q(sampleQuery, "-"); r.code != 0 || r.stdout != table {
			t.Errorf("stdin: %+v", r)
		}
		if r := q("", "--analytics-query", sampleQuery); r.code != 0 || r.stdout != table {
			t.Errorf("--analytics-query: %+v", r)
		}
		if r := q("", "--file", writeQuery(t, sampleQuery), sampleQuery); r.code != 1 || !strings.Contains(r.stderr, "give the query once") {
			t.Errorf("two queries: %+v", r)
		}
	})

	t.Run("workspace identifiers", func(t *testing.T) {
		for _, ws := range []string{boot.Workspace.ID, server.DefaultWorkspace, boot.Workspace.ResourceID,
			boot.SubscriptionID + "/" + boot.ResourceGroup + "/" + server.DefaultWorkspace} {
			if r := q("", "-w", ws, sampleQuery); r.code != 0 || r.stdout != table {
				t.Errorf("-w %s: %+v", ws, r)
			}
		}
		if r := q("", "-w", "nope", sampleQuery); r.code != 1 || !strings.Contains(r.stderr, "WorkspaceNotFoundError: The workspace 'nope' could not be found.") {
			t.Errorf("-w nope: %+v", r)
		}
		if r := q("", "--workspaces", "nope", sampleQuery); r.code != 1 || !strings.Contains(r.stderr, "No workspace is known by the identifier 'nope'.") {
			t.Errorf("--workspaces nope: %+v", r)
		}
	})

	t.Run("timespan", func(t *testing.T) {
		if r := q("", "--timespan", "P1D", "-o", "csv", "print x = 1"); r.code != 0 || r.stdout != "x\n1\n" {
			t.Errorf("--timespan P1D: %+v", r)
		}
		if r := q("", "--timespan", "yesterday", "print x = 1"); r.code != 1 || !strings.Contains(r.stderr, "400") {
			t.Errorf("--timespan yesterday: %+v", r)
		}
	})

	t.Run("syntax error", func(t *testing.T) {
		bad := "print x = 1\n| where (x"
		r := q("", bad)
		if r.code != 1 || r.stdout != "" || !regexp.MustCompile(`(?m)^2:\d+: `).MatchString(r.stderr) ||
			!strings.Contains(r.stderr, "SYN0002: Query could not be parsed at") || !strings.Contains(r.stderr, "correlation id ") {
			t.Errorf("syntax error: %+v", r)
		}
		file := writeQuery(t, bad)
		if r := q("", "--file", file); r.code != 1 || !strings.HasPrefix(r.stderr, file+":2:") {
			t.Errorf("syntax error in a file: %+v", r)
		}
		if r := q(bad, "-"); r.code != 1 || !strings.HasPrefix(r.stderr, "<stdin>:2:") {
			t.Errorf("syntax error on stdin: %+v", r)
		}
	})

	t.Run("semantic error", func(t *testing.T) {
		r := q("", "NoSuchTable | take 1")
		if r.code != 1 || !regexp.MustCompile(`(?m)^1:1: `).MatchString(r.stderr) || !strings.Contains(r.stderr, "SEM0100") {
			t.Errorf("semantic error: %+v", r)
		}
	})

	t.Run("partial result", func(t *testing.T) {
		r := q("", "-o", "tsv", "range x from 1 to 10 step 1")
		if r.code != 0 || r.stdout != "PrimaryResult\t1\nPrimaryResult\t2\nPrimaryResult\t3\nPrimaryResult\t4\nPrimaryResult\t5\n" ||
			!strings.HasPrefix(r.stderr, "idlogs: warning: the result is incomplete:\n  PartialError: ") || !strings.Contains(r.stderr, "E_QUERY_RESULT_SET_TOO_LARGE") {
			t.Errorf("partial result: %+v", r)
		}
	})

	t.Run("application without rights", func(t *testing.T) {
		clientID, secret := newGraphApp(t, dir, "no-rights")
		t.Setenv("IDLOGS_CLIENT_ID", clientID)
		t.Setenv("IDLOGS_CLIENT_SECRET", secret)
		r := q("", sampleQuery)
		if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "403 Forbidden") ||
			!strings.Contains(r.stderr, "InsufficientAccessError: The provided credentials have insufficient access") ||
			!strings.Contains(r.stderr, "Log Analytics Reader") {
			t.Errorf("no rights: %+v", r)
		}
		if strings.Contains(r.stderr, secret) {
			t.Errorf("the secret is printed: %s", r.stderr)
		}
		t.Setenv("IDLOGS_CLIENT_SECRET", "wrong")
		if r := q("", sampleQuery); r.code != 1 || !strings.Contains(r.stderr, "getting a token: invalid_client") || strings.Contains(r.stderr, "wrong") {
			t.Errorf("wrong secret: %+v", r)
		}
		t.Setenv("IDLOGS_CLIENT_SECRET", "")
		if r := q("", sampleQuery); r.code != 1 || !strings.Contains(r.stderr, "needs its secret") {
			t.Errorf("no secret: %+v", r)
		}
	})

	t.Run("several tables", func(t *testing.T) {
		const fork = "print x = 1 | fork (take 1) (project y = 2)"
		var rows []map[string]string
		if err := json.Unmarshal([]byte(q("", "-o", "json", fork).stdout), &rows); err != nil || len(rows) != 2 ||
			rows[0]["TableName"] != "PrimaryResult" || rows[1]["y"] != "2" || rows[1]["TableName"] == "PrimaryResult" {
			t.Errorf("json of two tables: %v %v", rows, err)
		}
		if r := q("", fork); r.code != 0 || strings.Count(r.stdout, "\n") != 3 || !strings.Contains(r.stderr, "-o json prints them all") {
			t.Errorf("table of two tables: %+v", r)
		}
	})

	if r := q("", "-o", "xml", sampleQuery); r.code != 1 || !strings.Contains(r.stderr, `unknown output format "xml"`) {
		t.Errorf("-o xml: %+v", r)
	}
}

// newGraphApp registers an application with no roles through the
// server's Graph API, as the admin, and returns its client id and secret.
func newGraphApp(t *testing.T, dir, name string) (clientID, secret string) {
	t.Helper()
	cmd := newQueryCmd()
	if err := cmd.ParseFlags([]string{"--data", dir}); err != nil {
		t.Fatal(err)
	}
	conn, err := dialServer(cmd, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	id, s, err := conn.adminCredentials()
	if err != nil {
		t.Fatal(err)
	}
	token, err := conn.clientToken(conn.boot.TenantID, id, s, "https://graph.microsoft.com/.default")
	if err != nil {
		t.Fatal(err)
	}
	base := strings.TrimSuffix(conn.boot.ARMEndpoint, "/")
	post := func(path string, body any, out any) {
		t.Helper()
		data, _ := json.Marshal(body)
		req, _ := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(data))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := conn.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 300 {
			t.Fatalf("POST %s: %s", path, resp.Status)
		}
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	var app struct {
		AppID string `json:"appId"`
	}
	post("/v1.0/applications", map[string]string{"displayName": name}, &app)
	var pw struct {
		SecretText string `json:"secretText"`
	}
	post("/v1.0/applications/"+app.AppID+"/addPassword", map[string]any{}, &pw)
	return app.AppID, pw.SecretText
}

func TestPyNumber(t *testing.T) {
	for in, want := range map[string]string{
		"12": "12", "-3": "-3", "0.5": "0.5", "100.0": "100.0", "1e20": "1e+20", "1E-7": "1e-07",
		"0.0001": "0.0001", "123456789012345.6": "123456789012345.6", "1e16": "1e+16", "1.5e15": "1500000000000000.0",
	} {
		if got := pyNumber(in); got != want {
			t.Errorf("pyNumber(%s) = %s, want %s", in, got, want)
		}
	}
}

// recordWriter records what a result decodes to, and signals each row.
type recordWriter struct {
	got  []string
	rows chan struct{}
}

func (r *recordWriter) begin(table string, cols []column) error {
	r.got = append(r.got, "begin "+table+" "+strconv.Itoa(len(cols)))
	return nil
}

func (r *recordWriter) row(vals []any) error {
	r.got = append(r.got, fmt.Sprint(vals...))
	r.rows <- struct{}{}
	return nil
}

func (r *recordWriter) finish() error { return nil }

// TestDecodeResultStreams checks that a row reaches the output before
// the rest of the response has arrived.
func TestDecodeResultStreams(t *testing.T) {
	pr, pw := io.Pipe()
	rec := &recordWriter{rows: make(chan struct{}, 10)}
	done := make(chan error, 1)
	var partial *apiError
	go func() {
		var err error
		partial, err = decodeResult(pr, rec)
		done <- err
	}()
	io.WriteString(pw, `{"tables":[{"name":"PrimaryResult","columns":[{"name":"x","type":"long"}],"rows":[[1],`)
	<-rec.rows // the first row arrives while the response is still open
	io.WriteString(pw, `[2]]},{"rows":[["a"]],"name":"Other","columns":[{"name":"s","type":"string"}]}],"error":{"code":"PartialError","message":"m"}}`)
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if want := []string{"begin PrimaryResult 1", "1", "2", "begin Other 1", "a"}; fmt.Sprint(rec.got) != fmt.Sprint(want) {
		t.Errorf("decoded %q, want %q", rec.got, want)
	}
	if partial == nil || partial.Code != "PartialError" {
		t.Errorf("partial error %+v", partial)
	}
	if _, err := decodeResult(strings.NewReader(`{"tables":[{"name":"PrimaryResult","rows":[[1}]}`), &recordWriter{rows: make(chan struct{}, 10)}); err == nil {
		t.Error("a broken response decoded without error")
	}
}

// TestQueryRelativeCA: a server started with a relative data directory
// writes a relative CA path into bootstrap.json; a client in another
// working directory finds the CA beside bootstrap.json.
func TestQueryRelativeCA(t *testing.T) {
	dir, _ := startQueryServer(t)
	path := filepath.Join(dir, "bootstrap.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var boot map[string]any
	if err := json.Unmarshal(raw, &boot); err != nil {
		t.Fatal(err)
	}
	boot["caCert"] = filepath.Join("idlogs-data", "tls", "ca.pem")
	raw, _ = json.Marshal(boot)
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, "", "query", "--data", dir, "print x = 1"); r.code != 0 {
		t.Fatalf("query with a relative CA path: %+v", r)
	}
}
