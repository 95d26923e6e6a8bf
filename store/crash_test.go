package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
)

// crashRows is the size of the batches the crash child appends; one batch
// in 101 has bigRows instead, so that its WAL record is written from the
// appender's buffer rather than copied into the group commit. Appends wait
// for flushes when the tail is full (Options.MaxTailRows), so a child's WAL
// stays short however fast it appends; the rows still add up over the
// kills, and every check reads them all.
const crashRows, bigRows = 50, 8000

// crashBatchRows is the size of batch k.
func crashBatchRows(k int) int {
	if k%101 == 3 {
		return bigRows
	}
	return crashRows
}

// TestMain runs the crash child when the crash test starts this binary
// with IDLOGS_CRASH_CHILD set.
func TestMain(m *testing.M) {
	if dir := os.Getenv("IDLOGS_CRASH_CHILD"); dir != "" {
		start, _ := strconv.Atoi(os.Getenv("IDLOGS_CRASH_START"))
		crashChild(dir, start)
		return
	}
	os.Exit(m.Run())
}

// crashChild appends batches from four goroutines, with flushes and merges
// running in the background, and prints "ack K" once batch K is
// acknowledged. It runs until it is killed.
func crashChild(dir string, start int) {
	s, err := Open(dir, Options{FlushRows: 400, FlushInterval: 50 * time.Millisecond, MergeRows: 2000, BlockRows: 128, WALFileBytes: 256 << 10, Logf: func(string, ...any) {}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(2)
	}
	tab, err := s.CreateTable("T", testSchema, TableOptions{TimeColumn: "TimeGenerated"})
	if err != nil {
		fmt.Fprintln(os.Stderr, "create:", err)
		os.Exit(2)
	}
	// The parent counts the kill's delay from here, so that a restart
	// that replays a long WAL still gets to append.
	fmt.Println("ready")
	var next atomic.Int64
	next.Store(int64(start))
	var out sync.Mutex
	w := bufio.NewWriter(os.Stdout)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if err := tab.Append(context.Background(), testBatch(k, crashBatchRows(k))); err != nil {
					fmt.Fprintln(os.Stderr, "append:", err)
					os.Exit(2)
				}
				out.Lock()
				fmt.Fprintf(w, "ack %d\n", k)
				w.Flush()
				out.Unlock()
			}
		}()
	}
	wg.Wait()
}

// TestCrashRecovery kills a child process that ingests continuously with
// SIGKILL at random moments; after each kill every acknowledged batch must
// be present exactly once, no batch may be partly present, and Verify must
// pass. IDLOGS_CRASH_KILLS sets the number of kills (default 20).
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test needs child processes")
	}
	kills := 20
	if v := os.Getenv("IDLOGS_CRASH_KILLS"); v != "" {
		kills, _ = strconv.Atoi(v)
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewSource(1))
	acked := map[int]bool{}
	start := 0
	for i := 0; i < kills; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "IDLOGS_CRASH_CHILD="+dir, "IDLOGS_CRASH_START="+strconv.Itoa(start))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		began := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan []int, 1)
		ready := make(chan struct{})
		go func() {
			var ks []int
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if sc.Text() == "ready" {
					close(ready)
					continue
				}
				if k, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "ack ")); err == nil {
					ks = append(ks, k)
				}
			}
			if ks == nil {
				select {
				case <-ready:
				default:
					close(ready) // the child died before it was ready
				}
			}
			lines <- ks
		}()
		<-ready
		lived := time.Now()
		time.Sleep(time.Duration(200+rng.Intn(600)) * time.Millisecond)
		cmd.Process.Kill()
		ks := <-lines
		cmd.Wait()
		if strings.TrimSpace(stderr.String()) != "" {
			t.Fatalf("kill %d: child failed: %s", i, stderr.String())
		}
		for _, k := range ks {
			acked[k] = true
		}
		checked := time.Now()
		rep, err := Verify(dir, t.Logf)
		if err != nil {
			t.Fatalf("kill %d: verify: %v", i, err)
		}
		verified := time.Now()
		maxK, walRows := checkCrashData(t, i, dir, acked)
		t.Logf("kill %d: %d batches acknowledged so far, %d segments, %d WAL records (%d rows not in segments); start %v, verify %v, check %v",
			i, len(acked), rep.Segments, rep.WALRecords, walRows,
			lived.Sub(began).Round(time.Millisecond), verified.Sub(checked).Round(time.Millisecond), time.Since(verified).Round(time.Millisecond))
		start = maxK + 1
	}
}

// checkCrashData reopens the store and checks every batch: acknowledged
// ones complete and once, others complete or absent. It returns the
// highest batch number present and the rows that only the WAL holds.
func checkCrashData(t *testing.T, kill int, dir string, acked map[int]bool) (int, int64) {
	s, err := Open(dir, Options{NoBackground: true, Logf: t.Logf})
	if err != nil {
		t.Fatalf("kill %d: reopen: %v", kill, err)
	}
	defer s.Close()
	tab, ok := s.Lookup("T")
	if !ok {
		if len(acked) > 0 {
			t.Fatalf("kill %d: table lost", kill)
		}
		return -1, 0
	}
	e := engine.Engine{Catalog: s}
	res, err := e.Query(context.Background(), "T | summarize n = count(), rows = count_distinct(Row) by Batch")
	if err != nil {
		t.Fatalf("kill %d: %v", kill, err)
	}
	r := res[0].Rows
	present := map[int]bool{}
	maxK := -1
	for i := 0; i < r.N; i++ {
		k := int(r.Cols[0].Int(i))
		n, rows := r.Cols[1].Int(i), r.Cols[2].Int(i)
		if want := int64(crashBatchRows(k)); n != want || rows != want {
			t.Fatalf("kill %d: batch %d has %d rows (%d distinct), want %d", kill, k, n, rows, want)
		}
		present[k] = true
		if k > maxK {
			maxK = k
		}
	}
	for k := range acked {
		if !present[k] {
			t.Fatalf("kill %d: acknowledged batch %d is missing", kill, k)
		}
	}
	return maxK, tab.Stats().TailRows
}
