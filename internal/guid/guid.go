// Package guid makes random GUIDs in the lower-case dashed form Azure and
// Entra use for ids.
package guid

import (
	"crypto/rand"
	"fmt"
)

// New returns a random (version 4) GUID, such as
// "74be27de-1e4e-49d9-b579-fe0b331d3642".
func New() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
