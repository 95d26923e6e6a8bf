package main

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
)

// loadStats is what loading the dataset into one engine measured.
type loadStats struct {
	Rows        int     `json:"rows"`
	Seconds     float64 `json:"seconds"`
	RowsPerSec  float64 `json:"rows_per_sec"`
	DiskBytes   int64   `json:"disk_bytes"`
	BytesPerRow float64 `json:"bytes_per_row"`
}

func (s *loadStats) finish(elapsed time.Duration, disk int64) {
	s.Seconds = elapsed.Seconds()
	s.RowsPerSec = float64(s.Rows) / s.Seconds
	s.DiskBytes = disk
	if s.Rows > 0 {
		s.BytesPerRow = float64(disk) / float64(s.Rows)
	}
}

// loadIdlogs appends the dataset to t chunk by chunk. The time counted is
// converting rows to column batches and appending them, not generating.
func loadIdlogs(t target, rows int, seed uint64) (loadStats, error) {
	g := newGenerator(rows, seed)
	buf := make([]signin, chunkRows)
	var st loadStats
	var elapsed time.Duration
	for {
		n := g.next(buf)
		if n == 0 {
			break
		}
		start := time.Now()
		if err := t.Append(toBatch(buf[:n])); err != nil {
			return st, err
		}
		elapsed += time.Since(start)
		st.Rows += n
	}
	// A store flushes its tail to segments in the background; the load
	// counts as done when that work is done too.
	if f, ok := t.(interface{ Flush() error }); ok {
		start := time.Now()
		if err := f.Flush(); err != nil {
			return st, err
		}
		elapsed += time.Since(start)
	}
	st.finish(elapsed, t.DiskBytes())
	return st, nil
}

// idlogsEngine returns the engine the queries run on, its clock fixed at
// the end of the dataset.
func idlogsEngine(t target) *engine.Engine {
	return &engine.Engine{Catalog: t.Catalog(), Now: func() time.Time { return genEnd }}
}

// runIdlogs runs q once and returns its result.
func runIdlogs(e *engine.Engine, q query) (table, error) {
	res, err := e.Query(context.Background(), q.kql)
	if err != nil {
		return nil, err
	}
	return fromEngine(res)
}

// latencyStats is the append-to-queryable latency: how long after Append
// returns a query first sees the appended batch.
type latencyStats struct {
	Batches       int     `json:"batches"`
	BatchRows     int     `json:"batch_rows"`
	TargetRowsSec int     `json:"target_rows_per_sec"`
	RowsPerSec    float64 `json:"achieved_rows_per_sec"`
	P50Ms         float64 `json:"p50_ms"`
	P99Ms         float64 `json:"p99_ms"`
	MaxMs         float64 `json:"max_ms"`
}

// measureLatency appends batchRows-row batches at rate rows per second for
// dur and, after each append, polls a query for the batch's first Id until
// it finds it. When queries are slower than the pace, fewer batches go in.
func measureLatency(t target, e *engine.Engine, seed uint64, batchRows, rate int, dur time.Duration) (latencyStats, error) {
	st := latencyStats{BatchRows: batchRows, TargetRowsSec: rate}
	batches := int(dur.Seconds() * float64(rate) / float64(batchRows))
	g := newGenerator(batches*batchRows, seed)
	buf := make([]signin, batchRows)
	interval := time.Duration(float64(time.Second) * float64(batchRows) / float64(rate))
	var lat []time.Duration
	begin := time.Now()
	appended := 0
	for i := 0; i < batches && time.Since(begin) < dur; i++ {
		if wait := time.Until(begin.Add(time.Duration(i) * interval)); wait > 0 {
			time.Sleep(wait)
		}
		n := g.next(buf)
		// The appended rows arrive "now": after the loaded data.
		ts := types.TicksFromTime(genEnd) + int64(i)*types.TicksPerMillisecond
		for r := range buf[:n] {
			buf[r].Time = ts
		}
		marker := buf[0].ID
		b := toBatch(buf[:n])
		if err := t.Append(b); err != nil {
			return st, err
		}
		appendedAt := time.Now()
		appended += n
		q := fmt.Sprintf(`SigninLogs | where TimeGenerated >= datetime(%s) and Id == %q | count`,
			types.TimeFromTicks(ts).Format(time.RFC3339Nano), marker)
		for {
			res, err := e.Query(context.Background(), q)
			if err != nil {
				return st, fmt.Errorf("latency query: %w", err)
			}
			if res[0].Rows.N == 1 && res[0].Value(0, 0).I == 1 {
				break
			}
			if time.Since(appendedAt) > 10*time.Second {
				return st, fmt.Errorf("batch %d not visible 10 s after Append returned", i)
			}
		}
		lat = append(lat, time.Since(appendedAt))
	}
	st.Batches = len(lat)
	st.RowsPerSec = float64(appended) / time.Since(begin).Seconds()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		st.P50Ms = ms(lat[len(lat)/2])
		st.P99Ms = ms(lat[(len(lat)*99)/100])
		st.MaxMs = ms(lat[len(lat)-1])
	}
	return st, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
