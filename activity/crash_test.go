package activity

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"
)

// emitterEnv names the directory a re-executed test binary emits into.
const emitterEnv = "IDLOGS_ACTIVITY_CRASH_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(emitterEnv); dir != "" {
		runEmitter(dir)
		return
	}
	os.Exit(m.Run())
}

// runEmitter emits records from four goroutines until killed, printing
// the id of every record whose Emit returned.
func runEmitter(dir string) {
	l, err := OpenLog(dir, LogOptions{SegmentBytes: 64 << 10})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				pid := os.Getpid()
				a, b := rec(fmt.Sprintf("%d-%d-%d-a", pid, g, i)), rec(fmt.Sprintf("%d-%d-%d-b", pid, g, i))
				if err := l.Emit(context.Background(), a, b); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				mu.Lock()
				fmt.Fprintf(out, "%s\n%s\n", a.ID(), b.ID())
				out.Flush()
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

func TestLogSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	dir := t.TempDir()
	acked := map[string]bool{}
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), emitterEnv+"="+dir)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		time.AfterFunc(time.Duration(100+round*70)*time.Millisecond, func() { cmd.Process.Signal(syscall.SIGKILL) })
		n := 0
		for id := range lines {
			acked[id] = true
			n++
		}
		cmd.Wait()
		if n == 0 {
			t.Fatalf("round %d: the child acknowledged nothing", round)
		}
	}
	l := openLogT(t, dir, LogOptions{SegmentBytes: 64 << 10})
	defer l.Close()
	es := readAll(t, l, 0, 1000)
	found := map[string]bool{}
	for i, e := range es {
		if e.Seq != uint64(i+1) {
			t.Fatalf("entry %d has sequence number %d", i, e.Seq)
		}
		if found[e.Record.ID()] {
			t.Fatalf("record %s appears twice", e.Record.ID())
		}
		found[e.Record.ID()] = true
	}
	missing := 0
	for id := range acked {
		if !found[id] {
			missing++
		}
	}
	if missing > 0 {
		t.Fatalf("%d of %d acknowledged records are missing after kill -9", missing, len(acked))
	}
	t.Logf("%d records acknowledged, %d in the log after three kills", len(acked), len(es))
}
