package simulate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/idlogs/idlogs/workspace/schema"
)

// TestPlanted: three days before Now hold one threat of every kind, and
// the alerts name the users and addresses of the threats.
func TestPlanted(t *testing.T) {
	s := New(Options{Seed: 1, Users: 300, TenantID: tenantID, Now: now})
	got := s.Planted(now.Add(-72*time.Hour), now)
	kinds := map[string]bool{}
	for _, in := range got {
		kinds[in.Kind] = true
		if len(in.Users) == 0 || in.IP == "" {
			t.Errorf("%+v: no users or address", in)
		}
	}
	for _, k := range []string{ThreatPasswordSpray, ThreatImpossibleTravel, ThreatAnonymousIP, ThreatMFAFatigue, ThreatSuspiciousConsent, ThreatPrivilegedRole} {
		if !kinds[k] {
			t.Errorf("no %s in the last three days: %+v", k, got)
		}
	}
	if all := s.Planted(now.Add(-30*24*time.Hour), now); len(all) <= len(got) {
		t.Errorf("%d threats in a month, %d in three days", len(all), len(got))
	}
	alerted := map[string]bool{}
	for _, r := range s.alerts {
		alerted[r.Values["CompromisedEntity"].(string)] = true
	}
	for _, in := range got {
		if in.RiskySignIn && !alerted[in.Users[0]] {
			t.Errorf("%s of %s: no alert", in.Kind, in.Users[0])
		}
	}
}

// TestRows: the rows fill columns their tables have, and the slow hours
// are slow.
func TestRows(t *testing.T) {
	s := New(Options{Seed: 1, Users: 1000, TenantID: tenantID, Now: now})
	from := now.Add(-72 * time.Hour)
	byTable := map[string]int{}
	durations := map[bool][]float64{}
	cols := map[string]map[string]bool{}
	for _, tbl := range schema.Tables() {
		cols[tbl.Name] = map[string]bool{}
		for _, f := range tbl.Schema {
			cols[tbl.Name][f.Name] = true
		}
	}
	err := s.RowsBetween(from, now, func(rows []Row) error {
		for _, r := range rows {
			byTable[r.Table]++
			for c := range r.Values {
				if !cols[r.Table][c] {
					t.Fatalf("%s has no column %s", r.Table, c)
				}
			}
			if r.Table == TableAppRequests {
				slow := s.isSlow(r.Time)
				durations[slow] = append(durations[slow], r.Values["DurationMs"].(float64))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if byTable[TableSecurityAlert] == 0 || byTable[TableAppRequests] < 1000 || byTable[TableAppPerformanceCounters] < 3*2*12*72 {
		t.Fatalf("rows per table: %v", byTable)
	}
	if n := len(s.SlowHours(from, now)); n != 2 {
		t.Fatalf("%d slow hours in three days, want 2", n)
	}
	p95 := func(xs []float64) float64 {
		sort.Float64s(xs)
		return xs[len(xs)*95/100]
	}
	if slow, normal := p95(durations[true]), p95(durations[false]); slow < 5*normal || normal > 1000 {
		t.Errorf("p95 %.0f ms in slow hours, %.0f ms otherwise", slow, normal)
	}
	if !slices.IsSortedFunc(s.alerts, func(a, b Row) int { return a.Time.Compare(b.Time) }) {
		t.Error("alerts out of order")
	}
}

// TestNewGUID: the hand-written GUID is the version 4 layout fmt would
// print.
func TestNewGUID(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ref := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		a, b := ref.Uint64(), ref.Uint64()
		a = a&^0xf000 | 0x4000
		b = b&^(0xc<<60) | 0x8<<60
		want := fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
		if got := newGUID(rng); got != want {
			t.Fatalf("newGUID = %s, want %s", got, want)
		}
	}
}
