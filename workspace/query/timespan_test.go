package query

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/types"
)

var testNow = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

func TestParseTimespan(t *testing.T) {
	f, err := os.Open("testdata/timespans.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "|")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		n++
		got, err := ParseTimespan(parts[0], testNow)
		if want, isErr := strings.CutPrefix(parts[1], "error: "); isErr {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%q: error %v, want one containing %q", parts[0], err, want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", parts[0], err)
			continue
		}
		start, end := types.FormatDatetime(got.Start), types.FormatDatetime(got.End-1)
		if start != parts[1] || end != parts[2] {
			t.Errorf("%q: got %s .. %s, want %s .. %s", parts[0], start, end, parts[1], parts[2])
		}
	}
	if n < 10 {
		t.Fatalf("only %d cases read", n)
	}
}

func TestParsePrefer(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want Prefer
	}{
		{[]string{"wait=180,include-statistics=true,include-render=true"}, Prefer{Wait: 180 * time.Second, Statistics: true, Render: true}},
		{[]string{"include-statistics=true,include-render=true,wait=30"}, Prefer{Wait: 30 * time.Second, Statistics: true, Render: true}},
		{[]string{"include-render=false", "wait=x, include-dataSources=true"}, Prefer{DataSources: true}},
		{[]string{"ai.include-error-payload=true;x=1, include-permissions=TRUE"}, Prefer{ErrorPayload: true, Permissions: true}},
		{nil, Prefer{}},
	} {
		if got := ParsePrefer(tc.in...); got != tc.want {
			t.Errorf("ParsePrefer(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func FuzzParseTimespan(f *testing.F) {
	for _, s := range []string{"PT2H", "P1D", "P7DT12H", "2022-11-24T13:00:53.000Z/2022-11-24T13:30:56.644Z", "PT1H/2022-11-24T13:00:00Z", "P99999999Y", "PT.S"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		iv, err := ParseTimespan(s, testNow)
		if err == nil && (iv.Start > iv.End || iv.Start < types.MinDatetime || iv.End > types.MaxDatetime+1) {
			t.Errorf("%q: interval %+v out of order or range", s, iv)
		}
	})
}
