package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/store/rowcodec"
)

var testSchema = vec.Schema{
	{Name: "TimeGenerated", Type: types.Datetime},
	{Name: "Batch", Type: types.Long},
	{Name: "Row", Type: types.Long},
	{Name: "User", Type: types.String},
	{Name: "Detail", Type: types.Dynamic},
}

var t0 = types.TicksFromTime(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))

// testBatch returns rows of batch k; row i is at t0 + k minutes + i seconds.
func testBatch(k, rows int) *vec.Batch {
	bs := make([]*vec.Builder, len(testSchema))
	for i, f := range testSchema {
		bs[i] = vec.NewBuilder(f.Type, rows)
	}
	for i := 0; i < rows; i++ {
		bs[0].Append(types.Value{Type: types.Datetime, Valid: true, I: t0 + int64(k)*60e7 + int64(i)*1e7})
		bs[1].Append(types.Value{Type: types.Long, Valid: true, I: int64(k)})
		bs[2].Append(types.Value{Type: types.Long, Valid: true, I: int64(i)})
		bs[3].Append(types.Value{Type: types.String, Valid: true, S: fmt.Sprintf("user%d@contoso.com", (k*7+i)%13)})
		bag := &types.Bag{}
		bag.Set("os", []string{"Windows 10", "iOS", "Android"}[i%3])
		bag.Set("n", int64(i))
		bs[4].Append(types.Value{Type: types.Dynamic, Valid: true, D: bag})
	}
	cols := make([]*vec.Column, len(bs))
	for i, b := range bs {
		cols[i] = b.Build()
	}
	return vec.NewBatch(cols, rows)
}

func openTest(t *testing.T, dir string, opt Options) *Store {
	t.Helper()
	opt.NoBackground = true
	opt.Logf = t.Logf
	s, err := Open(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func query(t *testing.T, s *Store, q string) [][]string {
	t.Helper()
	e := engine.Engine{Catalog: s}
	res, err := e.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	r := res[0].Rows
	var out [][]string
	for i := 0; i < r.N; i++ {
		var row []string
		for _, c := range r.Cols {
			row = append(row, c.Value(i).String())
		}
		out = append(out, row)
	}
	return out
}

func TestAppendFlushReopen(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{BlockRows: 100})
	tab, err := s.CreateTable("T", testSchema, TableOptions{TimeColumn: "TimeGenerated"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for k := 0; k < 5; k++ {
		if err := tab.Append(ctx, testBatch(k, 250)); err != nil {
			t.Fatal(err)
		}
	}
	want := [][]string{{"1250", "5", "13"}}
	q := "T | summarize count(), dcount(Batch), dcount(User)"
	if got := query(t, s, q); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("tail: got %v want %v", got, want)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	for k := 5; k < 7; k++ {
		if err := tab.Append(ctx, testBatch(k, 250)); err != nil {
			t.Fatal(err)
		}
	}
	want = [][]string{{"1750", "7", "13"}}
	if got := query(t, s, q); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("segment+tail: got %v want %v", got, want)
	}
	if st := tab.Stats(); st.Segments != 1 || st.TailRows != 500 {
		t.Fatalf("stats %+v", st)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, Options{BlockRows: 100})
	defer s.Close()
	if got := query(t, s, q); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after reopen: got %v want %v", got, want)
	}
	got := query(t, s, `T | where Batch == 6 and Row == 3 | project tostring(Detail.os), User`)
	if fmt.Sprint(got) != "[[Windows 10 user6@contoso.com]]" {
		t.Fatalf("row: %v", got)
	}
}

func TestTimeRangeAndMerge(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{BlockRows: 64, MergeRows: 1000})
	defer s.Close()
	tab, _ := s.CreateTable("T", testSchema, TableOptions{TimeColumn: "TimeGenerated"})
	ctx := context.Background()
	for k := 0; k < 8; k++ {
		if err := tab.Append(ctx, testBatch(k*100, 200)); err != nil {
			t.Fatal(err)
		}
		if err := s.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if st := tab.Stats(); st.Segments != 8 {
		t.Fatalf("segments %d", st.Segments)
	}
	q := `T | where TimeGenerated between (datetime(2026-11-01 05:00) .. datetime(2026-11-01 06:39)) | summarize count(), min(Batch), max(Batch)`
	want := fmt.Sprint(query(t, s, q))
	if want != "[[200 300 300]]" {
		t.Fatalf("time range: %v", want)
	}
	for i := 0; i < 4; i++ {
		if err := s.Merge(); err != nil {
			t.Fatal(err)
		}
	}
	if st := tab.Stats(); st.Segments >= 8 || st.Rows != 1600 {
		t.Fatalf("after merge: %+v", st)
	}
	if got := fmt.Sprint(query(t, s, q)); got != want {
		t.Fatalf("after merge: %v", got)
	}
	files, _ := filepath.Glob(filepath.Join(s.dir, "tables", "T", "*.seg"))
	if len(files) != tab.Stats().Segments {
		t.Fatalf("%d files for %d segments", len(files), tab.Stats().Segments)
	}
}

func TestRetention(t *testing.T) {
	now := types.TimeFromTicks(t0).Add(10 * time.Hour)
	s := openTest(t, t.TempDir(), Options{Now: func() time.Time { return now }})
	defer s.Close()
	tab, _ := s.CreateTable("T", testSchema, TableOptions{TimeColumn: "TimeGenerated", Retention: 5 * time.Hour})
	ctx := context.Background()
	for _, k := range []int{0, 60, 400, 500} { // minutes after t0
		tab.Append(ctx, testBatch(k, 10))
		s.Flush()
	}
	if err := s.ApplyRetention(); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(query(t, s, "T | summarize count(), min(Batch)")); got != "[[20 400]]" {
		t.Fatalf("after retention: %v", got)
	}
}

func TestAlterTable(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	tab, _ := s.CreateTable("Custom_CL", testSchema, TableOptions{TimeColumn: "TimeGenerated"})
	ctx := context.Background()
	tab.Append(ctx, testBatch(1, 3))
	s.Flush()
	tab.Append(ctx, testBatch(2, 3))
	wider := append(append(vec.Schema{}, testSchema...), vec.Field{Name: "Extra", Type: types.String})
	if _, err := s.AlterTable("Custom_CL", wider, 0); err != nil {
		t.Fatal(err)
	}
	b := testBatch(3, 3)
	b.Cols = append(b.Cols, vec.NewConst(types.Value{Type: types.String, Valid: true, S: "x"}, 3))
	if err := tab.Append(ctx, b); err != nil {
		t.Fatal(err)
	}
	// A batch laid out for the schema before the change is still accepted:
	// its missing trailing column reads as null.
	if err := tab.Append(ctx, testBatch(4, 2)); err != nil {
		t.Fatalf("append of a batch with the old columns: %v", err)
	}
	too := testBatch(5, 1)
	too.Cols = append(too.Cols, b.Cols[len(b.Cols)-1], b.Cols[len(b.Cols)-1])
	if err := tab.Append(ctx, too); err == nil {
		t.Fatal("a batch with more columns than the table was accepted")
	}
	q := `Custom_CL | summarize count() by Extra | order by Extra asc`
	want := "[[ 8] [x 3]]"
	if got := fmt.Sprint(query(t, s, q)); got != want {
		t.Fatalf("got %v want %v", got, want)
	}
	if _, err := s.AlterTable("Custom_CL", testSchema[:2], 0); err == nil || !strings.Contains(err.Error(), "cannot be removed") {
		t.Fatalf("removing a column: %v", err)
	}
	s.Close()
	s = openTest(t, dir, Options{})
	defer s.Close()
	if got := fmt.Sprint(query(t, s, q)); got != want {
		t.Fatalf("after reopen: got %v want %v", got, want)
	}
}

func TestAppendRejectsWholeBatch(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tab, _ := s.CreateTable("T", testSchema, TableOptions{TimeColumn: "TimeGenerated"})
	b := testBatch(1, 5)
	b.Cols[2] = vec.NewConst(types.Value{Type: types.String, Valid: true, S: "x"}, 5)
	err := tab.Append(context.Background(), b)
	if err == nil || !strings.Contains(err.Error(), "column Row is string, the table's column is long") {
		t.Fatalf("got %v", err)
	}
	b = testBatch(1, 5)
	b.Cols[1] = vec.NewConst(types.Value{Type: b.Cols[1].Type, Valid: true}, 4)
	if err := tab.Append(context.Background(), b); err == nil {
		t.Fatal("a batch with a short column accepted")
	}
	b = testBatch(1, 5)
	b.Cols = append(b.Cols, b.Cols[0])
	if err := tab.Append(context.Background(), b); err == nil {
		t.Fatal("a batch with an extra column accepted")
	}
	if tab.Rows() != 0 {
		t.Fatalf("%d rows after rejected batches", tab.Rows())
	}
}

func TestCreateTableErrors(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	for _, c := range []struct {
		name string
		sch  vec.Schema
		opt  TableOptions
		err  string
	}{
		{"bad name", testSchema, TableOptions{}, "may contain only"},
		{"T", vec.Schema{{Name: "a", Type: types.Long}, {Name: "a", Type: types.Long}}, TableOptions{}, "appears twice"},
		{"T", testSchema, TableOptions{TimeColumn: "Row"}, "not datetime"},
		{"T", testSchema, TableOptions{TimeColumn: "Nope"}, "not a column"},
	} {
		if _, err := s.CreateTable(c.name, c.sch, c.opt); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.err)
		}
	}
}

func TestDropAndRecreate(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	tab, _ := s.CreateTable("T", testSchema, TableOptions{})
	tab.Append(context.Background(), testBatch(1, 4))
	if err := s.DropTable("T"); err != nil {
		t.Fatal(err)
	}
	tab, _ = s.CreateTable("T", testSchema, TableOptions{})
	tab.Append(context.Background(), testBatch(2, 2))
	s.Close()
	s = openTest(t, dir, Options{})
	defer s.Close()
	if got := fmt.Sprint(query(t, s, "T | summarize count(), min(Batch)")); got != "[[2 2]]" {
		t.Fatalf("got %v: the dropped table's rows came back", got)
	}
}

func TestOrphansRemoved(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	s.CreateTable("T", testSchema, TableOptions{})
	s.Close()
	orphan := filepath.Join(dir, "tables", "T", "seg-00000000000000ff.seg")
	os.WriteFile(orphan, []byte("half a segment"), 0o644)
	s = openTest(t, dir, Options{})
	defer s.Close()
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Fatalf("orphan segment still there: %v", err)
	}
}

// TestScanPaths checks that path columns read from shredded sub-columns,
// from unshredded segments and from the tail equal evaluating the path.
func TestScanPaths(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{BlockRows: 100})
	defer s.Close()
	tab, _ := s.CreateTable("T", testSchema, TableOptions{TimeColumn: "TimeGenerated"})
	ctx := context.Background()
	for k := 0; k < 3; k++ {
		tab.Append(ctx, testBatch(k, 250))
	}
	s.Flush()
	tab.Append(ctx, testBatch(3, 250))
	before := pathReads.Load()
	for _, q := range []string{
		"T | summarize count() by tostring(Detail.os) | order by Detail_os asc",
		"T | where tostring(Detail.os) == 'iOS' | summarize count(), sum(tolong(Detail.n))",
		"T | summarize max(toint(Detail.n)), countif(isnull(Detail.missing)), make_set(Detail.os)",
		"T | where Detail.n > 200 | project User, Detail.n | order by Detail_n desc, User asc | take 3",
	} {
		with := engine.Engine{Catalog: s}
		without := engine.Engine{Catalog: s, DisabledRules: []string{"scan_paths"}}
		a, err := with.Query(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		b, err := without.Query(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if got, want := dump(a[0].Rows), dump(b[0].Rows); got != want {
			t.Errorf("%s\nwith paths:    %s\nwithout paths: %s", q, got, want)
		}
	}
	if pathReads.Load() == before {
		t.Error("no path column came from a shredded sub-column")
	}
}

func dump(b *vec.Batch) string {
	var sb strings.Builder
	for i := 0; i < b.N; i++ {
		for _, c := range b.Cols {
			sb.WriteString(c.Value(i).String() + " ")
		}
		sb.WriteString("| ")
	}
	return sb.String()
}

// TestLostWAL checks that a store whose WAL directory is lost keeps its
// segments and never reuses their LSNs for new batches.
func TestLostWAL(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	tab, _ := s.CreateTable("T", testSchema, TableOptions{})
	ctx := context.Background()
	tab.Append(ctx, testBatch(1, 5))
	tab.Append(ctx, testBatch(2, 5))
	s.Flush()
	s.Close()
	if err := os.RemoveAll(filepath.Join(dir, "wal")); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, Options{})
	tab, _ = s.Lookup("T")
	tab.Append(ctx, testBatch(3, 5))
	s.Close()
	s = openTest(t, dir, Options{})
	defer s.Close()
	if got := fmt.Sprint(query(t, s, "T | summarize count(), dcount(Batch)")); got != "[[15 3]]" {
		t.Fatalf("got %v: a new batch was taken for one a segment holds", got)
	}
}

// TestTruncateKeepsOutOfOrderTail checks that the WAL keeps every record
// still only in a tail when appends finished out of LSN order.
func TestTruncateKeepsOutOfOrderTail(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{WALFileBytes: 1})
	tab, _ := s.CreateTable("T", testSchema, TableOptions{})
	var lsns []uint64
	var batches []*vec.Batch
	for k := 1; k <= 3; k++ {
		b := testBatch(k, 4)
		lsn, err := s.wal.Append(rowcodec.Encode(nil, "T", testSchema, b))
		if err != nil {
			t.Fatal(err)
		}
		lsns, batches = append(lsns, lsn), append(batches, b)
	}
	// The appends of batches 1 and 2 finished after that of batch 3.
	tab.addTail(lsns[2], batches[2])
	tab.addTail(lsns[0], batches[0])
	tab.addTail(lsns[1], batches[1])
	s.flushMu.Lock()
	err := s.truncateWAL()
	s.flushMu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openTest(t, dir, Options{})
	defer s.Close()
	if got := fmt.Sprint(query(t, s, "T | summarize count(), dcount(Batch)")); got != "[[12 3]]" {
		t.Fatalf("got %v after reopening", got)
	}
}

// TestCompactSettles: Compact merges until one pass of the merger would
// find nothing left to merge, keeping every row.
func TestCompactSettles(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{BlockRows: 64, MergeRows: 1000})
	defer s.Close()
	tab, _ := s.CreateTable("T", testSchema, TableOptions{TimeColumn: "TimeGenerated"})
	for k := 0; k < 12; k++ {
		if err := tab.Append(context.Background(), testBatch(k, 150)); err != nil {
			t.Fatal(err)
		}
		if err := s.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	settled := tab.Stats()
	if settled.Segments >= 12 || settled.Rows != 1800 {
		t.Fatalf("after Compact: %+v", settled)
	}
	if err := s.Merge(); err != nil {
		t.Fatal(err)
	}
	if st := tab.Stats(); st.Segments != settled.Segments {
		t.Fatalf("a merge after Compact went from %d to %d segments", settled.Segments, st.Segments)
	}
}

// TestLargeTailFlushedInPieces: a tail larger than a merged segment (a
// replayed WAL) is written as segments of at most MergeRows rows, each
// dropping its WAL, and every row survives a reopen.
func TestLargeTailFlushedInPieces(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{BlockRows: 64, MergeRows: 500, FlushRows: 1 << 20})
	tab, _ := s.CreateTable("T", testSchema, TableOptions{TimeColumn: "TimeGenerated"})
	for k := 0; k < 10; k++ {
		if err := tab.Append(context.Background(), testBatch(k, 200)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if st := tab.Stats(); st.Segments != 5 || st.Rows != 2000 {
		t.Fatalf("after Flush: %+v, want 5 segments of 400 rows", st)
	}
	s.Close()
	s = openTest(t, dir, Options{})
	defer s.Close()
	if got := fmt.Sprint(query(t, s, "T | summarize count(), dcount(Batch)")); got != "[[2000 10]]" {
		t.Fatalf("after reopen: %v", got)
	}
}

func TestAppendWaitsForFullTail(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{FlushRows: 100, MaxTailRows: 200, FlushInterval: time.Hour, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tab, _ := s.CreateTable("T", testSchema, TableOptions{TimeColumn: "TimeGenerated"})
	ctx := context.Background()
	// Holding flushMu stalls the background flush as a slow disk would.
	s.flushMu.Lock()
	for k := 0; k < 2; k++ {
		if err := tab.Append(ctx, testBatch(k, 100)); err != nil {
			t.Fatal(err)
		}
	}
	// The tail is full: an append with a deadline gives up without adding
	// its rows.
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	err = tab.Append(short, testBatch(2, 100))
	cancel()
	if err != context.DeadlineExceeded {
		t.Fatalf("append to a full tail: %v, want %v", err, context.DeadlineExceeded)
	}
	done := make(chan error, 1)
	go func() { done <- tab.Append(ctx, testBatch(3, 100)) }()
	select {
	case err := <-done:
		t.Fatalf("append to a full tail returned %v before a flush", err)
	case <-time.After(100 * time.Millisecond):
	}
	s.flushMu.Unlock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(query(t, s, "T | summarize count(), make_set(Batch)")); got != "[[300 [0,1,3]]]" {
		t.Fatalf("rows: %v", got)
	}
}

func TestCloseWakesWaitingAppend(t *testing.T) {
	s, err := Open(t.TempDir(), Options{FlushRows: 100, MaxTailRows: 100, FlushInterval: time.Hour, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	tab, _ := s.CreateTable("T", testSchema, TableOptions{TimeColumn: "TimeGenerated"})
	s.flushMu.Lock()
	if err := tab.Append(context.Background(), testBatch(0, 100)); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- tab.Append(context.Background(), testBatch(1, 100)) }()
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	// The flush cannot run, so only Close can end the wait.
	if err := <-done; err != ErrClosed {
		t.Fatalf("waiting append: %v, want %v", err, ErrClosed)
	}
	s.flushMu.Unlock()
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
}

// segFiles lists the segment files under dir.
func segFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "tables", "*", "seg-*.seg"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestMergeYieldsToRetentionAndDrop(t *testing.T) {
	for _, during := range []string{"retention", "drop", "flush"} {
		t.Run(during, func(t *testing.T) {
			now := types.TimeFromTicks(t0).Add(10 * time.Hour)
			dir := t.TempDir()
			s := openTest(t, dir, Options{MergeRows: 1000, Now: func() time.Time { return now }})
			defer s.Close()
			tab, _ := s.CreateTable("T", testSchema, TableOptions{TimeColumn: "TimeGenerated", Retention: 5 * time.Hour})
			ctx := context.Background()
			for _, k := range []int{0, 60, 400, 500} { // minutes after t0
				tab.Append(ctx, testBatch(k, 10))
				s.Flush()
			}
			afterMergeWrite = func() {
				switch during {
				case "retention":
					if err := s.ApplyRetention(); err != nil {
						t.Error(err)
					}
				case "drop":
					if err := s.DropTable("T"); err != nil {
						t.Error(err)
					}
				case "flush":
					tab.Append(ctx, testBatch(600, 10))
					if err := s.Flush(); err != nil {
						t.Error(err)
					}
				}
			}
			defer func() { afterMergeWrite = nil }()
			if err := s.Merge(); err != nil {
				t.Fatal(err)
			}
			afterMergeWrite = nil
			switch during {
			case "retention":
				// The merge's inputs lost two segments: it is dropped, its
				// file with it.
				if got := fmt.Sprint(query(t, s, "T | summarize count(), min(Batch)")); got != "[[20 400]]" {
					t.Fatalf("rows: %v", got)
				}
				if n := len(segFiles(t, dir)); n != 2 {
					t.Fatalf("%d segment files, want 2", n)
				}
			case "drop":
				if _, ok := s.Lookup("T"); ok {
					t.Fatal("dropped table is back")
				}
				if n := len(segFiles(t, dir)); n != 0 {
					t.Fatalf("%d segment files, want 0", n)
				}
			case "flush":
				// A flush beside the merge keeps its segment; the merge
				// replaces its four inputs.
				if st := tab.Stats(); st.Segments != 2 || st.Rows != 50 {
					t.Fatalf("after merge: %+v, want 2 segments of 50 rows", st)
				}
				if n := len(segFiles(t, dir)); n != 2 {
					t.Fatalf("%d segment files, want 2", n)
				}
			}
			s.Close()
			s = openTest(t, dir, Options{})
			defer s.Close()
			if err := s.Merge(); err != nil { // nothing left half-done
				t.Fatal(err)
			}
		})
	}
}
