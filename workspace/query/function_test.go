package query

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/workspace"
)

func TestWorkspaceFunctions(t *testing.T) {
	reg := openRegistry(t)
	ws := addWorkspace(t, reg, "ws1")
	appendSignins(t, ws, hourly(testNow, 10, "user"))
	for _, s := range []workspace.SavedSearch{
		{ID: "slow", Query: "SigninLogs | where DurationMs >= 50", FunctionAlias: "SlowSignins"},
		{ID: "by-user", Query: "SigninLogs\n| where DurationMs >= minMs\n| project UserPrincipalName, DurationMs",
			FunctionAlias: "LongerThan", FunctionParameters: "minMs:long = 70"},
		{ID: "broken", Query: "SigninLogs\n| where NoSuchColumn > 1", FunctionAlias: "Broken"},
	} {
		s.Category, s.DisplayName = "c", s.ID
		if _, _, err := reg.PutSavedSearch(ws, s); err != nil {
			t.Fatal(err)
		}
	}
	s := newService(Limits{})
	for _, tc := range []struct{ query, want string }{
		{"SlowSignins | count", `[[5]]`},
		{"SlowSignins() | count", `[[5]]`},
		{"SlowSignins | summarize min(DurationMs)", `[[50]]`},
		{"LongerThan | order by DurationMs asc", `[["user7",70],["user8",80],["user9",90]]`},
		{"LongerThan(85)", `[["user9",90]]`},
		{"LongerThan(minMs = 80) | count", `[[2]]`},
		{"let SlowSignins = print x = 1; SlowSignins", `[[1]]`},
	} {
		resp := run(t, s, Request{Workspaces: workspaces(ws), Query: tc.query})
		if got := string(resp.Tables[0].Rows); got != tc.want {
			t.Errorf("%s: rows %s, want %s", tc.query, got, tc.want)
		}
	}
	_, err := s.Run(t.Context(), Request{Workspaces: workspaces(ws), Query: "print 1;\nBroken | count", User: "u"})
	e := apiErr(t, err)
	if raw, _ := json.Marshal(e); e.Status != 400 || !strings.Contains(string(raw), "in stored function 'Broken' (body 2:9): unknown column or name 'NoSuchColumn'") {
		t.Errorf("error in a function: %s", raw)
	}
	// The tables a function reads need the caller's access like the
	// query's own.
	deny := func(_ *workspace.Workspace, table string) bool { return table != "SigninLogs" }
	_, err = s.Run(t.Context(), Request{Workspaces: workspaces(ws), Query: "SlowSignins | count", User: "u", Authorize: deny})
	if e := apiErr(t, err); e.Code != "InsufficientAccessError" {
		t.Errorf("denied table in a function: %v", e)
	}
}
