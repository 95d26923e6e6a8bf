package state

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

type rec struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

func TestPutGetListDeleteReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range []string{"b", "a", "c"} {
		if err := db.Put("things", k, rec{Name: k, N: i}); err != nil {
			t.Fatal(err)
		}
	}
	if found, err := db.Delete("things", "c"); err != nil || !found {
		t.Fatalf("delete c: %v %v", found, err)
	}
	if found, _ := db.Delete("things", "zz"); found {
		t.Fatal("deleting a missing key reported found")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got rec
	if found, err := db.Get("things", "b", &got); err != nil || !found || got.N != 0 {
		t.Fatalf("get b = %+v %v %v", got, found, err)
	}
	if found, _ := db.Get("other", "b", &got); found {
		t.Fatal("kinds are separate")
	}
	var keys []string
	err = db.List("things", func(k string, v json.RawMessage) error {
		keys = append(keys, k)
		return nil
	})
	if err != nil || len(keys) != 2 || keys[0] != "a" || keys[1] != "b" {
		t.Fatalf("list = %v %v", keys, err)
	}
}

func TestUpdateRollsBackOnError(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *Tx) error {
		if err := tx.Put("k", "x", rec{N: 1}); err != nil {
			return err
		}
		return errTest
	})
	if err != errTest {
		t.Fatalf("err = %v", err)
	}
	var got rec
	if found, _ := db.Get("k", "x", &got); found {
		t.Fatal("a failed transaction left a record")
	}
}

var errTest = testErr("test")

type testErr string

func (e testErr) Error() string { return string(e) }
