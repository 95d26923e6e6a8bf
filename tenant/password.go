package tenant

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"sync"

	"golang.org/x/crypto/argon2"
)

// passwordHash is a user password as stored: an argon2id hash with its own
// salt and the parameters it was made with, so that parameters can be
// raised later without breaking stored passwords.
type passwordHash struct {
	Salt    []byte `json:"salt"`
	Hash    []byte `json:"hash"`
	Time    uint32 `json:"t"`
	Memory  uint32 `json:"m"` // KiB
	Threads uint8  `json:"p"`
}

// argon2id parameters for new passwords: the OWASP minimum (19 MiB, two
// passes, one lane), which keeps a sign-in near 20 ms on a small machine.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// minPasswordLength is the least length of a password; Entra's policy asks
// for 8 characters.
const minPasswordLength = 8

func hashPassword(password string) (*passwordHash, error) {
	if len(password) < minPasswordLength {
		return nil, errors.New("tenant: a password needs at least 8 characters")
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	return &passwordHash{
		Salt: salt, Time: argonTime, Memory: argonMemory, Threads: argonThreads,
		Hash: argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen),
	}, nil
}

// matches reports, in constant time, whether password is the one hashed.
func (h *passwordHash) matches(password string) bool {
	if h == nil || len(h.Hash) == 0 || h.Time == 0 || h.Memory == 0 || h.Threads == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), h.Salt, h.Time, h.Memory, h.Threads, uint32(len(h.Hash)))
	return subtle.ConstantTimeCompare(got, h.Hash) == 1
}

// dummyHash is compared against when a sign-in names no user, so that an
// unknown user name costs as much time as a wrong password.
var dummyHash = sync.OnceValue(func() *passwordHash {
	h, err := hashPassword("not a password anyone has")
	if err != nil {
		panic(err)
	}
	return h
})
