package router

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/connectors/kafkaconn"
	"github.com/idlogs/idlogs/connectors/kafkaconn/kafkatest"
	"github.com/idlogs/idlogs/diagnostics"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace"
)

const (
	storageID = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/archive1"
	nsID      = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.EventHub/namespaces/ns1"
	ruleID    = nsID + "/authorizationRules/RootManageSharedAccessKey"
	partnerID = "/subscriptions/s1/resourceGroups/rg/providers/Idlogs.Partners/webhooks/siem"
)

// partner is a webhook receiver that checks signatures, answers 500 while
// failing is above zero, and counts the records it took by id.
type partner struct {
	mu      sync.Mutex
	secret  []byte
	failing int       // answer 500 to this many more requests
	until   time.Time // and to every request before this time
	got     map[string]int
	bad     []string
}

func (p *partner) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	p.mu.Lock()
	defer p.mu.Unlock()
	if !hmac.Equal([]byte(r.Header.Get(SignatureHeader)), []byte(Sign(p.secret, body))) {
		p.bad = append(p.bad, "bad signature")
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if r.Header.Get(DeliveryHeader) == "" {
		p.bad = append(p.bad, "no delivery id")
	}
	if p.failing > 0 || time.Now().Before(p.until) {
		if p.failing > 0 {
			p.failing--
		}
		http.Error(w, "try later", http.StatusInternalServerError)
		return
	}
	var msg struct{ Records []activity.Record }
	if err := json.Unmarshal(body, &msg); err != nil {
		p.bad = append(p.bad, err.Error())
		return
	}
	for _, rec := range msg.Records {
		p.got[rec.ID()]++
	}
}

func (p *partner) counts() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]int{}
	for k, v := range p.got {
		out[k] = v
	}
	return out
}

// exactlyOnce fails unless every id is in got once and got holds nothing
// else.
func exactlyOnce(t *testing.T, where string, got map[string]int, ids []string) {
	t.Helper()
	for _, id := range ids {
		if got[id] != 1 {
			t.Errorf("%s: record %s delivered %d times", where, id, got[id])
		}
	}
	if len(got) != len(ids) {
		t.Errorf("%s: %d distinct records, want %d", where, len(got), len(ids))
	}
}

type testEnv struct {
	dir  string
	db   *state.DB
	log  *activity.Log
	res  *Resources
	ws   *workspace.Registry
	dest *Destinations
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	dir := t.TempDir()
	e := &testEnv{dir: dir, db: openDB(t, dir), log: openLog(t, filepath.Join(dir, "activity"))}
	t.Cleanup(func() { e.log.Close(); e.db.Close() })
	ws, err := workspace.Open(dir, e.db, store.Options{NoSync: true, NoBackground: true, Logf: t.Logf}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	e.ws = ws
	e.res = NewResources(e.db, filepath.Join(dir, "storage"), ws)
	e.dest = &Destinations{Resources: e.res, Workspaces: ws, Table: fakeTable, Rows: fakeRows, Logf: t.Logf, EventHubTimeout: 2 * time.Second}
	return e
}

func (e *testEnv) router(t *testing.T, fs Settings) *Router {
	return New(e.log, fs, e.db, e.dest, Options{Logf: t.Logf, MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond})
}

// TestWebhookFailingThenRecovering: the partner answers 500 four times
// (or, with IDLOGS_WEBHOOK_OUTAGE=60s, for that long while records keep
// coming), then 200; every record arrives exactly once.
func TestWebhookFailingThenRecovering(t *testing.T) {
	e := newTestEnv(t)
	p := &partner{secret: []byte("s3cret"), failing: 4, got: map[string]int{}}
	var outage time.Duration
	if v := os.Getenv("IDLOGS_WEBHOOK_OUTAGE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("IDLOGS_WEBHOOK_OUTAGE: %v", err)
		}
		outage, p.failing, p.until = d, 0, time.Now().Add(d)
	}
	srv := httptest.NewTLSServer(p)
	defer srv.Close()
	e.dest.HTTPClient = srv.Client()
	if err := e.res.put(kindPartner, partnerID, &Partner{ID: partnerID, Properties: PartnerProperties{URL: srv.URL + "/hook", Secret: "s3cret"}}); err != nil {
		t.Fatal(err)
	}
	fs := newFakeSettings(setting("s1", map[string]string{diagnostics.DestPartner: partnerID}, activity.SignInLogs))
	r := e.router(t, fs)
	startRouter(t, r)
	waitFor(t, "the pair to start", func() bool { return len(r.Status()) == 1 })
	var ids []string
	for i := range 10 {
		ids = append(ids, emit(t, e.log, "s", activity.SignInLogs, i*7, 7)...)
		time.Sleep(outage / 10)
	}
	waitFor(t, "every record", func() bool { return len(p.counts()) == len(ids) && r.Status()[0].Lag == 0 })
	exactlyOnce(t, "partner", p.counts(), ids)
	if st := r.Status()[0]; !strings.Contains(st.LastError, "500") || st.LastErrorTime == nil || st.Delivered != int64(len(ids)) {
		t.Errorf("status %+v, want the 500 as last error and %d delivered", st, len(ids))
	}
	if len(p.bad) > 0 {
		t.Errorf("partner saw %v", p.bad)
	}
}

func TestArchiveLayoutAndRedelivery(t *testing.T) {
	e := newTestEnv(t)
	if err := e.res.put(kindStorage, storageID, &StorageAccount{ID: storageID}); err != nil {
		t.Fatal(err)
	}
	s := setting("s1", map[string]string{diagnostics.DestStorage: storageID}, activity.SignInLogs)
	d, err := e.dest.Open("k", diagnostics.DestStorage, &s)
	if err != nil {
		t.Fatal(err)
	}
	received := time.Date(2026, 11, 27, 7, 59, 0, 0, time.UTC)
	var es []activity.Entry
	for i, id := range []string{"r1", "r2", "r3"} {
		es = append(es, activity.Entry{Seq: uint64(i + 1), Received: received, Record: record(id, activity.SignInLogs)})
	}
	if err := d.Deliver(context.Background(), es[:2]); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(e.dir, "storage", "s1", "rg", "archive1", "insights-logs-signinlogs",
		"tenantId=tenant1", "y=2026", "m=11", "d=27", "h=07", "m=00", "PT1H.json")
	// A crash mid-append leaves a torn line; a new process delivers the
	// batch again with one more record.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"time":"2026-11-27T07:5`)
	f.Close()
	d2, _ := e.dest.Open("k", diagnostics.DestStorage, &s)
	if err := d2.Deliver(context.Background(), es); err != nil {
		t.Fatal(err)
	}
	if err := d2.Deliver(context.Background(), es); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	got := map[string]int{}
	for _, l := range lines {
		var r activity.Record
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		got[r.ID()]++
	}
	exactlyOnce(t, "archive", got, []string{"r1", "r2", "r3"})
}

func TestWorkspaceRedeliveryDropsStoredRecords(t *testing.T) {
	e := newTestEnv(t)
	ws, _, err := e.ws.Put(workspace.Workspace{SubscriptionID: "s1", ResourceGroup: "rg", Name: "ws1", Location: "westeurope"})
	if err != nil {
		t.Fatal(err)
	}
	s := setting("s1", map[string]string{diagnostics.DestWorkspace: ws.ResourceID()}, activity.SignInLogs, activity.AuditLogs)
	received := time.Now().UTC()
	var es []activity.Entry
	for i, id := range []string{"w1", "w2", "w3", "w4"} {
		cat := activity.SignInLogs
		if i%2 == 1 {
			cat = activity.AuditLogs
		}
		es = append(es, activity.Entry{Seq: uint64(i + 1), Received: received, Record: record(id, cat)})
	}
	d, err := e.dest.Open("k", diagnostics.DestWorkspace, &s)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Deliver(context.Background(), es[:3]); err != nil {
		t.Fatal(err)
	}
	d2, _ := e.dest.Open("k", diagnostics.DestWorkspace, &s)
	if err := d2.Deliver(context.Background(), es); err != nil {
		t.Fatal(err)
	}
	exactlyOnce(t, "workspace", workspaceIDs(t, ws), []string{"w1", "w2", "w3", "w4"})
}

// TestWorkspaceDropsRedeliveredRecords: a record an importer emitted again
// (marked Redelivery) comes in a later batch, with new sequence numbers,
// to a destination that has delivered without failing: it is still
// dropped when a table holds its id, and new records of the batch land.
func TestWorkspaceDropsRedeliveredRecords(t *testing.T) {
	e := newTestEnv(t)
	ws, _, err := e.ws.Put(workspace.Workspace{SubscriptionID: "s1", ResourceGroup: "rg", Name: "ws1", Location: "westeurope"})
	if err != nil {
		t.Fatal(err)
	}
	s := setting("s1", map[string]string{diagnostics.DestWorkspace: ws.ResourceID()}, activity.SignInLogs)
	d, err := e.dest.Open("k", diagnostics.DestWorkspace, &s)
	if err != nil {
		t.Fatal(err)
	}
	received := time.Now().UTC()
	entry := func(seq uint64, id string, redelivery bool) activity.Entry {
		r := record(id, activity.SignInLogs)
		r.Redelivery = redelivery
		return activity.Entry{Seq: seq, Received: received, Record: r}
	}
	for _, batch := range [][]activity.Entry{
		{entry(1, "x1", false), entry(2, "x2", false)}, // first batch: checked as after a restart
		{entry(3, "x3", false)},                        // new by construction
		{entry(4, "x2", true), entry(5, "x3", true), entry(6, "x4", true), entry(7, "x5", false)},
	} {
		if err := d.Deliver(context.Background(), batch); err != nil {
			t.Fatal(err)
		}
	}
	exactlyOnce(t, "workspace", workspaceIDs(t, ws), []string{"x1", "x2", "x3", "x4", "x5"})
}

// workspaceIDs counts the Id values of the SigninLogs and AuditLogs rows.
func workspaceIDs(t testing.TB, ws *workspace.Workspace) map[string]int {
	t.Helper()
	got := map[string]int{}
	for _, name := range []string{"SigninLogs", "AuditLogs"} {
		tab, _ := ws.Store().Lookup(name)
		ids := map[string]bool{}
		_ = ids
		it, err := tab.Scan(&planScanAll)
		if err != nil {
			t.Fatal(err)
		}
		col := tab.Schema().Index("Id")
		for {
			b, err := it.Next()
			if err != nil {
				t.Fatal(err)
			}
			if b == nil {
				break
			}
			for i := range b.N {
				got[b.Cols[col].Str(i)]++
			}
		}
		it.Close()
	}
	return got
}

func TestEventHubBrokerRestart(t *testing.T) {
	e := newTestEnv(t)
	kdir := t.TempDir()
	port := freePort(t)
	start := func() *kfake.Cluster {
		c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(port), kfake.DataDir(kdir), kfake.AllowAutoTopicCreation())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cluster := start()
	brokers := cluster.ListenAddrs()
	e.res.put(kindNamespace, nsID, &Namespace{ID: nsID, Properties: NamespaceProperties{IdlogsKafkaBrokers: brokers}})
	e.res.put(kindRule, ruleID, &AuthorizationRule{ID: ruleID})
	fs := newFakeSettings(setting("s1", map[string]string{diagnostics.DestEventHub: ruleID}, activity.SignInLogs, activity.AuditLogs))
	r := e.router(t, fs)
	startRouter(t, r)
	waitFor(t, "the pair to start", func() bool { return len(r.Status()) == 1 })
	ids := emit(t, e.log, "s", activity.SignInLogs, 1, 20)
	waitFor(t, "the first records", func() bool { return r.Status()[0].Lag == 0 })

	cluster.Close()
	ids = append(ids, emit(t, e.log, "a", activity.AuditLogs, 1, 20)...)
	waitFor(t, "a failure", func() bool { return r.Status()[0].Retrying })
	cluster = start()
	defer cluster.Close()
	ids = append(ids, emit(t, e.log, "s", activity.SignInLogs, 21, 20)...)
	waitFor(t, "every record", func() bool { return r.Status()[0].Lag == 0 })

	got := consume(t, brokers, len(ids), "insights-logs-signinlogs", "insights-logs-auditlogs")
	exactlyOnce(t, "event hub", got, ids)
}

// TestEventHubConnectionString delivers to a namespace known by its
// connection string alone, over TLS with SASL PLAIN as Event Hubs' Kafka
// endpoint wants; GET never shows the string.
func TestEventHubConnectionString(t *testing.T) {
	e := newTestEnv(t)
	k := kafkatest.SASLCluster(t)
	cs, cliTLS := k.ConnectionString, k.TLS
	e.dest.EventHubTLS = cliTLS
	e.res.put(kindNamespace, nsID, &Namespace{ID: nsID, Properties: NamespaceProperties{IdlogsConnectionString: cs}})
	e.res.put(kindRule, ruleID, &AuthorizationRule{ID: ruleID})
	fs := newFakeSettings(setting("s1", map[string]string{diagnostics.DestEventHub: ruleID}, activity.SignInLogs))
	r := e.router(t, fs)
	startRouter(t, r)
	waitFor(t, "the pair to start", func() bool { return len(r.Status()) == 1 })
	ids := emit(t, e.log, "s", activity.SignInLogs, 1, 30)
	waitFor(t, "every record", func() bool { return r.Status()[0].Lag == 0 && r.Status()[0].Delivered == 30 })
	if st := r.Status()[0]; strings.Contains(st.LastError, kafkatest.Key) {
		t.Errorf("status shows the key: %s", st.LastError)
	}
	_, _, opts, err := kafkaconn.Config{ConnectionString: cs, TLS: cliTLS}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	exactlyOnce(t, "event hub", consumeWith(t, opts, len(ids), "insights-logs-signinlogs"), ids)
}

// consumeEvents returns the idlogs-record-ids header of every event of the
// topics, reading until want distinct ids are seen and no more arrive for a
// moment.
func consumeEvents(t *testing.T, brokers []string, want int, topics ...string) []string {
	t.Helper()
	c, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topics...), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var events []string
	seen := map[string]bool{}
	deadline := time.Now().Add(30 * time.Second)
	for quiet := 0; time.Now().Before(deadline) && (len(seen) < want || quiet < 2); {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		fetches := c.PollFetches(ctx)
		cancel()
		quiet++
		fetches.EachRecord(func(r *kgo.Record) {
			quiet = 0
			for _, h := range r.Headers {
				if h.Key == RecordIDsHeader {
					events = append(events, string(h.Value))
					for _, id := range strings.Split(string(h.Value), ",") {
						seen[id] = true
					}
				}
			}
		})
	}
	return events
}

// consume reads the topics from the start and counts records by id, until
// want distinct ids are seen and no more arrive for a moment.
func consume(t *testing.T, brokers []string, want int, topics ...string) map[string]int {
	t.Helper()
	return consumeWith(t, []kgo.Opt{kgo.SeedBrokers(brokers...)}, want, topics...)
}

// consumeWith is consume with the client options that reach the broker.
func consumeWith(t *testing.T, opts []kgo.Opt, want int, topics ...string) map[string]int {
	t.Helper()
	c, err := kgo.NewClient(append(opts, kgo.ConsumeTopics(topics...), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))...)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got := map[string]int{}
	deadline := time.Now().Add(30 * time.Second)
	quiet := 0
	for time.Now().Before(deadline) && (len(got) < want || quiet < 2) {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		fetches := c.PollFetches(ctx)
		cancel()
		n := 0
		fetches.EachRecord(func(r *kgo.Record) {
			n++
			var msg struct{ Records []activity.Record }
			if err := json.Unmarshal(r.Value, &msg); err != nil {
				t.Errorf("event %q: %v", r.Value, err)
				return
			}
			var hdr string
			for _, h := range r.Headers {
				if h.Key == RecordIDsHeader {
					hdr = string(h.Value)
				}
			}
			var idsInBody []string
			for _, rec := range msg.Records {
				got[rec.ID()]++
				idsInBody = append(idsInBody, rec.ID())
			}
			if hdr != strings.Join(idsInBody, ",") {
				t.Errorf("header %q, body ids %v", hdr, idsInBody)
			}
		})
		if n == 0 {
			quiet++
		} else {
			quiet = 0
		}
	}
	return got
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestEventHubEntityPath: a connection string scoped to one event hub
// sends every category there when the setting names no hub.
func TestEventHubEntityPath(t *testing.T) {
	k := kafkatest.SASLCluster(t)
	d, err := newEventHubDest(kafkaconn.Config{ConnectionString: k.ConnectionString + ";EntityPath=entra-all", TLS: k.TLS}, "", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if got := d.topic(activity.SignInLogs); got != "entra-all" {
		t.Errorf("topic %q", got)
	}
}
