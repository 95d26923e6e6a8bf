package eventhub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/connectors/eventhub"
	"github.com/idlogs/idlogs/connectors/kafkaconn"
	"github.com/idlogs/idlogs/connectors/mirror"
	"github.com/idlogs/idlogs/diagnostics/router"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace"
)

// The tenants of the generated records: the samples' tenant and another.
const (
	tenantA = "f1d2c3b4-0a9e-4c8d-b7f6-5e4d3c2b1a09"
	tenantB = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"
)

// env is an idlogs data directory with a default workspace, mirrors of
// external tenants delivering to it, and an Event Hubs connector feeding
// the mirrors: the path of a real tenant's records.
type env struct {
	dir     string
	db      *state.DB
	ws      *workspace.Registry
	w       *workspace.Workspace
	mirrors *mirror.Mirrors
	conn    *eventhub.Connector
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

type envOptions struct {
	kafka      kafkaconn.Config
	hubs       []string
	stallAfter time.Duration
	clientOpts []kgo.Opt
	sink       func(activity.Sink) activity.Sink
	logf       func(string, ...any)
	// durable syncs the stores, the activity logs and the connector's
	// notes, as a server does; tests skip it.
	durable bool
}

// openEnv opens (or makes) the data directory dir and starts the routers
// and the connector.
func openEnv(t testing.TB, dir string, o envOptions) *env {
	e, err := startEnv(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.close)
	return e
}

func startEnv(dir string, o envOptions) (_ *env, err error) {
	if o.logf == nil {
		o.logf = func(string, ...any) {}
	}
	e := &env{dir: dir}
	defer func() {
		if err != nil {
			e.close()
		}
	}()
	if e.db, err = state.Open(filepath.Join(dir, "state.db")); err != nil {
		return nil, err
	}
	noSync := !o.durable
	if e.ws, err = workspace.Open(dir, e.db, store.Options{NoSync: noSync, Logf: o.logf, FlushRows: 1 << 16, MergeRows: 1 << 18}, nil); err != nil {
		return nil, err
	}
	if e.w, _, err = e.ws.Put(workspace.Workspace{SubscriptionID: "sub1", ResourceGroup: "rg", Name: "default", Location: "westeurope"}); err != nil {
		return nil, err
	}
	res := router.NewResources(e.db, filepath.Join(dir, "storage"), e.ws)
	dests := &router.Destinations{Resources: res, Workspaces: e.ws, Table: tablemap.Table, Rows: tablemap.Build, NoSync: noSync, Logf: o.logf}
	e.mirrors, err = mirror.Open(mirror.Options{
		Dir: filepath.Join(dir, "tenants"), Destinations: dests, Exists: res.Exists,
		DefaultWorkspace: e.w.ResourceID(), Workspaces: e.ws, AutoAdd: true, NoSync: noSync, Logf: o.logf,
		Router: router.Options{BatchSize: 5000, MinBackoff: 20 * time.Millisecond, MaxBackoff: 500 * time.Millisecond},
	})
	if err != nil {
		return nil, err
	}
	var sink activity.Sink = e.mirrors
	if o.sink != nil {
		sink = o.sink(sink)
	}
	e.conn, err = eventhub.New(eventhub.Config{
		Kafka: o.kafka, Hubs: o.hubs, Sink: sink, StateDir: filepath.Join(dir, "connect", "eventhub"),
		NoSync: noSync, StallAfter: o.stallAfter, Logf: o.logf, MaxPollRecords: 2000,
		ClientOpts: append([]kgo.Opt{kgo.InstanceID("idlogs-test"), kgo.SessionTimeout(10 * time.Second)}, o.clientOpts...),
	})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	e.wg.Go(func() { e.mirrors.Run(ctx) })
	e.wg.Go(func() { e.conn.Run(ctx) })
	return e, nil
}

func (e *env) close() {
	if e.cancel != nil {
		e.cancel()
		e.wg.Wait()
		e.cancel = nil
	}
	if e.conn != nil {
		e.conn.Close()
		e.conn = nil
	}
	if e.mirrors != nil {
		e.mirrors.Close()
		e.mirrors = nil
	}
	if e.ws != nil {
		e.ws.Close()
		e.ws = nil
	}
	if e.db != nil {
		e.db.Close()
		e.db = nil
	}
}

// delivered is how many records the mirrors' routers have delivered:
// once in a workspace table, a record is queryable.
func (e *env) delivered() int64 {
	var n int64
	for _, m := range e.mirrors.Tenants() {
		for _, s := range m.Router.Status() {
			n += s.Delivered
		}
	}
	return n
}

// templates are the sample records of the categories whose tables can be
// checked for ids (every sample but B2CRequestLogs: AADB2CRequestLogs has
// no id column).
func templates(t testing.TB) []activity.Record {
	files, err := filepath.Glob("testdata/events/*.json")
	if err != nil {
		t.Fatal(err)
	}
	var out []activity.Record
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		recs, _, err := eventhub.Decode(body, "")
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if recs[0].Category != activity.B2CRequestLogs {
			out = append(out, recs[0])
		}
	}
	return out
}

// hubOf is the event hub Entra streams a category to by default.
func hubOf(category string) string { return router.Container(category) }

// hubsOf returns the hubs of the templates' categories.
func hubsOf(tmpl []activity.Record) []string {
	var hubs []string
	for _, r := range tmpl {
		hubs = append(hubs, hubOf(r.Category))
	}
	slices.Sort(hubs)
	return slices.Compact(hubs)
}

// idMember is the properties member that holds a category's record id.
func idMember(category string) string {
	switch category {
	case activity.MicrosoftGraphActivityLogs:
		return "requestId"
	case activity.NetworkAccessTrafficLogs:
		return "transactionId"
	}
	return "id"
}

// makeRecord returns the n-th generated record: template n mod len(tmpl)
// with id rec-n, tenant A or B, a time in the last hour.
func makeRecord(tmpl []activity.Record, n int, base time.Time) activity.Record {
	r := tmpl[n%len(tmpl)]
	var props map[string]json.RawMessage
	json.Unmarshal(r.Properties, &props)
	props[idMember(r.Category)] = json.RawMessage(fmt.Sprintf(`"rec-%07d"`, n))
	r.TenantID = tenantA
	if n%3 == 2 {
		r.TenantID = tenantB
	}
	if _, ok := props["tenantId"]; ok {
		props["tenantId"] = json.RawMessage(`"` + r.TenantID + `"`)
	}
	r.Properties, _ = json.Marshal(props)
	r.ResourceID = activity.ResourceIDOf(r.TenantID)
	r.Time = base.Add(time.Duration(n) * time.Millisecond)
	return r
}

// produce sends records from..to-1 as {"records":[...]} events of up to
// per records, each to its category's hub.
func produce(t testing.TB, cl *kgo.Client, tmpl []activity.Record, from, to, per int, base time.Time) {
	t.Helper()
	send(t, cl, events(t, tmpl, from, to, per, base))
}

// events returns the events of records from..to-1, up to per to an event.
func events(t testing.TB, tmpl []activity.Record, from, to, per int, base time.Time) []*kgo.Record {
	byHub := map[string][]activity.Record{}
	var evs []*kgo.Record
	flush := func(hub string) {
		body, err := json.Marshal(map[string]any{"records": byHub[hub]})
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, &kgo.Record{Topic: hub, Value: body})
		byHub[hub] = nil
	}
	for n := from; n < to; n++ {
		r := makeRecord(tmpl, n, base)
		h := hubOf(r.Category)
		byHub[h] = append(byHub[h], r)
		if len(byHub[h]) == per {
			flush(h)
		}
	}
	for h, rs := range byHub {
		if len(rs) > 0 {
			flush(h)
		}
	}
	return evs
}

// send produces evs and waits for their acknowledgements.
func send(t testing.TB, cl *kgo.Client, evs []*kgo.Record) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := cl.ProduceSync(ctx, evs...).FirstErr(); err != nil {
		t.Fatalf("produce: %v", err)
	}
}

// countIDs counts the records of every Entra table of w by id.
func countIDs(t testing.TB, w *workspace.Workspace) map[string]int {
	t.Helper()
	got := map[string]int{}
	for _, cat := range tablemap.Categories() {
		name, _ := tablemap.Table(cat)
		tab, ok := w.Store().Lookup(name)
		if !ok {
			continue
		}
		col := tab.Schema().Index(router.IDColumn(name))
		if col < 0 {
			continue
		}
		it, err := tab.Scan(&plan.ScanRequest{Columns: []int{col}, TimeColumn: -1})
		if err != nil {
			t.Fatal(err)
		}
		for {
			b, err := it.Next()
			if err != nil {
				t.Fatal(err)
			}
			if b == nil {
				break
			}
			for i := range b.N {
				if id := b.Cols[0].Str(i); strings.HasPrefix(id, "rec-") {
					got[id]++
				}
			}
		}
		it.Close()
	}
	return got
}

// waitCount waits until w holds want distinct generated ids.
func waitCount(t testing.TB, w *workspace.Workspace, want int, timeout time.Duration) map[string]int {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := countIDs(t, w)
		if len(got) >= want {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d records arrived in %s", len(got), want, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkOnce reports ids missing or stored more than once.
func checkOnce(t testing.TB, got map[string]int, n int) {
	t.Helper()
	missing, dup := 0, 0
	for i := range n {
		switch c := got[fmt.Sprintf("rec-%07d", i)]; {
		case c == 0:
			missing++
		case c > 1:
			dup++
			if dup <= 5 {
				t.Errorf("rec-%07d stored %d times", i, c)
			}
		}
	}
	if missing > 0 || dup > 0 || len(got) != n {
		t.Errorf("%d records: %d missing, %d stored more than once, %d distinct ids", n, missing, dup, len(got))
	}
}

// producer returns a client that produces to the cluster conf reaches;
// more are added to its options.
func producer(t testing.TB, conf kafkaconn.Config, more ...kgo.Opt) *kgo.Client {
	t.Helper()
	_, _, opts, err := conf.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	opts = append(opts, kgo.ProducerBatchMaxBytes(1<<20), kgo.ProducerLinger(5*time.Millisecond))
	cl, err := kgo.NewClient(append(opts, more...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}
