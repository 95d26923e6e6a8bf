package workspace

import (
	"path/filepath"
	"testing"

	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
)

func TestPutResolveReopenDelete(t *testing.T) {
	dir := t.TempDir()
	db, err := state.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	opt := store.Options{NoBackground: true, NoSync: true}
	r, err := Open(dir, db, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, created, err := r.Put(Workspace{SubscriptionID: "sub", ResourceGroup: "rg", Name: "ws1", Location: "westeurope"})
	if err != nil || !created {
		t.Fatalf("put: %v %v", created, err)
	}
	if w.RetentionInDays != DefaultRetentionDays || len(w.CustomerID) != 36 || w.PrimarySharedKey == "" {
		t.Fatalf("defaults not set: %+v", w)
	}
	if _, ok := w.Store().Lookup("SigninLogs"); !ok {
		t.Fatal("a new workspace lacks SigninLogs")
	}
	for _, ident := range []string{w.CustomerID, w.ResourceID(), "sub/rg/ws1", "WS1", "/SUBSCRIPTIONS/sub/resourcegroups/RG/providers/microsoft.operationalinsights/workspaces/ws1"} {
		if got, ok := r.Resolve(ident); !ok || got != w {
			t.Errorf("Resolve(%q) failed", ident)
		}
	}
	w2, created, err := r.Put(Workspace{SubscriptionID: "sub", ResourceGroup: "rg", Name: "ws1", RetentionInDays: 90})
	if err != nil || created || w2.CustomerID != w.CustomerID || w2.RetentionInDays != 90 {
		t.Fatalf("update: %+v %v %v", w2, created, err)
	}
	cid := w.CustomerID
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	r, err = Open(dir, db, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, ok := r.ByCustomerID(cid)
	if !ok || w.RetentionInDays != 90 {
		t.Fatalf("after reopen: %+v %v", w, ok)
	}
	if err := r.Delete(w.ResourceID()); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.ByCustomerID(cid); ok {
		t.Fatal("deleted workspace still resolves")
	}
	if err := r.Delete(w.ResourceID()); err != ErrNotFound {
		t.Fatalf("second delete: %v", err)
	}
	r.Close()
}
