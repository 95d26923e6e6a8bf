package diagapi

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/diagnostics"
)

// ruleCase is one case of testdata/rules.json: requests sent in order to a
// fresh server, each with the status (and error code and message) it must
// get.
type ruleCase struct {
	Name  string `json:"name"`
	Steps []struct {
		As      string          `json:"as"`
		Do      string          `json:"do"` // "METHOD path"
		Body    json.RawMessage `json:"body"`
		Status  int             `json:"status"`
		Code    string          `json:"code"`
		Message string          `json:"message"`
	} `json:"steps"`
}

// expand replaces the placeholders of rules.json.
var expand = strings.NewReplacer(
	"{S}", "/providers/microsoft.aadiam/diagnosticSettings",
	"{C}", "/providers/microsoft.AadCustomSecurityAttributesDiagnosticSettings/diagnosticSettings",
	"{C0}", "/providers/microsoft.AadCustomSecurityAttributesDiagnosticSettings",
	"{CAT}", "/providers/microsoft.aadiam/diagnosticSettingsCategories",
	"{V}", "?api-version=2017-04-01",
	"{WS1LOWER}", strings.ToLower(ws1),
	"{SA1UPPER}", strings.ToUpper(sa1),
	"{WS1}", ws1, "{WS2}", ws2, "{SA1}", sa1, "{EH1}", ehRule1,
	"{NAME260}", strings.Repeat("n", diagnostics.MaxNameLength),
	"{NAME261}", strings.Repeat("n", diagnostics.MaxNameLength+1),
).Replace

func TestRules(t *testing.T) {
	data, err := os.ReadFile("testdata/rules.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []ruleCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			e := newEnv(t)
			for i, s := range c.Steps {
				method, path, _ := strings.Cut(expand(s.Do), " ")
				body := string(s.Body)
				var raw string
				if json.Unmarshal(s.Body, &raw) == nil {
					body = raw // a JSON string is sent as it is
				}
				got, rawBody, out := e.do(s.As, method, path, expand(body))
				if got != s.Status {
					t.Fatalf("step %d %s as %q: status %d, want %d; body %s", i, s.Do, s.As, got, s.Status, rawBody)
				}
				if code := errCode(out); code != s.Code {
					t.Fatalf("step %d %s as %q: error code %q, want %q; body %s", i, s.Do, s.As, code, s.Code, rawBody)
				}
				if s.Message != "" && errMessage(out) != expand(s.Message) {
					t.Fatalf("step %d %s: message %q, want %q", i, s.Do, errMessage(out), expand(s.Message))
				}
			}
		})
	}
}
