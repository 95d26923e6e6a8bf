package exec

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerNode((*plan.ParseKV)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		return r.parseKV(n.(*plan.ParseKV))
	})
}

func (r *Runner) parseKV(n *plan.ParseKV) (Operator, error) {
	in, err := r.open(n.In)
	if err != nil {
		return nil, err
	}
	want := make(map[string]int, len(n.Keys))
	for i, k := range n.Keys {
		want[k] = i
	}
	return funcOp(func() (*vec.Batch, error) {
		b, err := in.Next()
		if b == nil || err != nil {
			return nil, err
		}
		return r.parseKVBatch(n, want, b)
	}), nil
}

func (r *Runner) parseKVBatch(n *plan.ParseKV, want map[string]int, b *vec.Batch) (*vec.Batch, error) {
	x, err := r.eval(n.X, b)
	if err != nil {
		return nil, err
	}
	builders := make([]*vec.Builder, len(n.Keys))
	for i, t := range n.Types {
		builders[i] = vec.NewBuilder(t, b.N)
	}
	kv := &kvReader{n: n, want: want, vals: make([]string, len(n.Keys)), found: make([]bool, len(n.Keys))}
	for row := 0; row < b.N; row++ {
		kv.read(textOf(x, row))
		for i, t := range n.Types {
			v := types.NullOf(t)
			if kv.found[i] {
				v, _ = convertText(kv.vals[i], t)
			}
			builders[i].Append(v)
		}
	}
	out := &vec.Batch{N: b.N, Cols: make([]*vec.Column, len(n.Sch))}
	copy(out.Cols, b.Cols)
	for i, target := range n.Targets {
		out.Cols[target] = builders[i].Build()
	}
	return out, nil
}

// kvReader extracts the wanted keys' values from one text at a time. The
// first appearance of a key wins; keys and values are trimmed of spaces.
type kvReader struct {
	n     *plan.ParseKV
	want  map[string]int
	s     string
	vals  []string
	found []bool
}

func (k *kvReader) read(s string) {
	k.s = s
	for i := range k.found {
		k.found[i] = false
	}
	switch {
	case k.n.Regex != nil:
		for _, m := range k.n.Regex.FindAllStringSubmatch(s, -1) {
			k.record(m[1], m[2])
		}
	case k.n.PairDelim != "":
		k.delimited()
	default:
		k.undelimited()
	}
}

func (k *kvReader) record(key, val string) {
	if i, ok := k.want[strings.TrimSpace(key)]; ok && !k.found[i] {
		k.vals[i], k.found[i] = strings.TrimSpace(val), true
	}
}

// closer returns the closing quote when a quote opens at pos.
func (k *kvReader) closer(pos int) (rune, bool) {
	r, _ := utf8.DecodeRuneInString(k.s[pos:])
	for _, q := range k.n.Quotes {
		if q[0] == r {
			return q[1], true
		}
	}
	return 0, false
}

func (k *kvReader) isEscape(r rune) bool {
	for _, e := range k.n.Escapes {
		if e == r {
			return true
		}
	}
	return false
}

// quoted reads the quoted text opening at pos, undoing escapes, and
// returns it with the position after the closing quote.
func (k *kvReader) quoted(pos int, closer rune) (string, int) {
	var b strings.Builder
	_, size := utf8.DecodeRuneInString(k.s[pos:])
	for i := pos + size; i < len(k.s); {
		r, size := utf8.DecodeRuneInString(k.s[i:])
		switch {
		case r == closer:
			return b.String(), i + size
		case k.isEscape(r) && i+size < len(k.s):
			next, nsize := utf8.DecodeRuneInString(k.s[i+size:])
			b.WriteRune(next)
			i += size + nsize
			continue
		}
		b.WriteRune(r)
		i += size
	}
	return b.String(), len(k.s)
}

func skipSpace(s string, pos int) int {
	for pos < len(s) && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r') {
		pos++
	}
	return pos
}

// index returns the position of sub in s at or after pos, or -1.
func index(s, sub string, pos int) int {
	if i := strings.Index(s[pos:], sub); i >= 0 {
		return pos + i
	}
	return -1
}

// delimited reads `key<kv>value<pair>key<kv>value...`.
func (k *kvReader) delimited() {
	s, pd := k.s, k.n.PairDelim
	for pos := 0; pos < len(s); {
		key, p, ok := k.key(skipSpace(s, pos))
		if ok {
			var val string
			val, p = k.value(skipSpace(s, p))
			k.record(key, val)
		}
		next := index(s, pd, p)
		if next < 0 {
			return
		}
		pos = next + len(pd)
	}
}

// key reads a key at pos and returns it with the position after the
// key/value delimiter; ok is false when the text up to the next pair has
// no key/value delimiter.
func (k *kvReader) key(pos int) (string, int, bool) {
	s, kvd, pd := k.s, k.n.KVDelim, k.n.PairDelim
	if pos >= len(s) {
		return "", pos, false
	}
	if c, ok := k.closer(pos); ok {
		key, end := k.quoted(pos, c)
		end = skipSpace(s, end)
		if strings.HasPrefix(s[end:], kvd) {
			return key, end + len(kvd), true
		}
		return "", end, false
	}
	i, j := index(s, kvd, pos), index(s, pd, pos)
	if i < 0 || j >= 0 && j < i {
		return "", pos, false
	}
	return s[pos:i], i + len(kvd), true
}

// value reads a value at pos and returns it with the position where the
// search for the next pair delimiter starts.
func (k *kvReader) value(pos int) (string, int) {
	s := k.s
	if pos < len(s) {
		if c, ok := k.closer(pos); ok {
			return k.quoted(pos, c)
		}
	}
	end := len(s)
	if k.n.Greedy {
		end = k.nextKey(pos)
	} else if i := index(s, k.n.PairDelim, pos); i >= 0 {
		end = i
	}
	return s[pos:end], end
}

// nextKey returns the position of the pair delimiter before the next key
// after pos, or the end of the text.
func (k *kvReader) nextKey(pos int) int {
	s, pd := k.s, k.n.PairDelim
	for at := index(s, pd, pos); at >= 0; at = index(s, pd, at+len(pd)) {
		if key, _, ok := k.key(skipSpace(s, at+len(pd))); ok && strings.TrimSpace(key) != "" {
			return at
		}
	}
	return len(s)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// undelimited finds the wanted keys as words followed by one or more
// delimiters (any character other than a letter, a digit or a quote) and
// a value: a quoted text or a word.
func (k *kvReader) undelimited() {
	s := k.s
	for pos := 0; pos < len(s); {
		if c, ok := k.closer(pos); ok {
			_, pos = k.quoted(pos, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[pos:])
		if !isWordRune(r) {
			pos += size
			continue
		}
		if key, after, ok := k.wantedKeyAt(pos); ok {
			if val, end, ok := k.wordValue(after); ok {
				k.record(key, val)
				pos = end
				continue
			}
		}
		pos = k.wordEnd(pos)
	}
}

// wantedKeyAt returns a wanted key written at pos and ending at a word
// boundary, and the position after it.
func (k *kvReader) wantedKeyAt(pos int) (string, int, bool) {
	s := k.s
	for i, key := range k.n.Keys {
		if k.found[i] || key == "" || !strings.HasPrefix(s[pos:], key) {
			continue
		}
		end := pos + len(key)
		if r, _ := utf8.DecodeRuneInString(s[end:]); end == len(s) || !isWordRune(r) {
			return key, end, true
		}
	}
	return "", pos, false
}

// wordValue reads the delimiters after a key and the value after them.
func (k *kvReader) wordValue(pos int) (string, int, bool) {
	s := k.s
	start := pos
	for pos < len(s) {
		if _, ok := k.closer(pos); ok {
			break
		}
		r, size := utf8.DecodeRuneInString(s[pos:])
		if isWordRune(r) {
			break
		}
		pos += size
	}
	if pos == start || pos >= len(s) {
		return "", pos, false
	}
	if c, ok := k.closer(pos); ok {
		val, end := k.quoted(pos, c)
		return val, end, true
	}
	end := k.wordEnd(pos)
	return s[pos:end], end, true
}

func (k *kvReader) wordEnd(pos int) int {
	for pos < len(k.s) {
		r, size := utf8.DecodeRuneInString(k.s[pos:])
		if !isWordRune(r) {
			break
		}
		pos += size
	}
	return pos
}
