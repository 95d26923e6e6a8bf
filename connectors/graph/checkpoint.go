package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/idlogs/idlogs/internal/atomicfile"
)

// checkpoint is a feed's durable position, one JSON file per feed in the
// state directory, replaced atomically after every page.
//
// Every resource with a time before Mark-Overlap has been emitted (as far
// as the tenant showed it Overlap after its time); Seen holds the dedupe
// keys of the resources emitted with a later time, so the overlap is read
// again without emitting them twice. A query in progress is resumed from
// NextLink (and if Graph no longer takes the link, asked again from Mark
// with Seen dropping what was emitted).
type checkpoint struct {
	// Mark is how far the feed is read.
	Mark time.Time `json:"mark"`
	// Seen maps the dedupe keys of resources at or after Mark-Overlap to
	// their times.
	Seen map[string]time.Time `json:"seen"`
	// NextLink is the next page of the query in progress, if any.
	NextLink string `json:"nextLink,omitempty"`
	// QueryTo is the upper time bound of the query in progress.
	QueryTo time.Time `json:"queryTo,omitzero"`
	// Order is the order the query in progress has come in so far:
	// "" (not known yet), "asc", "desc" or "mixed".
	Order string `json:"order,omitempty"`
	// Last is the time of the last resource of the query in progress, and
	// Low the earliest.
	Last time.Time `json:"last,omitzero"`
	Low  time.Time `json:"low,omitzero"`
	// NoOrderBy is set once the tenant refused $orderby on the feed.
	NoOrderBy bool `json:"noOrderBy,omitempty"`
	// Pending is the page being emitted, saved before the sink is called
	// when the sink can be read back (LogSink).
	Pending *pending `json:"pending,omitempty"`
}

// pending is a page handed to a LogSink: the sink's last sequence number
// before it, and the page's keys with their times.
type pending struct {
	After uint64               `json:"after"`
	Keys  map[string]time.Time `json:"keys"`
}

func checkpointPath(dir, feed string) string { return filepath.Join(dir, feed+".json") }

// loadCheckpoint reads a feed's checkpoint; a missing file is a new feed.
func loadCheckpoint(dir, feed string) (*checkpoint, error) {
	data, err := os.ReadFile(checkpointPath(dir, feed))
	if errors.Is(err, os.ErrNotExist) {
		return &checkpoint{Seen: map[string]time.Time{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read checkpoint of %s: %w", feed, err)
	}
	var c checkpoint
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("checkpoint %s is damaged: %w", checkpointPath(dir, feed), err)
	}
	if c.Seen == nil {
		c.Seen = map[string]time.Time{}
	}
	return &c, nil
}

func (c *checkpoint) save(dir, feed string) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(checkpointPath(dir, feed), data, 0o600); err != nil {
		return fmt.Errorf("save checkpoint of %s: %w", feed, err)
	}
	return nil
}

// observe notes a resource's time in the order of the query in progress.
func (c *checkpoint) observe(t time.Time) {
	switch {
	case c.Last.IsZero() || t.Equal(c.Last):
	case t.After(c.Last) && c.Order == "":
		c.Order = "asc"
	case t.Before(c.Last) && c.Order == "":
		c.Order = "desc"
	case t.After(c.Last) && c.Order == "desc", t.Before(c.Last) && c.Order == "asc":
		c.Order = "mixed"
	}
	c.Last = t
	if c.Low.IsZero() || t.Before(c.Low) {
		c.Low = t
	}
}

// startQuery resets the state of a query in progress.
func (c *checkpoint) startQuery(to time.Time) {
	c.QueryTo, c.Order, c.Last, c.Low, c.NextLink = to, "", time.Time{}, time.Time{}, ""
}

// pruneBetween forgets the keys of resources after lo and before hi.
func (c *checkpoint) pruneBetween(lo, hi time.Time) {
	for k, t := range c.Seen {
		if t.After(lo) && t.Before(hi) {
			delete(c.Seen, k)
		}
	}
}

// prune forgets the keys of resources before from.
func (c *checkpoint) prune(from time.Time) {
	for k, t := range c.Seen {
		if t.Before(from) {
			delete(c.Seen, k)
		}
	}
}
