package reports

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/store"
)

// benchStore fills a store with n sign-ins over 30 days before t0+1h,
// each with a Graph resource of about 2 KB.
func benchStore(b testing.TB, n int) *Store {
	e := newEnv(b)
	pad := make([]byte, 1800)
	for i := range pad {
		pad[i] = 'a' + byte(i%26)
	}
	span := 30 * 24 * time.Hour
	var recs []activity.Record
	emitStart := time.Now()
	defer func() { b.Logf("emitted %d records in %v", n, time.Since(emitStart)) }()
	for i := range n {
		at := t0.Add(time.Hour - span + span/time.Duration(n)*time.Duration(i))
		r := rec(activity.SignInLogs, at, fmt.Sprintf("%08d-0000-0000-0000-000000000000", i), tenantID)
		r.Properties = fmt.Appendf(nil, `{"id":"%08d-0000-0000-0000-000000000000","createdDateTime":%q,"pad":%q}`, i, at.Format(time.RFC3339Nano), pad)
		recs = append(recs, r)
		if len(recs) == 5000 {
			if err := e.log.Emit(context.Background(), recs...); err != nil {
				b.Fatal(err)
			}
			recs = recs[:0]
		}
	}
	// The store options the server gives the reports.
	s, err := Open(b.TempDir(), e.db, Options{TenantID: tenantID, Now: func() time.Time { return t0.Add(time.Hour) },
		Store: store.Options{CacheBytes: 64 << 20}})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx, e.log) }()
	for s.Position() < e.log.Last() {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	b.Logf("stored %d records in %v (%.0f records/s)", n, time.Since(start), float64(n)/time.Since(start).Seconds())
	return s
}

// BenchmarkQueryPage reads the newest page of 1000 sign-ins and a page of
// one hour ten days back, from 100,000 sign-ins over 30 days.
func BenchmarkQueryPage(b *testing.B) {
	s := benchStore(b, 100_000)
	defer s.Close()
	s.st.Flush()
	b.Run("newest", func(b *testing.B) {
		for b.Loop() {
			p, err := s.Query(SignIns, Query{Desc: true, Limit: 1000})
			if err != nil || len(p.Items) != 1000 {
				b.Fatal(err, len(p.Items))
			}
		}
	})
	b.Run("hour-10-days-back", func(b *testing.B) {
		lo := types.TicksFromTime(t0.Add(-10 * 24 * time.Hour))
		for b.Loop() {
			p, err := s.Query(SignIns, Query{Min: lo, Max: lo + int64(time.Hour/100), Limit: 1000})
			if err != nil || len(p.Items) == 0 {
				b.Fatal(err, len(p.Items))
			}
		}
	})
}
