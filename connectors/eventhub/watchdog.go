package eventhub

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// watch reads the high watermarks every CheckEvery and reports partitions
// that stand still behind them.
func (c *Connector) watch(ctx context.Context, cl *kgo.Client) {
	t := time.NewTicker(c.cfg.CheckEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		c.check(ctx, cl)
	}
}

// check is one watchdog round.
func (c *Connector) check(ctx context.Context, cl *kgo.Client) {
	c.mu.Lock()
	want := map[string][]int32{}
	for k := range c.parts {
		want[k.hub] = append(want[k.hub], k.partition)
	}
	c.mu.Unlock()
	if len(want) == 0 {
		c.checkUnassigned()
		return
	}
	c.mu.Lock()
	c.unassignedSince, c.st.Unassigned = time.Time{}, false
	c.mu.Unlock()
	rctx, cancel := context.WithTimeout(ctx, c.cfg.CheckEvery)
	defer cancel()
	hw, err := listOffsets(rctx, cl, want, -1)
	if err != nil {
		if ctx.Err() == nil {
			c.fail(fmt.Errorf("read the hubs' high watermarks: %w", err))
		}
		return
	}
	// The oldest retained offsets: a partition nothing was read from
	// starts there, and a position retention overtook moves up to it.
	start, _ := listOffsets(rctx, cl, want, -2)
	now := c.cfg.Now()
	var stalled []string
	c.mu.Lock()
	for k, p := range c.parts {
		h, ok := hw[k]
		if !ok {
			continue
		}
		p.HighWatermark = h
		if s, ok := start[k]; ok && p.Position < s {
			if p.Position < 0 && c.cfg.StartAtEnd {
				p.Position = h
			} else {
				p.Position = s
			}
		}
		if p.Position < 0 {
			continue
		}
		p.Lag = max(h-p.Position, 0)
		switch {
		case p.Lag == 0:
			p.movedAt, p.seenPos = now, p.Position
			if p.Stalled {
				c.cfg.Logf("event hubs connector: hub %s partition %d caught up at offset %d", k.hub, k.partition, p.Position)
			}
			p.Stalled, p.StalledSince = false, nil
		case p.Position != p.seenPos:
			if p.Stalled {
				c.cfg.Logf("event hubs connector: hub %s partition %d moves again at offset %d", k.hub, k.partition, p.Position)
			}
			p.movedAt, p.seenPos = now, p.Position
			p.Stalled, p.StalledSince = false, nil
		case !p.Stalled && now.Sub(p.movedAt) >= c.cfg.StallAfter:
			since := p.movedAt
			p.Stalled, p.StalledSince = true, &since
			msg := fmt.Sprintf("stalled: no progress for %s at offset %d while the broker has offsets up to %d (lag %d)",
				now.Sub(p.movedAt).Round(time.Second), p.Position, h-1, p.Lag)
			p.LastError, p.LastErrorTime = msg, &now
			c.st.LastError, c.st.LastErrorTime = fmt.Sprintf("hub %s partition %d %s", k.hub, k.partition, msg), &now
			stalled = append(stalled, fmt.Sprintf("hub %s partition %d %s", k.hub, k.partition, msg))
		}
	}
	c.mu.Unlock()
	for _, s := range stalled {
		c.cfg.Logf("event hubs connector: %s", s)
	}
}

// checkUnassigned reports a connector that has held no partition for
// StallAfter: the group is rebalancing (after a crash, until the old
// member's session times out), another member holds every partition, or
// the hubs do not exist. Nothing is read meanwhile, so it is not left
// silent.
func (c *Connector) checkUnassigned() {
	now := c.cfg.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.unassignedSince.IsZero() {
		c.unassignedSince = now
		return
	}
	if c.st.Unassigned || now.Sub(c.unassignedSince) < c.cfg.StallAfter {
		return
	}
	c.st.Unassigned = true
	msg := fmt.Sprintf("no partition of %s assigned for %s (the consumer group is rebalancing, another member holds them, or the hubs do not exist)",
		strings.Join(c.cfg.Hubs, ","), now.Sub(c.unassignedSince).Round(time.Second))
	c.st.LastError, c.st.LastErrorTime = msg, &now
	c.cfg.Logf("event hubs connector: %s", msg)
}

// listOffsets asks the partitions' leaders for their latest (-1) or
// earliest (-2) offsets.
func listOffsets(ctx context.Context, cl *kgo.Client, parts map[string][]int32, ts int64) (map[tp]int64, error) {
	req := kmsg.NewPtrListOffsetsRequest()
	req.ReplicaID = -1
	for hub, ps := range parts {
		t := kmsg.NewListOffsetsRequestTopic()
		t.Topic = hub
		for _, p := range ps {
			rp := kmsg.NewListOffsetsRequestTopicPartition()
			rp.Partition, rp.Timestamp, rp.CurrentLeaderEpoch = p, ts, -1
			t.Partitions = append(t.Partitions, rp)
		}
		req.Topics = append(req.Topics, t)
	}
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return nil, err
	}
	out := map[tp]int64{}
	var firstErr error
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
				if firstErr == nil {
					firstErr = fmt.Errorf("hub %s partition %d: %w", t.Topic, p.Partition, err)
				}
				continue
			}
			out[tp{t.Topic, p.Partition}] = p.Offset
		}
	}
	if len(out) == 0 && firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}
