package eventhub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/connectors/eventhub"
	"github.com/idlogs/idlogs/connectors/kafkaconn"
	"github.com/idlogs/idlogs/connectors/kafkaconn/kafkatest"
)

// BenchmarkImport measures records per second from Kafka to rows in the
// workspace (queryable): the broker, the connector, the mirrors' activity
// logs, their routers and the workspace store, all synced as a server runs
// (durable) or not (nosync). Records of 16 categories, 50 to an event, 2
// partitions per hub. The group is joined and the mirrors made before the
// clock starts; the events are produced at once when it does. Run with
// -benchtime=100000x.
func BenchmarkImport(b *testing.B) {
	for _, durable := range []bool{true, false} {
		name := "nosync"
		if durable {
			name = "durable"
		}
		b.Run(name, func(b *testing.B) {
			tmpl := templates(b)
			hubs := hubsOf(tmpl)
			cluster := kafkatest.Cluster(b, kfake.SeedTopics(2, hubs...))
			conf := kafkaconn.Config{Brokers: cluster.ListenAddrs()}
			base := time.Now().UTC().Add(-time.Hour)
			prod := producer(b, conf)
			e := openEnv(b, b.TempDir(), envOptions{kafka: conf, hubs: hubs, durable: durable})
			produce(b, prod, tmpl, 0, len(tmpl)*3, 1, base)
			for e.delivered() < int64(len(tmpl)*3) {
				time.Sleep(time.Millisecond)
			}
			evs := events(b, tmpl, len(tmpl)*3, len(tmpl)*3+b.N, 50, base)
			b.ResetTimer()
			start, cpu := time.Now(), cpuTime()
			send(b, prod, evs)
			for e.delivered() < int64(len(tmpl)*3+b.N) {
				time.Sleep(2 * time.Millisecond)
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "records/s")
			b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/record")
			b.StopTimer()
		})
	}
}

// BenchmarkSteadyLag produces 5,000 records a second (an event of 50
// every 10 ms, round-robin over the categories' hubs) for
// IDLOGS_EH_LAG_SECONDS seconds (10 by default) into a durable data
// directory and reports the lag from an event's produce acknowledgement to
// its records being in the workspace: p50, p99 and max. Run with
// -benchtime=1x.
func BenchmarkSteadyLag(b *testing.B) {
	secs := 10
	if v := os.Getenv("IDLOGS_EH_LAG_SECONDS"); v != "" {
		secs, _ = strconv.Atoi(v)
	}
	tmpl := templates(b)
	hubs := hubsOf(tmpl)
	cluster := kafkatest.Cluster(b, kfake.SeedTopics(2, hubs...))
	conf := kafkaconn.Config{Brokers: cluster.ListenAddrs()}
	prod := producer(b, conf, kgo.ProducerLinger(0))
	e := openEnv(b, b.TempDir(), envOptions{kafka: conf, hubs: hubs, durable: true})
	base := time.Now().UTC().Add(-time.Hour)
	// Warm up: the group joins and the mirrors are made.
	produce(b, prod, tmpl, 0, 50, 50, base)
	for e.delivered() < 50 {
		time.Sleep(time.Millisecond)
	}
	b.ResetTimer()
	for range b.N {
		const per, every = 50, 10 * time.Millisecond
		events := secs * int(time.Second/every)
		// The events are made beforehand, one per category in turn.
		evs := make([]*kgo.Record, events)
		for i := range events {
			n := 50 + i*per
			r := makeRecord(tmpl, i, base)
			recs := make([]activity.Record, per)
			for j := range recs {
				recs[j] = r
				recs[j].Properties = makeRecord(tmpl, n+j, base).Properties
				recs[j].Properties = withID(recs[j].Properties, idMember(r.Category), fmt.Sprintf("rec-%07d", n+j))
			}
			body, _ := json.Marshal(map[string]any{"records": recs})
			evs[i] = &kgo.Record{Topic: hubOf(r.Category), Value: body}
		}
		var mu sync.Mutex
		acked := make([]time.Time, events)
		seen := make([]time.Duration, 0, events)
		done := make(chan struct{})
		go func() {
			defer close(done)
			tick := time.NewTicker(every)
			defer tick.Stop()
			var pending sync.WaitGroup
			for i := range events {
				<-tick.C
				pending.Add(1)
				prod.Produce(context.Background(), evs[i], func(_ *kgo.Record, err error) {
					defer pending.Done()
					if err != nil {
						b.Error(err)
					}
					mu.Lock()
					acked[i] = time.Now()
					mu.Unlock()
				})
			}
			pending.Wait()
		}()
		start := time.Now()
		// Records arrive in any order across partitions: the lag of event
		// i is read when the delivered count first covers i+1 events,
		// which never understates it by more than the spread between
		// partitions.
		next := 0
		for next < events {
			n := int((e.delivered() - 50) / per)
			now := time.Now()
			mu.Lock()
			for ; next < n && next < events; next++ {
				if acked[next].IsZero() {
					break
				}
				seen = append(seen, now.Sub(acked[next]))
			}
			mu.Unlock()
			time.Sleep(time.Millisecond)
		}
		<-done
		b.ReportMetric(float64(events*per)/time.Since(start).Seconds(), "records/s")
		slices.Sort(seen)
		pct := func(p float64) float64 { return seen[int(p*float64(len(seen)-1))].Seconds() * 1000 }
		b.ReportMetric(pct(0.50), "p50-ms")
		b.ReportMetric(pct(0.99), "p99-ms")
		b.ReportMetric(seen[len(seen)-1].Seconds()*1000, "max-ms")
	}
}

// cpuTime is the process's user and system CPU time so far: on a shared
// machine it says more than the wall clock (it includes the in-process
// broker's share).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// withID returns properties with member set to id.
func withID(props json.RawMessage, member, id string) json.RawMessage {
	var m map[string]json.RawMessage
	json.Unmarshal(props, &m)
	m[member], _ = json.Marshal(id)
	out, _ := json.Marshal(m)
	return out
}

// countSink counts what it is given and keeps nothing.
type countSink struct{ n atomic.Int64 }

func (s *countSink) Emit(_ context.Context, recs ...activity.Record) error {
	s.n.Add(int64(len(recs)))
	return nil
}

// BenchmarkConnector measures the connector alone: records per second
// from events waiting in the broker to a sink that keeps nothing.
func BenchmarkConnector(b *testing.B) {
	tmpl := templates(b)
	hubs := hubsOf(tmpl)
	cluster := kafkatest.Cluster(b, kfake.SeedTopics(2, hubs...))
	conf := kafkaconn.Config{Brokers: cluster.ListenAddrs()}
	prod := producer(b, conf)
	sink := &countSink{}
	runBench(b, eventhub.Config{Kafka: conf, Hubs: hubs, Sink: sink, StateDir: b.TempDir(), NoSync: true, MaxPollRecords: 2000})
	produce(b, prod, tmpl, 0, len(tmpl), 1, time.Now().UTC())
	for sink.n.Load() < int64(len(tmpl)) {
		time.Sleep(time.Millisecond)
	}
	evs := events(b, tmpl, len(tmpl), len(tmpl)+b.N, 50, time.Now().UTC())
	b.ResetTimer()
	start, cpu := time.Now(), cpuTime()
	send(b, prod, evs)
	for sink.n.Load() < int64(len(tmpl)+b.N) {
		time.Sleep(time.Millisecond)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "records/s")
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/record")
}

func runBench(b *testing.B, cfg eventhub.Config) {
	c, err := eventhub.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	b.Cleanup(func() { cancel(); <-done; c.Close() })
}
