package token

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"time"

	"github.com/idlogs/idlogs/tenant"
)

// AppToken issues an access token for app to call resource (the aud claim,
// exactly as given), with issuer base/{tenant id}/v2.0. The wids claim
// holds the template ids of the directory roles of app's service
// principal.
func (s *Service) AppToken(app *tenant.Application, resource, base string) (string, time.Time, error) {
	raw, exp, _, err := s.appToken(app, resource, base)
	return raw, exp, err
}

func (s *Service) appToken(app *tenant.Application, resource, base string) (raw string, exp time.Time, uti string, err error) {
	wids, err := s.dir.RolesOf(app.ObjectID)
	if err != nil {
		return "", time.Time{}, "", err
	}
	c := s.baseClaims(resource, base)
	c.Appid, c.Appidacr, c.Azp, c.Azpacr = app.AppID, "1", app.AppID, "1" // authenticated with a client secret
	c.Idtyp = "app"
	c.AppDisplayname = app.DisplayName
	c.Oid = app.ObjectID
	c.Roles = app.Roles
	c.Sub = app.ObjectID // an app token's subject is its service principal
	c.Wids = wids
	return s.signClaims(c)
}

// UserToken issues an access token for user, signed in through client
// app, to call resource with the delegated permissions scp.
func (s *Service) UserToken(user *tenant.User, app *tenant.Application, resource, scp, base string) (string, time.Time, error) {
	raw, exp, _, err := s.userToken(user, app, resource, scp, base, false)
	return raw, exp, err
}

func (s *Service) userToken(user *tenant.User, app *tenant.Application, resource, scp, base string, confidential bool) (raw string, exp time.Time, uti string, err error) {
	wids, err := s.dir.RolesOf(user.ID)
	if err != nil {
		return "", time.Time{}, "", err
	}
	acr := "0" // a public client
	if confidential {
		acr = "1"
	}
	c := s.baseClaims(resource, base)
	c.Appid, c.Appidacr, c.Azp, c.Azpacr = app.AppID, acr, app.AppID, acr
	c.Idtyp = "user"
	c.Name = user.DisplayName
	c.Oid = user.ID
	c.PreferredUsername = user.UserPrincipalName
	c.Upn = user.UserPrincipalName
	c.Scp = scp
	c.Sub = pairwiseSubject(user.ID, app.AppID)
	c.Wids = wids
	c.Amr = []string{"pwd"}
	return s.signClaims(c)
}

// idToken is the OpenID Connect ID token of a user sign-in: audience the
// client, as MSAL reads it to know the account. nonce is the
// authorization request's, if the token ends an authorization-code flow.
func (s *Service) idToken(user *tenant.User, app *tenant.Application, base, nonce string) (string, error) {
	c := s.baseClaims(app.AppID, base)
	c.Nonce = nonce
	c.Name = user.DisplayName
	c.Oid = user.ID
	c.PreferredUsername = user.UserPrincipalName
	c.Sub = pairwiseSubject(user.ID, app.AppID)
	c.Uti = ""
	raw, _, _, err := s.signClaims(c)
	return raw, err
}

// pairwiseSubject is a user's sub for one client: stable, and different
// for every client, as Entra's pairwise subjects are.
func pairwiseSubject(userID, appID string) string {
	sum := sha256.Sum256([]byte(userID + "\x00" + appID))
	return b64.EncodeToString(sum[:])
}

// clientInfo is MSAL's client_info: the user's home object and tenant ids.
func clientInfo(uid, utid string) string {
	j, _ := json.Marshal(map[string]string{"uid": uid, "utid": utid})
	return b64.EncodeToString(j)
}

func (s *Service) baseClaims(resource, base string) claims {
	now := s.now()
	return claims{
		Aud: audience(resource),
		Iss: s.issuer(base),
		Iat: numericDate(now.Unix()),
		Nbf: numericDate(now.Unix()),
		Exp: numericDate(now.Add(s.lifetime).Unix()),
		Tid: s.dir.TenantID(),
		Ver: "2.0",
	}
}

// signClaims sets a new uti on c (unless c is an ID token, with none) and
// signs it.
func (s *Service) signClaims(c claims) (raw string, exp time.Time, uti string, err error) {
	if c.Idtyp != "" {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return "", time.Time{}, "", err
		}
		c.Uti = b64.EncodeToString(b)
	}
	raw, err = sign(s.key.key, header{Typ: "JWT", Alg: algRS256, Kid: s.key.kid, X5t: s.key.kid}, c)
	if err != nil {
		return "", time.Time{}, "", err
	}
	return raw, time.Unix(int64(c.Exp), 0), c.Uti, nil
}
