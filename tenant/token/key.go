package token

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/idlogs/idlogs/state"
)

const (
	kindKeys   = "token.keys"
	keySigning = "signing"
)

// signingKey is the RSA key tokens are signed with. Like Entra's, it comes
// with a self-signed certificate, published in the JWKS as x5c, and its key
// id is the certificate's SHA-1 thumbprint (x5t), so validators that look up
// keys by either find it.
type signingKey struct {
	kid  string
	key  *rsa.PrivateKey
	cert []byte // DER
}

// keyRecord is a signing key as kept in the state file, which only the
// server's user can read.
type keyRecord struct {
	Kid  string `json:"kid"`
	Key  []byte `json:"key"`  // PKCS #8 DER
	Cert []byte `json:"cert"` // X.509 DER
}

// loadOrCreateKey returns the signing key kept in db, making a 2048-bit one
// the first time.
func loadOrCreateKey(db *state.DB, now time.Time) (*signingKey, error) {
	var rec keyRecord
	err := db.Update(func(tx *state.Tx) error {
		found, err := tx.Get(kindKeys, keySigning, &rec)
		if err != nil || found {
			return err
		}
		rec, err = newKeyRecord(now)
		if err != nil {
			return err
		}
		return tx.Put(kindKeys, keySigning, rec)
	})
	if err != nil {
		return nil, fmt.Errorf("token: signing key: %w", err)
	}
	k, err := x509.ParsePKCS8PrivateKey(rec.Key)
	if err != nil {
		return nil, fmt.Errorf("token: signing key in the state file: %w", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("token: the signing key in the state file is not an RSA key")
	}
	return &signingKey{kid: rec.Kid, key: rk, cert: rec.Cert}, nil
}

func newKeyRecord(now time.Time) (keyRecord, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return keyRecord{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	if err != nil {
		return keyRecord{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "idlogs token signing"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	cert, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return keyRecord{}, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return keyRecord{}, err
	}
	return keyRecord{Kid: thumbprint(cert), Key: der, Cert: cert}, nil
}

// thumbprint is a certificate's x5t: the base64url SHA-1 of its DER.
func thumbprint(cert []byte) string {
	sum := sha1.Sum(cert)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// jwk returns the public half as published in the JWKS.
func (k *signingKey) jwk(issuer string) jwk {
	j := publicJWK(k.kid, &k.key.PublicKey)
	j.X5t = k.kid
	j.X5c = []string{base64.StdEncoding.EncodeToString(k.cert)}
	j.Iss = issuer
	return j
}
