package eventhub_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/connectors/eventhub"
	"github.com/idlogs/idlogs/connectors/kafkaconn"
	"github.com/idlogs/idlogs/connectors/kafkaconn/kafkatest"
)

// memSink keeps emitted records in memory; after returns from Emit call
// it, when set, once the records are kept.
type memSink struct {
	mu    sync.Mutex
	recs  []activity.Record
	after func()
}

func (s *memSink) Emit(_ context.Context, recs ...activity.Record) error {
	s.mu.Lock()
	s.recs = append(s.recs, recs...)
	after := s.after
	s.mu.Unlock()
	if after != nil {
		after()
	}
	return nil
}

func (s *memSink) records() []activity.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]activity.Record(nil), s.recs...)
}

// logLines collects log lines.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) logf(format string, args ...any) {
	l.mu.Lock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

func (l *logLines) find(sub string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.lines {
		if strings.Contains(s, sub) {
			return s
		}
	}
	return ""
}

func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// runConnector runs a connector until the test ends or stop is called.
func runConnector(t *testing.T, cfg eventhub.Config) (c *eventhub.Connector, stop func()) {
	t.Helper()
	c, err := eventhub.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := c.Run(ctx); err != nil {
			t.Error(err)
		}
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			<-done
			c.Close()
		})
	}
	t.Cleanup(stop)
	return c, stop
}

func event(t *testing.T, recs ...activity.Record) []byte {
	body, err := json.Marshal(map[string]any{"records": recs})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func produceRaw(t *testing.T, cl *kgo.Client, rs ...*kgo.Record) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, rs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// TestRedeliveryMarked stops a connector after Emit returned and before
// the commit (as a crash there would): the next connector reads those
// events again and marks their records as redeliveries, and only those.
func TestRedeliveryMarked(t *testing.T) {
	cluster := kafkatest.Cluster(t, kfake.SeedTopics(1, "hub"))
	conf := kafkaconn.Config{Brokers: cluster.ListenAddrs()}
	tmpl := templates(t)
	base := time.Now().UTC().Add(-time.Hour)
	prod := producer(t, conf)
	produceRaw(t, prod, &kgo.Record{Topic: "hub", Value: event(t, makeRecord(tmpl, 0, base), makeRecord(tmpl, 1, base))})

	dir := t.TempDir()
	sink := &memSink{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sink.after = cancel // the process ends between Emit and commit
	c, err := eventhub.New(eventhub.Config{Kafka: conf, Hubs: []string{"hub"}, Sink: sink, StateDir: dir, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	c.Run(ctx)
	c.Close()
	if got := sink.records(); len(got) != 2 || got[0].Redelivery || got[1].Redelivery {
		t.Fatalf("first run emitted %+v", got)
	}

	produceRaw(t, prod, &kgo.Record{Topic: "hub", Value: event(t, makeRecord(tmpl, 2, base))})
	sink2 := &memSink{}
	runConnector(t, eventhub.Config{Kafka: conf, Hubs: []string{"hub"}, Sink: sink2, StateDir: dir, Logf: t.Logf})
	waitFor(t, "three records", 30*time.Second, func() bool { return len(sink2.records()) == 3 })
	for i, r := range sink2.records() {
		if want := i < 2; r.Redelivery != want {
			t.Errorf("record %s: Redelivery %v, want %v", r.ID(), r.Redelivery, want)
		}
	}
}

// TestMalformedEvents: events and records that cannot be imported are
// counted, logged with their offsets, kept with their bodies and passed
// over; the good records around them are emitted and every offset is
// committed.
func TestMalformedEvents(t *testing.T) {
	cluster := kafkatest.Cluster(t, kfake.SeedTopics(1, "hub"))
	conf := kafkaconn.Config{Brokers: cluster.ListenAddrs()}
	tmpl := templates(t)
	base := time.Now().UTC().Add(-time.Hour)
	good := makeRecord(tmpl, 0, base)
	produceRaw(t, producer(t, conf),
		&kgo.Record{Topic: "hub", Value: event(t, good)},         // offset 0
		&kgo.Record{Topic: "hub", Value: []byte("not json")},     // 1
		&kgo.Record{Topic: "hub", Value: []byte(`{"value":[]}`)}, // 2
		&kgo.Record{Topic: "hub", Value: []byte(`{"records":[{"time":"2026-01-01T00:00:00Z","properties":{}},` + // 3: no category
			`{"time":"yesterday","category":"AuditLogs"},` + //          bad time
			string(mustJSON(t, makeRecord(tmpl, 1, base))) + `]}`)}, //  good
		&kgo.Record{Topic: "hub", Value: event(t, makeRecord(tmpl, 2, base))}, // 4
	)
	dir := t.TempDir()
	sink := &memSink{}
	var logs logLines
	c, _ := runConnector(t, eventhub.Config{Kafka: conf, Hubs: []string{"hub"}, Sink: sink, StateDir: dir, Logf: logs.logf, CheckEvery: 100 * time.Millisecond})
	waitFor(t, "the good records", 30*time.Second, func() bool { return len(sink.records()) == 3 })
	waitFor(t, "the partition's position", 30*time.Second, func() bool {
		st := c.Status()
		return len(st.Partitions) == 1 && st.Partitions[0].Position == 5 && st.Partitions[0].Lag == 0
	})
	st := c.Status()
	if st.Malformed != 4 || st.LastMalformed == nil || st.LastMalformed.Offset != 3 || st.LastMalformed.Index != 1 {
		t.Errorf("status: %d malformed, last %+v", st.Malformed, st.LastMalformed)
	}
	if l := logs.find("offset 1: skipped a malformed event"); l == "" {
		t.Errorf("no log line for offset 1: %q", logs.lines)
	}
	f, err := os.Open(filepath.Join(dir, "malformed.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var kept []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m struct {
			eventhub.Malformed
			Body string `json:"body"`
		}
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		kept = append(kept, fmt.Sprintf("%d/%d %s", m.Offset, m.Index, m.Body))
	}
	want := []string{"1/-1 not json", `2/-1 {"value":[]}`, `3/0 {"time":"2026-01-01T00:00:00Z","properties":{}}`, `3/1 {"time":"yesterday","category":"AuditLogs"}`}
	if strings.Join(kept, "\n") != strings.Join(want, "\n") {
		t.Errorf("malformed.jsonl:\n%s\nwant\n%s", strings.Join(kept, "\n"), strings.Join(want, "\n"))
	}
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStalledPartition: the broker stops serving one partition while it
// holds newer events; the watchdog reports it (status, last error, a log
// line) and clears the report once the partition moves again.
func TestStalledPartition(t *testing.T) {
	cluster := kafkatest.Cluster(t, kfake.SeedTopics(2, "hub"))
	conf := kafkaconn.Config{Brokers: cluster.ListenAddrs()}
	tmpl := templates(t)
	base := time.Now().UTC().Add(-time.Hour)
	prod := producer(t, conf, kgo.RecordPartitioner(kgo.ManualPartitioner()))
	var stall atomic.Bool
	stall.Store(true)
	cluster.ControlKey(int16(kmsg.Fetch), func(req kmsg.Request) (kmsg.Response, error, bool) {
		cluster.KeepControl()
		if !stall.Load() {
			return nil, nil, false
		}
		// Leave partition 1 out of every fetch: it never gets data.
		f := req.(*kmsg.FetchRequest)
		for i := range f.Topics {
			ps := f.Topics[i].Partitions[:0]
			for _, p := range f.Topics[i].Partitions {
				if p.Partition != 1 {
					ps = append(ps, p)
				}
			}
			f.Topics[i].Partitions = ps
		}
		return nil, nil, false
	})
	sink := &memSink{}
	var logs logLines
	c, _ := runConnector(t, eventhub.Config{
		Kafka: conf, Hubs: []string{"hub"}, Sink: sink, StateDir: t.TempDir(), Logf: logs.logf,
		StallAfter: time.Second, CheckEvery: 200 * time.Millisecond,
		ClientOpts: []kgo.Opt{kgo.DisableFetchSessions()},
	})
	for i := range 4 {
		produceRaw(t, prod, &kgo.Record{Topic: "hub", Partition: int32(i % 2), Value: event(t, makeRecord(tmpl, i, base))})
	}
	start := time.Now()
	// 30 s is the most the issue allows; StallAfter is 1 s.
	waitFor(t, "the stall report", 30*time.Second, func() bool {
		st := c.Status()
		return st.Stalled == 1 && len(st.Partitions) == 2 && st.Partitions[1].Stalled
	})
	t.Logf("stall reported %s after the events were produced", time.Since(start).Round(time.Millisecond))
	st := c.Status()
	p0, p1 := st.Partitions[0], st.Partitions[1]
	if p0.Stalled || p0.Lag != 0 || p0.Position != 2 || p0.LastEventTime == nil || p0.LastEventTime.Before(start.Add(-time.Minute)) {
		t.Errorf("partition 0: %+v", p0)
	}
	if p1.Lag != 2 || p1.HighWatermark != 2 || p1.StalledSince == nil || !strings.Contains(p1.LastError, "no progress") {
		t.Errorf("partition 1: %+v", p1)
	}
	if !strings.Contains(st.LastError, "hub hub partition 1 stalled") {
		t.Errorf("last error %q", st.LastError)
	}
	if logs.find("partition 1 stalled") == "" {
		t.Errorf("no log line: %q", logs.lines)
	}

	stall.Store(false)
	waitFor(t, "the partition to move again", 30*time.Second, func() bool {
		st := c.Status()
		return st.Stalled == 0 && len(sink.records()) == 4
	})
	if logs.find("partition 1 moves again") == "" && logs.find("partition 1 caught up") == "" {
		t.Errorf("no log line of the recovery: %q", logs.lines)
	}
}

// TestUnassignedReported: a connector that holds no partition (here: its
// hub does not exist) says so instead of waiting silently.
func TestUnassignedReported(t *testing.T) {
	cluster := kafkatest.Cluster(t)
	var logs logLines
	c, _ := runConnector(t, eventhub.Config{
		Kafka: kafkaconn.Config{Brokers: cluster.ListenAddrs()}, Hubs: []string{"no-such-hub"}, Sink: &memSink{},
		StateDir: t.TempDir(), Logf: logs.logf, StallAfter: 500 * time.Millisecond, CheckEvery: 100 * time.Millisecond,
	})
	waitFor(t, "the report", 30*time.Second, func() bool { return c.Status().Unassigned })
	if st := c.Status(); !strings.Contains(st.LastError, "no partition of no-such-hub assigned") {
		t.Errorf("last error %q", st.LastError)
	}
	if logs.find("no partition of no-such-hub assigned") == "" {
		t.Errorf("no log line: %q", logs.lines)
	}
}

// flakySink fails its first Emit after keeping the records, as a sink
// over several logs may.
type flakySink struct {
	memSink
	failed atomic.Bool
}

func (s *flakySink) Emit(ctx context.Context, recs ...activity.Record) error {
	s.memSink.Emit(ctx, recs...)
	if !s.failed.Swap(true) {
		return fmt.Errorf("the second log is full")
	}
	return nil
}

// TestEmitRetriedAsRedelivery: records emitted again after a failed Emit
// are marked as redeliveries, so destinations drop those a partial
// success kept.
func TestEmitRetriedAsRedelivery(t *testing.T) {
	cluster := kafkatest.Cluster(t, kfake.SeedTopics(1, "hub"))
	conf := kafkaconn.Config{Brokers: cluster.ListenAddrs()}
	tmpl := templates(t)
	produceRaw(t, producer(t, conf), &kgo.Record{Topic: "hub", Value: event(t, makeRecord(tmpl, 0, time.Now().UTC()))})
	sink := &flakySink{}
	runConnector(t, eventhub.Config{Kafka: conf, Hubs: []string{"hub"}, Sink: sink, StateDir: t.TempDir(), Logf: t.Logf})
	waitFor(t, "the retry", 30*time.Second, func() bool { return len(sink.records()) == 2 })
	if got := sink.records(); got[0].Redelivery || !got[1].Redelivery {
		t.Errorf("Redelivery: first %v, retry %v", got[0].Redelivery, got[1].Redelivery)
	}
}
