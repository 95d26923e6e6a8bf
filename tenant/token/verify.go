package token

import (
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/idlogs/idlogs/auth"
)

// Verify checks a bearer token and returns its caller (api.TokenVerifier).
// A token is accepted when it is RS256-signed and either
//   - signed with this service's key, issued for this tenant (tid) with an
//     issuer https://{any host}/{tenant id}/v2.0, the host being whichever
//     name the client reached idlogs by; or
//   - issued by a trusted external issuer (iss exactly as configured) and
//     signed with a key of that issuer's key set;
//
// and the time is within its nbf and exp, give or take Skew. The audience
// is returned, not checked: which audience fits is the API's to decide.
func (s *Service) Verify(raw string) (*auth.Principal, error) {
	p, err := parse(raw)
	if err != nil {
		return nil, err
	}
	c := &p.claims
	now := s.now()
	own := true
	if ext := s.externalIssuer(c.Iss); ext != nil {
		own = false
		key, err := ext.key(p.header.Kid, now)
		if err != nil {
			return nil, err
		}
		if err := p.verifySig(key); err != nil {
			return nil, err
		}
	} else {
		if p.header.Kid != s.key.kid {
			return nil, fmt.Errorf("token: signed with unknown key %q", p.header.Kid)
		}
		if err := p.verifySig(&s.key.key.PublicKey); err != nil {
			return nil, err
		}
		if !s.ownIssuer(c.Iss) {
			return nil, fmt.Errorf("token: issuer %q is not trusted", c.Iss)
		}
		if c.Tid != s.dir.TenantID() {
			return nil, fmt.Errorf("token: tenant %q is not this directory's", c.Tid)
		}
	}
	if err := checkTimes(c, now); err != nil {
		return nil, err
	}
	if c.Aud == "" || c.Tid == "" || c.Oid == "" {
		return nil, errors.New("token: aud, tid and oid are required")
	}
	pr := &auth.Principal{
		TenantID:       c.Tid,
		ObjectID:       c.Oid,
		AppID:          c.Appid,
		Name:           c.Name,
		Audience:       string(c.Aud),
		Roles:          c.Roles,
		DirectoryRoles: c.Wids,
		App:            c.Idtyp == "app" || (c.Idtyp == "" && c.Scp == ""),
	}
	if pr.AppID == "" {
		pr.AppID = c.Azp
	}
	for _, n := range []string{c.Upn, c.PreferredUsername, c.AppDisplayname} {
		if pr.Name == "" {
			pr.Name = n
		}
	}
	// Tokens issued before app_displayname was added name the app only by
	// id: look it up, off the common path.
	if pr.Name == "" && own && pr.App {
		if app, ok := s.dir.Application(pr.AppID); ok {
			pr.Name = app.DisplayName
		}
	}
	return pr, nil
}

func checkTimes(c *claims, now time.Time) error {
	if c.Exp == 0 {
		return errors.New("token: no expiry (exp)")
	}
	t := now.Unix()
	skew := int64(Skew / time.Second)
	if t > int64(c.Exp)+skew {
		return fmt.Errorf("token: expired at %s", time.Unix(int64(c.Exp), 0).UTC().Format(time.RFC3339))
	}
	if c.Nbf != 0 && t+skew < int64(c.Nbf) {
		return fmt.Errorf("token: not valid before %s", time.Unix(int64(c.Nbf), 0).UTC().Format(time.RFC3339))
	}
	return nil
}

// ownIssuer reports whether iss has the form of this service's issuers:
// https://{host}/{tenant id}/v2.0.
func (s *Service) ownIssuer(iss string) bool {
	u, err := url.Parse(iss)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil &&
		u.RawQuery == "" && u.Fragment == "" && u.Path == "/"+s.dir.TenantID()+"/v2.0"
}

func (s *Service) externalIssuer(iss string) *externalIssuer {
	for _, e := range s.external {
		if e.issuer == iss {
			return e
		}
	}
	return nil
}

// jwksRefresh is the least time between two fetches of an external key
// set, so that tokens with made-up key ids cannot make idlogs hammer it.
const jwksRefresh = time.Minute

// maxJWKS bounds a fetched key set.
const maxJWKS = 1 << 20

// externalIssuer is a trusted issuer with its cached key set.
type externalIssuer struct {
	issuer, jwksURL string
	client          *http.Client

	mu      sync.Mutex // held while fetching, so one fetch runs at a time
	keys    map[string]*rsa.PublicKey
	fetched time.Time // last fetch attempt; zero before the first
}

func newExternalIssuer(t External, client *http.Client) (*externalIssuer, error) {
	u, err := url.Parse(t.JWKSURL)
	if t.Issuer == "" || err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("token: trusted issuer %q needs an https key set URL, not %q", t.Issuer, t.JWKSURL)
	}
	return &externalIssuer{issuer: t.Issuer, jwksURL: t.JWKSURL, client: client}, nil
}

// key returns the issuer's key kid, fetching the key set when kid is not
// in the cache and the last fetch is at least jwksRefresh old.
func (e *externalIssuer) key(kid string, now time.Time) (*rsa.PublicKey, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if k, ok := e.keys[kid]; ok {
		return k, nil
	}
	if !e.fetched.IsZero() && now.Sub(e.fetched) < jwksRefresh {
		return nil, fmt.Errorf("token: issuer %s has no key %q", e.issuer, kid)
	}
	e.fetched = now
	keys, err := e.fetch()
	if err != nil {
		return nil, fmt.Errorf("token: key set of %s: %w", e.issuer, err)
	}
	e.keys = keys
	if k, ok := e.keys[kid]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("token: issuer %s has no key %q", e.issuer, kid)
}

func (e *externalIssuer) fetch() (map[string]*rsa.PublicKey, error) {
	resp, err := e.client.Get(e.jwksURL)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.Request != nil && resp.Request.URL.Scheme != "https" {
		return nil, fmt.Errorf("GET %s: redirected to %s, which is not https", e.jwksURL, resp.Request.URL)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", e.jwksURL, resp.Status)
	}
	var set jwks
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxJWKS)).Decode(&set); err != nil {
		return nil, fmt.Errorf("GET %s: %w", e.jwksURL, err)
	}
	keys := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		if k.Kid == "" || (k.Use != "" && k.Use != "sig") {
			continue
		}
		// Keys of other types or sizes are skipped, not fatal: a set may
		// hold keys idlogs has no use for.
		if pub, err := k.rsaKey(); err == nil {
			keys[k.Kid] = pub
		}
	}
	return keys, nil
}
