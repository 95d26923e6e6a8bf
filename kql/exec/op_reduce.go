package exec

import (
	"sort"
	"strings"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// The reduce operator. Values are split into terms. By default every
// character that is not a letter or digit separates terms and is kept in
// the pattern as it is; with characters=C each character of C starts a
// new term instead ("fooZ1" with "Z" is "foo", "Z1"). Values with the same
// shape (number of terms and separators) form a family; a term position
// of a family whose values vary, with more distinct values than the
// threshold's fraction of the family's rows, becomes '*'. Values with the
// same resulting pattern are one group.
func init() {
	registerNode((*plan.Reduce)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		red := n.(*plan.Reduce)
		return r.blocking(red.In, func(b *vec.Batch) (*vec.Batch, error) {
			col, err := r.eval(red.By, b)
			if err != nil {
				return nil, err
			}
			vals := make([]string, b.N)
			for i := range vals {
				vals[i] = col.Value(i).S
			}
			patterns := reducePatterns(vals, red.Threshold, red.Characters)
			if red.Source {
				pb := vec.NewBuilder(types.String, b.N)
				for _, p := range patterns {
					pb.AppendString(p)
				}
				return &vec.Batch{Cols: append(append([]*vec.Column(nil), b.Cols...), pb.Build()), N: b.N}, nil
			}
			return reduceGroups(vals, patterns), nil
		})
	})
}

// reduceTerms is a value split into terms; seps marks separator terms.
type reduceTerms struct {
	terms []string
	seps  []bool
}

func splitTerms(s, chars string) reduceTerms {
	var t reduceTerms
	start := 0
	flush := func(end int) {
		if end > start {
			t.terms, t.seps = append(t.terms, s[start:end]), append(t.seps, false)
		}
		start = end
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case chars != "" && strings.IndexByte(chars, ch) >= 0:
			flush(i)
		case chars == "" && ch < 0x80 && !isAlnum(ch):
			flush(i)
			t.terms, t.seps = append(t.terms, s[i:i+1]), append(t.seps, true)
			start = i + 1
		}
	}
	flush(len(s))
	return t
}

func isAlnum(ch byte) bool {
	return ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z'
}

// shape identifies values with the same terms layout.
func (t reduceTerms) shape() string {
	var b strings.Builder
	for i, sep := range t.seps {
		if sep {
			b.WriteString(t.terms[i])
		} else {
			b.WriteByte(0)
		}
	}
	return b.String()
}

// reducePatterns returns each value's pattern.
func reducePatterns(vals []string, threshold float64, chars string) []string {
	split := make([]reduceTerms, len(vals))
	families := map[string][]int{}
	for i, v := range vals {
		split[i] = splitTerms(v, chars)
		sh := split[i].shape()
		families[sh] = append(families[sh], i)
	}
	out := make([]string, len(vals))
	for _, rows := range families {
		first := split[rows[0]]
		wild := make([]bool, len(first.terms))
		for p := range first.terms {
			if first.seps[p] {
				continue
			}
			distinct := map[string]bool{}
			for _, r := range rows {
				distinct[split[r].terms[p]] = true
			}
			wild[p] = len(distinct) > 1 && float64(len(distinct)) > threshold*float64(len(rows))
		}
		for _, r := range rows {
			out[r] = patternOf(split[r], wild)
		}
	}
	return out
}

func patternOf(t reduceTerms, wild []bool) string {
	var b strings.Builder
	for i, term := range t.terms {
		if !wild[i] {
			b.WriteString(term)
		} else if !strings.HasSuffix(b.String(), "*") {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// reduceGroups counts the values of each pattern, most frequent first.
func reduceGroups(vals, patterns []string) *vec.Batch {
	type group struct {
		pattern, rep string
		count        int64
	}
	var groups []*group
	byPattern := map[string]*group{}
	for i, p := range patterns {
		g := byPattern[p]
		if g == nil {
			g = &group{pattern: p, rep: vals[i]}
			byPattern[p] = g
			groups = append(groups, g)
		}
		g.count++
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].count > groups[j].count })
	pb, cb, rb := vec.NewBuilder(types.String, len(groups)), vec.NewBuilder(types.Long, len(groups)), vec.NewBuilder(types.String, len(groups))
	for _, g := range groups {
		pb.AppendString(g.pattern)
		cb.AppendInt(g.count)
		rb.AppendString(g.rep)
	}
	return &vec.Batch{Cols: []*vec.Column{pb.Build(), cb.Build(), rb.Build()}, N: len(groups)}
}
