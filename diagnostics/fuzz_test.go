package diagnostics

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/idlogs/idlogs/api/apierror"
)

// FuzzPut sends arbitrary names and bodies: Put never panics, a refusal is
// always an Azure error, and what Put accepts with an enabled log is what
// Get returns.
func FuzzPut(f *testing.F) {
	f.Add("s1", `{"properties":{"workspaceId":"`+ws+`","logs":[{"category":"AuditLogs","enabled":true}]}}`)
	f.Add("s2", `{"properties":{"workspaceId":"`+ws+`","eventHubName":null,"logs":[{"category":"signinlogs","enabled":false}]}}`)
	f.Add("a:b", `{"properties":{"storageAccountId":"/providers/x","logs":[{"category":"Foo","enabled":true,"retentionPolicy":{"enabled":true,"days":-1}}]}}`)
	f.Add("", `{}`)
	f.Add("x", `{"properties":{"workspaceId":"ws","logs":null}}`)
	r, err := Open(openDB(f, filepath.Join(f.TempDir(), "state.db")), Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name, body string) {
		var s Setting
		if json.Unmarshal([]byte(body), &s) != nil {
			return
		}
		out, err := r.Put(ProviderAADIAM, name, s, Initiator{})
		if err != nil {
			var ae *apierror.Error
			if !errors.As(err, &ae) || ae.Status < 400 || ae.Status > 499 {
				t.Fatalf("Put(%q, %s) = %v, want an Azure 4xx error", name, body, err)
			}
			return
		}
		got, ok := r.Get(ProviderAADIAM, name)
		if hasEnabledLog(out.Properties) != ok {
			t.Fatalf("Put(%q, %s): kept %v, enabled logs %v", name, body, ok, hasEnabledLog(out.Properties))
		}
		if ok && !reflect.DeepEqual(got, out) {
			t.Fatalf("Get = %+v, Put answered %+v", got, out)
		}
		if ok {
			if _, err := r.Delete(ProviderAADIAM, name, Initiator{}); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestLimitUnderConcurrency: concurrent creations never exceed the limit.
func TestLimitUnderConcurrency(t *testing.T) {
	r, err := Open(openDB(t, filepath.Join(t.TempDir(), "state.db")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	cats := DefaultCategories[:12]
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, refused := 0, 0
	for i, c := range cats {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := r.Put(ProviderAADIAM, "s"+string(rune('a'+i)), setting(c), Initiator{})
			mu.Lock()
			defer mu.Unlock()
			var ae *apierror.Error
			switch {
			case err == nil:
				ok++
			case errors.As(err, &ae) && ae.Code == "BadRequest":
				refused++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok != MaxSettings || refused != len(cats)-MaxSettings || len(r.List(ProviderAADIAM)) != MaxSettings {
		t.Errorf("%d accepted, %d refused, %d kept", ok, refused, len(r.List(ProviderAADIAM)))
	}
	if got := len(r.Settings()); got != MaxSettings {
		t.Errorf("Settings() holds %d", got)
	}
}
