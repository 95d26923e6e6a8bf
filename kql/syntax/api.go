package syntax

// Parse parses a KQL query: a sequence of statements separated by `;`.
// It never panics. On error it returns the (partial) script and a non-nil
// ErrorList sorted by position.
func Parse(src string) (*Script, error) {
	p := newParser(src)
	s := p.parseScript()
	return s, p.errs.Err()
}
