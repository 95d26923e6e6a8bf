package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/syntax"
)

// result is what one run of the command line produced.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs idlogs with args and stdin and captures its output.
func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(stdin), &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

// writeQuery writes query to a file named q.kql in a fresh directory and
// returns its path.
func writeQuery(t *testing.T, query string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "q.kql")
	if err := os.WriteFile(path, []byte(query), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const (
	goodQuery = "SigninLogs\n| where ResultType != 0\n| summarize failures = count() by UserPrincipalName\n"
	badQuery  = "T\n| where x\n| project f(a, b"
)

func TestKQLParseOK(t *testing.T) {
	r := runCLI(t, "", "kql", "parse", writeQuery(t, goodQuery))
	if r.code != 0 || r.stdout != "" || r.stderr != "" {
		t.Errorf("kql parse of a valid query: exit %d, stdout %q, stderr %q; want exit 0 and no output", r.code, r.stdout, r.stderr)
	}
}

func TestKQLParseStdin(t *testing.T) {
	if r := runCLI(t, goodQuery, "kql", "parse", "-"); r.code != 0 {
		t.Errorf("kql parse - of a valid query: exit %d, stderr %q; want 0", r.code, r.stderr)
	}
	r := runCLI(t, badQuery, "kql", "parse", "-")
	if r.code != 1 || !strings.HasPrefix(r.stderr, "<stdin>:3:") {
		t.Errorf("kql parse - of a broken query: exit %d, stderr %q; want exit 1 and errors starting <stdin>:3:", r.code, r.stderr)
	}
}

func TestKQLParseError(t *testing.T) {
	path := writeQuery(t, badQuery)
	r := runCLI(t, "", "kql", "parse", path)
	if r.code != 1 {
		t.Errorf("exit %d, want 1", r.code)
	}
	if r.stdout != "" {
		t.Errorf("stdout %q, want nothing", r.stdout)
	}
	for _, line := range strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n") {
		if !strings.HasPrefix(line, path+":3:") {
			t.Errorf("error line %q does not start with %q", line, path+":3:")
		}
	}
	if !strings.Contains(r.stderr, "')'") {
		t.Errorf("stderr %q does not mention the missing ')'", r.stderr)
	}
}

func TestKQLParseMissingFile(t *testing.T) {
	r := runCLI(t, "", "kql", "parse", filepath.Join(t.TempDir(), "absent.kql"))
	if r.code != 1 || !strings.Contains(r.stderr, "absent.kql") {
		t.Errorf("exit %d, stderr %q; want exit 1 naming the file", r.code, r.stderr)
	}
}

func TestKQLFmt(t *testing.T) {
	r := runCLI(t, "", "kql", "fmt", writeQuery(t, goodQuery))
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q; want exit 0 and no errors", r.code, r.stderr)
	}
	if !strings.HasSuffix(r.stdout, "\n") {
		t.Errorf("output %q does not end in a newline", r.stdout)
	}
	if got, want := dump(t, r.stdout), dump(t, goodQuery); got != want {
		t.Errorf("formatted query parses to a different tree:\n%s\nformatted:\n%s\noriginal:\n%s", r.stdout, got, want)
	}
}

func TestKQLFmtError(t *testing.T) {
	r := runCLI(t, badQuery, "kql", "fmt", "-")
	if r.code != 1 || r.stdout != "" || !strings.HasPrefix(r.stderr, "<stdin>:3:") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1, no output, errors on stderr", r.code, r.stdout, r.stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"nosuch"}, {"kql", "parse"}, {"kql", "fmt", "a", "b"}, {"serve", "--nosuch"}} {
		if r := runCLI(t, "", args...); r.code != 1 || r.stderr == "" {
			t.Errorf("idlogs %s: exit %d, stderr %q; want exit 1 and a message", strings.Join(args, " "), r.code, r.stderr)
		}
	}
}

func dump(t *testing.T, query string) string {
	t.Helper()
	script, err := syntax.Parse(query)
	if err != nil {
		t.Fatalf("parse %q: %v", query, err)
	}
	return syntax.Dump(script)
}
