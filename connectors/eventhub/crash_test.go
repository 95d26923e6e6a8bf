package eventhub_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/connectors/kafkaconn"
	"github.com/idlogs/idlogs/connectors/kafkaconn/kafkatest"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace"
)

// TestCrashRestart runs the connector (with the mirrors and their routers
// into a workspace) in a child process and kills it with SIGKILL at random
// points, ten times, while events keep arriving; a last run drains the
// hubs. Every record is then in the workspace exactly once: records read
// again after a kill are marked as redeliveries and dropped by id.
func TestCrashRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process ten times")
	}
	tmpl := templates(t)
	hubs := hubsOf(tmpl)
	cluster := kafkatest.Cluster(t, kfake.SeedTopics(2, hubs...))
	conf := kafkaconn.Config{Brokers: cluster.ListenAddrs()}
	dir := t.TempDir()
	const n, chunk = 30_000, 200
	base := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)

	// Events keep arriving while the child is killed and restarted.
	prod := producer(t, conf)
	var wg sync.WaitGroup
	wg.Go(func() {
		for from := 0; from < n; from += chunk {
			produce(t, prod, tmpl, from, from+chunk, 50, base)
			time.Sleep(40 * time.Millisecond)
		}
	})
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	var outs bytes.Buffer
	for i := range 10 {
		cmd := child(t, dir, conf.Brokers, hubs, 0)
		cmd.Stdout = &outs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(300+rng.IntN(1200)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatalf("kill %d: %v", i, err)
		}
		cmd.Wait()
	}
	wg.Wait()
	cmd := child(t, dir, conf.Brokers, hubs, n)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("last run: %v\n%s", err, out)
	}
	outs.Write(out)
	redelivered := 0
	for _, line := range strings.Split(outs.String(), "\n") {
		if v, ok := strings.CutPrefix(line, "redelivered "); ok {
			k, _ := strconv.Atoi(v)
			redelivered += k
		}
	}
	t.Logf("%d records were read again after a kill and marked as redeliveries", redelivered)

	db, err := state.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ws, err := workspace.Open(dir, db, store.Options{NoSync: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	w, ok := ws.Get(workspace.ResourceID("sub1", "rg", "default"))
	if !ok {
		t.Fatal("no workspace")
	}
	checkOnce(t, countIDs(t, w), n)
	bad, _ := os.ReadFile(filepath.Join(dir, "connect", "eventhub", "malformed.jsonl"))
	if len(bad) > 0 {
		t.Errorf("malformed events:\n%s", bad)
	}
}

// child returns the command that runs TestCrashChild on dir; want > 0
// makes it stop, cleanly, once the workspace holds want records and the
// hubs are drained.
func child(t *testing.T, dir string, brokers, hubs []string, want int) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.v")
	cmd.Env = append(os.Environ(),
		"IDLOGS_EH_CHILD="+dir,
		"IDLOGS_EH_BROKERS="+strings.Join(brokers, ","),
		"IDLOGS_EH_HUBS="+strings.Join(hubs, ","),
		"IDLOGS_EH_WANT="+strconv.Itoa(want))
	return cmd
}

// TestCrashChild is the child of TestCrashRestart.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv("IDLOGS_EH_CHILD")
	if dir == "" {
		t.Skip("run by TestCrashRestart")
	}
	want, _ := strconv.Atoi(os.Getenv("IDLOGS_EH_WANT"))
	e, err := startEnv(dir, envOptions{
		kafka: kafkaconn.Config{Brokers: strings.Split(os.Getenv("IDLOGS_EH_BROKERS"), ",")},
		hubs:  strings.Split(os.Getenv("IDLOGS_EH_HUBS"), ","),
		// A slow acknowledgement widens the window between Emit and the
		// offset commit, where a kill makes records come again.
		sink: func(s activity.Sink) activity.Sink { return slowAck{s} },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	if want == 0 {
		<-context.Background().Done() // until killed
	}
	waitCount(t, e.w, want, 3*time.Minute)
	deadline := time.Now().Add(time.Minute)
	for !drained(e) {
		if time.Now().After(deadline) {
			t.Fatalf("the hubs are not drained: %+v", e.conn.Status())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// slowAck returns from Emit 20 ms after its sink did.
type slowAck struct{ activity.Sink }

func (s slowAck) Emit(ctx context.Context, recs ...activity.Record) error {
	err := s.Sink.Emit(ctx, recs...)
	if n := countRedelivered(recs); n > 0 {
		fmt.Printf("redelivered %d\n", n)
	}
	time.Sleep(20 * time.Millisecond)
	return err
}

func countRedelivered(recs []activity.Record) int {
	n := 0
	for _, r := range recs {
		if r.Redelivery {
			n++
		}
	}
	return n
}

// drained reports whether every partition's position is at its high
// watermark and every mirror's router has delivered its log.
func drained(e *env) bool {
	st := e.conn.Status()
	if len(st.Partitions) == 0 {
		return false
	}
	for _, p := range st.Partitions {
		if p.HighWatermark < 0 || p.Position != p.HighWatermark {
			return false
		}
	}
	for _, m := range e.mirrors.Tenants() {
		for _, s := range m.Router.Status() {
			if s.Lag > 0 {
				return false
			}
		}
	}
	return true
}
