package conformance

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// testTable is a table whose scan panics or never ends.
type testTable struct {
	name  string
	panic bool
}

func (t *testTable) Name() string { return t.name }

func (t *testTable) Schema() vec.Schema { return vec.Schema{{Name: "x", Type: types.Long}} }

func (t *testTable) Scan(*plan.ScanRequest) (plan.BatchIterator, error) {
	if t.panic {
		panic("scan exploded")
	}
	return endless{}, nil
}

// endless yields empty batches slowly, forever.
type endless struct{}

func (endless) Next() (*vec.Batch, error) {
	time.Sleep(10 * time.Millisecond)
	return &vec.Batch{Cols: []*vec.Column{vec.NewBuilder(types.Long, 0).Build()}}, nil
}

func (endless) Close() {}

func TestRunStatuses(t *testing.T) {
	table := func(rows ...string) *Table {
		tb := &Table{Columns: []string{"x"}}
		for _, r := range rows {
			tb.Rows = append(tb.Rows, []string{r})
		}
		return tb
	}
	runner := &Runner{Timeout: 200 * time.Millisecond, Catalog: engine.Catalog{
		"Boom": &testTable{name: "Boom", panic: true},
		"Slow": &testTable{name: "Slow"},
	}}
	tests := []struct {
		name    string
		rec     Record
		status  Status
		message string
	}{
		{"pass", Record{Query: "print x = 1", Expected: table("1"), Ordered: true}, Pass, ""},
		{"fail", Record{Query: "print x = 1", Expected: table("2"), Ordered: true}, Fail, `want "2"`},
		{"syntax error", Record{Query: "print x = ", Expected: table("1")}, Error, "1:"},
		{"no expected table", Record{Query: "print x = 1"}, Skip, "no expected table"},
		{"nondeterministic", Record{Query: "print x = 1", Expected: table("2"), Nondeterministic: true}, Skip, "nondeterministic"},
		{"columns not the query's", Record{Query: "print x = 1", Expected: table("2"),
			ColumnsMatchOfficial: boolPtr(false)}, Skip, "columns"},
		{"skipped but broken", Record{Query: "print x = nosuchname"}, Error, "nosuchname"},
		{"panic", Record{Query: "Boom | take 1", Expected: table("1")}, Error, "scan exploded"},
		{"timeout", Record{Query: "Slow | count", Expected: table("1")}, Error, "timed out"},
	}
	for _, tt := range tests {
		tt.rec.ID, tt.rec.OfficialParseOK = tt.name, true
		o := runner.Run(context.Background(), &tt.rec)
		if o.ID != tt.name || o.Status != tt.status || !strings.Contains(o.Message, tt.message) {
			t.Errorf("%s: got %+v, want status %s and a message containing %q", tt.name, o, tt.status, tt.message)
		}
	}
}

func TestRunOfficialParseRejects(t *testing.T) {
	o := Run(context.Background(), &Record{ID: "r", Query: "print x = 1"})
	if o.Status != Skip {
		t.Errorf("record the official parser rejects: got %+v, want skip", o)
	}
}

func TestRecordInput(t *testing.T) {
	yes := true
	tests := []struct {
		rec    Record
		want   string
		wantOK bool
	}{
		{Record{Query: "T | take {N}", OfficialParseOK: true}, "T | take {N}", true},
		{Record{Query: "T | take {N}", OfficialParseOK: true, ParseOKWithStubs: &yes}, `T | take "x"`, true},
		{Record{Query: "T | take {N}", ParseOKWithStubs: &yes}, `T | take "x"`, true},
		{Record{Query: "T |"}, "T |", false},
	}
	for _, tt := range tests {
		got, ok := tt.rec.Input()
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("Input of %q = %q, %v; want %q, %v", tt.rec.Query, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestReadRecords(t *testing.T) {
	in := `{"id": "a-1", "query": "print 1", "expected": {"columns": ["print_0"], "rows": [["1"]]}, "ordered": true}

{"id": "a-2", "query": "print 2", "expected": null, "truncated": null}
`
	recs, err := ReadRecords(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].ID != "a-1" || recs[0].Expected.Rows[0][0] != "1" || !recs[0].Ordered || recs[1].Expected != nil {
		t.Errorf("ReadRecords: got %+v", recs)
	}
	if _, err := ReadRecords(strings.NewReader("{\n")); err == nil || !strings.HasPrefix(err.Error(), "1: ") {
		t.Errorf("ReadRecords of broken JSON: got %v, want an error naming line 1", err)
	}
}

func TestRunAll(t *testing.T) {
	var recs []*Record
	for i := range 20 {
		recs = append(recs, &Record{ID: fmt.Sprint(i), Query: fmt.Sprintf("print x = %d", i), OfficialParseOK: true,
			Ordered: true, Expected: &Table{Columns: []string{"x"}, Rows: [][]string{{fmt.Sprint(i % 2)}}}})
	}
	for _, workers := range []int{0, 1, 4} {
		outs := (&Runner{}).RunAll(context.Background(), recs, workers)
		for i, o := range outs {
			want := Fail
			if i < 2 {
				want = Pass
			}
			if o.ID != fmt.Sprint(i) || o.Status != want {
				t.Errorf("workers %d: outcome %d = %+v, want id %d status %s", workers, i, o, i, want)
			}
		}
	}
}
