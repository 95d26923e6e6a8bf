package fileimport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// jsonWalk reads a JSON file token by token, so that every element is
// known by where it starts.
type jsonWalk struct {
	p    *parser
	body []byte // the file without its byte-order mark
	base int64  // the length of the mark
	dec  *json.Decoder
}

func (p *parser) newWalk() *jsonWalk {
	body := trimBOM(p.data)
	w := &jsonWalk{p: p, body: body, base: int64(len(p.data) - len(body))}
	w.dec = json.NewDecoder(bytes.NewReader(body))
	w.dec.UseNumber()
	return w
}

// here is where the next value starts.
func (w *jsonWalk) here() pos {
	off := w.dec.InputOffset()
	for off < int64(len(w.body)) && strings.IndexByte(" \t\r\n,:", w.body[off]) >= 0 {
		off++
	}
	return w.p.at(off + w.base)
}

// syntax records a JSON error where it happened and stops the read.
func (w *jsonWalk) syntax(err error) error {
	var se *json.SyntaxError
	at := w.here()
	if errors.As(err, &se) {
		at = w.p.at(se.Offset + w.base)
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		at = w.p.at(int64(len(w.p.data)))
		err = errors.New("the file ends in the middle of a JSON value (cut short?)")
	}
	w.p.fail(at, "", "JSON: %v", err)
	return errTooMany{}
}

// delim reads the next token and checks it is d.
func (w *jsonWalk) delim(d json.Delim, what string) error {
	at := w.here()
	tok, err := w.dec.Token()
	if err != nil {
		return w.syntax(err)
	}
	if tok != d {
		w.p.fail(at, "", "expected %s", what)
		return errTooMany{}
	}
	return nil
}

// elements calls fn with each element of the array that comes next.
func (w *jsonWalk) elements(fn func(raw json.RawMessage, at pos) error) error {
	if err := w.delim('[', "a JSON array"); err != nil {
		return err
	}
	for w.dec.More() {
		at := w.here()
		var raw json.RawMessage
		if err := w.dec.Decode(&raw); err != nil {
			return w.syntax(err)
		}
		if err := fn(raw, at); err != nil {
			return err
		}
	}
	if _, err := w.dec.Token(); err != nil {
		return w.syntax(err)
	}
	return nil
}

// members calls fn with each member of the object that comes next; fn
// reads the member's value from the walk.
func (w *jsonWalk) members(fn func(key string, at pos) error) error {
	if err := w.delim('{', "a JSON object"); err != nil {
		return err
	}
	for w.dec.More() {
		at := w.here()
		tok, err := w.dec.Token()
		if err != nil {
			return w.syntax(err)
		}
		if err := fn(tok.(string), at); err != nil {
			return err
		}
	}
	if _, err := w.dec.Token(); err != nil {
		return w.syntax(err)
	}
	return nil
}

// skip reads and drops the next value.
func (w *jsonWalk) skip() error {
	var raw json.RawMessage
	if err := w.dec.Decode(&raw); err != nil {
		return w.syntax(err)
	}
	return nil
}

// end checks that nothing but white space follows the value.
func (w *jsonWalk) end() error {
	at := w.here()
	if _, err := w.dec.Token(); err != io.EOF {
		w.p.fail(at, "", "JSON: unexpected data after the top-level value")
		return errTooMany{}
	}
	return nil
}

func (p *parser) readJSON(emit func(Item) error) error {
	w := p.newWalk()
	var err error
	switch p.file.Format {
	case FormatPortalJSON:
		err = w.elements(func(raw json.RawMessage, at pos) error {
			return p.emitGraph(kindUnknown, raw, at, emit)
		})
	case FormatGraph:
		err = p.readGraphPage(w, emit)
	case FormatEventHub:
		err = p.readRecords(w, emit)
	case FormatTableJSON:
		err = p.readTableJSON(w, emit)
	}
	if err != nil {
		return err
	}
	return w.end()
}

func (p *parser) emitGraph(kind graphKind, raw json.RawMessage, at pos, emit func(Item) error) error {
	n := len(p.errs)
	it, err := p.graphRecord(kind, raw, at)
	if err != nil || len(p.errs) > n {
		return err
	}
	return emit(it)
}

// readGraphPage reads {"@odata.context": ..., "value": [...]}; the
// context, when it comes first as Graph writes it, names the resource.
func (p *parser) readGraphPage(w *jsonWalk, emit func(Item) error) error {
	kind := kindUnknown
	found := false
	defer func() {
		if !found {
			p.fail(pos{line: 1, col: 1}, "", `the object has no "value" array: not a Graph page`)
		}
	}()
	return w.members(func(key string, at pos) error {
		switch key {
		case "@odata.context":
			var ctx string
			if err := w.dec.Decode(&ctx); err != nil {
				return w.syntax(err)
			}
			if kind = kindOfContext(ctx); kind == kindUnknown {
				p.fail(at, key, "%q is not a page of auditLogs/signIns or auditLogs/directoryAudits, the Graph resources idlogs imports", ctx)
				return errTooMany{}
			}
			return nil
		case "value":
			found = true
			return w.elements(func(raw json.RawMessage, at pos) error {
				return p.emitGraph(kind, raw, at, emit)
			})
		}
		return w.skip()
	})
}

// readRecords reads {"records": [...]} or a bare array of records.
func (p *parser) readRecords(w *jsonWalk, emit func(Item) error) error {
	each := func(raw json.RawMessage, at pos) error {
		return p.emitEnvelope(raw, at, emit)
	}
	if b := bytes.TrimLeft(w.body, " \t\r\n"); len(b) > 0 && b[0] == '[' {
		return w.elements(each)
	}
	found := false
	err := w.members(func(key string, at pos) error {
		if key == "records" {
			found = true
			return w.elements(each)
		}
		return w.skip()
	})
	if err == nil && !found {
		p.fail(pos{line: 1, col: 1}, "", `the object has no "records" array: not an Event Hubs message`)
	}
	return err
}

// readTableJSON reads a JSON table export: an array of rows keyed by
// column (az monitor log-analytics query -o json), or a query API
// response ({"tables": [{"name", "columns", "rows"}]}).
func (p *parser) readTableJSON(w *jsonWalk, emit func(Item) error) error {
	shapes := map[string]*tableShape{}
	if b := bytes.TrimLeft(w.body, " \t\r\n"); len(b) > 0 && b[0] == '[' {
		return w.elements(func(raw json.RawMessage, at pos) error {
			members, err := orderedMembers(raw)
			if err != nil {
				p.fail(at, "", "the row is not a JSON object")
				return errTooMany{}
			}
			cols := make([]string, len(members))
			vals := make([]json.RawMessage, len(members))
			for i, m := range members {
				cols[i], vals[i] = m.key, m.val
			}
			return p.emitTableRow(shapes, cols, vals, at, emit)
		})
	}
	return w.members(func(key string, at pos) error {
		if key != "tables" {
			return w.skip()
		}
		return w.elementsInPlace(func() error {
			var cols []string
			return w.members(func(key string, at pos) error {
				switch key {
				case "columns":
					var cs []struct {
						Name string `json:"name"`
					}
					if err := w.dec.Decode(&cs); err != nil {
						return w.syntax(err)
					}
					for _, c := range cs {
						cols = append(cols, c.Name)
					}
					return nil
				case "rows":
					if cols == nil {
						p.fail(at, key, `"rows" comes before "columns": the column names are needed first`)
						return errTooMany{}
					}
					return w.elements(func(raw json.RawMessage, at pos) error {
						var vals []json.RawMessage
						if err := json.Unmarshal(raw, &vals); err != nil || len(vals) != len(cols) {
							p.fail(at, "", "a row must be an array of %d values, one per column", len(cols))
							return errTooMany{}
						}
						return p.emitTableRow(shapes, cols, vals, at, emit)
					})
				}
				return w.skip()
			})
		})
	})
}

// elementsInPlace calls fn for each element of the array that comes next,
// leaving fn to read the element from the walk.
func (w *jsonWalk) elementsInPlace(fn func() error) error {
	if err := w.delim('[', "a JSON array"); err != nil {
		return err
	}
	for w.dec.More() {
		if err := fn(); err != nil {
			return err
		}
	}
	if _, err := w.dec.Token(); err != nil {
		return w.syntax(err)
	}
	return nil
}

// emitTableRow makes and emits the record of one JSON row.
func (p *parser) emitTableRow(shapes map[string]*tableShape, cols []string, vals []json.RawMessage, at pos, emit func(Item) error) error {
	typeCol, catCol := -1, -1
	row := make([]string, len(cols))
	for i, c := range cols {
		row[i] = stringOf(vals[i])
		switch {
		case strings.EqualFold(c, "Type"):
			typeCol = i
		case strings.EqualFold(c, "Category"):
			catCol = i
		}
	}
	table, field := p.rowTable(row, typeCol, catCol)
	if table == "" {
		return p.fail(at, field, "cannot tell which Entra table the row belongs to: it has no Type naming one; pass --category")
	}
	s, ok := shapes[strings.ToLower(table)]
	if !ok {
		var err error
		if s, err = p.tableShapeOf(table, cols); err != nil {
			p.fail(at, field, "%v", err)
			return errTooMany{}
		}
		shapes[strings.ToLower(table)] = s
	}
	cells := make([]cell, 0, len(cols))
	for i, c := range cols {
		if _, ok := s.column(c); ok {
			cells = append(cells, cell{col: c, raw: vals[i], at: at})
		}
	}
	n := len(p.errs)
	it, err := p.tableRecord(s, cells, at.line)
	if err != nil || len(p.errs) > n {
		return err
	}
	return emit(it)
}

type member struct {
	key string
	val json.RawMessage
}

// orderedMembers returns an object's members in their order.
func orderedMembers(raw json.RawMessage) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errNotObject
	}
	var out []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, member{key: fmt.Sprint(tok), val: v})
	}
	return out, nil
}
