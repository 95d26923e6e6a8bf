// Package conformance runs the records of the KQL conformance corpora
// (shared/conformance/README.md) through the engine and compares the
// results with the output tables the Kusto docs show.
//
// A record's outcome is one of pass, fail (the result differs from the
// expected table), error (the query did not parse, check or run, or the
// engine panicked or timed out) or skip (nothing to compare: no expected
// table, a nondeterministic query, or a doc table whose columns do not
// belong to the query). A skipped record whose query fails is an error,
// so that skips still measure how much of the corpus the engine runs.
package conformance

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/idlogs/idlogs/kql/workbook"
)

// Record is one conformance record. The docs corpus fills Expected and the
// fields about it; the Sentinel corpus has no expected output and fills
// the parse fields and Kind instead.
type Record struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	Query  string `json:"query"`
	// Expected is the first table the docs show after the query; nil when
	// they show none.
	Expected *Table `json:"expected"`
	// ExpectedMore are the tables of the further result sets, in order,
	// for queries with several.
	ExpectedMore []*Table `json:"expected_more"`
	Ordered      bool     `json:"ordered"`
	OrderBasis   string   `json:"order_basis"`
	Notes        string   `json:"notes"`
	Truncated    bool     `json:"truncated"`
	// Nondeterministic queries use rand, now, new_guid, sample ...: their
	// values cannot match the docs.
	Nondeterministic bool `json:"nondeterministic"`
	// OfficialResultColumns are the columns the official analyzer infers
	// for the last statement.
	OfficialResultColumns []string `json:"official_result_columns"`
	// ColumnsMatchOfficial is false when the doc table's columns are not
	// the query's (shortened, renamed or from another query), nil when
	// they could not be compared.
	ColumnsMatchOfficial *bool `json:"columns_match_official"`
	OfficialParseOK      bool  `json:"official_parse_ok"`
	// ParseOKWithStubs is set for workbook queries only: whether the
	// official parser accepts the template once its parameter tokens are
	// replaced by stand-ins (see workbook.Stub).
	ParseOKWithStubs *bool  `json:"official_parse_ok_with_param_stubs"`
	Kind             string `json:"kind"`
}

// Table is an expected result table: column names and rows of cells as
// the docs print them (see the README for how cells are written).
type Table struct {
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
}

// Input returns the query text to run and whether the official Kusto
// parser accepts it. A workbook template the official parser accepts with
// its parameters stubbed is returned stubbed, even when the raw text
// parses too: its parameter tokens must be replaced before it can run.
func (r *Record) Input() (query string, officialOK bool) {
	switch {
	case r.ParseOKWithStubs != nil && *r.ParseOKWithStubs:
		return workbook.Stub(r.Query), true
	case r.OfficialParseOK:
		return r.Query, true
	}
	return r.Query, false
}

// ReadFile reads the records of a JSON Lines corpus file.
func ReadFile(path string) ([]*Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	records, err := ReadRecords(f)
	if err != nil {
		return nil, fmt.Errorf("%s:%w", path, err)
	}
	return records, nil
}

// ReadRecords reads JSON Lines records from r. Blank lines are ignored.
// Errors name the line as "N: message".
func ReadRecords(r io.Reader) ([]*Record, error) {
	var records []*Record
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 64<<20)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		rec := &Record{}
		if err := json.Unmarshal(sc.Bytes(), rec); err != nil {
			return nil, fmt.Errorf("%d: %v", line, err)
		}
		records = append(records, rec)
	}
	return records, sc.Err()
}
