package risk

import (
	"testing"
	"time"
)

// BenchmarkAssessFamiliar is the common case: a known user signing in
// from a known address and client.
func BenchmarkAssessFamiliar(b *testing.B) {
	e, _ := newEngine(b, Options{})
	a := user(1, t0, "192.0.2.10")
	a.Succeeded = true
	if _, err := e.Assess(a); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		a.Time = t0.Add(time.Duration(i) * time.Second)
		if _, err := e.Assess(a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAssessFailure is a wrong password from one of many addresses,
// below the spray threshold.
func BenchmarkAssessFailure(b *testing.B) {
	e, _ := newEngine(b, Options{})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		a := user(i%5, t0.Add(time.Duration(i)*time.Millisecond), "198.51.100."+string(rune('0'+i%10)))
		a.FailedPassword = true
		if _, err := e.Assess(a); err != nil {
			b.Fatal(err)
		}
	}
}
