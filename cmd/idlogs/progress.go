package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// progress shows how far a long job is: a bar redrawn in place on a
// terminal, plain lines otherwise (logs, pipes, CI).
type progress struct {
	w        io.Writer
	label    string
	total    int
	tty      bool
	lastLine int // the last tenth printed as a line
	drawn    bool
}

// newProgress returns a progress of total steps written to w.
func newProgress(w io.Writer, label string, total int) *progress {
	return &progress{w: w, label: label, total: total, tty: isTerminal(w), lastLine: -1}
}

// isTerminal reports whether w is a character device.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

const barWidth = 30

// set shows that n steps are done.
func (p *progress) set(n int) {
	if p == nil || p.total <= 0 {
		return
	}
	n = min(n, p.total)
	if p.tty {
		fill := barWidth * n / p.total
		fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d records", p.label, strings.Repeat("#", fill), strings.Repeat("-", barWidth-fill), n, p.total)
		p.drawn = true
		return
	}
	// A line per tenth reached, so a big import shows it is moving
	// without flooding a log.
	if tenth := 10 * n / p.total; tenth > p.lastLine {
		p.lastLine = tenth
		fmt.Fprintf(p.w, "%s: %d/%d records sent\n", p.label, n, p.total)
	}
}

// count shows n steps done of an unknown total (a file being checked):
// redrawn on a terminal, a line per 50,000 otherwise.
func (p *progress) count(n int) {
	if p.tty {
		fmt.Fprintf(p.w, "\r%s: checking, %d records", p.label, n)
		p.drawn = true
		return
	}
	if n%50000 == 0 {
		fmt.Fprintf(p.w, "%s: %d records checked\n", p.label, n)
	}
}

// done ends the bar's line.
func (p *progress) done() {
	if p != nil && p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}
