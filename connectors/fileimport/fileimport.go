// Package fileimport reads files of real Entra activity into activity
// records, so that they can be emitted into a tenant's activity log and
// routed by its diagnostic settings like the tenant's own activity.
//
// It reads:
//
//   - the Entra admin center's downloads: sign-ins as CSV (the
//     InteractiveSignIns_*, NonInteractiveSignIns_*, ApplicationSignIns_*
//     and MSISignIns_* files) or JSON (an array of Graph signIn objects),
//     audit logs as CSV or JSON (Graph directoryAudit objects);
//   - Log Analytics exports of the Entra tables (SigninLogs, AuditLogs,
//     AADNonInteractiveUserSignInLogs, AADServicePrincipalSignInLogs, ...):
//     CSV with the table's columns as the portal writes it, a JSON array of
//     rows, or a query API response ({"tables": [...]});
//   - Microsoft Graph pages ({"@odata.context": ..., "value": [...]}) of
//     auditLogs/signIns and auditLogs/directoryAudits;
//   - diagnostic-setting output: PT1H.json blobs of a storage archive (one
//     record per line) and Event Hubs messages ({"records": [...]}).
//
// The format is told from the content (see Detect). Every record's
// properties is the Graph-shaped object of the activity, as the
// diagnostics table mapping (diagnostics/tablemap) reads it, so a row of a
// Log Analytics export maps back to the same row. A file is read whole
// before anything is returned: a file with any error gives an ErrorList
// with the line, column and field of each problem and no records.
package fileimport

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
)

// Format is a kind of file the importer reads.
type Format string

// The formats, by the names --format takes.
const (
	// FormatPortalCSV is the admin center's CSV download of sign-ins or
	// audit logs ("Date (UTC)", "Request ID", ... columns).
	FormatPortalCSV Format = "portal-csv"
	// FormatPortalJSON is the admin center's JSON download: an array of
	// Graph signIn or directoryAudit objects.
	FormatPortalJSON Format = "portal-json"
	// FormatTableCSV is a Log Analytics export with a table's columns.
	FormatTableCSV Format = "table-csv"
	// FormatTableJSON is a Log Analytics export as JSON: an array of rows
	// keyed by column, or a query API response.
	FormatTableJSON Format = "table-json"
	// FormatGraph is a Microsoft Graph response page ({"value": [...]}).
	FormatGraph Format = "graph"
	// FormatPT1H is a storage archive blob: one record per line.
	FormatPT1H Format = "pt1h"
	// FormatEventHub is an Event Hubs message: {"records": [...]}.
	FormatEventHub Format = "eventhub"
)

// Formats lists every format.
var Formats = []Format{FormatPortalCSV, FormatPortalJSON, FormatTableCSV, FormatTableJSON, FormatGraph, FormatPT1H, FormatEventHub}

// ParseFormat returns the format named s.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(s))
	if slices.Contains(Formats, f) {
		return f, nil
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("unknown format %q (want one of %s)", s, strings.Join(names, ", "))
}

// Options changes how a file is read.
type Options struct {
	// Format forces the format instead of detecting it.
	Format Format
	// Category forces the diagnostic category of sign-in records (for
	// example NonInteractiveUserSignInLogs), which Graph objects and the
	// admin center's files do not always tell; the file name is used
	// otherwise (NonInteractiveSignIns_*.csv), then the records' own
	// fields.
	Category string
	// ShiftTo, when set, moves every record's time by the same amount so
	// that the newest lands at ShiftTo, for replaying old activity into a
	// workspace whose retention would drop it. Only the record's time (the
	// row's TimeGenerated) moves; properties keep the activity's own
	// timestamps (CreatedDateTime, ActivityDateTime), and ids derived from
	// the content use the original time, so a shifted import is still
	// idempotent.
	ShiftTo time.Time
	// Checking, when set, is called with the number of records checked so
	// far every 1,000 records of the check pass, which reads the whole
	// file before Checked.
	Checking func(n int)
	// Checked, when set, is called once the file is known to be good,
	// before the first record is handed out (a progress bar learns the
	// total from it).
	Checked func(*File)
}

// Item is one record read from a file.
type Item struct {
	Record activity.Record
	// Line is the line where the record starts.
	Line int
	// DerivedID is set when the source had no id and properties.id was
	// derived from the content (see deriveID).
	DerivedID bool
}

// File is what Read learnt about a file besides its records.
type File struct {
	Format Format
	// How says how the format was told, for people.
	How string
	// Table is the table of a Log Analytics export.
	Table string
	// Ignored lists the columns or members that no table column takes
	// (query output added to an export, for example).
	Ignored []string
	// Records counts the records by category.
	Records map[string]int
	// DerivedIDs counts the records whose id was derived.
	DerivedIDs int
	// NoTime counts the records without a time; the importing server
	// gives them their receive time.
	NoTime int
	// Total counts the records.
	Total int
	// Oldest and Newest are the earliest and latest record times (zero
	// when no record has one), before any shift.
	Oldest, Newest time.Time
	// Shift is how far ShiftTo moved the records.
	Shift time.Duration
}

// Read reads the file name (used in errors and as a hint for sign-in
// categories) with content data and calls fn for each record in order. A
// file with problems gives an ErrorList and fn is not called; an error
// from fn stops the read and is returned.
//
// Records keep their own time (KeepTime): imported activity lands in the
// workspace when it happened, however long ago.
func Read(name string, data []byte, opt Options, fn func(Item) error) (*File, error) {
	f := &File{Records: map[string]int{}}
	if opt.Category != "" {
		if _, ok := tablemap.Table(opt.Category); !ok {
			return f, ErrorList{{File: name, Msg: fmt.Sprintf("unknown diagnostic log category %q (want one of %s)", opt.Category, strings.Join(tablemap.Categories(), ", "))}}
		}
	}
	format, how, err := Detect(name, data)
	if opt.Format != "" {
		format, how, err = opt.Format, "forced by --format", nil
	}
	if err != nil {
		return f, ErrorList{{File: name, Msg: err.Error()}}
	}
	f.Format, f.How = format, how
	p := &parser{name: name, data: data, opt: opt, file: f}
	// The first pass collects errors only; records are handed out by a
	// second pass over a file known to be good.
	if err := p.run(nil); err != nil {
		return f, err
	}
	if len(p.errs) > 0 {
		p.errs.sort()
		return f, p.errs
	}
	total := 0
	for _, n := range f.Records {
		total += n
	}
	*f = File{Format: f.Format, How: f.How, Table: f.Table, Ignored: f.Ignored, Records: map[string]int{}, Total: total,
		Oldest: f.Oldest, Newest: f.Newest}
	if !opt.ShiftTo.IsZero() && !f.Newest.IsZero() {
		f.Shift = opt.ShiftTo.Sub(f.Newest)
	}
	if opt.Checked != nil {
		opt.Checked(f)
	}
	p = &parser{name: name, data: data, opt: opt, file: f, lines: p.lines}
	return f, p.run(fn)
}

// checkingEvery is how many records pass between Checking calls.
const checkingEvery = 1000

// parser reads one file.
type parser struct {
	name  string
	data  []byte
	opt   Options
	file  *File
	lines lineIndex // made on first use: CSV readers know their lines
	// checked counts the records handed to emit.
	checked int
	errs    ErrorList
}

func (p *parser) run(fn func(Item) error) error {
	var err error
	emit := func(it Item) error {
		// The first pass checks every record; the second makes the same
		// records again.
		if fn == nil {
			if cerr := Check(&it.Record); cerr != nil {
				return p.fail(pos{line: it.Line}, "", "%v", cerr)
			}
		}
		if len(p.errs) > 0 {
			return nil
		}
		it.Record.KeepTime = true
		switch t := it.Record.Time; {
		case t.IsZero():
			p.file.NoTime++
		case fn == nil:
			if p.file.Oldest.IsZero() || t.Before(p.file.Oldest) {
				p.file.Oldest = t
			}
			if t.After(p.file.Newest) {
				p.file.Newest = t
			}
		default:
			it.Record.Time = t.Add(p.file.Shift)
		}
		if it.DerivedID {
			p.file.DerivedIDs++
		}
		p.file.Records[it.Record.Category]++
		if p.checked++; fn == nil && p.opt.Checking != nil && p.checked%checkingEvery == 0 {
			p.opt.Checking(p.checked)
		}
		if fn == nil {
			return nil
		}
		return fn(it)
	}
	switch p.file.Format {
	case FormatPortalCSV, FormatTableCSV:
		err = p.readCSV(emit)
	case FormatPortalJSON, FormatTableJSON, FormatGraph, FormatEventHub:
		err = p.readJSON(emit)
	case FormatPT1H:
		err = p.readLines(emit)
	default:
		return fmt.Errorf("unknown format %q", p.file.Format)
	}
	if _, ok := err.(errTooMany); ok {
		return nil
	}
	return err
}

// at converts a byte offset of the file to its line and column.
func (p *parser) at(off int64) pos {
	if p.lines == nil {
		p.lines = newLineIndex(p.data)
	}
	return p.lines.at(off)
}

// fail records an error at pt and returns errTooMany once there are
// enough.
func (p *parser) fail(pt pos, field, format string, args ...any) error {
	p.errs = append(p.errs, &Error{File: p.name, Line: pt.line, Col: pt.col, Field: field, Msg: fmt.Sprintf(format, args...)})
	if len(p.errs) >= maxErrors {
		return errTooMany{}
	}
	return nil
}

// ignore notes a column or member no table column takes.
func (p *parser) ignore(name string) {
	if !slices.Contains(p.file.Ignored, name) {
		p.file.Ignored = append(p.file.Ignored, name)
	}
}

// Describe names the format for people.
func (f Format) Describe() string {
	switch f {
	case FormatPortalCSV:
		return "Entra admin center download (CSV)"
	case FormatPortalJSON:
		return "Entra admin center download (JSON)"
	case FormatTableCSV:
		return "Log Analytics export (CSV)"
	case FormatTableJSON:
		return "Log Analytics export (JSON)"
	case FormatGraph:
		return "Microsoft Graph page"
	case FormatPT1H:
		return "storage archive blob (PT1H.json)"
	case FormatEventHub:
		return "Event Hubs records"
	}
	return string(f)
}
