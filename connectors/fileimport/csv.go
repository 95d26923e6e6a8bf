package fileimport

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// csvFile is a CSV file being read: its header and a reader that knows
// where each field is.
type csvFile struct {
	r      *csv.Reader
	header []string
}

func (p *parser) openCSV() (*csvFile, error) {
	body := trimBOM(p.data)
	r := csv.NewReader(bytes.NewReader(body))
	r.ReuseRecord = true // rows are not kept; their strings are
	header, err := r.Read()
	if err != nil {
		return nil, p.csvError(err)
	}
	header = slices.Clone(header) // the reader reuses its slice
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	r.FieldsPerRecord = len(header)
	return &csvFile{r: r, header: header}, nil
}

// next returns the next row and the line it starts on; nil at the end.
func (c *csvFile) next() ([]string, int, error) {
	row, err := c.r.Read()
	if err != nil {
		return nil, 0, err
	}
	line, _ := c.r.FieldPos(0)
	return row, line, nil
}

// at is where field i of the last row starts.
func (c *csvFile) at(i int) pos {
	line, col := c.r.FieldPos(i)
	return pos{line: line, col: col}
}

// csvError records a CSV syntax error where the reader found it and
// returns errTooMany: a file whose quoting is broken cannot be read on.
func (p *parser) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			msg = "the row has a different number of fields than the header (a line break or comma outside quotes?)"
		}
		p.fail(pos{line: pe.Line, col: pe.Column}, "", "CSV: %s", msg)
		return errTooMany{}
	}
	if err == io.EOF {
		p.fail(pos{line: 1}, "", "the file has no header row")
		return errTooMany{}
	}
	return err
}

func (p *parser) readCSV(emit func(Item) error) error {
	c, err := p.openCSV()
	if err != nil {
		return err
	}
	if p.file.Format == FormatPortalCSV {
		return p.readPortalCSV(c, emit)
	}
	return p.readTableCSV(c, emit)
}

// readTableCSV reads a Log Analytics export: each row's table is its Type
// column, else --category's, else its Category column's.
func (p *parser) readTableCSV(c *csvFile, emit func(Item) error) error {
	typeCol, catCol := -1, -1
	for i, h := range c.header {
		switch {
		case strings.EqualFold(h, "Type"):
			typeCol = i
		case strings.EqualFold(h, "Category"):
			catCol = i
		}
	}
	if typeCol < 0 && catCol < 0 && p.opt.Category == "" {
		p.fail(pos{line: 1}, "", "cannot tell which Entra table the rows belong to: the header has no Type or Category column; pass --category")
		return errTooMany{}
	}
	shapes := map[string]*tableShape{}
	// Reused for every row: tableRecord keeps neither.
	var cells []cell
	seen := map[string]int{}
	for {
		row, line, err := c.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return p.csvError(err)
		}
		table, field := p.rowTable(row, typeCol, catCol)
		if table == "" {
			if err := p.fail(pos{line: line}, field, "cannot tell which Entra table the row belongs to: the file has no Type column naming one; pass --category"); err != nil {
				return err
			}
			continue
		}
		s, ok := shapes[strings.ToLower(table)]
		if !ok {
			if s, err = p.tableShapeOf(table, c.header); err != nil {
				p.fail(pos{line: line, col: c.at(max(typeCol, 0)).col}, field, "%v", err)
				return errTooMany{}
			}
			shapes[strings.ToLower(table)] = s
		}
		cells = cells[:0]
		clear(seen)
		for i, text := range row {
			f, ok := s.column(c.header[i])
			if !ok {
				continue
			}
			// An export with X_dynamic and X_string fills one of them.
			if j, dup := seen[f.Name]; dup {
				if cells[j].text == "" {
					cells[j] = cell{col: c.header[i], text: text, at: c.at(i)}
				}
				continue
			}
			seen[f.Name] = len(cells)
			cells = append(cells, cell{col: c.header[i], text: text, at: c.at(i)})
		}
		it, err := p.tableRecord(s, cells, line)
		if err != nil {
			return err
		}
		if err := emit(it); err != nil {
			return err
		}
	}
}

// rowTable names the table of a row, and the field that said so.
func (p *parser) rowTable(row []string, typeCol, catCol int) (table, field string) {
	if typeCol >= 0 && row[typeCol] != "" {
		return row[typeCol], "Type"
	}
	if p.opt.Category != "" {
		t, _ := tableOfCategory(p.opt.Category)
		return t, ""
	}
	if catCol >= 0 {
		if t, ok := tableOfCategory(row[catCol]); ok {
			return t, "Category"
		}
	}
	return "", ""
}

func tableOfCategory(category string) (string, bool) {
	for _, c := range tableCategories() {
		if strings.EqualFold(c, category) {
			return tableOf(c), true
		}
	}
	return "", false
}

// tableShapeOf checks that a header is an export of table: at least half
// of its columns must be the table's, or it is the output of a query over
// the table (its own columns, a few of the table's) rather than rows.
func (p *parser) tableShapeOf(table string, header []string) (*tableShape, error) {
	s, err := newTableShape(table)
	if err != nil {
		return nil, err
	}
	var known, unknown []string
	for _, h := range header {
		if _, ok := s.column(h); ok {
			known = append(known, h)
		} else {
			unknown = append(unknown, h)
		}
	}
	if len(known)*2 < len(header) {
		return nil, fmt.Errorf("only %d of the file's %d columns (%s) are columns of %s: this looks like the output of a query over %s, not rows of the table",
			len(known), len(header), strings.Join(known, ", "), s.table, s.table)
	}
	p.file.Table = s.table
	for _, u := range unknown {
		p.ignore(u)
	}
	return s, nil
}
