// Command bench compares the idlogs workspace store and KQL engine with
// DuckDB on a generated SigninLogs dataset: load rate, bytes per row on
// disk, warm query latency, peak memory of the query suite and
// append-to-queryable latency.
//
//	go run . [-rows 5000000] [-runs 5] [-json out.json]
//
// It is a module of its own so that DuckDB (cgo) never enters the idlogs
// module.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"time"
)

// report is everything one run measured; it is written as JSON.
type report struct {
	Machine     machine   `json:"machine"`
	Rows        int       `json:"rows"`
	Runs        int       `json:"runs"`
	Seed        uint64    `json:"seed"`
	DuckVersion string    `json:"duckdb_version"`
	DuckThreads int64     `json:"duckdb_threads"`
	IdlogsLoad  loadStats `json:"idlogs_load"`
	DuckLoad    loadStats `json:"duckdb_load"`
	// IdlogsSettle is the background merging that was still to do after
	// the load (Store.Compact): done before the queries, outside the load
	// time, so that they run on a settled store as they would later.
	IdlogsSettle settleStats   `json:"idlogs_settle"`
	Queries      []queryResult `json:"queries"`
	GeoMean      float64       `json:"geomean_ratio"`
	IdlogsRSS    rssStats      `json:"idlogs_query_rss"`
	DuckRSS      rssStats      `json:"duckdb_query_rss"`
	Latency      latencyStats  `json:"idlogs_append_latency"`
	Mismatches   int           `json:"mismatches"`
	TotalSecond  float64       `json:"total_seconds"`
}

// settleStats is the merging left after a load.
type settleStats struct {
	Seconds     float64 `json:"seconds"`
	BytesPerRow float64 `json:"bytes_per_row"`
}

type queryResult struct {
	Name     string  `json:"name"`
	Desc     string  `json:"desc"`
	KQL      string  `json:"kql"`
	SQL      string  `json:"sql"`
	IdlogsMs float64 `json:"idlogs_ms"`
	DuckMs   float64 `json:"duckdb_ms"`
	Ratio    float64 `json:"ratio"`
	Rows     int     `json:"rows"`
	First    string  `json:"first_row"`
	Error    string  `json:"error,omitempty"`
	Mismatch string  `json:"mismatch,omitempty"`
}

type rssStats struct {
	BeforeMiB float64 `json:"before_mib"`
	PeakMiB   float64 `json:"peak_mib"`
}

func main() {
	rows := flag.Int("rows", 5_000_000, "rows to generate")
	runs := flag.Int("runs", 5, "timed runs per query (median reported), after one warm-up")
	seed := flag.Uint64("seed", 1, "generator seed")
	jsonOut := flag.String("json", "", "write the report as JSON to this file")
	dir := flag.String("dir", "", "directory for the databases (default: a new temporary directory, removed after)")
	latency := flag.Duration("latency", 10*time.Second, "duration of the append-to-queryable test (0 skips it)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	only := flag.String("q", "", "run only these queries (comma-separated names, e.g. Q1,Q4)")
	flag.Int64Var(&memLimitMiB, "memlimit", 1024, "Go soft memory limit in MiB while the idlogs queries run, as a server sets it (GOMEMLIMIT); 0 leaves the runtime's default")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(os.Stdout, *rows, *runs, *seed, *jsonOut, *dir, *latency, *only); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(out io.Writer, rows, runs int, seed uint64, jsonOut, dir string, latency time.Duration, only string) error {
	begin := time.Now()
	if runs < 1 {
		return fmt.Errorf("-runs must be at least 1, got %d", runs)
	}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "idlogs-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	rep := &report{Machine: machineInfo(), Rows: rows, Runs: runs, Seed: seed}
	g := newGenerator(0, seed)
	qs := queries(genEnd, g.lookupIP(), g.lookupUPN())
	if only != "" {
		want := map[string]bool{}
		for _, name := range strings.Split(only, ",") {
			want[strings.TrimSpace(name)] = true
		}
		qs = slices.DeleteFunc(qs, func(q query) bool { return !want[q.name] })
		if len(qs) == 0 {
			return fmt.Errorf("-q %s matches no query", only)
		}
	}
	results := make([]table, len(qs))
	rep.Queries = make([]queryResult, len(qs))
	for i, q := range qs {
		rep.Queries[i] = queryResult{Name: q.name, Desc: q.desc, KQL: q.kql, SQL: q.sql}
	}

	// idlogs first, so DuckDB's memory is not in its peak.
	fmt.Fprintf(out, "idlogs: loading %d rows...\n", rows)
	if err := benchIdlogs(out, rep, qs, results, filepath.Join(dir, "idlogs"), rows, runs, seed, latency); err != nil {
		return err
	}
	runtime.GC()
	debug.FreeOSMemory()

	fmt.Fprintf(out, "DuckDB: loading %d rows...\n", rows)
	if err := benchDuck(out, rep, qs, results, filepath.Join(dir, "duck.db"), rows, runs, seed); err != nil {
		return err
	}
	rep.GeoMean = geoMean(rep.Queries)
	rep.Machine.LoadEnd = loadAvg()
	rep.TotalSecond = time.Since(begin).Seconds()
	printReport(out, rep)
	if jsonOut != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(jsonOut, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	if rep.Mismatches > 0 {
		return fmt.Errorf("%d queries disagree between idlogs and DuckDB", rep.Mismatches)
	}
	return nil
}

// memLimitMiB is the -memlimit flag.
var memLimitMiB int64

func benchIdlogs(out io.Writer, rep *report, qs []query, results []table, dir string, rows, runs int, seed uint64, latency time.Duration) (err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	t, err := openTarget(dir, schema())
	if err != nil {
		return err
	}
	defer func() {
		if cerr := t.Close(); err == nil {
			err = cerr
		}
	}()
	if rep.IdlogsLoad, err = loadIdlogs(t, rows, seed); err != nil {
		return fmt.Errorf("idlogs load: %w", err)
	}
	if c, ok := t.(interface{ Compact() error }); ok {
		start := time.Now()
		if err := c.Compact(); err != nil {
			return fmt.Errorf("idlogs compact: %w", err)
		}
		rep.IdlogsSettle = settleStats{Seconds: time.Since(start).Seconds(), BytesPerRow: float64(t.DiskBytes()) / float64(rows)}
	}
	e := idlogsEngine(t)
	// Memory the load used and freed goes back to the system first, and
	// the queries run under the soft memory limit a server runs with.
	runtime.GC()
	debug.FreeOSMemory()
	if memLimitMiB > 0 {
		old := debug.SetMemoryLimit(memLimitMiB << 20)
		defer debug.SetMemoryLimit(old)
	}
	resetPeakRSS()
	rep.IdlogsRSS.BeforeMiB = currentRSS()
	for i, q := range qs {
		var res table
		d, err := timeRuns(runs, func() error {
			var err error
			res, err = runIdlogs(e, q)
			return err
		})
		r := &rep.Queries[i]
		if err != nil {
			r.Error = "idlogs: " + err.Error()
			fmt.Fprintf(out, "  %s idlogs FAILED: %v\n", q.name, err)
			continue
		}
		r.IdlogsMs, r.Rows, results[i] = ms(d), len(res), res
		if len(res) > 0 {
			r.First = strings.Join(res[0], ", ")
		}
		fmt.Fprintf(out, "  %s idlogs %.1f ms, %d rows\n", q.name, r.IdlogsMs, r.Rows)
	}
	rep.IdlogsRSS.PeakMiB = peakRSS()
	if latency > 0 {
		if rep.Latency, err = measureLatency(t, e, seed+1, 1000, 20_000, latency); err != nil {
			return fmt.Errorf("append latency: %w", err)
		}
	}
	return nil
}

func benchDuck(out io.Writer, rep *report, qs []query, results []table, path string, rows, runs int, seed uint64) error {
	d, err := openDuck(path)
	if err != nil {
		return err
	}
	defer d.Close()
	if rep.DuckVersion, rep.DuckThreads, err = d.settings(); err != nil {
		return fmt.Errorf("DuckDB settings: %w", err)
	}
	if rep.DuckLoad, err = d.load(rows, seed); err != nil {
		return fmt.Errorf("DuckDB load: %w", err)
	}
	resetPeakRSS()
	rep.DuckRSS.BeforeMiB = currentRSS()
	defer func() { rep.DuckRSS.PeakMiB = peakRSS() }()
	for i, q := range qs {
		var res table
		dur, err := timeRuns(runs, func() error {
			var err error
			res, err = d.run(q)
			return err
		})
		r := &rep.Queries[i]
		if err != nil {
			r.Error += " duckdb: " + err.Error()
			fmt.Fprintf(out, "  %s DuckDB FAILED: %v\n", q.name, err)
			rep.Mismatches++
			continue
		}
		r.DuckMs = ms(dur)
		if r.IdlogsMs > 0 && r.DuckMs > 0 {
			r.Ratio = r.IdlogsMs / r.DuckMs
		}
		fmt.Fprintf(out, "  %s DuckDB %.1f ms, %d rows\n", q.name, r.DuckMs, len(res))
		if r.Error != "" {
			rep.Mismatches++
			continue
		}
		if q.check != "" {
			if res, err = d.run(query{sql: q.check}); err != nil {
				return fmt.Errorf("%s check query: %w", q.name, err)
			}
		}
		if m := compare(q, results[i], res); m != "" {
			r.Mismatch = m
			rep.Mismatches++
			fmt.Fprintf(out, "  %s MISMATCH: %s\n", q.name, m)
		}
	}
	return nil
}

// timeRuns runs f once to warm up, then runs times, and returns the median.
func timeRuns(runs int, f func() error) (time.Duration, error) {
	if err := f(); err != nil {
		return 0, err
	}
	ds := make([]time.Duration, runs)
	for i := range ds {
		start := time.Now()
		if err := f(); err != nil {
			return 0, err
		}
		ds[i] = time.Since(start)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2], nil
}

func geoMean(qs []queryResult) float64 {
	sum, n := 0.0, 0
	for _, q := range qs {
		if q.Ratio > 0 {
			sum += math.Log(q.Ratio)
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return math.Exp(sum / float64(n))
}

func printReport(out io.Writer, rep *report) {
	m := rep.Machine
	fmt.Fprintf(out, "\n%s, %d cores, %s, %s, load average %s at start, %s at end\n",
		m.CPU, m.Cores, m.GoVersion, m.Date, m.LoadStart, m.LoadEnd)
	fmt.Fprintf(out, "%d rows, median of %d warm runs; DuckDB %s, %d threads; GOMAXPROCS %d\n\n",
		rep.Rows, rep.Runs, rep.DuckVersion, rep.DuckThreads, runtime.GOMAXPROCS(0))
	fmt.Fprintf(out, "%-5s %-52s %10s %10s %8s %6s  %s\n", "query", "", "idlogs ms", "duckdb ms", "ratio", "rows", "first row")
	for _, q := range rep.Queries {
		note := ""
		switch {
		case q.Error != "":
			note = "  ERROR " + q.Error
		case q.Mismatch != "":
			note = "  MISMATCH " + q.Mismatch
		}
		first := q.First
		if len(first) > 40 {
			first = first[:37] + "..."
		}
		fmt.Fprintf(out, "%-5s %-52s %10.1f %10.1f %8.2f %6d  %-40s%s\n", q.Name, q.Desc, q.IdlogsMs, q.DuckMs, q.Ratio, q.Rows, first, note)
	}
	fmt.Fprintf(out, "geometric mean of ratios (idlogs/DuckDB): %.2f\n\n", rep.GeoMean)
	for _, l := range []struct {
		name string
		s    loadStats
	}{{"idlogs", rep.IdlogsLoad}, {"DuckDB", rep.DuckLoad}} {
		fmt.Fprintf(out, "load %-7s %10.0f rows/s  %8.1f s  %7.1f bytes/row on disk\n", l.name, l.s.RowsPerSec, l.s.Seconds, l.s.BytesPerRow)
	}
	if st := rep.IdlogsSettle; st.Seconds > 0 {
		fmt.Fprintf(out, "idlogs background merging after the load, before the queries: %.1f s, then %.1f bytes/row on disk\n", st.Seconds, st.BytesPerRow)
	}
	fmt.Fprintf(out, "query suite RSS: idlogs %.0f MiB before, %.0f MiB peak; DuckDB %.0f MiB before, %.0f MiB peak\n",
		rep.IdlogsRSS.BeforeMiB, rep.IdlogsRSS.PeakMiB, rep.DuckRSS.BeforeMiB, rep.DuckRSS.PeakMiB)
	if l := rep.Latency; l.Batches > 0 {
		fmt.Fprintf(out, "idlogs append-to-queryable: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d batches of %d rows, %.0f rows/s achieved of %d)\n",
			l.P50Ms, l.P99Ms, l.MaxMs, l.Batches, l.BatchRows, l.RowsPerSec, l.TargetRowsSec)
	}
	fmt.Fprintf(out, "total %.0f s\n", rep.TotalSecond)
}
