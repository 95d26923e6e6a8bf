package fileimport

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
)

// Check reports why a record cannot be imported: its category has no
// table, its properties are not a JSON object, or it has no id
// (properties.id), the key that makes imports idempotent. The importing
// server checks what it is sent with it too.
func Check(r *activity.Record) error {
	if r.Category == "" {
		return errors.New("the record has no category")
	}
	if _, ok := tablemap.Table(r.Category); !ok {
		return fmt.Errorf("unknown diagnostic log category %q", r.Category)
	}
	props := bytes.TrimSpace(r.Properties)
	if len(props) == 0 || props[0] != '{' || !json.Valid(props) {
		return errors.New("the record's properties are not a JSON object")
	}
	if r.ID() == "" {
		return errors.New("the record has no properties.id")
	}
	return nil
}

// deriveID returns a stable id for a record whose source has none: a GUID
// made of the SHA-256 of its category, time and properties (as the
// importer writes them, so the same file gives the same ids every time).
// Entra's own ids are GUIDs, and the derived ones cannot collide with them
// in practice.
func deriveID(category string, t time.Time, props []byte) string {
	h := sha256.New()
	h.Write([]byte(category))
	h.Write([]byte{0})
	h.Write([]byte(strconv.FormatInt(t.UnixNano(), 10)))
	h.Write([]byte{0})
	h.Write(props)
	s := h.Sum(nil)
	s[6] = s[6]&0x0f | 0x80 // version 8: custom, as RFC 9562 has it
	s[8] = s[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, b := range s[:16] {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[b>>4], hex[b&15])
	}
	return string(out)
}
