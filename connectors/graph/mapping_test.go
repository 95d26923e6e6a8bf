package graph

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/workspace/schema"
)

// Each feed has a sample Graph page in testdata/<feed>.json and, in
// testdata/<feed>.export.jsonl, the records Entra's diagnostic export
// writes for the same resources. Mapped through ToRecord, every resource
// must give the exported record's envelope and properties, and so the
// same table row, column by column of the table's schema in the shared
// specification.
func TestSamplesMapToExportedRows(t *testing.T) {
	tables := specTables(t)
	for _, f := range Feeds {
		t.Run(f.Name, func(t *testing.T) {
			var pg page
			readJSON(t, filepath.Join("testdata", f.Name+".json"), &pg)
			want := readExport(t, filepath.Join("testdata", f.Name+".export.jsonl"))
			if len(pg.Value) == 0 || len(pg.Value) != len(want) {
				t.Fatalf("%d resources, %d exported records", len(pg.Value), len(want))
			}
			table, ok := tablemap.Table(f.Category)
			if !ok {
				t.Fatalf("no table for %s", f.Category)
			}
			sch, ok := tables[table]
			if !ok {
				t.Fatalf("no schema for %s", table)
			}
			for i, raw := range pg.Value {
				got, err := ToRecord(f, want[i].TenantID, raw)
				if err != nil {
					t.Fatalf("resource %d: %v", i, err)
				}
				compareEnvelope(t, i, got, want[i])
				compareRows(t, i, sch, got, want[i])
				checkMembersFilled(t, i, sch, got)
			}
		})
	}
}

// specTables returns the table schemas of shared/spec/tables beside the
// repository, or the embedded copies (held equal to them by
// workspace/schema's tests) where it is not there.
func specTables(t *testing.T) map[string]vec.Schema {
	out := map[string]vec.Schema{}
	for _, tb := range schema.Tables() {
		out[tb.Name] = tb.Schema
	}
	dir, _ := os.Getwd()
	for {
		p := filepath.Join(dir, "..", "shared", "spec", "tables")
		if _, err := os.Stat(p); err == nil {
			spec, err := schema.LoadDir(p)
			if err != nil {
				t.Fatal(err)
			}
			for _, tb := range spec {
				out[tb.Name] = tb.Schema
			}
			return out
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Logf("shared/spec/tables not found; using the embedded schemas")
			return out
		}
		dir = parent
	}
}

func readJSON(t *testing.T, file string, v any) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

func readExport(t *testing.T, file string) []activity.Record {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []activity.Record
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var r activity.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		out = append(out, r)
	}
	return out
}

// compareEnvelope compares every envelope field and the properties.
func compareEnvelope(t *testing.T, i int, got, want activity.Record) {
	t.Helper()
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for f := range gv.NumField() {
		name := gv.Type().Field(f).Name
		if name == "Properties" {
			var gp, wp any
			json.Unmarshal(got.Properties, &gp)
			json.Unmarshal(want.Properties, &wp)
			if !reflect.DeepEqual(gp, wp) {
				t.Errorf("resource %d: properties differ:\n got %s\nwant %s", i, got.Properties, want.Properties)
			}
			continue
		}
		if g, w := gv.Field(f).Interface(), wv.Field(f).Interface(); !reflect.DeepEqual(g, w) {
			t.Errorf("resource %d: %s = %#v, exported %#v", i, name, g, w)
		}
	}
}

const testWorkspace = "8c2e7f0a-5b1d-4d6e-9f3a-2b7c1e0d4a55"

// compareRows maps both records to rows of sch and compares every column.
func compareRows(t *testing.T, i int, sch vec.Schema, got, want activity.Record) {
	t.Helper()
	received := want.Time.Add(3 * time.Minute)
	gb, gerrs := tablemap.Build(got.Category, sch, testWorkspace, []activity.Record{got}, received)
	wb, werrs := tablemap.Build(want.Category, sch, testWorkspace, []activity.Record{want}, received)
	if len(gerrs) > 0 || len(werrs) > 0 || gb.N != 1 || wb.N != 1 {
		t.Fatalf("resource %d: rows %d/%d, errors %v / %v", i, gb.N, wb.N, gerrs, werrs)
	}
	for c, f := range sch {
		g, w := cell(gb.Cols[c]), cell(wb.Cols[c])
		if g != w {
			t.Errorf("resource %d: column %s:%s = %s, exported record gives %s", i, f.Name, f.Type, g, w)
		}
	}
}

// checkMembersFilled checks that each member of the resource named like a
// column of the table (without regard to case, as the export fills them)
// has a value in the mapped row.
func checkMembersFilled(t *testing.T, i int, sch vec.Schema, r activity.Record) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Properties, &m); err != nil {
		t.Fatal(err)
	}
	b, _ := tablemap.Build(r.Category, sch, testWorkspace, []activity.Record{r}, r.Time)
	for name, v := range m {
		if v == nil {
			continue
		}
		for c, f := range sch {
			if strings.EqualFold(f.Name, name) && b.Cols[c].IsNull(0) {
				t.Errorf("resource %d: member %s has no value in column %s", i, name, f.Name)
			}
		}
	}
}

func cell(c *vec.Column) string {
	if c.IsNull(0) {
		return "null"
	}
	switch c.Type {
	case types.String, types.Guid:
		return `"` + c.Str(0) + `"`
	case types.Dynamic:
		return types.FormatJSON(c.Any(0))
	case types.Datetime:
		return types.FormatDatetimeFull(c.Int(0))
	}
	return c.Value(0).String()
}

// FuzzToRecord holds the mapping of resources from outside to never
// panicking, and a record it makes to carry an id and the feed's time.
func FuzzToRecord(f *testing.F) {
	for _, feed := range Feeds {
		var pg page
		data, err := os.ReadFile(filepath.Join("testdata", feed.Name+".json"))
		if err != nil {
			f.Fatal(err)
		}
		if err := json.Unmarshal(data, &pg); err != nil {
			f.Fatal(err)
		}
		for _, v := range pg.Value {
			f.Add(len(f.Name()), []byte(v))
		}
	}
	f.Add(0, []byte(`{"id":"x","createdDateTime":"2026-05-01T00:00:00Z","@odata.type":"#microsoft.graph.signIn","status":null}`))
	f.Fuzz(func(t *testing.T, n int, raw []byte) {
		feed := Feeds[uint(n)%uint(len(Feeds))]
		r, err := ToRecord(feed, "t", raw)
		if err != nil {
			return
		}
		if r.ID() == "" || r.Time.IsZero() || r.Category != feed.Category {
			t.Errorf("record %+v from %s", r, raw)
		}
	})
}
