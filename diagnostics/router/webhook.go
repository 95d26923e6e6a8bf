package router

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/idlogs/idlogs/activity"
)

// Headers of a partner webhook delivery.
const (
	// SignatureHeader carries "sha256=" and the hex HMAC-SHA256 of the body
	// keyed with the partner's secret.
	SignatureHeader = "X-Idlogs-Signature"
	// DeliveryHeader identifies the delivery: the hex SHA-256 of the
	// records' ids, the same when the delivery is retried.
	DeliveryHeader = "X-Idlogs-Delivery"
)

// maxWebhookBody bounds one POST; bigger batches are split.
const maxWebhookBody = 1 << 20

// webhookDest posts {"records":[...]} to a partner.
//
// Exactly once is the partner's part: a POST that times out may or may
// not have been taken, so a delivery is retried with the same records and
// the same X-Idlogs-Delivery value, and every record carries its id
// (properties.id). The partner drops records whose id it has.
type webhookDest struct {
	url    string
	secret []byte
	client *http.Client
}

func (d *webhookDest) Close() error { return nil }

func (d *webhookDest) Deliver(ctx context.Context, es []activity.Entry) error {
	return eachMessage(es, maxWebhookBody, func(body []byte, ids []string) error {
		return d.post(ctx, body, ids)
	})
}

// Sign returns the X-Idlogs-Signature value of body.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func (d *webhookDest) post(ctx context.Context, body []byte, ids []string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(strings.Join(ids, "\n")))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, Sign(d.secret, body))
	req.Header.Set(DeliveryHeader, hex.EncodeToString(sum[:]))
	resp, err := d.client.Do(req)
	if err != nil {
		return fmt.Errorf("post to partner: %w", err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("partner answered %s: %s", resp.Status, strings.TrimSpace(string(msg)))
	}
	return nil
}

// eachMessage splits es into {"records":[...]} bodies of at most limit
// bytes (a single larger record is sent alone) and calls fn with each and
// its record ids.
func eachMessage(es []activity.Entry, limit int, fn func(body []byte, ids []string) error) error {
	var buf bytes.Buffer
	var ids []string
	flush := func() error {
		if len(ids) == 0 {
			return nil
		}
		buf.WriteString("]}")
		err := fn(bytes.Clone(buf.Bytes()), ids)
		buf.Reset()
		ids = nil
		return err
	}
	for _, e := range es {
		data, err := json.Marshal(e.Record)
		if err != nil {
			return fmt.Errorf("encode record: %w", err)
		}
		if len(ids) > 0 && buf.Len()+len(data)+3 > limit {
			if err := flush(); err != nil {
				return err
			}
		}
		if len(ids) == 0 {
			buf.WriteString(`{"records":[`)
		} else {
			buf.WriteByte(',')
		}
		buf.Write(data)
		ids = append(ids, e.Record.ID())
	}
	return flush()
}
