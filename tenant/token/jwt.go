package token

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Only RS256 is issued and accepted, as Entra signs its access tokens; a
// token naming another algorithm (above all "none" or an HMAC one, which
// would turn a public key into a shared secret) is rejected before any
// signature is looked at.
const algRS256 = "RS256"

// header is a JWS header as Entra writes it.
type header struct {
	Typ string `json:"typ"`
	Alg string `json:"alg"`
	Kid string `json:"kid,omitempty"`
	X5t string `json:"x5t,omitempty"`
}

var b64 = base64.RawURLEncoding

// sign returns the compact serialisation of claims signed with key.
func sign(key *rsa.PrivateKey, h header, claims any) (string, error) {
	hj, err := json.Marshal(h)
	if err != nil {
		return "", err
	}
	cj, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	input := b64.EncodeToString(hj) + "." + b64.EncodeToString(cj)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return input + "." + b64.EncodeToString(sig), nil
}

// parsed is a compact JWS split and decoded but not yet verified.
type parsed struct {
	header header
	claims claims
	input  string // header.payload, what the signature covers
	sig    []byte
}

// parse decodes raw; nothing in the result is trusted until verifySig.
func parse(raw string) (*parsed, error) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, errors.New("token: not a signed JWT (want three dot-separated parts)")
	}
	var p parsed
	hj, err := b64.DecodeString(parts[0])
	if err != nil {
		return nil, fmt.Errorf("token: header: %w", err)
	}
	if err := json.Unmarshal(hj, &p.header); err != nil {
		return nil, fmt.Errorf("token: header: %w", err)
	}
	if p.header.Alg != algRS256 {
		return nil, fmt.Errorf("token: signing algorithm %q is not accepted (only RS256)", p.header.Alg)
	}
	cj, err := b64.DecodeString(parts[1])
	if err != nil {
		return nil, fmt.Errorf("token: payload: %w", err)
	}
	if err := json.Unmarshal(cj, &p.claims); err != nil {
		return nil, fmt.Errorf("token: payload: %w", err)
	}
	if p.sig, err = b64.DecodeString(parts[2]); err != nil {
		return nil, fmt.Errorf("token: signature: %w", err)
	}
	p.input = parts[0] + "." + parts[1]
	return &p, nil
}

// verifySig checks p's signature with key.
func (p *parsed) verifySig(key *rsa.PublicKey) error {
	sum := sha256.Sum256([]byte(p.input))
	if err := rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], p.sig); err != nil {
		return errors.New("token: signature does not verify")
	}
	return nil
}

// jwk is one key of a JSON Web Key Set, in the fields Entra publishes.
type jwk struct {
	Kty string   `json:"kty"`
	Use string   `json:"use,omitempty"`
	Kid string   `json:"kid"`
	X5t string   `json:"x5t,omitempty"`
	N   string   `json:"n"`
	E   string   `json:"e"`
	X5c []string `json:"x5c,omitempty"`
	Iss string   `json:"issuer,omitempty"`
}

// jwks is a JSON Web Key Set.
type jwks struct {
	Keys []jwk `json:"keys"`
}

func publicJWK(kid string, pub *rsa.PublicKey) jwk {
	return jwk{
		Kty: "RSA",
		Use: "sig",
		Kid: kid,
		N:   b64.EncodeToString(pub.N.Bytes()),
		E:   b64.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}
}

// rsaKey returns the RSA public key of k, or an error for a key of another
// type or a malformed one.
func (k jwk) rsaKey() (*rsa.PublicKey, error) {
	if k.Kty != "RSA" {
		return nil, fmt.Errorf("key %s: type %q, want RSA", k.Kid, k.Kty)
	}
	n, err := b64.DecodeString(k.N)
	if err != nil || len(n) == 0 {
		return nil, fmt.Errorf("key %s: bad modulus", k.Kid)
	}
	e, err := b64.DecodeString(k.E)
	if err != nil || len(e) == 0 || len(e) > 4 {
		return nil, fmt.Errorf("key %s: bad exponent", k.Kid)
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	if pub.N.BitLen() < 2048 {
		return nil, fmt.Errorf("key %s: %d-bit modulus is too short", k.Kid, pub.N.BitLen())
	}
	return pub, nil
}
