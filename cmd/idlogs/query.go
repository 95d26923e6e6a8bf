package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"
)

// queryScope is the scope of a Log Analytics query API token.
const queryScope = "https://api.loganalytics.io/.default"

// primaryResult names the table a query's result is in.
const primaryResult = "PrimaryResult"

// newQueryCmd builds "idlogs query", the command-line client of the Log
// Analytics query API in the conventions of az monitor log-analytics
// query.
func newQueryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   `query [-w WORKSPACE] ("KQL" | --file FILE | -)`,
		Short: "Run a KQL query on a running server's query API",
		Long: `Run a KQL query on a running idlogs server through its Log Analytics query
API, as az monitor log-analytics query does against Azure. The query is the
argument, --analytics-query, the file of --file, or standard input ("-").

WORKSPACE is a workspace's customer id, name, subscription/group/name or ARM
resource id (default: the server's default workspace). The request runs as
the admin application of bootstrap.json, or as the application of
--client-id (or IDLOGS_CLIENT_ID) with the secret of IDLOGS_CLIENT_SECRET
(or --client-secret, which other users of the machine can see).

Output (-o) is az's: json and jsonc print every row of every table as an
object of strings keyed by column, with the TableName first (null is
"None", booleans "True"/"False", as az prints them); tsv prints the same
values tab-separated without a header; table aligns the PrimaryResult rows
for a terminal. csv, which az lacks, prints the PrimaryResult with a header
of column names and the values as the API sends them (null is empty).
Every format but table streams its rows as they arrive.

A failed query prints the API's error chain, a syntax error as
line:col: message, and exits 1. A partial result (PartialError: the
result was cut at a limit) prints its rows, a warning on standard error,
and exits 0, as az does (az does not warn).`,
		Args: cobra.MaximumNArgs(1),
		RunE: runQuery,
	}
	f := cmd.Flags()
	f.String("analytics-query", "", "the KQL query (instead of the argument)")
	f.String("file", "", "read the query from FILE")
	addQueryFlags(cmd)
	return cmd
}

// addQueryFlags adds the flags of a query run but its source: server,
// workspace, timespan, output and credentials.
func addQueryFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	addServerFlags(f)
	f.StringP("workspace", "w", "", "workspace customer id, name, or resource id (default: bootstrap.json's)")
	f.StringP("timespan", "t", "", "ISO 8601 duration (P1D) or interval (start/end) the query covers")
	f.StringSlice("workspaces", nil, "more workspaces to query together with WORKSPACE, comma-separated")
	f.StringP("output", "o", "table", "output format: table, json, jsonc, tsv or csv")
	f.String("client-id", "", "application to query as (default: IDLOGS_CLIENT_ID, else the admin of bootstrap.json)")
	f.String("client-secret", "", "its secret (default: IDLOGS_CLIENT_SECRET)")
	f.String("tenant", "", "tenant of --client-id (default: bootstrap.json's)")
}

// queryRequest is the body of a POST to the query API.
type queryRequest struct {
	Query      string   `json:"query"`
	Timespan   string   `json:"timespan,omitempty"`
	Workspaces []string `json:"workspaces,omitempty"`
}

func runQuery(cmd *cobra.Command, args []string) error {
	src, srcName, err := querySource(cmd, args)
	if err != nil {
		return err
	}
	return runKQL(cmd, src, srcName)
}

// runKQL runs src on the query API with the flags of cmd (those
// newQueryCmd defines but the query's source) and prints the result;
// srcName is the name syntax errors are reported under.
func runKQL(cmd *cobra.Command, src, srcName string) error {
	f := cmd.Flags()
	format, _ := f.GetString("output")
	format = strings.ToLower(format)
	out, err := newRowWriter(format, cmd.OutOrStdout())
	if err != nil {
		return err
	}
	conn, err := dialServer(cmd, 0)
	if err != nil {
		return err
	}
	token, err := queryToken(cmd, conn)
	if err != nil {
		return err
	}
	ws, _ := f.GetString("workspace")
	if ws == "" {
		ws = conn.boot.Workspace.ID
	}
	req := queryRequest{Query: src}
	req.Timespan, _ = f.GetString("timespan")
	req.Workspaces, _ = f.GetStringSlice("workspaces")
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	hreq, err := http.NewRequestWithContext(cmd.Context(), http.MethodPost, queryURL(conn.boot.QueryEndpoint, ws), bytes.NewReader(body))
	if err != nil {
		return err
	}
	hreq.Header.Set("Authorization", "Bearer "+token)
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	resp, err := conn.http.Do(hreq)
	if err != nil {
		return fmt.Errorf("querying %s: %w", ws, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNoContent:
		// Azure's answer for a workspace that holds no data yet.
		return out.finish()
	default:
		writeQueryError(cmd.ErrOrStderr(), resp, srcName)
		return errReported
	}
	seen := &tableNames{rowWriter: out}
	partial, err := decodeResult(resp.Body, seen)
	if err != nil {
		return fmt.Errorf("reading the result: %w", err)
	}
	if err := out.finish(); err != nil {
		return err
	}
	if others := seen.others(); len(others) > 0 && (format == "table" || format == "csv") {
		fmt.Fprintf(cmd.ErrOrStderr(), "idlogs: the result has more tables than %s (%s); -o json prints them all\n", primaryResult, strings.Join(others, ", "))
	}
	if partial != nil {
		fmt.Fprintln(cmd.ErrOrStderr(), "idlogs: warning: the result is incomplete:")
		writeErrorChain(cmd.ErrOrStderr(), partial, "  ")
	}
	return nil
}

// querySource returns the query text and, for a file or standard input,
// the name its errors are reported under.
func querySource(cmd *cobra.Command, args []string) (src, name string, err error) {
	f := cmd.Flags()
	inline, _ := f.GetString("analytics-query")
	file, _ := f.GetString("file")
	given := 0
	for _, s := range []string{inline, file, strings.Join(args, "")} {
		if s != "" {
			given++
		}
	}
	if given != 1 {
		return "", "", errors.New(`give the query once: as the argument, --analytics-query, --file FILE, or "-" for standard input`)
	}
	switch {
	case inline != "":
		return inline, "", nil
	case file != "":
		data, err := os.ReadFile(file)
		return string(data), file, err
	case args[0] == "-":
		data, err := io.ReadAll(cmd.InOrStdin())
		return string(data), stdinName, err
	}
	return args[0], "", nil
}

// queryToken gets a query API token for the application of --client-id
// or IDLOGS_CLIENT_ID, else for the admin application.
func queryToken(cmd *cobra.Command, conn *serverConn) (string, error) {
	return callerToken(cmd, conn, queryScope)
}

// callerToken gets a token for scope as queryToken chooses the caller.
func callerToken(cmd *cobra.Command, conn *serverConn, scope string) (string, error) {
	f := cmd.Flags()
	clientID, _ := f.GetString("client-id")
	secret, _ := f.GetString("client-secret")
	tenant, _ := f.GetString("tenant")
	if clientID == "" {
		clientID = os.Getenv("IDLOGS_CLIENT_ID")
	}
	if secret == "" {
		secret = os.Getenv("IDLOGS_CLIENT_SECRET")
	}
	if tenant == "" {
		tenant = conn.boot.TenantID
	}
	if clientID == "" {
		if secret != "" {
			return "", errors.New("a client secret was given without --client-id or IDLOGS_CLIENT_ID")
		}
		id, s, err := conn.adminCredentials()
		if err != nil {
			return "", err
		}
		clientID, secret = id, s
	} else if secret == "" {
		return "", fmt.Errorf("application %s needs its secret in IDLOGS_CLIENT_SECRET or --client-secret", clientID)
	}
	return conn.clientToken(tenant, clientID, secret, scope)
}

// queryURL is the query path of the workspace ws: a resource id (or
// subscription/group/name) takes the resource-centric path, a customer id
// or name the workspace path.
func queryURL(endpoint, ws string) string {
	endpoint = strings.TrimSuffix(endpoint, "/")
	if parts := strings.Split(ws, "/"); len(parts) == 3 && !strings.HasPrefix(ws, "/") {
		ws = "/subscriptions/" + parts[0] + "/resourceGroups/" + parts[1] + "/providers/Microsoft.OperationalInsights/workspaces/" + parts[2]
	}
	if strings.HasPrefix(ws, "/") {
		return endpoint + strings.TrimSuffix(ws, "/") + "/query"
	}
	return endpoint + "/workspaces/" + url.PathEscape(ws) + "/query"
}

// apiError is the query API's error envelope, recursive through details
// and innererror.
type apiError struct {
	Code          string      `json:"code"`
	Message       string      `json:"message"`
	Target        string      `json:"target"`
	Line          int         `json:"line"`
	Pos           int         `json:"pos"`
	CorrelationID string      `json:"correlationId"`
	Details       []*apiError `json:"details"`
	InnerError    *apiError   `json:"innererror"`
}

// writeQueryError prints a failed request: the located syntax errors
// first (prefixed with the query's file name, if any), then the chain of
// codes and messages.
func writeQueryError(w io.Writer, resp *http.Response, srcName string) {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var env struct {
		Error *apiError `json:"error"`
	}
	if json.Unmarshal(data, &env) != nil || env.Error == nil || env.Error.Code == "" {
		msg := strings.TrimSpace(string(data))
		if msg == "" {
			msg = "(empty answer)"
		}
		fmt.Fprintf(w, "idlogs: query failed: %s: %s\n", resp.Status, msg)
		return
	}
	prefix := ""
	if srcName != "" {
		prefix = srcName + ":"
	}
	for _, loc := range located(env.Error) {
		fmt.Fprintf(w, "%s%s\n", prefix, loc)
	}
	fmt.Fprintf(w, "idlogs: query failed (%s):\n", resp.Status)
	writeErrorChain(w, env.Error, "  ")
	if resp.StatusCode == http.StatusForbidden {
		fmt.Fprintln(w, "  (the application needs a role that allows Microsoft.OperationalInsights/workspaces/query/read on the workspace, such as Log Analytics Reader)")
	}
}

// located returns the "line:col: message" lines of a syntax or semantic
// error: idlogs's details, which carry the parser's own messages, else
// Kusto's innermost error with a line (its pos is 0-based).
func located(e *apiError) []string {
	var out []string
	var innermost *apiError
	for x := e; x != nil; x = x.InnerError {
		for _, d := range x.Details {
			if d.Line > 0 && strings.HasPrefix(d.Message, strconv.Itoa(d.Line)+":") {
				out = append(out, d.Message)
			}
		}
		if x.Line > 0 {
			innermost = x
		}
	}
	if len(out) == 0 && innermost != nil {
		out = append(out, fmt.Sprintf("%d:%d: %s", innermost.Line, innermost.Pos+1, innermost.Message))
	}
	return out
}

// writeErrorChain prints e and its inner errors as indented
// "code: message" lines, then its correlation id.
func writeErrorChain(w io.Writer, e *apiError, indent string) {
	corr, base := "", indent
	for x := e; x != nil; x = x.InnerError {
		fmt.Fprintf(w, "%s%s: %s\n", indent, x.Code, x.Message)
		for _, d := range x.Details {
			if d.Line == 0 && d.Message != x.Message {
				fmt.Fprintf(w, "%s  %s: %s\n", indent, d.Code, d.Message)
			}
		}
		if x.CorrelationID != "" {
			corr = x.CorrelationID
		}
		indent += "  "
	}
	if corr != "" {
		fmt.Fprintf(w, "%scorrelation id %s\n", base, corr)
	}
}

// column is a result column as the API describes it.
type column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// rowWriter prints a result as it is decoded: begin for each table, row
// for each of its rows (values as encoding/json decodes them, numbers as
// json.Number), finish once at the end.
type rowWriter interface {
	begin(table string, cols []column) error
	row(vals []any) error
	finish() error
}

func newRowWriter(format string, w io.Writer) (rowWriter, error) {
	switch format {
	case "table":
		return &tableWriter{w: w}, nil
	case "json":
		return &azJSONWriter{w: w}, nil
	case "jsonc":
		return &azJSONWriter{w: w, color: true}, nil
	case "tsv":
		return &tsvWriter{w: w}, nil
	case "csv":
		return &csvWriter{w: csv.NewWriter(w)}, nil
	}
	return nil, fmt.Errorf("unknown output format %q: use table, json, jsonc, tsv or csv", format)
}

// tableNames passes a result on and notes the names of its tables.
type tableNames struct {
	rowWriter
	names []string
}

func (t *tableNames) begin(table string, cols []column) error {
	t.names = append(t.names, table)
	return t.rowWriter.begin(table, cols)
}

// others returns the tables other than the PrimaryResult.
func (t *tableNames) others() []string {
	var out []string
	for _, n := range t.names {
		if n != primaryResult {
			out = append(out, n)
		}
	}
	return out
}

// decodeResult streams the tables of a query response into out, one row
// at a time, and returns the response's error (a PartialError), if any.
func decodeResult(r io.Reader, out rowWriter) (*apiError, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	var partial *apiError
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch key {
		case "tables":
			err = decodeTables(dec, out)
		case "error":
			err = dec.Decode(&partial)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return nil, err
		}
	}
	return partial, expectDelim(dec, '}')
}

func decodeTables(dec *json.Decoder, out rowWriter) error {
	if err := expectDelim(dec, '['); err != nil {
		return err
	}
	for dec.More() {
		if err := decodeTable(dec, out); err != nil {
			return err
		}
	}
	return expectDelim(dec, ']')
}

// decodeTable decodes one table. Its rows stream when its columns come
// first, as Azure and idlogs send them; otherwise they wait for them.
func decodeTable(dec *json.Decoder, out rowWriter) error {
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	var name string
	var cols []column
	var held [][]any
	begun := false
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return err
		}
		switch key {
		case "name":
			err = dec.Decode(&name)
		case "columns":
			err = dec.Decode(&cols)
		case "rows":
			if !begun && cols != nil {
				if err := out.begin(name, cols); err != nil {
					return err
				}
				begun = true
			}
			err = decodeRows(dec, func(row []any) error {
				if begun {
					return out.row(row)
				}
				held = append(held, row)
				return nil
			})
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return err
		}
	}
	if !begun {
		if err := out.begin(name, cols); err != nil {
			return err
		}
		for _, row := range held {
			if err := out.row(row); err != nil {
				return err
			}
		}
	}
	return expectDelim(dec, '}')
}

func decodeRows(dec *json.Decoder, each func([]any) error) error {
	if err := expectDelim(dec, '['); err != nil {
		return err
	}
	for dec.More() {
		var row []any
		if err := dec.Decode(&row); err != nil {
			return err
		}
		if err := each(row); err != nil {
			return err
		}
	}
	return expectDelim(dec, ']')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != want {
		return fmt.Errorf("expected %q in the response, found %v", want, tok)
	}
	return nil
}

// azString is a value as az prints it: Python's str() of the decoded JSON
// value.
func azString(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case string:
		return v
	case json.Number:
		return pyNumber(string(v))
	}
	return fmt.Sprint(v)
}

// pyNumber prints a JSON number as Python's str() of what json.loads
// makes of it: an integer as it is, a float in repr's shortest form,
// fixed for exponents -4 to 15 ("100.0") and scientific beyond ("1e-07").
func pyNumber(s string) string {
	if !strings.ContainsAny(s, ".eE") {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	sci := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(sci[strings.IndexByte(sci, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return sci
	}
	fixed := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(fixed, ".") {
		fixed += ".0"
	}
	return fixed
}

// rawString is a value as the API sent it, for csv: strings (dynamic
// values included) as they are, numbers and booleans as JSON, null empty.
func rawString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return string(v)
	case bool:
		return strconv.FormatBool(v)
	}
	return fmt.Sprint(v)
}

// azJSONWriter prints az's json output: a list of objects, one a row, with
// the TableName first and every value az's string, indented by two as
// Python's json.dumps(indent=2, ensure_ascii=False) does. jsonc colours
// keys and values with ANSI colours, close to (not exactly) az's pygments
// colouring.
type azJSONWriter struct {
	w     io.Writer
	color bool
	cols  []column
	table string
	rows  int
	buf   []byte
}

func (j *azJSONWriter) begin(table string, cols []column) error {
	j.table, j.cols = table, cols
	return nil
}

func (j *azJSONWriter) row(vals []any) error {
	b := j.buf[:0]
	if j.rows == 0 {
		b = append(b, "[\n"...)
	} else {
		b = append(b, ",\n"...)
	}
	j.rows++
	b = append(b, "  {\n"...)
	b = j.member(b, "TableName", j.table, len(j.cols) > 0)
	for i, c := range j.cols {
		var v any
		if i < len(vals) {
			v = vals[i]
		}
		b = j.member(b, c.Name, azString(v), i < len(j.cols)-1)
	}
	b = append(b, "  }"...)
	j.buf = b
	_, err := j.w.Write(b)
	return err
}

func (j *azJSONWriter) member(b []byte, key, val string, more bool) []byte {
	b = append(b, "    "...)
	b = j.quoted(b, key, "\x1b[94m")
	b = append(b, ": "...)
	b = j.quoted(b, val, "\x1b[33m")
	if more {
		b = append(b, ',')
	}
	return append(b, '\n')
}

func (j *azJSONWriter) quoted(b []byte, s, color string) []byte {
	if j.color {
		b = append(b, color...)
	}
	b = pyQuote(b, s)
	if j.color {
		b = append(b, "\x1b[39;49;00m"...)
	}
	return b
}

func (j *azJSONWriter) finish() error {
	end := "\n]\n"
	if j.rows == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

// pyQuote appends s as a JSON string the way Python's json.dumps with
// ensure_ascii=False writes it: only the quote, the backslash and control
// characters are escaped.
func pyQuote(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		case '\b':
			b = append(b, `\b`...)
		case '\f':
			b = append(b, `\f`...)
		default:
			if c < 0x20 {
				b = fmt.Appendf(b, `\u%04x`, c)
			} else {
				b = append(b, c)
			}
		}
	}
	return append(b, '"')
}

// tsvWriter prints az's tsv output: each row's TableName and values,
// tab-separated, with no header and no quoting.
type tsvWriter struct {
	w     io.Writer
	table string
	buf   []byte
}

func (t *tsvWriter) begin(table string, _ []column) error {
	t.table = table
	return nil
}

func (t *tsvWriter) row(vals []any) error {
	b := append(t.buf[:0], t.table...)
	for _, v := range vals {
		b = append(b, '\t')
		b = append(b, azString(v)...)
	}
	t.buf = append(b, '\n')
	_, err := t.w.Write(t.buf)
	return err
}

func (t *tsvWriter) finish() error { return nil }

// csvWriter prints the PrimaryResult as RFC 4180 CSV with a header row.
type csvWriter struct {
	w    *csv.Writer
	skip bool
	rec  []string
}

func (c *csvWriter) begin(table string, cols []column) error {
	c.skip = table != primaryResult
	if c.skip {
		return nil
	}
	c.rec = c.rec[:0]
	for _, col := range cols {
		c.rec = append(c.rec, col.Name)
	}
	return c.w.Write(c.rec)
}

func (c *csvWriter) row(vals []any) error {
	if c.skip {
		return nil
	}
	c.rec = c.rec[:0]
	for _, v := range vals {
		c.rec = append(c.rec, rawString(v))
	}
	return c.w.Write(c.rec)
}

func (c *csvWriter) finish() error {
	c.w.Flush()
	return c.w.Error()
}

// tableWriter prints az's table output, tabulate's "simple" format: the
// column names with their first letter upper-cased, a line of dashes two
// longer than each name (or as long as the widest value), and the
// PrimaryResult rows left-aligned, with trailing blanks trimmed. It must
// see every row before it prints the first.
type tableWriter struct {
	w    io.Writer
	skip bool
	head []string
	rows [][]string
}

func (t *tableWriter) begin(table string, cols []column) error {
	t.skip = table != primaryResult
	if !t.skip {
		t.head = []string{"TableName"}
		for _, c := range cols {
			name := c.Name
			if r, n := utf8.DecodeRuneInString(name); n > 0 {
				name = strings.ToUpper(string(r)) + name[n:]
			}
			t.head = append(t.head, name)
		}
	}
	return nil
}

func (t *tableWriter) row(vals []any) error {
	if t.skip {
		return nil
	}
	rec := make([]string, 1, len(vals)+1)
	rec[0] = primaryResult
	for _, v := range vals {
		rec = append(rec, azString(v))
	}
	t.rows = append(t.rows, rec)
	return nil
}

func (t *tableWriter) finish() error {
	if len(t.rows) == 0 {
		return nil
	}
	width := make([]int, len(t.head))
	for i, h := range t.head {
		width[i] = utf8.RuneCountInString(h) + 2
	}
	for _, r := range t.rows {
		for i, v := range r {
			if i < len(width) {
				width[i] = max(width[i], utf8.RuneCountInString(v))
			}
		}
	}
	var b bytes.Buffer
	line := func(cells []string) {
		start := b.Len()
		for i, v := range cells {
			if i >= len(width) {
				break
			}
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(v)
			b.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(v)))
		}
		b.Truncate(start + len(bytes.TrimRight(b.Bytes()[start:], " ")))
		b.WriteByte('\n')
	}
	line(t.head)
	dashes := make([]string, len(width))
	for i, n := range width {
		dashes[i] = strings.Repeat("-", n)
	}
	line(dashes)
	for _, r := range t.rows {
		line(r)
		if b.Len() >= 64<<10 {
			if _, err := t.w.Write(b.Bytes()); err != nil {
				return err
			}
			b.Reset()
		}
	}
	_, err := t.w.Write(b.Bytes())
	return err
}
