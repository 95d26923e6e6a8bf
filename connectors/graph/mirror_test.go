package graph_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/connectors/graph"
	"github.com/idlogs/idlogs/pki"
	"github.com/idlogs/idlogs/server"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/tenant"
)

func startServer(t *testing.T, configure func(*server.Config)) *server.Server {
	t.Helper()
	cfg := server.Config{DataDir: t.TempDir(), Listen: "127.0.0.1:0", Store: store.Options{NoSync: true}, Logf: t.Logf}
	if configure != nil {
		configure(&cfg)
	}
	srv, err := server.Start(cfg)
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
	return srv
}

// recordingSink forwards records to another sink and remembers their
// categories and dedupe keys.
type recordingSink struct {
	next activity.Sink
	mu   sync.Mutex
	keys map[string]map[string]int // category → key → times emitted
}

func (s *recordingSink) Emit(ctx context.Context, recs ...activity.Record) error {
	if err := s.next.Emit(ctx, recs...); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		if s.keys[r.Category] == nil {
			s.keys[r.Category] = map[string]int{}
		}
		s.keys[r.Category][key(r.Category, r.ID(), r.Properties)]++
	}
	return nil
}

// key is a resource's dedupe key: its id, and for resources that change
// (risky users, detections) its time too.
func key(category, id string, props json.RawMessage) string {
	for _, f := range graph.Feeds {
		if f.Category == category && f.Versioned {
			var m map[string]any
			json.Unmarshal(props, &m)
			return id + "|" + fmt.Sprint(m[f.TimeProp])
		}
	}
	return id
}

// faultyTransport answers the third Graph request with 429 and
// Retry-After, and cancels the connector (as a crash would stop it) when
// it asks for the third page of directory audits the first time.
type faultyTransport struct {
	next      http.RoundTripper
	mu        sync.Mutex
	requests  int
	auditPage int
	stop      context.CancelFunc
	throttled int
}

func (f *faultyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodGet {
		return f.next.RoundTrip(r)
	}
	f.mu.Lock()
	f.requests++
	n := f.requests
	stop := f.stop
	if strings.Contains(r.URL.Path, "directoryAudits") {
		f.auditPage++
		if f.auditPage == 3 && stop != nil {
			f.stop = nil
			f.mu.Unlock()
			stop()
			return nil, context.Canceled
		}
	}
	f.mu.Unlock()
	if n == 3 {
		f.mu.Lock()
		f.throttled++
		f.mu.Unlock()
		h := http.Header{"Retry-After": {"2"}, "Content-Type": {"application/json"}}
		body := `{"error":{"code":"TooManyRequests","message":"Too many requests."}}`
		return &http.Response{StatusCode: http.StatusTooManyRequests, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	}
	return f.next.RoundTrip(r)
}

// peer is the idlogs whose tenant is mirrored.
type peer struct {
	t      *testing.T
	srv    *server.Server
	client *http.Client
	token  string
}

func (p *peer) call(method, path string, body any) (int, map[string]any) {
	p.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	u := path
	if !strings.HasPrefix(u, "https://") {
		u = p.srv.URL() + path
	}
	req, _ := http.NewRequest(method, u, rd)
	req.Header.Set("Authorization", "Bearer "+p.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func (p *peer) tokenFor(form url.Values) string {
	p.t.Helper()
	resp, err := p.client.PostForm(p.srv.URL()+"/"+p.srv.Bootstrap().TenantID+"/oauth2/v2.0/token", form)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	tok, _ := body["access_token"].(string)
	if tok == "" {
		p.t.Fatalf("token: %d %v", resp.StatusCode, body)
	}
	return tok
}

// keys lists every resource of feed f the peer serves, following
// nextLink.
func (p *peer) keys(f graph.Feed) map[string]bool {
	p.t.Helper()
	q := url.Values{"$top": {"1000"}}
	if f.Filter != "" {
		q.Set("$filter", f.Filter)
	}
	out := map[string]bool{}
	for link := f.Path + "?" + q.Encode(); link != ""; {
		st, body := p.call("GET", link, nil)
		if st != 200 {
			p.t.Fatalf("list %s: %d %v", f.Name, st, body)
		}
		for _, v := range body["value"].([]any) {
			b, _ := json.Marshal(v)
			out[key(f.Category, v.(map[string]any)["id"].(string), b)] = true
		}
		link, _ = body["@odata.nextLink"].(string)
	}
	return out
}

// emit adds records of every report feed to the peer's activity, at times
// from..to, and waits until its reports serve them.
func (p *peer) emit(n int, from, to time.Time) {
	p.t.Helper()
	tid := p.srv.Bootstrap().TenantID
	var recs []activity.Record
	want := map[string][]string{}
	for _, f := range graph.Feeds {
		if f.Versioned {
			continue // the peer's risk engine makes these
		}
		var pg struct {
			Value []map[string]any `json:"value"`
		}
		data, err := os.ReadFile(filepath.Join("testdata", f.Name+".json"))
		if err != nil {
			p.t.Fatal(err)
		}
		json.Unmarshal(data, &pg)
		for i := range n {
			props := pg.Value[i%len(pg.Value)]
			at := from.Add(to.Sub(from) * time.Duration(i) / time.Duration(n)).UTC()
			props["id"] = tenant.NewGUID()
			props[f.TimeProp] = at.Format("2006-01-02T15:04:05.0000000Z")
			raw, _ := json.Marshal(props)
			r, err := graph.ToRecord(f, tid, raw)
			if err != nil {
				p.t.Fatal(err)
			}
			recs = append(recs, r)
			want[f.Name] = append(want[f.Name], props["id"].(string))
		}
	}
	if err := p.srv.Activity().Emit(context.Background(), recs...); err != nil {
		p.t.Fatal(err)
	}
	for name, ids := range want {
		f, _ := graph.FeedNamed(name)
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			have := p.keys(f)
			missing := 0
			for _, id := range ids {
				if !have[id] {
					missing++
				}
			}
			if missing == 0 {
				break
			}
			if time.Now().After(deadline) {
				p.t.Fatalf("%s: %d records never served by the peer", name, missing)
			}
		}
	}
}

// TestMirrorAnotherIdlogs mirrors one idlogs tenant into another through
// Graph: pages of 7, a 429 with Retry-After, a connector stopped in the
// middle of a query and started again, and records that turn up late
// within the overlap window. Every resource the peer serves arrives
// exactly once.
func TestMirrorAnotherIdlogs(t *testing.T) {
	src := startServer(t, func(c *server.Config) { c.AnonymousIPs = []string{"127.0.0.0/8", "::1"} })
	mirror := startServer(t, nil)
	pool, err := pki.Pool(src.CAFile())
	if err != nil {
		t.Fatal(err)
	}
	base := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	boot := src.Bootstrap()
	p := &peer{t: t, srv: src, client: &http.Client{Transport: base, Timeout: time.Minute}}
	p.token = p.tokenFor(url.Values{"grant_type": {"client_credentials"}, "client_id": {boot.Admin.ClientID},
		"client_secret": {boot.Admin.ClientSecret}, "scope": {"https://graph.microsoft.com/.default"}})

	// A user signing in from an anonymizer: a detection and a risky user.
	st, body := p.call("POST", "/v1.0/users", map[string]any{"accountEnabled": true, "displayName": "Victim",
		"userPrincipalName": "victim@idlogs.local", "mailNickname": "victim",
		"passwordProfile": map[string]any{"password": "victim password 1"}})
	if st != 201 {
		t.Fatalf("create user: %d %v", st, body)
	}
	p.tokenFor(url.Values{"grant_type": {"password"}, "client_id": {tenant.AzureCLIAppID}, "username": {"victim@idlogs.local"},
		"password": {"victim password 1"}, "scope": {"https://graph.microsoft.com/.default"}})

	now := time.Now().UTC()
	p.emit(23, now.Add(-40*time.Minute), now.Add(-time.Minute))

	sink := &recordingSink{next: mirror.Activity(), keys: map[string]map[string]int{}}
	ft := &faultyTransport{next: base}
	var waitsMu sync.Mutex
	var waits []time.Duration
	cfg := graph.Config{
		TenantID: boot.TenantID, ClientID: boot.Admin.ClientID, ClientSecret: boot.Admin.ClientSecret,
		Authority: src.URL(), GraphURL: src.URL(), HTTPClient: &http.Client{Transport: ft, Timeout: time.Minute},
		Sink: sink, StateDir: t.TempDir(), PageSize: 7, Lookback: 2 * time.Hour, Overlap: 15 * time.Minute,
		Logf: t.Logf,
		// Waits are recorded, and kept short so the test does not sleep
		// out Retry-After.
		Sleep: func(ctx context.Context, d time.Duration) error {
			waitsMu.Lock()
			waits = append(waits, d)
			waitsMu.Unlock()
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(min(d, 20*time.Millisecond)):
				return nil
			}
		},
	}

	// The first connector stops in the middle of the directory audits.
	ctx1, stop := context.WithCancel(context.Background())
	ft.stop = stop
	c1, err := graph.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c1.PollOnce(ctx1); err == nil {
		t.Fatal("the stopped poll reported no error")
	}
	var cp struct {
		NextLink string `json:"nextLink"`
	}
	data, err := os.ReadFile(filepath.Join(cfg.StateDir, "directoryAudits.json"))
	if err != nil {
		t.Fatal(err)
	}
	if json.Unmarshal(data, &cp); cp.NextLink == "" {
		t.Fatalf("directoryAudits stopped mid-query without a next link: %s", data)
	}

	// A new connector goes on from the checkpoints.
	ctx := context.Background()
	c2, err := graph.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c2.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	// Records that show up late, with times inside the overlap window,
	// and new ones; then a poll that finds nothing new.
	now = time.Now().UTC()
	p.emit(9, now.Add(-5*time.Minute), now.Add(-2*time.Minute))
	if err := c2.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c2.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}

	want := map[string]map[string]bool{}
	for _, f := range graph.Feeds {
		want[f.Category] = p.keys(f)
	}
	// A third connector re-reads the overlap from the saved seen-sets.
	c3, err := graph.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c3.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}

	for _, f := range graph.Feeds {
		got := sink.keys[f.Category]
		if len(want[f.Category]) == 0 {
			t.Errorf("%s: the peer serves nothing; the test mirrors nothing", f.Name)
		}
		for k := range want[f.Category] {
			if got[k] == 0 {
				t.Errorf("%s: %s was not mirrored", f.Name, k)
			}
		}
		for k, n := range got {
			if n != 1 {
				t.Errorf("%s: %s emitted %d times", f.Name, k, n)
			}
		}
	}
	for c, m := range sink.keys {
		t.Logf("mirrored %s: %d", c, len(m))
	}
	if ft.throttled != 1 {
		t.Errorf("throttled %d times, want 1", ft.throttled)
	}
	retryAfter := false
	for _, d := range waits {
		retryAfter = retryAfter || d == 2*time.Second
	}
	if !retryAfter {
		t.Errorf("waits %v do not include Retry-After's 2s", waits)
	}
	for _, s := range c3.Status() {
		if s.LastError != "" || s.Position.IsZero() {
			t.Errorf("status %+v", s)
		}
	}
}

type countingSink struct {
	mu sync.Mutex
	n  int
}

func (s *countingSink) Emit(_ context.Context, recs ...activity.Record) error {
	s.mu.Lock()
	s.n += len(recs)
	s.mu.Unlock()
	return nil
}

// BenchmarkMirror reads 20,000 interactive sign-ins from another idlogs in
// pages of 1000 and maps them to records.
func BenchmarkMirror(b *testing.B) {
	src := startServerB(b)
	pool, err := pki.Pool(src.CAFile())
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	boot := src.Bootstrap()
	var pg struct {
		Value []map[string]any `json:"value"`
	}
	data, _ := os.ReadFile(filepath.Join("testdata", "signIns.json"))
	json.Unmarshal(data, &pg)
	f, _ := graph.FeedNamed("signIns")
	const n = 20_000
	now := time.Now().UTC()
	var recs []activity.Record
	for i := range n {
		props := pg.Value[i%len(pg.Value)]
		props["id"] = tenant.NewGUID()
		props["createdDateTime"] = now.Add(-time.Hour + time.Duration(i)*time.Hour/n).Format("2006-01-02T15:04:05.0000000Z")
		raw, _ := json.Marshal(props)
		r, _ := graph.ToRecord(f, boot.TenantID, raw)
		recs = append(recs, r)
	}
	if err := src.Activity().Emit(context.Background(), recs...); err != nil {
		b.Fatal(err)
	}
	time.Sleep(3 * time.Second) // the peer's reports take them in
	for b.Loop() {
		sink := &countingSink{}
		c, err := graph.New(graph.Config{TenantID: boot.TenantID, ClientID: boot.Admin.ClientID, ClientSecret: boot.Admin.ClientSecret,
			Authority: src.URL(), GraphURL: src.URL(), HTTPClient: client, Sink: sink, StateDir: b.TempDir(),
			Feeds: []string{"signIns"}, Lookback: 2 * time.Hour, PageSize: 1000, Logf: b.Logf})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := c.PollOnce(context.Background()); err != nil {
			b.Fatal(err)
		}
		if sink.n < n {
			b.Fatalf("mirrored %d of %d", sink.n, n)
		}
		b.ReportMetric(float64(sink.n)/time.Since(start).Seconds(), "records/s")
	}
}

func startServerB(b *testing.B) *server.Server {
	cfg := server.Config{DataDir: b.TempDir(), Listen: "127.0.0.1:0", Store: store.Options{NoSync: true}, Logf: func(string, ...any) {}}
	srv, err := server.Start(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Shutdown(context.Background()) })
	return srv
}
