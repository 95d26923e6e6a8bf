package conformance

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update rewrites the known-gaps files from the current outcomes instead
// of checking them: go test ./kql/conformance -update.
var update = flag.Bool("update", false, "rewrite the known-gaps files from the current outcomes")

// findSharedDir walks up from the working directory looking for the shared
// folder that sits beside the repository and holds conformance/, and
// returns it, or "" when there is none.
func findSharedDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		candidate := filepath.Join(dir, "shared")
		if info, err := os.Stat(filepath.Join(candidate, "conformance")); err == nil && info.IsDir() {
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// sharedDir returns the shared folder or skips tb.
func sharedDir(tb testing.TB) string {
	tb.Helper()
	dir := findSharedDir()
	if dir == "" {
		tb.Skip("conformance corpus not found: expected shared/conformance in the working directory's parent chain (the shared folder sits beside the repository)")
	}
	return dir
}

// gap is a line of a known-gaps file: a record id and a note for people.
type gap struct {
	id, note string
}

// readGaps reads a known-gaps file: one record id per line, optionally
// followed by a note; blank lines and lines starting with # are ignored.
func readGaps(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gaps := map[string]bool{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if gaps[fields[0]] {
			return nil, fmt.Errorf("%s:%d: %s is listed twice", path, line, fields[0])
		}
		gaps[fields[0]] = true
	}
	return gaps, sc.Err()
}

// writeGaps writes a known-gaps file: header comment lines, then one line
// per gap.
func writeGaps(path string, header []string, gaps []gap) error {
	var b strings.Builder
	for _, h := range header {
		b.WriteString("# " + h + "\n")
	}
	for _, g := range gaps {
		b.WriteString(g.id + " " + g.note + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// gapNote is the note written after a record's id: its status and the
// start of its message.
func gapNote(o Outcome) string {
	msg := strings.Join(strings.Fields(o.Message), " ")
	if r := []rune(msg); len(r) > 80 {
		msg = string(r[:80])
	}
	return string(o.Status) + " " + msg
}

// maxReported caps the unexpected outcomes printed in detail.
const maxReported = 40

// gapCheck enforces a known-gaps list both ways: a record that fails must
// be listed, and a listed record must still fail.
type gapCheck struct {
	t        *testing.T
	file     string
	listed   map[string]bool
	seen     map[string]bool
	gaps     []gap
	reported int
}

func newGapCheck(t *testing.T, file string) *gapCheck {
	t.Helper()
	g := &gapCheck{t: t, file: file, seen: map[string]bool{}}
	if *update {
		return g
	}
	listed, err := readGaps(file)
	if err != nil {
		t.Fatal(err)
	}
	g.listed = listed
	return g
}

// record checks one outcome; failed says whether it counts as a gap.
func (g *gapCheck) record(o Outcome, failed bool) {
	g.t.Helper()
	g.seen[o.ID] = true
	if failed {
		g.gaps = append(g.gaps, gap{o.ID, gapNote(o)})
	}
	switch {
	case *update:
	case failed && !g.listed[o.ID]:
		g.report("%s: %s: %s", o.ID, o.Status, o.Message)
	case !failed && g.listed[o.ID]:
		g.report("%s: listed in %s but now gives %s; remove it (or run with -update)", o.ID, g.file, o.Status)
	}
}

func (g *gapCheck) report(format string, args ...any) {
	g.t.Helper()
	g.reported++
	if g.reported <= maxReported {
		g.t.Errorf(format, args...)
	}
}

// finish reports listed records that are not in the corpus, or rewrites
// the file under -update.
func (g *gapCheck) finish(header []string) {
	g.t.Helper()
	if *update {
		if err := writeGaps(g.file, header, g.gaps); err != nil {
			g.t.Fatal(err)
		}
		g.t.Logf("wrote %s: %d gaps", g.file, len(g.gaps))
		return
	}
	for id := range g.listed {
		if !g.seen[id] {
			g.report("%s: listed in %s but not in the corpus; remove it", id, g.file)
		}
	}
	if g.reported > maxReported {
		g.t.Errorf("... and %d more not shown (run with -update to rewrite %s once the changes are intended)", g.reported-maxReported, g.file)
	}
}
