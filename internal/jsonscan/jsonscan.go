// Package jsonscan validates and walks JSON text without decoding it:
// exactly what encoding/json's Valid accepts (strings may hold any bytes
// but control characters; escapes must be well formed; UTF-8 is not
// checked), at several times its speed on long, string-heavy objects such
// as activity records' properties.
package jsonscan

// Valid reports whether data is one JSON value with optional white space
// around it.
func Valid(data []byte) bool {
	p := Scanner{Data: data}
	p.Space()
	if !p.Value() {
		return false
	}
	p.Space()
	return p.I == len(p.Data)
}

// Value skips one JSON value at I (no white space before it).
func (p *Scanner) Value() bool { return p.value(0) }

// String skips one JSON string at I.
func (p *Scanner) String() bool {
	return p.I < len(p.Data) && p.Data[p.I] == '"' && p.str()
}

// maxDepth bounds nesting as encoding/json does (10000).
const maxDepth = 10000

// Scanner walks JSON text. Data is the text and I the position; the
// methods advance I past what they read and report whether it was valid.
type Scanner struct {
	Data []byte
	I    int
}

// Space skips white space.
func (p *Scanner) Space() {
	for p.I < len(p.Data) {
		switch p.Data[p.I] {
		case ' ', '\t', '\n', '\r':
			p.I++
		default:
			return
		}
	}
}

func (p *Scanner) value(depth int) bool {
	if p.I >= len(p.Data) {
		return false
	}
	switch c := p.Data[p.I]; {
	case c == '"':
		return p.str()
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	}
	return false
}

func (p *Scanner) literal(s string) bool {
	if len(p.Data)-p.I < len(s) || string(p.Data[p.I:p.I+len(s)]) != s {
		return false
	}
	p.I += len(s)
	return true
}

func (p *Scanner) str() bool {
	p.I++ // opening quote
	for p.I < len(p.Data) {
		c := p.Data[p.I]
		switch {
		case c == '"':
			p.I++
			return true
		case c == '\\':
			if p.I+1 >= len(p.Data) {
				return false
			}
			switch p.Data[p.I+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.I += 2
			case 'u':
				if p.I+6 > len(p.Data) {
					return false
				}
				for _, h := range p.Data[p.I+2 : p.I+6] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return false
					}
				}
				p.I += 6
			default:
				return false
			}
		case c < 0x20:
			return false
		default:
			p.I++
		}
	}
	return false
}

func (p *Scanner) digits() int {
	n := 0
	for p.I < len(p.Data) && p.Data[p.I] >= '0' && p.Data[p.I] <= '9' {
		p.I++
		n++
	}
	return n
}

func (p *Scanner) number() bool {
	if p.Data[p.I] == '-' {
		p.I++
	}
	if p.I >= len(p.Data) {
		return false
	}
	if p.Data[p.I] == '0' {
		p.I++
	} else if p.digits() == 0 {
		return false
	}
	if p.I < len(p.Data) && p.Data[p.I] == '.' {
		p.I++
		if p.digits() == 0 {
			return false
		}
	}
	if p.I < len(p.Data) && (p.Data[p.I] == 'e' || p.Data[p.I] == 'E') {
		p.I++
		if p.I < len(p.Data) && (p.Data[p.I] == '+' || p.Data[p.I] == '-') {
			p.I++
		}
		if p.digits() == 0 {
			return false
		}
	}
	return true
}

func (p *Scanner) object(depth int) bool {
	if depth > maxDepth {
		return false
	}
	p.I++ // {
	p.Space()
	if p.I < len(p.Data) && p.Data[p.I] == '}' {
		p.I++
		return true
	}
	for {
		if p.I >= len(p.Data) || p.Data[p.I] != '"' || !p.str() {
			return false
		}
		p.Space()
		if p.I >= len(p.Data) || p.Data[p.I] != ':' {
			return false
		}
		p.I++
		p.Space()
		if !p.value(depth) {
			return false
		}
		p.Space()
		if p.I >= len(p.Data) {
			return false
		}
		switch p.Data[p.I] {
		case ',':
			p.I++
			p.Space()
		case '}':
			p.I++
			return true
		default:
			return false
		}
	}
}

func (p *Scanner) array(depth int) bool {
	if depth > maxDepth {
		return false
	}
	p.I++ // [
	p.Space()
	if p.I < len(p.Data) && p.Data[p.I] == ']' {
		p.I++
		return true
	}
	for {
		if !p.value(depth) {
			return false
		}
		p.Space()
		if p.I >= len(p.Data) {
			return false
		}
		switch p.Data[p.I] {
		case ',':
			p.I++
			p.Space()
		case ']':
			p.I++
			return true
		default:
			return false
		}
	}
}
