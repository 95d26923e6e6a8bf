package token

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/idlogs/idlogs/state"
)

// kindRefresh holds refresh tokens by the SHA-256 of their value: a stolen
// state file gives none away.
const kindRefresh = "token.refresh"

// DefaultRefreshLifetime is how long a refresh token lives unless Options
// says otherwise: Entra's default of 90 days.
const DefaultRefreshLifetime = 90 * 24 * time.Hour

// refreshRecord is a refresh token as stored.
type refreshRecord struct {
	UserID   string    `json:"userId"`
	ClientID string    `json:"clientId"`
	Scope    string    `json:"scope"`
	Issued   time.Time `json:"issued"`
	Expires  time.Time `json:"expires"`
}

func refreshKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// issueRefresh stores and returns a new opaque refresh token: 256 random
// bits, so a fast hash is enough to keep it.
func (s *Service) issueRefresh(userID, clientID, scope string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	// Entra's refresh tokens are opaque; the prefix only helps a reader
	// tell idlogs' from a JWT.
	token := "1.idl." + b64.EncodeToString(raw)
	now := s.now().UTC()
	rec := refreshRecord{UserID: userID, ClientID: strings.ToLower(clientID), Scope: scope, Issued: now, Expires: now.Add(s.refreshLifetime)}
	if err := s.db.Put(kindRefresh, refreshKey(token), rec); err != nil {
		return "", err
	}
	return token, nil
}

// redeemRefresh takes a refresh token out of the store (it is rotated on
// use: the grant issues a new one) and returns what it was issued for. A
// token issued to another client stays where it is. An expired token is
// returned with its error, so that the sign-in record names its user.
func (s *Service) redeemRefresh(token, clientID string) (*refreshRecord, *oauthError) {
	var rec refreshRecord
	var e *oauthError
	now := s.now()
	err := s.db.Update(func(tx *state.Tx) error {
		key := refreshKey(token)
		found, err := tx.Get(kindRefresh, key, &rec)
		if err != nil {
			return err
		}
		switch {
		case !found:
			e = newError(http.StatusBadRequest, "invalid_grant", 9002313,
				"Invalid request. Request is malformed or invalid. The refresh token is not one this tenant issued, or it has been used already.")
			return nil
		case !strings.EqualFold(rec.ClientID, clientID):
			e = newError(http.StatusBadRequest, "invalid_grant", 70000,
				"The provided grant is invalid or malformed. The refresh token was issued to a different client.")
			return nil
		case now.After(rec.Expires):
			e = newError(http.StatusBadRequest, "invalid_grant", 700082,
				"The refresh token has expired due to inactivity. The token was issued on %s and was inactive for %s.",
				rec.Issued.Format(time.RFC3339), now.Sub(rec.Issued).Round(time.Second))
		}
		_, err = tx.Delete(kindRefresh, key)
		return err
	})
	if err != nil {
		s.logf("token: redeem refresh token: %v", err)
		return nil, transient()
	}
	if e != nil && e.aadsts != 700082 {
		return nil, e
	}
	return &rec, e
}
