package eventhub_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/connectors/eventhub"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/workspace/schema"
)

var update = flag.Bool("update", false, "rewrite testdata/events/*.want")

const sampleWorkspace = "8c2e7f0a-5b1d-4d6e-9f3a-2b7c1e0d4a55"

// specTables returns the table schemas of the shared specification
// (shared/spec/tables beside the repository), or nil when it is not there.
func specTables(t *testing.T) map[string]vec.Schema {
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for ; ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, "shared", "spec", "tables")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			tables, err := schema.LoadDir(p)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]vec.Schema{}
			for _, tb := range tables {
				out[tb.Name] = tb.Schema
			}
			return out
		}
		if filepath.Dir(dir) == dir {
			return nil
		}
	}
}

// TestSamples decodes an Event Hubs event of every category
// (testdata/events/{category}.json, {"records":[...]} as Entra streams it)
// and maps its records to the rows the workspace stores. Field by field:
// every column filled must be a column of the table in the specification's
// schema (shared/spec/tables), of the same type; every member of
// properties must fill some column (found by mapping the record without
// it), or be listed as unmapped in the .want file, which holds the
// expected rows and is rewritten by -update.
func TestSamples(t *testing.T) {
	files, err := filepath.Glob("testdata/events/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	spec := specTables(t)
	if spec == nil {
		t.Log("shared/spec/tables not found: columns are not checked against the specification")
	}
	seen := map[string]bool{}
	for _, file := range files {
		cat := strings.TrimSuffix(filepath.Base(file), ".json")
		seen[cat] = true
		t.Run(cat, func(t *testing.T) { checkSample(t, file, cat, spec) })
	}
	for _, c := range []string{activity.AuditLogs, activity.SignInLogs, activity.NonInteractiveUserSignInLogs,
		activity.ServicePrincipalSignInLogs, activity.ManagedIdentitySignInLogs, activity.ProvisioningLogs,
		activity.ADFSSignInLogs, activity.RiskyUsers, activity.UserRiskEvents, activity.NetworkAccessTrafficLogs,
		activity.RiskyServicePrincipals, activity.ServicePrincipalRiskEvents, activity.EnrichedOffice365AuditLogs,
		activity.MicrosoftGraphActivityLogs, activity.RemoteNetworkHealthLogs, activity.B2CRequestLogs,
		activity.CustomSecurityAttributeAuditLogs} {
		if !seen[c] {
			t.Errorf("no sample event for category %s", c)
		}
	}
}

func checkSample(t *testing.T, file, cat string, spec map[string]vec.Schema) {
	body, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	recs, bad, err := eventhub.Decode(body, "")
	if err != nil || len(bad) > 0 || len(recs) == 0 {
		t.Fatalf("decode: %v %v (%d records)", err, bad, len(recs))
	}
	table, ok := tablemap.Table(cat)
	if !ok {
		t.Fatalf("category %s has no table", cat)
	}
	sch, ok := schema.Lookup(table)
	if !ok {
		t.Fatalf("the workspace has no table %s", table)
	}
	received := recs[0].Time.Add(3 * time.Minute)
	var out strings.Builder
	for i, r := range recs {
		if r.Category != cat {
			t.Errorf("record %d: category %s in the %s sample", i, r.Category, cat)
		}
		row := rowOf(t, sch, r, received)
		fmt.Fprintf(&out, "record %d\n", i)
		for _, c := range row {
			fmt.Fprintf(&out, "  %s\n", c)
			if spec == nil {
				continue
			}
			name, typ, _ := strings.Cut(strings.SplitN(c, " = ", 2)[0], ":")
			st, ok := spec[table]
			if !ok {
				t.Errorf("the specification has no table %s", table)
				continue
			}
			if j := st.Index(name); j < 0 {
				t.Errorf("record %d fills %s, which the specification's %s does not have", i, name, table)
			} else if st[j].Type.String() != typ {
				t.Errorf("record %d fills %s as %s, the specification's type is %s", i, name, typ, st[j].Type)
			}
		}
		for _, m := range unmapped(t, sch, r, received, row) {
			fmt.Fprintf(&out, "  unmapped: %s\n", m)
		}
	}
	want := strings.TrimSuffix(file, ".json") + ".want"
	if *update {
		if err := os.WriteFile(want, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(want)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if out.String() != string(data) {
		t.Errorf("%s differs (run with -update to rewrite):\n--- got\n%s--- want\n%s", want, out.String(), data)
	}
}

// rowOf maps one record and returns its non-null columns as
// "Name:type = value".
func rowOf(t *testing.T, sch vec.Schema, r activity.Record, received time.Time) []string {
	b, errs := tablemap.Build(r.Category, sch, sampleWorkspace, []activity.Record{r}, received)
	if len(errs) > 0 || b == nil || b.N != 1 {
		t.Fatalf("map record %s: %v", r.ID(), errs)
	}
	var cols []string
	for i, f := range sch {
		c := b.Cols[i]
		if c.IsNull(0) || f.Type == types.String && c.Str(0) == "" {
			continue
		}
		cols = append(cols, fmt.Sprintf("%s:%s = %s", f.Name, f.Type, cell(c, 0)))
	}
	return cols
}

// unmapped returns the members of r's properties that fill no column:
// given another value of the same kind, the row stays the same.
func unmapped(t *testing.T, sch vec.Schema, r activity.Record, received time.Time, row []string) []string {
	var props map[string]json.RawMessage
	if err := json.Unmarshal(r.Properties, &props); err != nil {
		t.Fatal(err)
	}
	var out []string
	for k, v := range props {
		if string(v) == "null" || string(v) == `""` {
			continue
		}
		changed := map[string]json.RawMessage{}
		for k2, v2 := range props {
			changed[k2] = v2
		}
		changed[k] = otherValue(v)
		r2 := r
		r2.Properties, _ = json.Marshal(changed)
		// _BilledSize follows the record's size, so it always changes.
		if slices.Equal(withoutSize(rowOf(t, sch, r2, received)), withoutSize(row)) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// otherValue returns a value of the kind of v that differs from it.
func otherValue(v json.RawMessage) json.RawMessage {
	switch v[0] {
	case '"':
		var s string
		json.Unmarshal(v, &s)
		if _, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return json.RawMessage(`"2001-02-03T04:05:06Z"`)
		}
		return json.RawMessage(`"00000000-0000-0000-0000-00000000abcd"`)
	case '{':
		return json.RawMessage(`{"changedMember":1}`)
	case '[':
		return json.RawMessage(`["changed"]`)
	case 't':
		return json.RawMessage(`false`)
	case 'f':
		return json.RawMessage(`true`)
	}
	return json.RawMessage(`987654`)
}

func withoutSize(cols []string) []string {
	return slices.DeleteFunc(slices.Clone(cols), func(c string) bool { return strings.HasPrefix(c, "_BilledSize:") })
}

func cell(c *vec.Column, row int) string {
	switch c.Type {
	case types.String, types.Guid:
		return strconv.Quote(c.Str(row))
	case types.Dynamic:
		return types.FormatJSON(c.Any(row))
	case types.Datetime:
		return types.FormatDatetimeFull(c.Int(row))
	case types.Bool:
		return strconv.FormatBool(c.Int(row) != 0)
	}
	return c.Value(row).String()
}
