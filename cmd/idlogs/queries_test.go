package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/workspace/querypack"
)

// TestQueriesCommand lists the built-in pack over a running server's ARM
// API and runs its queries by name through the query API.
func TestQueriesCommand(t *testing.T) {
	dir, _ := startQueryServer(t)
	cli := func(args ...string) result {
		t.Helper()
		return runCLI(t, "", append(args, "--data", dir)...)
	}
	r := cli("queries", "list")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "NAME") {
		t.Fatalf("list: %+v", r)
	}
	for _, q := range querypack.Queries() {
		if !strings.Contains(r.stdout, q.Name) || !strings.Contains(r.stdout, q.DisplayName) {
			t.Errorf("list lacks %s (%s)", q.Name, q.DisplayName)
		}
	}
	var listed []map[string]any
	if r := cli("queries", "list", "-o", "json"); r.code != 0 || json.Unmarshal([]byte(r.stdout), &listed) != nil || len(listed) != len(querypack.Queries()) {
		t.Errorf("list -o json: %d queries, %+v", len(listed), r)
	}

	// The server holds no sign-ins: the query runs and prints nothing.
	byName := cli("queries", "run", "users-per-app", "-o", "json")
	if byName.code != 0 || byName.stderr != "" {
		t.Fatalf("run users-per-app: %+v", byName)
	}
	if r := cli("queries", "run", "User count per application", "-o", "json"); r.code != 0 || r.stdout != byName.stdout {
		t.Errorf("run by display name: %+v", r)
	}
	if r := cli("queries", "run", "no-such-query"); r.code != 1 || !strings.Contains(r.stderr, "list the pack's queries") {
		t.Errorf("run no-such-query: %+v", r)
	}
	if r := cli("queries", "list", "-o", "yaml"); r.code != 1 || !strings.Contains(r.stderr, "table or json") {
		t.Errorf("list -o yaml: %+v", r)
	}
}
