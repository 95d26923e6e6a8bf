package ingest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/workspace"
)

// CodeInvalidAuthorization is the Data Collector API's 403 code.
const CodeInvalidAuthorization = "InvalidAuthorization"

// StringToSign is the text a Data Collector API request signs:
// "POST\n<Content-Length>\napplication/json\nx-ms-date:<date>\n/api/logs".
func StringToSign(contentLength int, date string) string {
	return "POST\n" + strconv.Itoa(contentLength) + "\napplication/json\nx-ms-date:" + date + "\n/api/logs"
}

// Signature returns the base64 HMAC-SHA256 of StringToSign under the
// base64 shared key.
func Signature(sharedKey string, contentLength int, date string) (string, error) {
	key, err := base64.StdEncoding.DecodeString(sharedKey)
	if err != nil {
		return "", fmt.Errorf("the shared key is not base64: %w", err)
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(StringToSign(contentLength, date)))
	return base64.StdEncoding.EncodeToString(m.Sum(nil)), nil
}

// VerifySharedKey checks a Data Collector API Authorization header,
// "SharedKey <workspaceId>:<signature>", against ws's primary and
// secondary keys for a body of contentLength bytes sent with x-ms-date
// date. A mismatch is 403 InvalidAuthorization.
func VerifySharedKey(ws *workspace.Workspace, authorization, date string, contentLength int) error {
	deny := func(format string, args ...any) error {
		return apierror.New(http.StatusForbidden, CodeInvalidAuthorization, format, args...)
	}
	scheme, cred, ok := strings.Cut(strings.TrimSpace(authorization), " ")
	if !ok || !strings.EqualFold(scheme, "SharedKey") {
		return deny("The Authorization header must be 'SharedKey <workspace id>:<signature>'.")
	}
	id, sig, ok := strings.Cut(strings.TrimSpace(cred), ":")
	if !ok || !strings.EqualFold(id, ws.CustomerID) {
		return deny("The Authorization header names workspace '%s', not '%s'.", id, ws.CustomerID)
	}
	got, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return deny("The signature is not base64.")
	}
	for _, key := range []string{ws.PrimarySharedKey, ws.SecondarySharedKey} {
		if key == "" {
			continue
		}
		want, err := Signature(key, contentLength, date)
		if err != nil {
			continue
		}
		w, _ := base64.StdEncoding.DecodeString(want)
		if hmac.Equal(got, w) {
			return nil
		}
	}
	return deny("An invalid signature was provided in the Authorization header.")
}
