package exec_test

// Spec tests: kql/exec/testdata/*.test hold blocks of a query, a line
// `----` and the expected result; `go test ./kql/exec -run TestSpec
// -update` rewrites the expectations from what the engine answers.
//
// File format:
//
//   - Lines starting with # outside an expected result are comments.
//   - A block is a query (one or more lines, no blank line), a line
//     `----`, then the expected result, ended by a blank line or the end
//     of the file.
//   - The expected result is either `error: <prefix>`, matching a failed
//     query whose first error line starts with <prefix> (the line:col
//     position is part of the message), or the table of the last result
//     set: a header line of `name:type` cells, then one line per row.
//   - Cells are separated by ` | `. Values are printed with Value.String
//     (datetimes as 2017-01-01T00:00:00Z, timespans as 1.02:03:04, dynamic
//     as compact JSON); a null is `<null>`. Strings are never null: the
//     empty string is `""`, and a string that would be ambiguous (one with
//     ` | `, a line break, a tab or white space at either end, or one that
//     starts with " or #, or reads <null>) is written as a Go-quoted string.
//
// Queries run on an empty catalog at now() = 2025-01-01T00:00:00Z (see
// conformance.DefaultNow), with a timeout, panics reported as errors.
//
// Blocks whose expectation is correct Kusto behaviour that the engine does
// not produce yet are listed in knownGaps by file:line of the block's
// first line. The test fails when a listed block passes, as it fails for
// an unlisted block that does not match; -update leaves listed blocks as
// they are, so their correct expectation is kept.

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/conformance"
	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
)

var update = flag.Bool("update", false, "rewrite the expected results of testdata/*.test")

// knownGaps lists the blocks whose expected result is Kusto's but not yet
// the engine's, by file:line, with the reason.
var knownGaps = map[string]string{
	// Wrong answers.
}

// specBlock is one query and its expected result in a spec file.
type specBlock struct {
	line     int // 1-based line of the query's first line
	query    string
	sep      int // index of the ---- line
	end      int // index just past the expected lines
	expected string
}

// parseSpec splits the lines of a spec file into blocks.
func parseSpec(name string, lines []string) ([]*specBlock, error) {
	var blocks []*specBlock
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "" || strings.HasPrefix(lines[i], "#") {
			continue
		}
		b := &specBlock{line: i + 1}
		var query []string
		for ; i < len(lines) && lines[i] != "----"; i++ {
			if strings.TrimSpace(lines[i]) == "" {
				return nil, fmt.Errorf("%s:%d: the query has no ---- line before the blank line %d", name, b.line, i+1)
			}
			if !strings.HasPrefix(lines[i], "#") {
				query = append(query, lines[i])
			}
		}
		if i == len(lines) {
			return nil, fmt.Errorf("%s:%d: the query has no ---- line", name, b.line)
		}
		b.sep = i
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
		}
		b.end = i
		b.query = strings.Join(query, "\n")
		b.expected = strings.Join(lines[b.sep+1:b.end], "\n")
		blocks = append(blocks, b)
	}
	return blocks, nil
}

// runSpec runs query and formats its outcome as a spec file expects it;
// the plan rules named in disabled are not applied.
func runSpec(query string, disabled ...string) string {
	return runSpecWith(&conformance.Runner{DisabledRules: disabled}, query)
}

// runSpecWith is runSpec with a configured runner.
func runSpecWith(runner *conformance.Runner, query string) string {
	results, err := runner.Query(context.Background(), query)
	if err != nil {
		msg := err.Error()
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return "error: " + msg
	}
	if len(results) == 0 {
		return "error: the query has no result set"
	}
	return formatResult(results[len(results)-1])
}

// matchSpec reports whether the outcome got satisfies the expectation want.
func matchSpec(want, got string) bool {
	if prefix, ok := strings.CutPrefix(want, "error: "); ok {
		msg, isErr := strings.CutPrefix(got, "error: ")
		return isErr && strings.HasPrefix(msg, prefix)
	}
	return want == got
}

func formatResult(r *engine.Result) string {
	var b strings.Builder
	header := make([]string, len(r.Schema))
	for i, f := range r.Schema {
		header[i] = f.Name + ":" + f.Type.String()
	}
	b.WriteString(strings.Join(header, " | "))
	for row := 0; row < r.Rows.N; row++ {
		cells := make([]string, len(r.Schema))
		for c := range r.Schema {
			cells[c] = cellText(r.Value(row, c))
		}
		b.WriteString("\n" + strings.Join(cells, " | "))
	}
	return b.String()
}

// cellText prints one value by the rules at the top of this file.
func cellText(v types.Value) string {
	switch {
	case v.Type == types.String || v.Type == types.Guid:
		return stringCell(v.S)
	case v.IsNull():
		return "<null>"
	}
	return v.String()
}

func stringCell(s string) string {
	ambiguous := s == "" || s == "<null>" || strings.Contains(s, " | ") ||
		strings.ContainsAny(s, "\n\r\t") || strings.TrimSpace(s) != s ||
		strings.HasPrefix(s, `"`) || strings.HasPrefix(s, "#")
	if ambiguous {
		return strconv.Quote(s)
	}
	return s
}

func specFiles(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join("testdata", "*.test"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no spec files in testdata: %v", err)
	}
	return files
}

// TestSpec runs every block of testdata/*.test.
func TestSpec(t *testing.T) {
	seen := map[string]bool{}
	for _, file := range specFiles(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		name := filepath.Base(file)
		blocks, err := parseSpec(name, lines)
		if err != nil {
			t.Fatal(err)
		}
		outcomes := make([]string, len(blocks))
		for i, b := range blocks {
			id := fmt.Sprintf("%s:%d", name, b.line)
			seen[id] = true
			outcomes[i] = runSpec(b.query)
			checkBlock(t, id, b, outcomes[i])
			for _, rule := range []string{"scan_paths", "prune_columns"} {
				if without := runSpec(b.query, rule); without != outcomes[i] && !nondeterministic(b.query) {
					t.Errorf("%s: without %s:\n%s\n---- with it:\n%s", id, rule, without, outcomes[i])
				}
			}
			dict := runSpecWith(&conformance.Runner{DictionaryStrings: true}, b.query)
			if dict != outcomes[i] && !nondeterministic(b.query) {
				t.Errorf("%s: over dictionary-encoded strings:\n%s\n---- over plain strings:\n%s", id, dict, outcomes[i])
			}
		}
		if *update {
			rewriteSpec(t, file, name, lines, blocks, outcomes)
		}
	}
	checkGapsExist(t, seen)
}

// nondeterministic reports whether query may answer differently each run.
func nondeterministic(query string) bool {
	for _, fn := range []string{"rand(", "new_guid(", "sample", "take_any", "any("} {
		if strings.Contains(query, fn) {
			return true
		}
	}
	return false
}

// checkBlock compares one block's outcome with its expectation and the
// known-gaps list.
func checkBlock(t *testing.T, id string, b *specBlock, got string) {
	t.Helper()
	ok := matchSpec(b.expected, got)
	reason, listed := knownGaps[id]
	switch {
	case ok && listed:
		t.Errorf("%s: listed in knownGaps (%s) but passes now; remove it", id, reason)
	case !ok && listed:
		t.Logf("%s: known gap (%s)", id, reason)
	case !ok && !*update:
		t.Errorf("%s:\n%s\n---- want\n%s\n---- got\n%s", id, b.query, b.expected, got)
	}
}

// rewriteSpec writes file back with every unlisted block's expectation
// replaced by its outcome.
func rewriteSpec(t *testing.T, file, name string, lines []string, blocks []*specBlock, outcomes []string) {
	t.Helper()
	var out []string
	prev := 0
	for i, b := range blocks {
		out = append(out, lines[prev:b.sep+1]...)
		if _, listed := knownGaps[fmt.Sprintf("%s:%d", name, b.line)]; listed || matchSpec(b.expected, outcomes[i]) {
			out = append(out, lines[b.sep+1:b.end]...)
		} else {
			out = append(out, outcomes[i])
		}
		prev = b.end
	}
	out = append(out, lines[prev:]...)
	if err := os.WriteFile(file, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkGapsExist fails when knownGaps names a block that is not there:
// line numbers move when a file is edited.
func checkGapsExist(t *testing.T, seen map[string]bool) {
	t.Helper()
	var missing []string
	for id := range knownGaps {
		if !seen[id] {
			missing = append(missing, id)
		}
	}
	sort.Strings(missing)
	for _, id := range missing {
		t.Errorf("knownGaps lists %s, which is not the first line of a block; update the line number", id)
	}
}

func TestParseSpec(t *testing.T) {
	lines := strings.Split("# comment\nprint x = 1\n| extend y = 2\n----\nx:long | y:long\n1 | 2\n\nprint z\n----\nerror: 1:7", "\n")
	blocks, err := parseSpec("t.test", lines)
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 2 || blocks[0].line != 2 || blocks[0].query != "print x = 1\n| extend y = 2" ||
		blocks[0].expected != "x:long | y:long\n1 | 2" || blocks[1].line != 8 || blocks[1].expected != "error: 1:7" {
		t.Errorf("parseSpec: got %+v %+v", blocks[0], blocks[1])
	}
	if _, err := parseSpec("t.test", []string{"print 1", "", "----"}); err == nil {
		t.Error("a block with a blank line before ----: want an error")
	}
	if _, err := parseSpec("t.test", []string{"print 1"}); err == nil {
		t.Error("a block without ----: want an error")
	}
}

func TestCellText(t *testing.T) {
	tests := []struct {
		v    types.Value
		want string
	}{
		{types.NewString(""), `""`},
		{types.NewString("a b"), "a b"},
		{types.NewString(" a"), `" a"`},
		{types.NewString("a | b"), `"a | b"`},
		{types.NewString("<null>"), `"<null>"`},
		{types.NullOf(types.Long), "<null>"},
		{types.NewDynamic(nil), "<null>"},
		{types.NewLong(-3), "-3"},
		{types.NewBool(true), "true"},
	}
	for _, tt := range tests {
		if got := cellText(tt.v); got != tt.want {
			t.Errorf("cellText(%s %q) = %s, want %s", tt.v.Type, tt.v.String(), got, tt.want)
		}
	}
}
