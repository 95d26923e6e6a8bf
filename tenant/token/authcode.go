package token

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/idlogs/idlogs/tenant"
)

// codeLifetime is how long an authorization code may be redeemed: Entra's
// ten minutes.
const codeLifetime = 10 * time.Minute

// flowLifetime is how long a sign-in page may be posted after it was
// opened.
const flowLifetime = 15 * time.Minute

// maxPending bounds the sign-in pages and codes kept at once, so that
// requests nobody finishes cannot fill memory.
const maxPending = 20000

// errBusy is returned when maxPending sign-ins are pending.
var errBusy = errors.New("too many sign-ins in progress")

// authzStore keeps, in memory, the sign-in pages waiting for a password
// and the authorization codes waiting to be redeemed. Both live minutes: a
// restart only makes the users who were signing in start again. Its
// methods are safe for concurrent use.
type authzStore struct {
	mu    sync.Mutex
	flows map[string]*pendingFlow // by flow id
	codes map[string]*codeRecord  // by the SHA-256 of the code
}

func newAuthzStore() *authzStore {
	return &authzStore{flows: map[string]*pendingFlow{}, codes: map[string]*codeRecord{}}
}

// pendingFlow is an authorization request whose sign-in page is open.
type pendingFlow struct {
	req     *authRequest
	app     *tenant.Application
	scope   *delegated
	csrf    [32]byte // SHA-256 of the flow cookie's value
	expires time.Time
}

// owns reports whether cookie is the value of the cookie set with the
// flow's page.
func (f *pendingFlow) owns(cookie string) bool {
	sum := sha256.Sum256([]byte(cookie))
	return subtle.ConstantTimeCompare(sum[:], f.csrf[:]) == 1
}

// codeRecord is an issued authorization code: what it may be redeemed
// for, and by whom.
type codeRecord struct {
	clientID    string
	redirectURI string
	challenge   string
	method      string
	nonce       string
	userID      string
	scope       string
	expires     time.Time
	redeemed    bool
	refreshKey  string // the refresh token issued on redemption, revoked if the code comes back
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return b64.EncodeToString(b), nil
}

func codeKey(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// prune drops expired flows and codes; the caller holds mu.
func (st *authzStore) prune(now time.Time) {
	for k, f := range st.flows {
		if now.After(f.expires) {
			delete(st.flows, k)
		}
	}
	for k, c := range st.codes {
		if now.After(c.expires) {
			delete(st.codes, k)
		}
	}
}

func (st *authzStore) full(now time.Time) bool {
	if len(st.flows)+len(st.codes) < maxPending {
		return false
	}
	st.prune(now)
	return len(st.flows)+len(st.codes) >= maxPending
}

// startFlow keeps f under a new id and returns the id and the value of
// the cookie that must come back with the page's form.
func (st *authzStore) startFlow(f *pendingFlow, now time.Time) (id, cookie string, err error) {
	if id, err = randomToken(); err != nil {
		return "", "", err
	}
	if cookie, err = randomToken(); err != nil {
		return "", "", err
	}
	f.csrf = sha256.Sum256([]byte(cookie))
	f.expires = now.Add(flowLifetime)
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.full(now) {
		return "", "", errBusy
	}
	st.flows[id] = f
	return id, cookie, nil
}

// flow returns the open flow id, or nil.
func (st *authzStore) flow(id string, now time.Time) *pendingFlow {
	st.mu.Lock()
	defer st.mu.Unlock()
	f := st.flows[id]
	if f == nil || now.After(f.expires) {
		return nil
	}
	return f
}

func (st *authzStore) endFlow(id string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.flows, id)
}

// issueCode keeps c and returns its code. Only the code's hash is kept.
func (st *authzStore) issueCode(c *codeRecord) (string, error) {
	raw, err := randomToken()
	if err != nil {
		return "", err
	}
	// Entra's codes are opaque; the prefix only tells a reader they are
	// idlogs' codes.
	code := "0.idl." + raw
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.full(c.expires.Add(-codeLifetime)) {
		return "", errBusy
	}
	st.codes[codeKey(code)] = c
	return code, nil
}

// redeem takes code for clientID. A code is redeemed once, whatever comes
// of it: a wrong verifier or redirect URI uses it up too, so that neither
// can be guessed. A code sent again is answered with 54005 and the refresh
// token its first redemption gave is revoked (RFC 6749 4.1.2: the code may
// have been stolen); revoke is that token's key, if any.
func (st *authzStore) redeem(code, clientID string, now time.Time) (rec codeRecord, revoke string, e *oauthError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	key := codeKey(code)
	c := st.codes[key]
	switch {
	case c == nil:
		return rec, "", newError(http.StatusBadRequest, "invalid_grant", 9002313,
			"Invalid request. Request is malformed or invalid. The authorization code is not one this tenant issued, or it has expired.")
	case !strings.EqualFold(c.clientID, clientID):
		// Left in place: a client that is not the code's does not use it up.
		return rec, "", newError(http.StatusBadRequest, "invalid_grant", 70000,
			"The provided authorization code is invalid: it was issued to a different client.")
	case c.redeemed:
		revoke, c.refreshKey = c.refreshKey, ""
		return *c, revoke, newError(http.StatusBadRequest, "invalid_grant", 54005,
			"OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.")
	case now.After(c.expires):
		delete(st.codes, key)
		return *c, "", newError(http.StatusBadRequest, "invalid_grant", 70008,
			"The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.")
	}
	c.redeemed = true
	return *c, "", nil
}

// noteRefresh remembers the refresh token a code's redemption issued.
func (st *authzStore) noteRefresh(code, refreshToken string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if c := st.codes[codeKey(code)]; c != nil {
		c.refreshKey = refreshKey(refreshToken)
	}
}

// authCodeGrant redeems an authorization code: grant_type
// authorization_code at the token endpoint.
func (s *Service) authCodeGrant(r *http.Request, f url.Values, base string, a *attempt) (*tokenResponse, *oauthError) {
	app, e := s.userClient(r, f, a)
	if e != nil {
		return nil, e
	}
	a.app = app
	code := f.Get("code")
	if code == "" {
		return nil, missing("code")
	}
	redirect := f.Get("redirect_uri")
	if redirect == "" {
		return nil, missing("redirect_uri")
	}
	rec, revoke, e := s.authz.redeem(code, app.AppID, s.now())
	if revoke != "" {
		if _, err := s.db.Delete(kindRefresh, revoke); err != nil {
			s.logf("token: revoke the refresh token of a reused code: %v", err)
		}
	}
	if rec.userID != "" {
		if u, err := s.dir.User(rec.userID); err == nil {
			a.user, a.upn = u, u.UserPrincipalName
		}
	}
	if e != nil {
		return nil, e
	}
	if redirect != rec.redirectURI {
		// Entra's code for this is not documented; the grant is the
		// client's error, as RFC 6749 4.1.3 says.
		return nil, newError(http.StatusBadRequest, "invalid_grant", 70000,
			"The provided authorization code is invalid: the redirect_uri '%s' is not the one it was issued for.", redirect)
	}
	if rec.challenge != "" && !pkceMatches(f.Get("code_verifier"), rec.challenge, rec.method) {
		return nil, newError(http.StatusBadRequest, "invalid_grant", 501481,
			"The Code_Verifier does not match the code_challenge supplied in the authorization request.")
	}
	if a.user == nil {
		return nil, errUnknownUser(s.dir.Domain())
	}
	if !a.user.AccountEnabled {
		return nil, errDisabled()
	}
	req, e := delegatedScopes(rec.scope)
	if e != nil {
		return nil, e
	}
	req.nonce = rec.nonce
	a.resource = req.resource
	resp, e := s.userTokens(r, f, base, a, a.user, app, req)
	if e == nil && resp.RefreshToken != "" {
		s.authz.noteRefresh(code, resp.RefreshToken)
	}
	return resp, e
}
