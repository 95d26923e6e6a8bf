package fileimport

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/workspace/schema"
)

// sharedDir returns the shared folder that sits beside the repository
// (found by walking up from the working directory); the test is skipped
// when it is absent, as the KQL corpus tests are.
func sharedDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		candidate := filepath.Join(dir, "shared")
		if st, err := os.Stat(filepath.Join(candidate, "conformance", "sample-data")); err == nil && st.IsDir() {
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("shared/conformance/sample-data not found in the working directory's parent chain (the shared folder sits beside the repository clone, as for the KQL corpus tests)")
		}
		dir = parent
	}
}

// specSchemas returns the table schemas of the specification
// (shared/spec/tables), by table name.
func specSchemas(t *testing.T) map[string]vec.Schema {
	t.Helper()
	tables, err := schema.LoadDir(filepath.Join(sharedDir(t), "spec", "tables"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]vec.Schema{}
	for _, tab := range tables {
		out[tab.Name] = tab.Schema
	}
	return out
}

// mapRows maps records with the workspace destination's mapping into the
// specification's schema of their table.
func mapRows(t *testing.T, specs map[string]vec.Schema, recs []activity.Record) (string, *vec.Batch) {
	t.Helper()
	table, ok := tablemap.Table(recs[0].Category)
	if !ok {
		t.Fatalf("category %s has no table", recs[0].Category)
	}
	sch, ok := specs[table]
	if !ok {
		t.Fatalf("the specification has no table %s", table)
	}
	b, errs := tablemap.Build(recs[0].Category, sch, "00000000-0000-0000-0000-000000000001", recs, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
	if len(errs) > 0 {
		t.Fatalf("mapping: %v", errs)
	}
	return table, b
}

// exportRows reads a table export's rows as column → text (CSV) or
// column → JSON value (JSON), with the line each starts on.
func exportRows(t *testing.T, path string) []map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data = trimBOM(data)
	var rows []map[string]string
	if strings.HasSuffix(path, ".csv") {
		recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs[1:] {
			row := map[string]string{}
			for i, v := range r {
				row[strings.TrimSpace(recs[0][i])] = v
			}
			rows = append(rows, row)
		}
		return rows
	}
	var objs []map[string]json.RawMessage
	var resp struct {
		Tables []struct {
			Columns []struct{ Name string }
			Rows    [][]json.RawMessage
		}
	}
	if json.Unmarshal(data, &objs) != nil {
		if err := json.Unmarshal(data, &resp); err != nil {
			t.Fatal(err)
		}
		for _, r := range resp.Tables[0].Rows {
			m := map[string]json.RawMessage{}
			for i, c := range resp.Tables[0].Columns {
				m[c.Name] = r[i]
			}
			objs = append(objs, m)
		}
	}
	for _, o := range objs {
		row := map[string]string{}
		for k, v := range o {
			row[k] = stringOf(v)
		}
		rows = append(rows, row)
	}
	return rows
}

// notCompared are the columns whose export value is not the record's: the
// workspace's own (TenantId is the exporting workspace), the constant
// resource columns, and columns the mapping fills from another member.
var notCompared = map[string]bool{
	"TenantId": true, "Type": true, "SourceSystem": true, "_ResourceId": true, "_SubscriptionId": true,
	"_TimeReceived": true, "_ItemId": true, "_BilledSize": true, "_IsBillable": true,
	"Resource": true, "ResourceGroup": true, "ResourceProvider": true,
	"AppliedConditionalAccessPolicies": true, "ConditionalAccessPoliciesV2": true,
	// The audit category of an AuditLogs row; the diagnostic category
	// of a sign-in row: both compared below through Category itself.
}

// TestTableExportsMapBack is the table exports' field-by-field test: every
// row of a Log Analytics export, imported and mapped by the workspace
// destination into the specification's schema of its table, has every
// column of the export back with the same value (datetimes as instants,
// JSON as values, whatever the export's spelling).
func TestTableExportsMapBack(t *testing.T) {
	specs := specSchemas(t)
	files := []string{
		"testdata/SigninLogs.csv",
		"testdata/AADNonInteractiveUserSignInLogs.json",
		"testdata/AADServicePrincipalSignInLogs.query.json",
	}
	// The Entra exports among the shared sample data (see its SOURCES.md;
	// signinLogs.csv is query output and is rejected, see
	// TestSampleDataRejectsQueryOutput).
	for _, name := range []string{"sign-in_adelete.csv", "disable_accounts.csv", "AuditLogs_Hunting.csv"} {
		files = append(files, filepath.Join(sharedDir(t), "conformance", "sample-data", name))
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			items, f, err := readFile(t, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var recs []activity.Record
			for _, it := range items {
				recs = append(recs, it.Record)
			}
			table, b := mapRows(t, specs, recs)
			rows := exportRows(t, path)
			if len(rows) != b.N {
				t.Fatalf("%d export rows, %d mapped rows", len(rows), b.N)
			}
			sch := specs[table]
			s, _ := newTableShape(table)
			compared := 0
			for i, row := range rows {
				for header, want := range row {
					col, ok := s.column(header)
					if !ok || notCompared[col.Name] {
						continue
					}
					// A dynamic column exported both as X_dynamic and
					// X_string fills one of them.
					if want == "" && header != col.Name {
						continue
					}
					c := b.Cols[sch.Index(col.Name)]
					if err := sameCell(col.Type, want, c, i); err != nil {
						t.Errorf("row %d, %s (%s): %v", i+1, header, col.Name, err)
					}
					compared++
				}
			}
			if compared < len(rows)*5 {
				t.Errorf("only %d cells compared over %d rows", compared, len(rows))
			}
			t.Logf("%s: %d rows, %d cells compared; ignored %v", table, len(rows), compared, f.Ignored)
		})
	}
}

// sameCell compares an export's cell text with row i of a mapped column.
func sameCell(typ types.Type, want string, c *vec.Column, i int) error {
	if want == "" {
		if !c.IsNull(i) && !(c.Type == types.String && c.Str(i) == "") {
			return fmt.Errorf("got %v, want empty", c.Value(i))
		}
		return nil
	}
	if c.IsNull(i) {
		return fmt.Errorf("got null, want %q", want)
	}
	switch typ {
	case types.Datetime:
		wt, err := parseTime(want)
		if err != nil {
			return err
		}
		if got := types.TimeFromTicks(c.Int(i)); !got.Equal(wt) {
			return fmt.Errorf("got %v, want %v", got, wt)
		}
	case types.Bool:
		w, _ := strconv.ParseBool(strings.ToLower(want))
		if got := c.Int(i) != 0; got != w {
			return fmt.Errorf("got %v, want %v", got, w)
		}
	case types.Int, types.Long:
		if got := strconv.FormatInt(c.Int(i), 10); got != want {
			return fmt.Errorf("got %s, want %s", got, want)
		}
	case types.Real:
		w, _ := strconv.ParseFloat(want, 64)
		if got := c.Float(i); math.Abs(got-w) > 1e-9 {
			return fmt.Errorf("got %v, want %v", got, w)
		}
	case types.Dynamic:
		return sameJSON(types.FormatJSON(c.Any(i)), want)
	default:
		got := c.Str(i)
		if t := strings.TrimSpace(want); t != "" && (t[0] == '{' || t[0] == '[') {
			return sameJSON(got, want)
		}
		if got != want {
			return fmt.Errorf("got %q, want %q", got, want)
		}
	}
	return nil
}

// sameJSON compares two JSON texts as values; text that is not JSON
// compares as a string.
func sameJSON(got, want string) error {
	var g, w any
	if json.Unmarshal([]byte(want), &w) != nil {
		w = want
	}
	if json.Unmarshal([]byte(got), &g) != nil {
		g = got
	}
	if !reflect.DeepEqual(g, w) {
		return fmt.Errorf("got %s, want %s", got, want)
	}
	return nil
}

// TestSampleDataRejectsQueryOutput: of the shared sample data,
// signinLogs.csv is the output of an analytic rule over SigninLogs, not
// rows of it, and the schema files are not activity at all.
func TestSampleDataRejectsQueryOutput(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "conformance", "sample-data")
	for _, name := range []string{"signinLogs.csv", "AADServicePrincipalSignInLogs.json", "la_table_schemas.entra-subset.csv"} {
		items, _, err := readFile(t, filepath.Join(dir, name), Options{})
		if err == nil || len(items) > 0 {
			t.Errorf("%s: %d records, error %v; want it rejected", name, len(items), err)
			continue
		}
		t.Logf("%s: %v", name, err)
	}
}

// TestMappedRows checks cells of the rows the other formats map to, as
// data: testdata/rows.txt holds lines "FILE RECORD COLUMN = VALUE" (RECORD
// counts from 1; VALUE is the cell as text, dynamic values as JSON).
func TestMappedRows(t *testing.T) {
	specs := specSchemas(t)
	f, err := os.Open("testdata/rows.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type mapped struct {
		table string
		b     *vec.Batch
	}
	// Each record is mapped alone: a file may hold several categories.
	files := map[string][]mapped{}
	sc := bufio.NewScanner(f)
	n := 0
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		lhs, want, ok := strings.Cut(text, " = ")
		fields := strings.Fields(lhs)
		if !ok || len(fields) != 3 {
			t.Fatalf("rows.txt:%d: want FILE RECORD COLUMN = VALUE", line)
		}
		file, col := fields[0], fields[2]
		idx, _ := strconv.Atoi(fields[1])
		ms, ok := files[file]
		if !ok {
			items, _, err := readFile(t, filepath.Join("testdata", file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				table, b := mapRows(t, specs, []activity.Record{it.Record})
				ms = append(ms, mapped{table, b})
			}
			files[file] = ms
		}
		if idx < 1 || idx > len(ms) {
			t.Errorf("rows.txt:%d: %s has no record %d", line, file, idx)
			continue
		}
		m := ms[idx-1]
		ci := specs[m.table].Index(col)
		if ci < 0 {
			t.Errorf("rows.txt:%d: %s has no column %s", line, m.table, col)
			continue
		}
		c := m.b.Cols[ci]
		got := "null"
		if !c.IsNull(0) {
			switch v := c.Value(0); c.Type {
			case types.Dynamic:
				got = types.FormatJSON(c.Any(0))
			case types.Datetime:
				got = types.TimeFromTicks(c.Int(0)).Format(time.RFC3339Nano)
			case types.String:
				if got = c.Str(0); got == "" {
					got = "null"
				}
			default:
				got = v.String()
			}
		}
		if got != want {
			t.Errorf("rows.txt:%d: %s record %d %s.%s = %s, want %s", line, file, idx, m.table, col, got, want)
		}
		n++
	}
	if n == 0 {
		t.Fatal("rows.txt checks nothing")
	}
}
