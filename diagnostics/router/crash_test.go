package router

import (
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace"
)

// childEnv names the directory a re-executed test binary delivers from.
const childEnv = "IDLOGS_ROUTER_CRASH_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		if err := runChild(dir); err != nil {
			os.Stderr.WriteString("child: " + err.Error() + "\n")
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// staticSettings never change.
type staticSettings []diagnostics.Setting

func (s staticSettings) Settings() []diagnostics.Setting { return s }
func (s staticSettings) Changed() <-chan struct{}        { return nil }

// runChild delivers the log in dir to the settings in dir/settings.json and
// returns once every pair has caught up.
func runChild(dir string) error {
	db, err := openStateDB(dir)
	if err != nil {
		return err
	}
	defer db.Close()
	l, err := activity.OpenLog(filepath.Join(dir, "activity"), activity.LogOptions{})
	if err != nil {
		return err
	}
	defer l.Close()
	ws, err := workspace.Open(dir, db, store.Options{NoBackground: true}, nil)
	if err != nil {
		return err
	}
	defer ws.Close()
	var settings staticSettings
	data, err := os.ReadFile(filepath.Join(dir, "settings.json"))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, &settings); err != nil {
		return err
	}
	dest := &Destinations{Resources: NewResources(db, filepath.Join(dir, "storage"), ws), Workspaces: ws, Table: fakeTable, Rows: fakeRows, EventHubTimeout: 5 * time.Second}
	r := New(l, settings, db, dest, Options{BatchSize: 40, MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	for {
		st := r.Status()
		caught := len(st) == len(settings[0].Destinations())
		for _, s := range st {
			caught = caught && s.Lag == 0
		}
		if caught {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	return <-done
}

// dedupingPartner stores records by id as a partner does, and remembers the
// delivery id each record first came with.
type dedupingPartner struct {
	mu        sync.Mutex
	stored    map[string]int
	delivery  map[string]string
	repeats   int
	strangers []string
}

func (p *dedupingPartner) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var msg struct{ Records []activity.Record }
	if err := json.Unmarshal(body, &msg); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	d := r.Header.Get(DeliveryHeader)
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, rec := range msg.Records {
		id := rec.ID()
		if first, ok := p.delivery[id]; ok {
			p.repeats++
			if first != d {
				p.strangers = append(p.strangers, id)
			}
			continue
		}
		p.delivery[id] = d
		p.stored[id]++
	}
}

func TestKilledDeliveryResumesExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	dir := t.TempDir()
	p := &dedupingPartner{stored: map[string]int{}, delivery: map[string]string{}}
	srv := httptest.NewServer(p)
	defer srv.Close()
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.AllowAutoTopicCreation())
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()

	// The destinations, the settings and a log of records to deliver.
	db := openDB(t, dir)
	ws, err := workspace.Open(dir, db, store.Options{NoBackground: true, Logf: t.Logf}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, _, err := ws.Put(workspace.Workspace{SubscriptionID: "s1", ResourceGroup: "rg", Name: "ws1"})
	if err != nil {
		t.Fatal(err)
	}
	res := NewResources(db, filepath.Join(dir, "storage"), ws)
	res.put(kindStorage, storageID, &StorageAccount{ID: storageID})
	res.put(kindPartner, partnerID, &Partner{ID: partnerID, Properties: PartnerProperties{URL: srv.URL, Secret: "k"}})
	res.put(kindNamespace, nsID, &Namespace{ID: nsID, Properties: NamespaceProperties{IdlogsKafkaBrokers: cluster.ListenAddrs()}})
	res.put(kindRule, ruleID, &AuthorizationRule{ID: ruleID})
	ws.Close()
	db.Close()
	settings := []diagnostics.Setting{setting("all", map[string]string{
		diagnostics.DestWorkspace: w.ResourceID(), diagnostics.DestStorage: storageID, diagnostics.DestPartner: partnerID,
		diagnostics.DestEventHub: ruleID,
	}, activity.SignInLogs, activity.AuditLogs)}
	data, _ := json.Marshal(settings)
	os.WriteFile(filepath.Join(dir, "settings.json"), data, 0o644)

	l := openLog(t, filepath.Join(dir, "activity"))
	// The router starts at the log's end: run a child once on the empty
	// log so the cursors exist, then fill the log.
	runChildProcess(t, dir, 0)
	var ids []string
	for i := range 40 {
		cat := activity.SignInLogs
		if i%3 == 0 {
			cat = activity.AuditLogs
		}
		ids = append(ids, emit(t, l, "r", cat, i*50, 50)...)
	}
	l.Close()

	kills := 0
	for range 6 {
		if runChildProcess(t, dir, time.Duration(20+rand.IntN(150))*time.Millisecond) {
			kills++
		}
	}
	runChildProcess(t, dir, 0)
	t.Logf("%d of 6 runs killed mid-delivery; the partner saw %d repeated records", kills, p.repeats)
	if kills == 0 {
		t.Fatal("no child was killed while delivering")
	}

	p.mu.Lock()
	exactlyOnce(t, "partner", p.stored, ids)
	if len(p.strangers) > 0 {
		t.Errorf("records repeated under another delivery id: %v", p.strangers)
	}
	p.mu.Unlock()
	// Event hub consumers drop repeats by id as partners do; a repeat is
	// always a whole event sent again.
	stored, strangers := map[string]int{}, 0
	first := map[string]string{}
	for _, ev := range consumeEvents(t, cluster.ListenAddrs(), len(ids), "insights-logs-signinlogs", "insights-logs-auditlogs") {
		for _, id := range strings.Split(ev, ",") {
			if f, ok := first[id]; ok {
				if f != ev {
					strangers++
				}
				continue
			}
			first[id] = ev
			stored[id]++
		}
	}
	exactlyOnce(t, "event hub", stored, ids)
	if strangers > 0 {
		t.Errorf("%d records repeated in a different event", strangers)
	}
	exactlyOnce(t, "archive", archiveIDs(t, filepath.Join(dir, "storage")), ids)
	db = openDB(t, dir)
	defer db.Close()
	ws, err = workspace.Open(dir, db, store.Options{NoBackground: true, Logf: t.Logf}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	w, _ = ws.Get(w.ResourceID())
	exactlyOnce(t, "workspace", workspaceIDs(t, w), ids)
}

// runChildProcess runs a delivering child; with killAfter > 0 it sends
// SIGKILL after that long and reports whether the child was still running.
func runChildProcess(t *testing.T, dir string, killAfter time.Duration) (killed bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+dir)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if killAfter > 0 {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out.String())
			}
			return false
		case <-time.After(killAfter):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			return true
		}
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out.String())
		}
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("child did not finish\n%s", out.String())
	}
	return false
}

// archiveIDs counts the record ids in every PT1H.json under dir.
func archiveIDs(t *testing.T, dir string) map[string]int {
	got := map[string]int{}
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || info.Name() != "PT1H.json" {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
			var r activity.Record
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Errorf("%s: line %q: %v", path, line, err)
				continue
			}
			got[r.ID()]++
		}
		return nil
	})
	return got
}
