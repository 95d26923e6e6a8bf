package conformance

import "fmt"

// matching pairs expected rows with result rows they match, as a maximum
// bipartite matching (Kuhn's augmenting paths): with tolerant cell
// comparison one doc row may match several result rows, so pairing rows
// greedily could miss a complete pairing.
type matching struct {
	c              *tableComparison
	wantLo, wantHi int
	gotLo, gotHi   int
	wantOf         map[int]int     // result row -> expected row
	gotOf          map[int]int     // expected row -> result row
	edges          map[[2]int]bool // memoized row matches; nil for large tables
	seen           map[int]bool
}

func newMatching(c *tableComparison, wantLo, wantHi, gotLo, gotHi int) *matching {
	m := &matching{c: c, wantLo: wantLo, wantHi: wantHi, gotLo: gotLo, gotHi: gotHi,
		wantOf: map[int]int{}, gotOf: map[int]int{}}
	if (wantHi-wantLo)*(gotHi-gotLo) <= maxMemoEdges {
		m.edges = map[[2]int]bool{}
	}
	for w := wantLo; w < wantHi; w++ {
		m.seen = map[int]bool{}
		m.augment(w)
	}
	return m
}

// maxMemoEdges bounds the row pairs whose comparison is remembered.
const maxMemoEdges = 1 << 20

func (m *matching) edge(w, g int) bool {
	if m.edges == nil {
		return m.c.rowMatches(w, g)
	}
	k := [2]int{w, g}
	e, ok := m.edges[k]
	if !ok {
		e = m.c.rowMatches(w, g)
		m.edges[k] = e
	}
	return e
}

// augment looks for an augmenting path from expected row w.
func (m *matching) augment(w int) bool {
	for g := m.gotLo; g < m.gotHi; g++ {
		if m.seen[g] || !m.edge(w, g) {
			continue
		}
		m.seen[g] = true
		if other, taken := m.wantOf[g]; !taken || m.augment(other) {
			m.wantOf[g], m.gotOf[w] = w, g
			return true
		}
	}
	return false
}

// unmatchedWant returns the first expected row left unmatched, or -1.
func (m *matching) unmatchedWant() int {
	for w := m.wantLo; w < m.wantHi; w++ {
		if _, ok := m.gotOf[w]; !ok {
			return w
		}
	}
	return -1
}

// unmatchedGotText describes the first result row left unmatched.
func (m *matching) unmatchedGotText() string {
	for g := m.gotLo; g < m.gotHi; g++ {
		if _, ok := m.wantOf[g]; !ok {
			return fmt.Sprintf("; result row %d %s is not in the docs", g+1, m.c.resultRowText(g))
		}
	}
	return ""
}
