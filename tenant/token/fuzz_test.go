package token

import (
	"testing"
)

// FuzzVerify: Verify never panics on outside input, and accepts nothing
// but tokens the service signed.
func FuzzVerify(f *testing.F) {
	fx := newFixture(f, Options{})
	good, _, err := fx.svc.AppToken(fx.app, "https://api.loganalytics.io", base)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{good, "", "..", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", good[:len(good)/2]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := fx.svc.Verify(raw)
		if err == nil && raw != good && p.ObjectID != fx.app.ObjectID {
			t.Fatalf("accepted %q as %+v", raw, p)
		}
	})
}
