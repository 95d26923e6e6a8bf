package token

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
)

// claims are the access-token claims idlogs issues and reads, named as
// Entra's v2.0 access tokens name them.
type claims struct {
	Aud   audience    `json:"aud"`
	Amr   []string    `json:"amr,omitempty"`
	Iss   string      `json:"iss"`
	Iat   numericDate `json:"iat"`
	Nbf   numericDate `json:"nbf"`
	Exp   numericDate `json:"exp"`
	Appid string      `json:"appid,omitempty"`
	// AppDisplayname is Entra's optional app_displayname claim: an app
	// token names its application, so Verify need not look it up.
	AppDisplayname string `json:"app_displayname,omitempty"`
	Appidacr       string `json:"appidacr,omitempty"`
	Azp            string `json:"azp,omitempty"`
	Azpacr         string `json:"azpacr,omitempty"`
	Idtyp          string `json:"idtyp,omitempty"`
	Name           string `json:"name,omitempty"`
	// Nonce is an ID token's copy of the authorization request's nonce.
	Nonce string `json:"nonce,omitempty"`
	Oid   string `json:"oid,omitempty"`
	// PreferredUsername and Upn name a user; app tokens have neither.
	PreferredUsername string   `json:"preferred_username,omitempty"`
	Upn               string   `json:"upn,omitempty"`
	Roles             []string `json:"roles,omitempty"`
	Scp               string   `json:"scp,omitempty"`
	Sub               string   `json:"sub"`
	Tid               string   `json:"tid"`
	Uti               string   `json:"uti,omitempty"`
	Ver               string   `json:"ver,omitempty"`
	Wids              []string `json:"wids,omitempty"`
}

// audience is the aud claim: Entra writes one string; the JWT standard also
// allows an array, of which idlogs accepts exactly one element.
type audience string

func (a *audience) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*a = audience(s)
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil || len(list) != 1 {
		return errors.New("aud is neither a string nor a one-element array")
	}
	*a = audience(list[0])
	return nil
}

// numericDate is a JWT NumericDate (seconds since the Unix epoch), which
// other issuers may write with a fraction.
type numericDate int64

func (d *numericDate) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1<<53 {
		return errors.New("a time claim is not a number of seconds")
	}
	*d = numericDate(f)
	return nil
}
