package conformance

import (
	"fmt"
	"strings"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
)

// Result comparison follows shared/conformance/README.md:
//
//   - The expected tables are the last result sets: Expected, then
//     ExpectedMore, line up with the last 1+len(ExpectedMore) results.
//   - Column names: when the record says the doc table's columns match the
//     official analyzer's (columns_match_official), the analyzer's names
//     are what Kusto returns and are compared exactly, so a difference in
//     case fails. Otherwise the doc's names are compared ignoring case,
//     because doc tables are not reliable about case.
//   - Ordered records compare row by row. When that fails and the query
//     ends in a sort or top whose keys are plain output columns, rows with
//     equal keys may come in any order: each run of equal keys in the
//     result is compared as a multiset with the same rows of the docs.
//   - Unordered records compare rows as multisets.
//   - Truncated records compare only what the docs show: every doc column
//     must be a result column, every doc row must match a distinct result
//     row on those columns, and further result rows are allowed.

// compareResults compares results with rec's expected tables and returns
// "" when they match, or a short description of the first difference.
func compareResults(rec *Record, query string, results []*engine.Result) string {
	tables := append([]*Table{rec.Expected}, rec.ExpectedMore...)
	if len(results) < len(tables) {
		return fmt.Sprintf("want %d result sets, got %d", len(tables), len(results))
	}
	base := len(results) - len(tables)
	for i, t := range tables {
		c := &tableComparison{want: t, got: results[base+i], ordered: rec.Ordered, truncated: rec.Truncated}
		c.names, c.exactNames = t.Columns, false
		if i == len(tables)-1 && officialNames(rec) {
			c.names, c.exactNames = rec.OfficialResultColumns, true
		}
		if rec.Ordered && i == len(tables)-1 {
			c.sortKeys = sortKeyNames(query)
		}
		if msg := c.compare(); msg != "" {
			if len(tables) > 1 {
				msg = fmt.Sprintf("result set %d: %s", i+1, msg)
			}
			return msg
		}
	}
	return ""
}

// officialNames reports whether rec's official result columns name the
// columns of its expected table.
func officialNames(rec *Record) bool {
	m := rec.ColumnsMatchOfficial
	return m != nil && *m && len(rec.OfficialResultColumns) == len(rec.Expected.Columns)
}

// tableComparison compares one result set with one expected table.
type tableComparison struct {
	want       *Table
	got        *engine.Result
	names      []string // expected column names
	exactNames bool
	ordered    bool
	truncated  bool
	sortKeys   []string
	// cols maps each expected column to its result column.
	cols []int
}

func (c *tableComparison) compare() string {
	if msg := c.matchColumns(); msg != "" {
		return msg
	}
	switch {
	case c.truncated:
		return c.compareSubset()
	case len(c.want.Rows) != c.got.Rows.N:
		return fmt.Sprintf("want %d rows, got %d%s", len(c.want.Rows), c.got.Rows.N, c.firstUnmatched())
	case c.ordered:
		return c.compareOrdered()
	}
	return c.compareMultiset(0, len(c.want.Rows))
}

func (c *tableComparison) gotNames() []string {
	names := make([]string, len(c.got.Schema))
	for i, f := range c.got.Schema {
		names[i] = f.Name
	}
	return names
}

// matchColumns maps the expected columns to result columns.
func (c *tableComparison) matchColumns() string {
	got := c.gotNames()
	if c.truncated {
		return c.matchColumnSubset(got)
	}
	if len(got) != len(c.names) {
		return fmt.Sprintf("columns: want %s, got %s", listText(c.names), listText(got))
	}
	c.cols = make([]int, len(got))
	for i, name := range c.names {
		c.cols[i] = i
		if got[i] == name || (!c.exactNames && strings.EqualFold(got[i], name)) {
			continue
		}
		if strings.EqualFold(got[i], name) {
			return fmt.Sprintf("column %d: want name %q, got %q (case differs)", i+1, name, got[i])
		}
		return fmt.Sprintf("columns: want %s, got %s", listText(c.names), listText(got))
	}
	return ""
}

// matchColumnSubset finds every expected column among the result columns,
// by exact name first, then ignoring case.
func (c *tableComparison) matchColumnSubset(got []string) string {
	c.cols = make([]int, len(c.names))
	for i, name := range c.names {
		c.cols[i] = indexName(got, name)
		if c.cols[i] < 0 {
			return fmt.Sprintf("column %q is not in the result %s", name, listText(got))
		}
	}
	return ""
}

func indexName(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	for i, n := range names {
		if strings.EqualFold(n, name) {
			return i
		}
	}
	return -1
}

// rowMatches reports whether expected row w matches result row g.
func (c *tableComparison) rowMatches(w, g int) bool {
	row := c.want.Rows[w]
	if len(row) != len(c.cols) {
		return false
	}
	for i, col := range c.cols {
		if !matchCell(row[i], c.got.Value(g, col)) {
			return false
		}
	}
	return true
}

// compareOrdered compares rows in order, then within tie groups.
func (c *tableComparison) compareOrdered() string {
	first := -1
	for r := range c.want.Rows {
		if !c.rowMatches(r, r) {
			first = r
			break
		}
	}
	if first < 0 {
		return ""
	}
	if groups := c.tieGroups(); groups != nil {
		for _, g := range groups {
			if msg := c.compareMultiset(g[0], g[1]); msg != "" {
				return msg + " (rows with equal sort keys compared in any order)"
			}
		}
		return ""
	}
	return c.rowDiff(first)
}

// tieGroups returns the runs [lo, hi) of result rows with equal sort
// keys, or nil when the sort keys are not known.
func (c *tableComparison) tieGroups() [][2]int {
	if len(c.sortKeys) == 0 {
		return nil
	}
	got := c.gotNames()
	keys := make([]int, len(c.sortKeys))
	for i, k := range c.sortKeys {
		if keys[i] = indexName(got, k); keys[i] < 0 {
			return nil
		}
	}
	var groups [][2]int
	n := c.got.Rows.N
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && c.sameKeys(keys, lo, hi) {
			hi++
		}
		groups = append(groups, [2]int{lo, hi})
		lo = hi
	}
	return groups
}

func (c *tableComparison) sameKeys(keys []int, a, b int) bool {
	for _, k := range keys {
		va, vb := c.got.Value(a, k), c.got.Value(b, k)
		if va.IsNull() != vb.IsNull() || types.Compare(va, vb) != 0 {
			return false
		}
	}
	return true
}

// rowDiff describes how expected row r differs from result row r.
func (c *tableComparison) rowDiff(r int) string {
	row := c.want.Rows[r]
	if len(row) != len(c.cols) {
		return fmt.Sprintf("row %d: the docs show %d cells for %d columns", r+1, len(row), len(c.cols))
	}
	for i, col := range c.cols {
		v := c.got.Value(r, col)
		if !matchCell(row[i], v) {
			return fmt.Sprintf("row %d, column %s: want %q, got %s", r+1, c.names[i], row[i], valueText(v))
		}
	}
	return ""
}

// compareMultiset matches expected rows [lo, hi) with result rows
// [lo, hi) in any order.
func (c *tableComparison) compareMultiset(lo, hi int) string {
	m := newMatching(c, lo, hi, lo, hi)
	if w := m.unmatchedWant(); w >= 0 {
		return fmt.Sprintf("no result row matches expected row %d %s%s", w+1, rowText(c.want.Rows[w]), m.unmatchedGotText())
	}
	return ""
}

// compareSubset matches every expected row with a distinct result row.
func (c *tableComparison) compareSubset() string {
	m := newMatching(c, 0, len(c.want.Rows), 0, c.got.Rows.N)
	if w := m.unmatchedWant(); w >= 0 {
		return fmt.Sprintf("no result row matches expected row %d %s (truncated table; %d result rows)",
			w+1, rowText(c.want.Rows[w]), c.got.Rows.N)
	}
	return ""
}

// firstUnmatched describes the first expected row with no matching
// result row, or the first result row left over, to go with a row count
// difference.
func (c *tableComparison) firstUnmatched() string {
	if len(c.want.Rows)*c.got.Rows.N > 1_000_000 {
		return ""
	}
	m := newMatching(c, 0, len(c.want.Rows), 0, c.got.Rows.N)
	if w := m.unmatchedWant(); w >= 0 {
		return fmt.Sprintf("; expected row %d %s is missing", w+1, rowText(c.want.Rows[w]))
	}
	return m.unmatchedGotText()
}

func valueText(v types.Value) string {
	if v.IsNull() && v.Type != types.String {
		return "null"
	}
	return fmt.Sprintf("%q (%s)", v.String(), v.Type)
}

func (c *tableComparison) resultRowText(g int) string {
	cells := make([]string, len(c.cols))
	for i, col := range c.cols {
		v := c.got.Value(g, col)
		if v.IsNull() && v.Type != types.String {
			cells[i] = "null"
		} else {
			cells[i] = v.String()
		}
	}
	return rowText(cells)
}

// maxCellText caps the length of a cell in messages.
const maxCellText = 60

func rowText(cells []string) string {
	parts := make([]string, len(cells))
	for i, s := range cells {
		if len(s) > maxCellText {
			s = s[:maxCellText] + "..."
		}
		parts[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func listText(names []string) string {
	return "[" + strings.Join(names, ", ") + "]"
}
