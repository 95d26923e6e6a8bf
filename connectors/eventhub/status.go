package eventhub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Status is a connector's state, for the status API and command.
type Status struct {
	Hubs          []string `json:"hubs"`
	ConsumerGroup string   `json:"consumerGroup"`
	// Brokers are the bootstrap servers (never the connection string).
	Brokers string `json:"brokers"`
	Running bool   `json:"running"`
	// Events and Records count what was read and emitted since start.
	Events  int64 `json:"events"`
	Records int64 `json:"records"`
	// Malformed counts events and records that could not be imported;
	// LastMalformed is the latest.
	Malformed     int64      `json:"malformed"`
	LastMalformed *Malformed `json:"lastMalformed,omitempty"`
	// Stalled counts the partitions reported as stalled now.
	Stalled int `json:"stalled"`
	// Unassigned is set when the connector has held no partition for
	// StallAfter while running.
	Unassigned    bool       `json:"unassigned,omitempty"`
	LastError     string     `json:"lastError,omitempty"`
	LastErrorTime *time.Time `json:"lastErrorTime,omitempty"`
	// Partitions are the assigned partitions, by hub and number.
	Partitions []PartitionStatus `json:"partitions"`
}

// PartitionStatus is the state of one assigned partition.
type PartitionStatus struct {
	Hub       string `json:"hub"`
	Partition int32  `json:"partition"`
	// Position is the next offset to import (-1 until known);
	// HighWatermark the broker's next offset (-1 until known); Lag the
	// difference.
	Position      int64 `json:"position"`
	HighWatermark int64 `json:"highWatermark"`
	Lag           int64 `json:"lag"`
	// Stalled is set when the position has not moved for StallAfter while
	// the broker has newer offsets; StalledSince is when it stopped.
	Stalled      bool       `json:"stalled"`
	StalledSince *time.Time `json:"stalledSince,omitempty"`
	LastProgress *time.Time `json:"lastProgress,omitempty"`
	// LastEventTime is when Event Hubs received the last event imported
	// (its Kafka timestamp): how far behind the import is in time while
	// Lag is above zero.
	LastEventTime *time.Time `json:"lastEventTime,omitempty"`
	LastError     string     `json:"lastError,omitempty"`
	LastErrorTime *time.Time `json:"lastErrorTime,omitempty"`
}

// Malformed is an event, or a record of one, the connector could not
// import.
type Malformed struct {
	Hub       string `json:"hub"`
	Partition int32  `json:"partition"`
	Offset    int64  `json:"offset"`
	// Index is the record's position in the event's records array, -1 for
	// the whole event.
	Index int       `json:"index"`
	Error string    `json:"error"`
	Time  time.Time `json:"time"`
}

// malformed is one bad event or record with its body.
type malformed struct {
	ev    *kgo.Record
	index int
	err   error
	body  []byte
}

// Status returns a copy of the connector's state.
func (c *Connector) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.st
	s.Hubs = slices.Clone(s.Hubs)
	if s.LastMalformed != nil {
		m := *s.LastMalformed
		s.LastMalformed = &m
	}
	s.Partitions = make([]PartitionStatus, 0, len(c.parts))
	s.Stalled = 0
	for _, p := range c.parts {
		if p.Stalled {
			s.Stalled++
		}
		s.Partitions = append(s.Partitions, p.PartitionStatus)
	}
	slices.SortFunc(s.Partitions, func(a, b PartitionStatus) int {
		if c := strings.Compare(a.Hub, b.Hub); c != 0 {
			return c
		}
		return int(a.Partition - b.Partition)
	})
	return s
}

func (c *Connector) setRunning(on bool) {
	c.mu.Lock()
	c.st.Running = on
	c.mu.Unlock()
}

func (c *Connector) fail(err error) {
	c.cfg.Logf("event hubs connector: %v", err)
	now := c.cfg.Now()
	c.mu.Lock()
	c.st.LastError, c.st.LastErrorTime = err.Error(), &now
	c.mu.Unlock()
}

func (c *Connector) partitionError(k tp, err error) {
	c.cfg.Logf("event hubs connector: hub %s partition %d: %v", k.hub, k.partition, err)
	now := c.cfg.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.LastError, c.st.LastErrorTime = fmt.Sprintf("hub %s partition %d: %v", k.hub, k.partition, err), &now
	if p := c.parts[k]; p != nil {
		p.LastError, p.LastErrorTime = err.Error(), &now
	}
}

// progress notes a processed batch.
func (c *Connector) progress(last map[tp]*kgo.Record, events, records int) {
	now := c.cfg.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.Events += int64(events)
	c.st.Records += int64(records)
	for k, ev := range last {
		p := c.parts[k]
		if p == nil {
			continue
		}
		p.Position = ev.Offset + 1
		p.LastProgress = &now
		if !ev.Timestamp.IsZero() {
			ts := ev.Timestamp.UTC()
			p.LastEventTime = &ts
		}
		if p.HighWatermark >= 0 {
			p.Lag = max(p.HighWatermark-p.Position, 0)
		}
	}
}

// keepMalformed logs the bad events and records, appends them to
// malformed.jsonl and syncs it.
func (c *Connector) keepMalformed(bad []malformed) error {
	if len(bad) == 0 {
		return nil
	}
	var buf bytes.Buffer
	var lastM Malformed
	for _, b := range bad {
		m := Malformed{Hub: b.ev.Topic, Partition: b.ev.Partition, Offset: b.ev.Offset, Index: b.index, Error: b.err.Error(), Time: c.cfg.Now()}
		c.cfg.Logf("event hubs connector: hub %s partition %d offset %d: skipped a malformed %s: %v", m.Hub, m.Partition, m.Offset, what(m.Index), b.err)
		line := struct {
			Malformed
			Body string `json:"body"`
		}{m, string(b.body)}
		data, err := json.Marshal(line)
		if err != nil {
			return err
		}
		buf.Write(data)
		buf.WriteByte('\n')
		lastM = m
	}
	if _, err := c.bad.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("keep malformed events: %w", err)
	}
	if !c.cfg.NoSync {
		if err := c.bad.Sync(); err != nil {
			return fmt.Errorf("keep malformed events: %w", err)
		}
	}
	c.mu.Lock()
	c.st.Malformed += int64(len(bad))
	c.st.LastMalformed = &lastM
	c.mu.Unlock()
	return nil
}

func what(index int) string {
	if index < 0 {
		return "event"
	}
	return fmt.Sprintf("record (index %d)", index)
}

// recordAt returns the raw index-th element of an event's records.
func recordAt(body []byte, index int) []byte {
	var msg struct {
		Records []json.RawMessage `json:"records"`
	}
	if json.Unmarshal(body, &msg) != nil || index >= len(msg.Records) {
		return nil
	}
	return msg.Records[index]
}

func commitError(resp *kmsg.OffsetCommitResponse, err error) error {
	if err != nil {
		return err
	}
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
				return fmt.Errorf("hub %s partition %d: %w", t.Topic, p.Partition, err)
			}
		}
	}
	return nil
}
