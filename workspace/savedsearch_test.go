package workspace

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
)

// reopen closes r and db and opens both again, as a restart does.
func reopen(t *testing.T, dir string, r *Registry, db *state.DB, now func() time.Time) (*Registry, *state.DB) {
	t.Helper()
	if r != nil {
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if db != nil {
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	db, err := state.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	r, err = Open(dir, db, store.Options{NoBackground: true, NoSync: true}, now)
	if err != nil {
		t.Fatal(err)
	}
	return r, db
}

func TestSavedSearchesPersist(t *testing.T) {
	dir := t.TempDir()
	clock := time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	r, db := reopen(t, dir, nil, nil, now)
	defer func() { r.Close(); db.Close() }()
	ws1, _, err := r.Put(Workspace{SubscriptionID: "sub", ResourceGroup: "rg", Name: "ws1"})
	if err != nil {
		t.Fatal(err)
	}
	ws2, _, err := r.Put(Workspace{SubscriptionID: "sub", ResourceGroup: "rg", Name: "ws2"})
	if err != nil {
		t.Fatal(err)
	}
	s, created, err := r.PutSavedSearch(ws1, SavedSearch{ID: "Fails", Category: "c", DisplayName: "d", Query: "SigninLogs | where x > n",
		FunctionAlias: "Fails", FunctionParameters: "n:long = 1", Tags: []SavedSearchTag{{Name: "a", Value: "b"}}})
	if err != nil || !created || s.ETag != `W/"datetime'2026-11-27T13%3A00%3A00.0000000Z'"` {
		t.Fatalf("put: %+v %v %v", s, created, err)
	}
	// The same clock reading still gives a new etag.
	s2, created, err := r.PutSavedSearch(ws1, SavedSearch{ID: "fails", Category: "c", DisplayName: "d", Query: "SigninLogs | where x > n",
		FunctionAlias: "Fails", FunctionParameters: "n:long = 2"})
	if err != nil || created || s2.ID != "Fails" || s2.ETag == s.ETag {
		t.Fatalf("replace: %+v %v %v", s2, created, err)
	}
	if _, _, err := r.PutSavedSearch(ws1, SavedSearch{ID: "plain", Category: "c", DisplayName: "d", Query: "print 1"}); err != nil {
		t.Fatal(err)
	}
	// Aliases are per workspace.
	if _, _, err := r.PutSavedSearch(ws2, SavedSearch{ID: "x", Category: "c", DisplayName: "d", Query: "print 2", FunctionAlias: "Fails"}); err != nil {
		t.Fatal(err)
	}
	var inUse *AliasInUseError
	if _, _, err := r.PutSavedSearch(ws1, SavedSearch{ID: "y", Category: "c", DisplayName: "d", Query: "print 3", FunctionAlias: "Fails"}); !errors.As(err, &inUse) || inUse.By != "Fails" {
		t.Fatalf("duplicate alias: %v", err)
	}

	r, db = reopen(t, dir, r, db, now)
	ws1, _ = r.Get(ws1.ResourceID())
	ws2, _ = r.Get(ws2.ResourceID())
	if got := ws1.SavedSearches(); len(got) != 2 || got[0].ID != "Fails" || got[0].ETag != s2.ETag || got[1].ID != "plain" {
		t.Fatalf("after reopen: %+v", got)
	}
	if p, b, ok := ws1.Function("Fails"); !ok || p != "n:long = 2" || b != "SigninLogs | where x > n" {
		t.Errorf("Function(Fails) = %q %q %v", p, b, ok)
	}
	if _, _, ok := ws1.Function("fails"); ok {
		t.Error("function names are case-sensitive")
	}
	if _, b, ok := ws2.Function("Fails"); !ok || b != "print 2" {
		t.Errorf("ws2 Function(Fails) = %q %v", b, ok)
	}

	if found, err := r.DeleteSavedSearch(ws1, "FAILS"); err != nil || !found {
		t.Fatalf("delete: %v %v", found, err)
	}
	if found, _ := r.DeleteSavedSearch(ws1, "fails"); found {
		t.Fatal("deleted twice")
	}
	if err := r.Delete(ws2.ResourceID()); err != nil {
		t.Fatal(err)
	}
	r, db = reopen(t, dir, r, db, now)
	ws1, _ = r.Get(ws1.ResourceID())
	if got := ws1.SavedSearches(); len(got) != 1 || got[0].ID != "plain" {
		t.Fatalf("after delete and reopen: %+v", got)
	}
	if _, _, ok := ws1.Function("Fails"); ok {
		t.Error("a deleted function is still found")
	}
	// A workspace made again under a deleted one's name starts empty.
	ws2, _, err = r.Put(Workspace{SubscriptionID: "sub", ResourceGroup: "rg", Name: "ws2"})
	if err != nil {
		t.Fatal(err)
	}
	r, db = reopen(t, dir, r, db, now)
	ws2, _ = r.Get(ws2.ResourceID())
	if got := ws2.SavedSearches(); len(got) != 0 {
		t.Fatalf("recreated workspace has %+v", got)
	}
}
