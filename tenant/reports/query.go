package reports

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/store"
)

// Item is one report entry: a Graph resource and where it sorts.
type Item struct {
	// Time is the activity's time in ticks (types.TicksFromTime).
	Time int64
	ID   string
	// Kind is the sign-in event type of a sign-in, else "".
	Kind       string
	Properties json.RawMessage
	// props is the properties' text until the item is on a page.
	props string
}

// Key is a position in a feed's order: time, then id.
type Key struct {
	Time int64
	ID   string
}

// Key returns the item's position.
func (it *Item) Key() Key { return Key{it.Time, it.ID} }

// Query selects items of a feed.
type Query struct {
	// Min and Max bound the items' times in ticks: Min <= Time < Max. Zero
	// Max means no upper bound.
	Min, Max int64
	// Kinds keeps only items of these sign-in event types; nil keeps all.
	Kinds []string
	// Desc orders newest first; else oldest first. Items of one time are
	// ordered by id, descending with Desc.
	Desc bool
	// After, when set, keeps only items after this position in the order
	// (the last item of the previous page).
	After *Key
	// Match, when set, keeps only items it accepts; it sees the item's
	// properties.
	Match func(*Item) bool
	// Limit is the most items returned; it must be positive.
	Limit int
}

// Page is the answer to a Query.
type Page struct {
	Items []Item
	// More is true when items after the last one match the query.
	More bool
}

// firstWindow is the time span the first scan of a query reads; each
// further scan doubles it until the page is full or the range is read. A
// page of a busy tenant's sign-ins spans minutes; a quiet feed costs a few
// more scans, each skipping the blocks outside its window.
const firstWindow = time.Minute

// Query returns the first q.Limit items of feed that q selects.
//
// It reads the table in windows of growing size from the end the order
// starts at (newest for Desc), so a page of recent items reads only the
// recent blocks; a window that yields more than a page holds the page,
// because every item outside it sorts after every item in it.
func (s *Store) Query(feed Feed, q Query) (Page, error) {
	t, ok := s.tables[feed]
	if !ok {
		return Page{}, fmt.Errorf("reports: no feed %q", feed)
	}
	if q.Limit <= 0 {
		return Page{}, fmt.Errorf("reports: query limit %d must be positive", q.Limit)
	}
	lo, hi := q.Min, q.Max
	if hi == 0 {
		hi = math.MaxInt64
	}
	if q.After != nil {
		if q.Desc {
			hi = min(hi, q.After.Time+1)
		} else {
			lo = max(lo, q.After.Time)
		}
	}
	if lo >= hi {
		return Page{}, nil
	}
	now := types.TicksFromTime(s.opt.Now())
	// Unbounded ends start from now; rows past it (clock skew) are still
	// read because the first window of a descending query is open above.
	w := int64(firstWindow / 100)
	for {
		wlo, whi := lo, hi
		full := true
		if q.Desc {
			anchor := min(hi, now)
			if anchor-w > max(lo, s.oldest[feed].Load()) {
				wlo, full = anchor-w, false
			}
		} else {
			wlo = max(lo, s.oldest[feed].Load())
			if wlo >= hi {
				return Page{}, nil
			}
			if end := wlo + min(w, math.MaxInt64-wlo); end < hi && end <= now {
				whi, full = end, false
			}
		}
		items, err := s.read(t, q, wlo, whi)
		if err != nil {
			return Page{}, err
		}
		if len(items) > q.Limit || full {
			sortItems(items, q.Desc)
			more := len(items) > q.Limit
			if more {
				items = items[:q.Limit]
			}
			for i := range items {
				if items[i].Properties == nil {
					items[i].Properties = json.RawMessage(items[i].props)
				}
				items[i].props = ""
			}
			return Page{Items: items, More: more}, nil
		}
		if w > math.MaxInt64/4 {
			w = math.MaxInt64 / 2
		} else {
			w *= 2
		}
	}
}

func sortItems(items []Item, desc bool) {
	slices.SortFunc(items, func(a, b Item) int {
		c := cmp.Or(cmp.Compare(a.Time, b.Time), cmp.Compare(a.ID, b.ID))
		if desc {
			return -c
		}
		return c
	})
}

// after reports whether k sorts after pos in the order.
func after(k, pos Key, desc bool) bool {
	c := cmp.Or(cmp.Compare(k.Time, pos.Time), cmp.Compare(k.ID, pos.ID))
	if desc {
		return c < 0
	}
	return c > 0
}

// read returns the items of t with lo <= time < hi that q selects.
func (s *Store) read(t *store.Table, q Query, lo, hi int64) ([]Item, error) {
	var items []Item
	err := scan(t, nil, lo, hi, func(b *vec.Batch, i int) {
		if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, b.Cols[colKind].Str(i)) {
			return
		}
		it := Item{Time: b.Cols[colTime].Int(i), ID: b.Cols[colID].Str(i), Kind: b.Cols[colKind].Str(i)}
		if q.After != nil && !after(it.Key(), *q.After, q.Desc) {
			return
		}
		// Properties are copied only for the rows of the page (or for
		// Match): a window may hold many more rows than a page.
		it.props = b.Cols[colProps].Str(i)
		if q.Match != nil {
			it.Properties = json.RawMessage(it.props)
			if !q.Match(&it) {
				return
			}
		}
		items = append(items, it)
	})
	return items, err
}

// scan calls fn for each row of t whose time is in [lo, hi), reading the
// columns cols (nil: all; the time column is then column colTime).
func scan(t *store.Table, cols []int, lo, hi int64, fn func(b *vec.Batch, row int)) error {
	req := &plan.ScanRequest{TimeColumn: colTime, MinTime: lo, MaxTime: hi}
	timeAt := colTime
	if cols != nil {
		req.Columns = append(slices.Clone(cols), colTime)
		timeAt = len(cols)
	}
	it, err := t.Scan(req)
	if err != nil {
		return fmt.Errorf("read %s: %w", t.Name(), err)
	}
	defer it.Close()
	for {
		b, err := it.Next()
		if err != nil {
			return fmt.Errorf("read %s: %w", t.Name(), err)
		}
		if b == nil {
			return nil
		}
		tc := b.Cols[timeAt]
		for i := range b.N {
			if x := tc.Int(i); x >= lo && x < hi {
				fn(b, i)
			}
		}
	}
}

// Get returns the item of feed with the given id (matched exactly), and
// whether there is one. It reads the feed's Id column whole: a lookup by
// id is rare next to reads by time.
func (s *Store) Get(feed Feed, id string) (Item, bool, error) {
	t, ok := s.tables[feed]
	if !ok {
		return Item{}, false, fmt.Errorf("reports: no feed %q", feed)
	}
	at, found := int64(0), false
	err := scan(t, []int{colID}, math.MinInt64, math.MaxInt64, func(b *vec.Batch, i int) {
		if !found && b.Cols[0].Str(i) == id {
			at, found = b.Cols[1].Int(i), true
		}
	})
	if err != nil || !found {
		return Item{}, false, err
	}
	var it Item
	err = scan(t, nil, at, at+1, func(b *vec.Batch, i int) {
		if b.Cols[colID].Str(i) == id {
			it = Item{Time: at, ID: id, Kind: b.Cols[colKind].Str(i), Properties: json.RawMessage(b.Cols[colProps].Str(i))}
		}
	})
	return it, it.ID != "", err
}
