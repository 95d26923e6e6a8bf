package syntax

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expectations in testdata/errors.txt with the parser's current errors")

// errorsFile holds the syntax error cases; its header says how it is laid out.
const errorsFile = "testdata/errors.txt"

// caseSeparator ends a query and starts its expected errors.
const caseSeparator = "----"

// errorCase is one query of errorsFile and the errors expected for it.
type errorCase struct {
	comments []string // comment and blank lines before the query
	line     int      // line of errorsFile where the query starts
	query    string
	want     []string // `line:col: message` prefixes, one per error
}

// errorCases is the content of errorsFile.
type errorCases struct {
	cases   []*errorCase
	trailer []string // comment and blank lines after the last case
}

// TestSyntaxErrors checks that each broken query of errorsFile gets exactly
// the expected errors, each starting with its expected line. With -update it
// rewrites the file with the errors the parser reports now.
func TestSyntaxErrors(t *testing.T) {
	data, err := os.ReadFile(errorsFile)
	if err != nil {
		t.Fatal(err)
	}
	file, err := parseErrorCases(string(data))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range file.cases {
		got := syntaxErrorLines(c.query)
		if *update {
			c.want = got
			continue
		}
		if !matchErrorLines(c.want, got) {
			t.Errorf("%s:%d: query\n%s\nwant errors starting with\n%s\ngot\n%s", errorsFile, c.line, c.query,
				indentLines(c.want), indentLines(got))
		}
	}
	if *update {
		if err := os.WriteFile(errorsFile, []byte(file.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// syntaxErrorLines parses query and returns its errors as `line:col: message`.
func syntaxErrorLines(query string) []string {
	_, err := Parse(query)
	if err == nil {
		return nil
	}
	var list ErrorList
	if !errors.As(err, &list) {
		return []string{fmt.Sprintf("non-ErrorList error %T: %v", err, err)}
	}
	lines := make([]string, len(list))
	for i, e := range list {
		lines[i] = e.Error()
	}
	return lines
}

func indentLines(lines []string) string {
	if len(lines) == 0 {
		return "\t(no errors)"
	}
	return "\t" + strings.Join(lines, "\n\t")
}

func matchErrorLines(want, got []string) bool {
	if len(want) != len(got) {
		return false
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			return false
		}
	}
	return true
}

// parseErrorCases reads the errorsFile format: comment lines (#) and blank
// lines between cases; a case is query lines, a `----` line and the expected
// error lines, ended by a blank line or the end of the file. A query
// therefore holds no blank line.
func parseErrorCases(text string) (*errorCases, error) {
	file := &errorCases{}
	var c *errorCase
	inWant := false
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		switch {
		case c == nil && (line == "" || strings.HasPrefix(line, "#")):
			file.trailer = append(file.trailer, line)
		case c == nil:
			c = &errorCase{comments: file.trailer, line: i + 1, query: line}
			file.trailer = nil
		case !inWant && line == caseSeparator:
			inWant = true
		case !inWant:
			c.query += "\n" + line
		case line == "":
			file.cases = append(file.cases, c)
			c, inWant = nil, false
			file.trailer = append(file.trailer, line)
		default:
			c.want = append(c.want, line)
		}
	}
	if c != nil && !inWant {
		return nil, fmt.Errorf("%s:%d: query has no %q line", errorsFile, c.line, caseSeparator)
	}
	if c != nil {
		file.cases = append(file.cases, c)
	}
	return file, nil
}

// String renders the cases in the errorsFile format.
func (f *errorCases) String() string {
	var b strings.Builder
	for _, c := range f.cases {
		for _, line := range c.comments {
			b.WriteString(line + "\n")
		}
		b.WriteString(c.query + "\n" + caseSeparator + "\n")
		for _, line := range c.want {
			b.WriteString(line + "\n")
		}
	}
	for _, line := range f.trailer {
		b.WriteString(line + "\n")
	}
	return b.String()
}

func TestParseErrorCasesRoundTrip(t *testing.T) {
	const text = "# header\n\nT | where\n----\n1:10: expected\n\n# two lines\na\n| b\n----\n1:1: x\n2:3: y\n\nok\n----\n"
	file, err := parseErrorCases(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(file.cases) != 3 || file.cases[1].query != "a\n| b" || len(file.cases[1].want) != 2 || file.cases[1].line != 8 {
		t.Errorf("parsed cases wrong: %+v", file.cases)
	}
	if got := file.String(); got != text {
		t.Errorf("String() = %q, want %q", got, text)
	}
}
