// Package eventhub imports a real Entra tenant's activity from Event Hubs:
// the {"records":[...]} events its diagnostic settings stream, read over
// Event Hubs' Kafka endpoint (TLS, SASL PLAIN with the namespace's
// connection string) as a consumer group of one or many hubs, and emitted
// into an activity.Sink (the mirrored tenant's activity log, from which the
// diagnostics router delivers them as it does idlogs' own records).
//
// # Delivery
//
// Offsets are committed only after the sink's Emit returned, so a record
// is durable in idlogs before Event Hubs forgets it. A crash between the
// two makes the records come again; to let destinations drop them, the
// connector notes, before each Emit, the last offset of every partition it
// hands over (a small synced file in Config.StateDir) and marks records at
// or below a partition's noted offset activity.Record.Redelivery. The
// workspace destination looks such records up by id (properties.id).
//
// # Malformed events
//
// An event that is not {"records":[...]}, or a record in it without a
// category or a readable time, never blocks its partition: it is counted,
// logged with its hub, partition and offset, shown in Status, appended to
// malformed.jsonl in Config.StateDir with its body, and its offset is
// committed like the others. (A crash before that commit keeps it again
// when it is read again: lines are identified by hub, partition, offset
// and index.)
//
// # Watchdog
//
// Every Config.CheckEvery the connector asks the brokers for each assigned
// partition's high watermark. A partition whose position has not moved for
// Config.StallAfter while the broker has newer offsets is reported as
// stalled: in Status, with an error, and in a log line.
package eventhub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/connectors/kafkaconn"
)

// DefaultConsumerGroup is the consumer group every event hub has.
const DefaultConsumerGroup = "$Default"

// Config configures a Connector.
type Config struct {
	// Kafka says how to reach the namespace: its connection string, or
	// plain brokers (a local Kafka-protocol broker).
	Kafka kafkaconn.Config
	// Hubs are the event hubs (Kafka topics) to read. Empty means the
	// connection string's EntityPath.
	Hubs []string
	// ConsumerGroup is the consumer group; DefaultConsumerGroup when
	// empty.
	ConsumerGroup string
	// Sink receives the records; Emit must return only once they are
	// durable.
	Sink activity.Sink
	// TenantID is the tenant of records that name none (neither tenantId
	// nor a /tenants/{id} resourceId).
	TenantID string
	// Accept, when set, says whether records of a tenant are wanted;
	// records of other tenants are counted and kept as malformed. A sink
	// that refuses some tenants needs it: a refused Emit is retried, and
	// the partitions stall.
	Accept func(tenantID string) bool
	// StateDir holds the connector's notes (emitted.log) and the malformed
	// events it met (malformed.jsonl). Required.
	StateDir string
	// NoSync skips fsync of the notes; for tests and benchmarks.
	NoSync bool
	// StallAfter is how long a partition may stand still while the broker
	// has newer offsets before it is reported; 20 s when zero.
	StallAfter time.Duration
	// CheckEvery is how often the watchdog reads the high watermarks;
	// StallAfter/4 when zero.
	CheckEvery time.Duration
	// MaxPollRecords bounds the events read per batch; 1000 when zero.
	MaxPollRecords int
	// StartAtEnd makes a consumer group without committed offsets start
	// at the hubs' ends rather than their oldest retained events.
	StartAtEnd bool
	// Logf receives notices (stalls, malformed events, errors); never
	// secrets. log.Printf when nil.
	Logf func(format string, args ...any)
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// ClientOpts are added to the Kafka client's options (tests).
	ClientOpts []kgo.Opt
}

// Connector reads event hubs into a sink. Create it with New, run it with
// Run, read its state with Status at any time.
type Connector struct {
	cfg     Config
	brokers []string
	opts    []kgo.Opt
	intents *intentFile
	bad     *os.File

	// offsets are the last offsets handed to the sink per partition;
	// owned by Run.
	offsets map[tp]int64

	mu    sync.Mutex
	st    Status
	parts map[tp]*partState
	// unassignedSince is when the watchdog first saw no partition
	// assigned; zero while some are.
	unassignedSince time.Time
}

// partState is what the connector knows of one assigned partition.
type partState struct {
	PartitionStatus
	// movedAt is when position last changed or the partition became
	// behind; zero while caught up.
	movedAt time.Time
	seenPos int64
}

// New checks cfg and opens the connector's state; it does not connect.
func New(cfg Config) (*Connector, error) {
	brokers, cs, opts, err := cfg.Kafka.Resolve()
	if err != nil {
		return nil, fmt.Errorf("event hubs connector: %w", err)
	}
	if len(cfg.Hubs) == 0 && cs != nil && cs.EntityPath != "" {
		cfg.Hubs = []string{cs.EntityPath}
	}
	if len(cfg.Hubs) == 0 {
		return nil, errors.New("event hubs connector: no event hub given (and the connection string has no EntityPath)")
	}
	if cfg.Sink == nil {
		return nil, errors.New("event hubs connector: no sink for the records")
	}
	if cfg.StateDir == "" {
		return nil, errors.New("event hubs connector: no state directory")
	}
	if cfg.ConsumerGroup == "" {
		cfg.ConsumerGroup = DefaultConsumerGroup
	}
	if cfg.StallAfter <= 0 {
		cfg.StallAfter = 20 * time.Second
	}
	if cfg.CheckEvery <= 0 {
		cfg.CheckEvery = cfg.StallAfter / 4
	}
	if cfg.MaxPollRecords <= 0 {
		cfg.MaxPollRecords = 1000
	}
	if cfg.Logf == nil {
		cfg.Logf = log.Printf
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	in, offsets, err := openIntents(cfg.StateDir, cfg.NoSync)
	if err != nil {
		return nil, err
	}
	bad, err := os.OpenFile(filepath.Join(cfg.StateDir, "malformed.jsonl"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		in.Close()
		return nil, fmt.Errorf("event hubs connector: %w", err)
	}
	c := &Connector{cfg: cfg, brokers: brokers, opts: opts, intents: in, bad: bad, offsets: offsets, parts: map[tp]*partState{}}
	c.st = Status{Hubs: slices.Clone(cfg.Hubs), ConsumerGroup: cfg.ConsumerGroup, Brokers: strings.Join(brokers, ",")}
	return c, nil
}

// Close releases the connector's files; call it after Run returned.
func (c *Connector) Close() error {
	err := c.intents.Close()
	if cerr := c.bad.Close(); err == nil {
		err = cerr
	}
	return err
}

// Run consumes until ctx ends, then leaves the group and returns nil; it
// returns an error only when the client cannot be made. Emit failures are
// retried with backoff (the partitions then show as stalled), never
// skipped.
func (c *Connector) Run(ctx context.Context) error {
	reset := kgo.NewOffset().AtStart()
	if c.cfg.StartAtEnd {
		reset = kgo.NewOffset().AtEnd()
	}
	opts := append(slices.Clone(c.opts),
		kgo.ConsumerGroup(c.cfg.ConsumerGroup),
		kgo.ConsumeTopics(c.cfg.Hubs...),
		kgo.DisableAutoCommit(),
		kgo.BlockRebalanceOnPoll(),
		kgo.ConsumeResetOffset(reset),
		kgo.FetchMaxWait(500*time.Millisecond),
		kgo.OnPartitionsAssigned(c.assigned),
		kgo.OnPartitionsRevoked(c.revoked),
		kgo.OnPartitionsLost(c.revoked),
		kgo.AdjustFetchOffsetsFn(c.startOffsets),
	)
	opts = append(opts, c.cfg.ClientOpts...)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return fmt.Errorf("event hubs connector: %w", err)
	}
	defer cl.Close()
	c.setRunning(true)
	defer c.setRunning(false)

	wctx, stopWatch := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { c.watch(wctx, cl) })
	defer func() { stopWatch(); wg.Wait() }()

	for ctx.Err() == nil {
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		fs := cl.PollRecords(pctx, c.cfg.MaxPollRecords)
		cancel()
		fs.EachError(func(hub string, p int32, err error) {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return
			}
			c.partitionError(tp{hub, p}, err)
		})
		if recs := fs.Records(); len(recs) > 0 {
			c.process(ctx, cl, recs)
		}
		cl.AllowRebalance()
	}
	return nil
}

// process hands one poll's events to the sink and commits their offsets.
func (c *Connector) process(ctx context.Context, cl *kgo.Client, events []*kgo.Record) {
	b := c.collect(events)
	// The malformed events and the notes are durable before anything is
	// emitted or committed.
	c.retry(ctx, "keep the malformed events", func() error { return c.keepMalformed(b.bad) })
	c.retry(ctx, "note the offsets handed to the sink", func() error { return c.intents.note(b.offsets, c.offsets) })
	if len(b.out) > 0 {
		failed := false
		c.retry(ctx, "emit the records", func() error {
			if failed {
				// A failed Emit may have kept some of them (a sink over
				// several logs): the next attempt's are redeliveries.
				for i := range b.out {
					b.out[i].Redelivery = true
				}
			}
			err := c.cfg.Sink.Emit(ctx, b.out...)
			failed = err != nil
			return err
		})
	}
	if ctx.Err() != nil {
		return
	}
	if err := c.commit(ctx, cl, b.last); err != nil {
		// The records are in idlogs; a later commit covers these offsets,
		// and a restart before it reads them again as redeliveries.
		c.fail(fmt.Errorf("commit offsets: %w", err))
	}
	c.progress(b.last, len(events), len(b.out))
}

// pollBatch is one poll's events sorted out.
type pollBatch struct {
	out []activity.Record
	bad []malformed
	// last is each partition's last event; offsets its offset.
	last    map[tp]*kgo.Record
	offsets map[tp]int64
}

// collect decodes events and sorts their records into those to emit
// (marked as redeliveries at or below a partition's noted offset) and
// those to keep as malformed; it advances the noted offsets.
func (c *Connector) collect(events []*kgo.Record) *pollBatch {
	b := &pollBatch{last: map[tp]*kgo.Record{}, offsets: map[tp]int64{}}
	decoded := c.decodeAll(events)
	for j, ev := range events {
		k := tp{ev.Topic, ev.Partition}
		b.last[k] = ev
		b.offsets[k] = ev.Offset
		prev, seen := c.offsets[k]
		redelivery := seen && ev.Offset <= prev
		d := decoded[j]
		if d.err != nil {
			b.bad = append(b.bad, malformed{ev: ev, index: -1, err: d.err, body: ev.Value})
			continue
		}
		for _, e := range d.bad {
			b.bad = append(b.bad, malformed{ev: ev, index: e.Index, err: e.Err, body: recordAt(ev.Value, e.Index)})
		}
		for _, r := range d.recs {
			if c.cfg.Accept != nil && !c.cfg.Accept(r.TenantID) {
				raw, _ := json.Marshal(r)
				b.bad = append(b.bad, malformed{ev: ev, index: -1, err: fmt.Errorf("records of tenant %s are not imported here", r.TenantID), body: raw})
				continue
			}
			r.Redelivery = redelivery
			b.out = append(b.out, r)
		}
	}
	for k, o := range b.offsets {
		c.offsets[k] = max(c.offsets[k], o)
	}
	return b
}

// commit commits the offsets after each partition's last event. The
// records are in idlogs, so it commits even when ctx ends meanwhile (the
// connector is stopping).
func (c *Connector) commit(ctx context.Context, cl *kgo.Client, last map[tp]*kgo.Record) error {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	offsets := map[string]map[int32]kgo.EpochOffset{}
	for k, ev := range last {
		if offsets[k.hub] == nil {
			offsets[k.hub] = map[int32]kgo.EpochOffset{}
		}
		offsets[k.hub][k.partition] = kgo.EpochOffset{Epoch: ev.LeaderEpoch, Offset: ev.Offset + 1}
	}
	var err error
	cl.CommitOffsetsSync(cctx, offsets, func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, resp *kmsg.OffsetCommitResponse, cerr error) {
		err = commitError(resp, cerr)
	})
	return err
}

// decoded is one event's records.
type decoded struct {
	recs []activity.Record
	bad  []RecordError
	err  error
}

// decodeAll decodes events on every core, in order.
func (c *Connector) decodeAll(events []*kgo.Record) []decoded {
	out := make([]decoded, len(events))
	workers := min(runtime.GOMAXPROCS(0), 4, len(events))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(events); i += workers {
				d := &out[i]
				d.recs, d.bad, d.err = Decode(events[i].Value, c.cfg.TenantID)
			}
		})
	}
	wg.Wait()
	return out
}

// retry calls fn until it succeeds or ctx ends, backing off up to 10 s and
// showing the failure in Status.
func (c *Connector) retry(ctx context.Context, what string, fn func() error) {
	wait := 100 * time.Millisecond
	for {
		err := fn()
		if err == nil {
			return
		}
		c.fail(fmt.Errorf("%s: %w", what, err))
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 10*time.Second)
	}
}

// startOffsets learns the positions the group starts the assigned
// partitions at.
func (c *Connector) startOffsets(_ context.Context, offs map[string]map[int32]kgo.Offset) (map[string]map[int32]kgo.Offset, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for hub, ps := range offs {
		for p, o := range ps {
			if st := c.parts[tp{hub, p}]; st != nil {
				if eo := o.EpochOffset(); eo.Offset >= 0 {
					st.Position = eo.Offset
				}
			}
		}
	}
	return offs, nil
}

func (c *Connector) assigned(_ context.Context, _ *kgo.Client, m map[string][]int32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.cfg.Now()
	for hub, ps := range m {
		for _, p := range ps {
			c.parts[tp{hub, p}] = &partState{PartitionStatus: PartitionStatus{Hub: hub, Partition: p, Position: -1, HighWatermark: -1}, seenPos: -1, movedAt: now}
		}
	}
}

func (c *Connector) revoked(_ context.Context, _ *kgo.Client, m map[string][]int32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for hub, ps := range m {
		for _, p := range ps {
			delete(c.parts, tp{hub, p})
		}
	}
}
