package token

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// keyServer is another Entra tenant's key endpoint: a key set the test
// rotates, and a count of fetches.
type keyServer struct {
	srv     *httptest.Server
	mu      sync.Mutex
	keys    map[string]*rsa.PrivateKey
	fetches int
}

func newKeyServer(t *testing.T) *keyServer {
	ks := &keyServer{keys: map[string]*rsa.PrivateKey{}}
	ks.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ks.mu.Lock()
		defer ks.mu.Unlock()
		ks.fetches++
		var set jwks
		for kid, k := range ks.keys {
			set.Keys = append(set.Keys, publicJWK(kid, &k.PublicKey))
		}
		// A key of a type idlogs does not use is skipped, not fatal.
		set.Keys = append(set.Keys, jwk{Kty: "EC", Kid: "ec-key", Use: "sig"})
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(ks.srv.Close)
	return ks
}

func (ks *keyServer) addKey(t *testing.T, kid string) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ks.mu.Lock()
	ks.keys[kid] = k
	ks.mu.Unlock()
	return k
}

func (ks *keyServer) fetchCount() int {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	return ks.fetches
}

const (
	extTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	extIssuer = "https://login.microsoftonline.com/" + extTenant + "/v2.0"
)

// externalToken is an app token as another tenant issues it.
func externalToken(t *testing.T, key *rsa.PrivateKey, kid string, iat time.Time) string {
	t.Helper()
	raw, err := sign(key, header{Typ: "JWT", Alg: algRS256, Kid: kid}, claims{
		Aud: "https://api.loganalytics.io", Iss: extIssuer,
		Iat: numericDate(iat.Unix()), Nbf: numericDate(iat.Unix()), Exp: numericDate(iat.Add(time.Hour).Unix()),
		Azp: "9d1e2f6a-0000-4000-8000-000000000001", Idtyp: "app",
		Oid: "9d1e2f6a-0000-4000-8000-000000000002", Sub: "9d1e2f6a-0000-4000-8000-000000000002",
		Tid: extTenant, Ver: "2.0", Roles: []string{"Data.Read"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestExternalIssuer(t *testing.T) {
	ks := newKeyServer(t)
	k1 := ks.addKey(t, "k1")
	f := newFixture(t, Options{
		Trusted:    []External{{Issuer: extIssuer, JWKSURL: ks.srv.URL + "/" + extTenant + "/discovery/v2.0/keys"}},
		HTTPClient: ks.srv.Client(),
	})

	p, err := f.svc.Verify(externalToken(t, k1, "k1", t0))
	if err != nil {
		t.Fatal(err)
	}
	if p.TenantID != extTenant || p.AppID != "9d1e2f6a-0000-4000-8000-000000000001" || !p.App || len(p.Roles) != 1 {
		t.Fatalf("principal = %+v", p)
	}
	if _, err := f.svc.Verify(externalToken(t, k1, "k1", t0)); err != nil || ks.fetchCount() != 1 {
		t.Fatalf("second token: %v after %d fetches, want the cached key set", err, ks.fetchCount())
	}

	// The issuer rotates to a new key: within a minute of the last fetch an
	// unknown kid does not fetch again; after it, one fetch finds the key.
	k2 := ks.addKey(t, "k2")
	f.now = t0.Add(30 * time.Second)
	if _, err := f.svc.Verify(externalToken(t, k2, "k2", t0)); err == nil {
		t.Fatal("a key published after the last fetch was used within a minute of it")
	}
	if n := ks.fetchCount(); n != 1 {
		t.Fatalf("fetches = %d, want 1", n)
	}
	f.now = t0.Add(61 * time.Second)
	if _, err := f.svc.Verify(externalToken(t, k2, "k2", t0)); err != nil {
		t.Fatalf("rotated key: %v", err)
	}
	if n := ks.fetchCount(); n != 2 {
		t.Fatalf("fetches = %d, want 2", n)
	}
	// Made-up key ids cost no fetch until the minute is over.
	for range 3 {
		if _, err := f.svc.Verify(externalToken(t, k2, "made-up", t0)); err == nil {
			t.Fatal("a token with an unknown kid was accepted")
		}
	}
	if n := ks.fetchCount(); n != 2 {
		t.Fatalf("fetches = %d after unknown kids, want 2", n)
	}

	// A key of the external issuer does not make tokens naming another
	// issuer valid, nor does idlogs' own key sign for the external one.
	other := externalToken(t, k1, "k1", t0)
	tampered := resign(t, f, other, k1, header{Typ: "JWT", Alg: algRS256, Kid: "k1"}, func(c *claims) {
		c.Iss = "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0"
	})
	if _, err := f.svc.Verify(tampered); err == nil {
		t.Error("a token of an untrusted issuer was accepted")
	}
	forged := resign(t, f, other, f.svc.key.key, header{Typ: "JWT", Alg: algRS256, Kid: "k1"}, func(*claims) {})
	if _, err := f.svc.Verify(forged); err == nil {
		t.Error("a token naming the external issuer but signed by idlogs' key was accepted")
	}
}

func TestExternalIssuerNeedsHTTPS(t *testing.T) {
	db := newFixture(t, Options{})
	_, err := New(db.dir, db.db, Options{Trusted: []External{{Issuer: extIssuer, JWKSURL: "http://keys.test/keys"}}})
	if err == nil {
		t.Fatal("a key set over plain HTTP was accepted")
	}
}
