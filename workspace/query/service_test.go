package query

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/workspace"
)

func newService(lim Limits) *Service {
	return New(Options{Now: func() time.Time { return testNow }, Limits: lim})
}

// rowsOf decodes the rows of a response table.
func rowsOf(t *testing.T, tbl *Table) [][]any {
	t.Helper()
	var rows [][]any
	if err := json.Unmarshal(tbl.Rows, &rows); err != nil {
		t.Fatalf("rows %s: %v", tbl.Rows, err)
	}
	return rows
}

func run(t *testing.T, s *Service, req Request) *Response {
	t.Helper()
	if req.User == "" {
		req.User = "u"
	}
	resp, err := s.Run(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", req.Query, err)
	}
	return resp
}

func apiErr(t *testing.T, err error) *apierror.Error {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	e, _ := AsAPIError(err)
	return e
}

// The timespan must hold exactly: the rows below are one tail batch of
// the store, which its scan returns whole when any row is in range, so
// these counts are wrong without the masking of timeTable.
var timespanCases = []struct {
	query, timespan string
	want            string
}{
	{"SigninLogs | count", "", `[[10]]`},
	{"SigninLogs | count", "PT2H30M", `[[3]]`},
	{"SigninLogs | project UserPrincipalName | order by UserPrincipalName asc", "PT2H30M", `[["user0"],["user1"],["user2"]]`},
	{"SigninLogs | take 100 | project DurationMs | order by DurationMs asc", "PT2H30M", `[[0],[10],[20]]`},
	{"SigninLogs | where TimeGenerated < ago(30m) | count", "PT2H30M", `[[2]]`},
	{"SigninLogs | where TimeGenerated between (ago(5h) .. ago(1h)) | count", "PT2H30M", `[[2]]`},
	{"SigninLogs | summarize max(DurationMs)", "PT2H30M", `[[20]]`},
	{"SigninLogs | count", "2026-11-27T03:00:00Z/2026-11-27T05:00:00Z", `[[3]]`},
	{"SigninLogs | count", "2026-11-27T03:00:00Z/PT59M", `[[1]]`},
	{"SigninLogs | count", "2020-01-01T00:00:00Z/P1D", `[[0]]`},
	{"union SigninLogs, (SigninLogs | where DurationMs > 0) | count", "PT1H", `[[3]]`},
	{"SigninLogs | project c = tostring(LocationDetails.city) | order by c asc", "PT1H30M", `[["city-user0"],["city-user1"]]`},
	{"SigninLogs | where LocationDetails.city == 'city-user5' | count", "PT1H30M", `[[0]]`},
	{"SigninLogs | where LocationDetails.city == 'city-user1' | project UserPrincipalName", "PT1H30M", `[["user1"]]`},
	{"SigninLogs | take 2 | count", "PT1H30M", `[[2]]`},
	{"SigninLogs | where UserPrincipalName != 'user0' | take 5 | count", "PT1H30M", `[[1]]`},
	{"print x = 1", "PT1H", `[[1]]`},
}

func TestTimespanIsExact(t *testing.T) {
	reg := openRegistry(t)
	ws := addWorkspace(t, reg, "ws1")
	appendSignins(t, ws, hourly(testNow, 10, "user"))
	s := newService(Limits{})
	check := func(stage string) {
		t.Helper()
		for _, tc := range timespanCases {
			resp := run(t, s, Request{Workspaces: []*workspace.Workspace{ws}, Query: tc.query, Timespan: tc.timespan})
			if got := string(resp.Tables[0].Rows); got != tc.want {
				t.Errorf("%s: %s (timespan %q): got %s, want %s", stage, tc.query, tc.timespan, got, tc.want)
			}
		}
	}
	check("tail")
	// Once flushed, the rows are one block of a segment, which the store
	// also returns whole.
	if err := ws.Store().Flush(); err != nil {
		t.Fatal(err)
	}
	if st := mustTable(t, ws).Stats(); st.Segments != 1 || st.TailRows != 0 {
		t.Fatalf("flush left %+v", st)
	}
	check("segment")

	// A timespan in the URL and one in the body intersect.
	resp := run(t, s, Request{Workspaces: []*workspace.Workspace{ws}, Query: "SigninLogs | count", Timespan: "PT5H30M", URLTimespan: "2026-11-27T00:00:00Z/2026-11-27T04:00:00Z"})
	if got := string(resp.Tables[0].Rows); got != `[[2]]` {
		t.Errorf("intersected timespans: got %s, want [[2]]", got)
	}
	if _, err := s.Run(context.Background(), Request{Workspaces: []*workspace.Workspace{ws}, Query: "print 1", Timespan: "PT"}); apiErr(t, err).Status != 400 {
		t.Errorf("a bad timespan gives %v", err)
	}
}

func TestCrossWorkspace(t *testing.T) {
	reg := openRegistry(t)
	ws1, ws2 := addWorkspace(t, reg, "ws1"), addWorkspace(t, reg, "ws2")
	appendSignins(t, ws1, hourly(testNow, 10, "a"))
	appendSignins(t, ws2, hourly(testNow, 4, "b"))
	s := newService(Limits{})
	resp := run(t, s, Request{Workspaces: []*workspace.Workspace{ws1, ws2}, Query: "SigninLogs | summarize count() by bin(TimeGenerated, 1h) | count"})
	if got := string(resp.Tables[0].Rows); got != `[[10]]` {
		t.Errorf("hours: got %s", got)
	}
	resp = run(t, s, Request{Workspaces: []*workspace.Workspace{ws1, ws2}, Query: "SigninLogs | where UserPrincipalName startswith 'b' or UserPrincipalName == 'a0' | count", Timespan: "PT1H30M"})
	if got := string(resp.Tables[0].Rows); got != `[[3]]` {
		t.Errorf("timespan across workspaces: got %s, want [[3]]", got)
	}
	if want := []string{"SigninLogs"}; strings.Join(resp.Read, ",") != want[0] {
		t.Errorf("tables read: %v", resp.Read)
	}
}

func TestEncodingAndColumnTypes(t *testing.T) {
	reg := openRegistry(t)
	ws := addWorkspace(t, reg, "ws1")
	s := newService(Limits{})
	resp := run(t, s, Request{Workspaces: []*workspace.Workspace{ws}, Query: `print b=true, i=int(1), l=2, r=todouble(1.5), d=todecimal(0.5), s="x", g=toguid("74BE27DE-1E4E-49D9-B579-FE0B331D3642"), t=datetime(2015-12-31T23:59:59.9), ts=10s, dyn=dynamic({"a":1}), n=long(null)`})
	tbl := resp.Tables[0]
	var types []string
	for _, c := range tbl.Columns {
		types = append(types, c.Name+":"+c.Type)
	}
	if got, want := strings.Join(types, " "), "b:bool i:int l:long r:real d:decimal s:string g:guid t:datetime ts:timespan dyn:dynamic n:long"; got != want {
		t.Errorf("columns: got %s, want %s", got, want)
	}
	want := `[[true,1,2,1.5,"0.5","x","74be27de-1e4e-49d9-b579-fe0b331d3642","2015-12-31T23:59:59.9Z","00:00:10","{\"a\":1}",null]]`
	if got := string(tbl.Rows); got != want {
		t.Errorf("rows:\n got %s\nwant %s", got, want)
	}
	if tbl.Name != "PrimaryResult" || resp.Statistics != nil || resp.Render != nil || resp.Error != nil {
		t.Errorf("unexpected response parts: %+v", resp)
	}
}

func TestMultipleResults(t *testing.T) {
	reg := openRegistry(t)
	ws := addWorkspace(t, reg, "ws1")
	s := newService(Limits{})
	for _, tc := range []struct {
		query string
		names string
	}{
		{"range x from 1 to 3 step 1 | fork (take 1) (take 2)", "PrimaryResult,Table_1"},
		{"print 1; print 2; print 3", "PrimaryResult,Table_1,Table_2"},
	} {
		resp := run(t, s, Request{Workspaces: []*workspace.Workspace{ws}, Query: tc.query})
		var names []string
		for _, tbl := range resp.Tables {
			names = append(names, tbl.Name)
		}
		if got := strings.Join(names, ","); got != tc.names {
			t.Errorf("%s: tables %s, want %s", tc.query, got, tc.names)
		}
	}
}

func TestPartialError(t *testing.T) {
	reg := openRegistry(t)
	ws := addWorkspace(t, reg, "ws1")
	for _, tc := range []struct {
		lim  Limits
		rows string
		msg  string
	}{
		{Limits{MaxRows: 3}, `[[1],[2],[3]]`, "record count limit 3"},
		{Limits{MaxBytes: 13}, `[[1],[2],[3]]`, "data size limit 13"},
		{Limits{MaxRows: 10}, `[[1],[2],[3],[4],[5],[6],[7],[8],[9],[10]]`, ""},
	} {
		s := newService(tc.lim)
		resp := run(t, s, Request{Workspaces: []*workspace.Workspace{ws}, Query: "range x from 1 to 10 step 1"})
		if got := string(resp.Tables[0].Rows); got != tc.rows {
			t.Errorf("%+v: rows %s, want %s", tc.lim, got, tc.rows)
		}
		if tc.msg == "" {
			if resp.Error != nil {
				t.Errorf("%+v: unexpected error %v", tc.lim, resp.Error)
			}
			continue
		}
		if resp.Error == nil || resp.Error.Code != "PartialError" || len(resp.Error.Details) != 1 ||
			resp.Error.Details[0].Code != "EngineError" || !strings.Contains(resp.Error.Details[0].Message, tc.msg) {
			t.Errorf("%+v: error %+v", tc.lim, resp.Error)
		}
	}
}

func TestQueryErrors(t *testing.T) {
	reg := openRegistry(t)
	ws := addWorkspace(t, reg, "ws1")
	s := newService(Limits{})
	for _, tc := range []struct {
		query            string
		chain            string // codes, outermost first
		line, pos        int
		token, innermost string
	}{
		// Recorded from Azure: pos is 0-based.
		{"completely invalid syntax", "BadArgumentError SyntaxError SYN0002", 1, 11, "invalid", "Query could not be parsed at 'invalid' on line [1,11]"},
		{"SigninLogs\n| where", "BadArgumentError SyntaxError SYN0002", 2, 7, "<EOF>", "Query could not be parsed at '<EOF>' on line [2,7]"},
		{"print x = (1 + ", "BadArgumentError SyntaxError SYN0002", 1, 15, "<EOF>", ""},
		{"SigninLogs | take 1 ) ", "BadArgumentError SyntaxError SYN0002", 1, 20, ")", "Query could not be parsed at ')' on line [1,20]"},
		{"Appquests | take 1", "BadArgumentError SemanticError SEM0100", 0, 0, "", "named 'Appquests'"},
		{"SigninLogs | project NoSuchColumn", "BadArgumentError SemanticError SEM0100", 0, 0, "", "named 'NoSuchColumn'"},
		{"print nosuchfn(1)", "BadArgumentError SemanticError SEM0100", 0, 0, "", "scalar expression named 'nosuchfn'"},
	} {
		_, err := s.Run(context.Background(), Request{Workspaces: []*workspace.Workspace{ws}, Query: tc.query, User: "u"})
		e := apiErr(t, err)
		var codes []string
		last := e
		for x := e; x != nil; x = x.InnerError {
			codes = append(codes, x.Code)
			last = x
		}
		if got := strings.Join(codes, " "); got != tc.chain || e.Status != 400 {
			t.Errorf("%q: %d %s, want 400 %s (%v)", tc.query, e.Status, got, tc.chain, e)
			continue
		}
		if tc.line != 0 && (last.Line != tc.line || last.Pos != tc.pos || last.Token != tc.token) {
			t.Errorf("%q: line %d pos %d token %q, want %d %d %q", tc.query, last.Line, last.Pos, last.Token, tc.line, tc.pos, tc.token)
		}
		if !strings.Contains(last.Message, tc.innermost) {
			t.Errorf("%q: innermost message %q lacks %q", tc.query, last.Message, tc.innermost)
		}
		if len(e.Details) == 0 || !strings.Contains(e.Details[0].Message, ":") {
			t.Errorf("%q: no detail with the position: %+v", tc.query, e.Details)
		}
	}
}

func TestAuthorizeTables(t *testing.T) {
	reg := openRegistry(t)
	ws := addWorkspace(t, reg, "ws1")
	appendSignins(t, ws, hourly(testNow, 3, "u"))
	s := newService(Limits{})
	var asked []string
	allow := func(_ *workspace.Workspace, table string) bool {
		asked = append(asked, table)
		return table != "SigninLogs"
	}
	for _, q := range []string{"SigninLogs | count", "AuditLogs | take 0 | union (SigninLogs | take 0)", "union * | count"} {
		asked = nil
		_, err := s.Run(context.Background(), Request{Workspaces: []*workspace.Workspace{ws}, Query: q, User: "u", Authorize: allow})
		e := apiErr(t, err)
		if e.Status != 403 || e.Code != "InsufficientAccessError" || e.InnerError == nil || !strings.Contains(e.InnerError.Message, "'SigninLogs'") {
			t.Errorf("%s: %v", q, e)
		}
	}
	resp := run(t, s, Request{Workspaces: []*workspace.Workspace{ws}, Query: "AuditLogs | count", Authorize: allow})
	if string(resp.Tables[0].Rows) != `[[0]]` {
		t.Errorf("AuditLogs: %s", resp.Tables[0].Rows)
	}
}

func TestStatisticsAndRender(t *testing.T) {
	reg := openRegistry(t)
	ws := addWorkspace(t, reg, "ws1")
	appendSignins(t, ws, hourly(testNow, 10, "u"))
	s := newService(Limits{})
	resp := run(t, s, Request{Workspaces: []*workspace.Workspace{ws}, Timespan: "PT2H30M",
		Query:  "SigninLogs | summarize count() by bin(TimeGenerated, 1h) | render timechart with (title='Sign-ins', ymin=0)",
		Prefer: Prefer{Statistics: true, Render: true}})
	st := resp.Statistics
	if st == nil || st.Query.ExecutionTime <= 0 || st.Query.InputDatasetStatistics.Rows.Total != 10 ||
		st.Query.InputDatasetStatistics.Rows.Scanned != 10 || len(st.Query.DatasetStatistics) != 1 ||
		st.Query.DatasetStatistics[0].TableRowCount != 3 || st.Query.DatasetStatistics[0].TableSize != int64(len(resp.Tables[0].Rows)) {
		t.Errorf("statistics: %+v", st)
	}
	if _, _, measured := processCPU(); measured {
		cpu, _ := st.Query.ResourceUsage["cpu"].(map[string]string)
		if cpu["totalCpu"] == "" || cpu["user"] == "" {
			t.Errorf("a query run alone has no CPU time: %v", st.Query.ResourceUsage)
		}
	}
	data, _ := json.Marshal(resp.Render)
	want := `{"visualization":"timechart","title":"Sign-ins","accumulate":false,"isQuerySorted":false,"kind":null,"legend":null,"series":null,"yMin":0,"yMax":"NaN","xAxis":null,"xColumn":null,"xTitle":null,"yAxis":null,"yColumns":null,"ySplit":null,"yTitle":null,"anomalyColumns":null}`
	if string(data) != want {
		t.Errorf("render:\n got %s\nwant %s", data, want)
	}
	resp = run(t, s, Request{Workspaces: []*workspace.Workspace{ws}, Query: "print 1", Prefer: Prefer{Render: true}})
	data, _ = json.Marshal(resp.Render)
	if strings.Contains(string(data), `":"`) || strings.Contains(string(data), "false") {
		t.Errorf("render without a render operator is not all null: %s", data)
	}
}

func TestWaitTimeout(t *testing.T) {
	reg := openRegistry(t)
	ws := addWorkspace(t, reg, "ws1")
	s := newService(Limits{DefaultWait: 50 * time.Millisecond})
	_, err := s.Run(context.Background(), Request{Workspaces: []*workspace.Workspace{ws}, User: "u",
		Query: "range x from 1 to 100000000000 step 1 | summarize sum(x)"})
	if e := apiErr(t, err); e.Status != 504 {
		t.Fatalf("got %v, want 504", e)
	}
}
