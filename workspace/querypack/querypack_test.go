package querypack

import (
	"context"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/conformance"
	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/workspace/schema"
)

// TestQueriesRun: every query of the pack parses, binds against the
// workspace's table schemas and runs on empty tables, and reads only
// tables its header names.
func TestQueriesRun(t *testing.T) {
	schemas := map[string]vec.Schema{}
	for _, tbl := range schema.Tables() {
		schemas[tbl.Name] = tbl.Schema
	}
	e := &engine.Engine{Catalog: conformance.EmptyTables(schemas)}
	qs := Queries()
	if len(qs) < 30 {
		t.Fatalf("%d queries", len(qs))
	}
	for _, q := range qs {
		if _, err := e.Query(context.Background(), q.Body); err != nil {
			t.Errorf("%s: %v", q.Name, err)
		}
		for _, tbl := range q.Tables {
			if _, ok := schemas[tbl]; !ok {
				t.Errorf("%s: header names table %s, which workspaces lack", q.Name, tbl)
			}
			if !strings.Contains(q.Body, tbl) {
				t.Errorf("%s: header names table %s, which the query does not read", q.Name, tbl)
			}
		}
	}
}

// TestLookup finds a query by name, display name and id, in any case.
func TestLookup(t *testing.T) {
	q, ok := Lookup("adal-apps")
	if !ok || q.DisplayName != "Sign-ins from apps still using ADAL" {
		t.Fatalf("adal-apps: %+v %v", q, ok)
	}
	for _, key := range []string{"ADAL-APPS", "sign-ins from apps still using adal", strings.ToUpper(q.ID)} {
		if got, ok := Lookup(key); !ok || got.Name != q.Name {
			t.Errorf("Lookup(%q) = %q, %v", key, got.Name, ok)
		}
	}
	if _, ok := Lookup("no-such-query"); ok {
		t.Error("found a query that does not exist")
	}
	ids := map[string]bool{}
	for _, q := range Queries() {
		if ids[q.ID] || len(q.ID) != 36 {
			t.Errorf("%s: id %s repeated or malformed", q.Name, q.ID)
		}
		ids[q.ID] = true
	}
}

// TestParseErrors: a file without the headers a query needs is refused.
func TestParseErrors(t *testing.T) {
	for _, text := range []string{
		"SigninLogs | count",
		"// display: x\n// description: y\n// categories: security\n// tables: SigninLogs\nSigninLogs",
		"// display: x\n// description: y\n// source: z\n// categories: security\n// tables: SigninLogs\n",
		"// display: x\n// colour: blue\n",
	} {
		if _, err := parse("q", text); err == nil {
			t.Errorf("no error for %q", text)
		}
	}
}
