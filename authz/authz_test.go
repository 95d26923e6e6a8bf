package authz

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/state"
)

func openTest(t *testing.T) (*Authorizer, *state.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := state.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	a.SetClock(func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) })
	return a, db, path
}

// guidOf maps a short test name to a stable GUID.
func guidOf(name string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(name[i])) * 16777619
	}
	return fmt.Sprintf("%08x-0000-4000-8000-%012x", h, len(name))
}

func roleByName(t *testing.T, a *Authorizer, name string) RoleDefinition {
	t.Helper()
	for _, d := range a.RoleDefinitions() {
		if d.RoleName == name {
			return d
		}
	}
	t.Fatalf("no role %q", name)
	return RoleDefinition{}
}

func TestAllowedCases(t *testing.T) {
	a, db, _ := openTest(t)
	defer db.Close()
	f, err := os.Open("testdata/allowed.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const ws = "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.OperationalInsights/workspaces/ws1"
	sc := bufio.NewScanner(f)
	line, checks := 0, 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(strings.ReplaceAll(text, "$ws", ws))
		if len(fields) < 4 {
			t.Fatalf("line %d: want at least 4 fields: %q", line, text)
		}
		verb, who, scope := fields[0], fields[1], fields[len(fields)-1]
		switch verb {
		case "assign":
			role := roleByName(t, a, strings.Join(fields[2:len(fields)-1], " "))
			_, _, err := a.Assign(Assignment{Name: guidOf("ra-" + who), Scope: scope, PrincipalID: guidOf(who),
				RoleDefinitionID: "/subscriptions/s1" + RoleDefinitionPrefix + role.Name})
			if err != nil {
				t.Fatalf("line %d: %v", line, err)
			}
		case "allow", "deny":
			p := &auth.Principal{ObjectID: guidOf(who)}
			if got := a.Allowed(p, fields[2], scope); got != (verb == "allow") {
				t.Errorf("line %d: %s: Allowed = %v", line, text, got)
			}
			checks++
		default:
			t.Fatalf("line %d: unknown verb %q", line, verb)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if checks < 40 {
		t.Fatalf("only %d checks ran", checks)
	}
}

func TestMatchAction(t *testing.T) {
	cases := []struct {
		pattern, action string
		want            bool
	}{
		{"*", "Microsoft.X/y/write", true},
		{"*/read", "Microsoft.OperationalInsights/workspaces/query/SigninLogs/read", true},
		{"*/read", "Microsoft.OperationalInsights/workspaces/write", false},
		{"*/read", "Microsoft.OperationalInsights/workspaces/readers/write", false},
		{"Microsoft.Authorization/*/Write", "microsoft.authorization/roleAssignments/write", true},
		{"Microsoft.Authorization/*/Write", "Microsoft.Authorization/write", false},
		{"Microsoft.OperationalInsights/workspaces/query/*/read", "Microsoft.OperationalInsights/workspaces/query/AuditLogs/read", true},
		{"Microsoft.OperationalInsights/workspaces/query/SigninLogs/read", "Microsoft.OperationalInsights/workspaces/query/SigninLogsX/read", false},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"", "", true},
		{"", "x", false},
	}
	for _, c := range cases {
		if got := MatchAction(c.pattern, c.action); got != c.want {
			t.Errorf("MatchAction(%q, %q) = %v, want %v", c.pattern, c.action, got, c.want)
		}
	}
}

func TestBuiltinRoleIDs(t *testing.T) {
	a, db, _ := openTest(t)
	defer db.Close()
	want := map[string]string{
		"Owner":                        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
		"Contributor":                  "b24988ac-6180-42a0-ab88-20f7382dd24c",
		"Reader":                       "acdd72a7-3385-48ef-bd42-f606fba81ae7",
		"Log Analytics Contributor":    "92aaf0da-9dab-42b6-94a3-d43ce8d16293",
		"Log Analytics Reader":         "73c42c96-874c-492b-b04d-ab87d138a893",
		"Monitoring Reader":            "43d0d8ad-25c7-4714-9337-8ba259a9fe05",
		"Monitoring Contributor":       "749f88d5-cbae-40b8-bcfc-e573ddc772fa",
		"Monitoring Metrics Publisher": "3913510d-42f4-4e42-8a64-420c390055eb",
	}
	for name, id := range want {
		d, ok := a.RoleDefinition("/providers/Microsoft.Authorization/roleDefinitions/" + strings.ToUpper(id))
		if !ok || d.RoleName != name || d.RoleType != BuiltInRole {
			t.Errorf("role %s: got %+v %v", id, d.RoleName, ok)
		}
		if got := d.IDAt("/subscriptions/s1/resourceGroups/rg"); got != "/subscriptions/s1"+RoleDefinitionPrefix+id {
			t.Errorf("IDAt = %s", got)
		}
		if got := d.IDAt("/"); got != RoleDefinitionPrefix+id {
			t.Errorf("IDAt root = %s", got)
		}
	}
	if n := len(a.RoleDefinitions()); n != len(want) {
		t.Errorf("%d built-in roles, want %d", n, len(want))
	}
}

func TestAssignErrorsAndPersistence(t *testing.T) {
	a, db, path := openTest(t)
	reader := RoleDefinitionPrefix + "acdd72a7-3385-48ef-bd42-f606fba81ae7"
	base := Assignment{Name: guidOf("one"), Scope: "/subscriptions/s1", PrincipalID: guidOf("alice"), RoleDefinitionID: reader, CreatedBy: guidOf("admin")}
	got, created, err := a.Assign(base)
	if err != nil || !created || got.ID != "/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/"+base.Name || got.PrincipalType != "User" {
		t.Fatalf("assign: %+v %v %v", got, created, err)
	}
	again, created, err := a.Assign(base)
	if err != nil || created || !again.CreatedOn.Equal(got.CreatedOn) {
		t.Fatalf("re-put: %+v %v %v", again, created, err)
	}
	codeOf := func(err error) string {
		if e, ok := err.(*Error); ok {
			return e.Code
		}
		return fmt.Sprint(err)
	}
	bad := []struct {
		mod  func(*Assignment)
		code string
	}{
		{func(x *Assignment) { x.Name = guidOf("two") }, CodeRoleAssignmentExists},
		{func(x *Assignment) { x.Name = guidOf("two"); x.Scope = "/SUBSCRIPTIONS/S1/" }, CodeRoleAssignmentExists},
		{func(x *Assignment) { x.PrincipalID = guidOf("bob") }, CodeRoleAssignmentUpdateNotPermitted},
		{func(x *Assignment) { x.Name = "not-a-guid" }, CodeInvalidRoleAssignmentID},
		{func(x *Assignment) { x.Name = guidOf("three"); x.PrincipalID = "bob" }, CodeInvalidPrincipalID},
		{func(x *Assignment) { x.Name = guidOf("three"); x.PrincipalType = "Robot" }, CodeInvalidPrincipalType},
		{func(x *Assignment) {
			x.Name = guidOf("three")
			x.RoleDefinitionID = RoleDefinitionPrefix + guidOf("none")
		}, CodeRoleDefinitionDoesNotExist},
		{func(x *Assignment) { x.Name = guidOf("three"); x.Condition = "true" }, CodeConditionNotSupported},
	}
	for i, b := range bad {
		x := base
		b.mod(&x)
		if _, _, err := a.Assign(x); codeOf(err) != b.code {
			t.Errorf("case %d: error %v, want %s", i, err, b.code)
		}
	}
	sp := base
	sp.Name, sp.PrincipalID, sp.PrincipalType, sp.Scope = guidOf("sp"), guidOf("app"), "serviceprincipal", "/subscriptions/s1/resourceGroups/rg1"
	if got, _, err := a.Assign(sp); err != nil || got.PrincipalType != "ServicePrincipal" ||
		got.RoleDefinitionID != "/subscriptions/s1"+reader {
		t.Fatalf("sp: %+v %v", got, err)
	}
	root := base
	root.Name, root.Scope, root.RoleDefinitionID = guidOf("root"), "/", "/subscriptions/s1"+reader
	if got, _, err := a.Assign(root); err != nil || got.RoleDefinitionID != reader || got.ID != AssignmentPrefix+root.Name {
		t.Fatalf("root: %+v %v", got, err)
	}
	if _, _, err := a.Unassign(AssignmentPrefix + root.Name); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db2, err := state.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	a2, err := Open(db2)
	if err != nil {
		t.Fatal(err)
	}
	if !a2.Allowed(&auth.Principal{ObjectID: strings.ToUpper(guidOf("alice"))}, "Microsoft.OperationalInsights/workspaces/read", "/subscriptions/s1/resourceGroups/x") {
		t.Fatal("assignment lost on reopen")
	}
	if n := len(a2.List("/subscriptions/s1", Filter{})); n != 2 {
		t.Fatalf("list after reopen: %d", n)
	}
	if _, found, err := a2.Unassign(strings.ToUpper(got.ID)); err != nil || !found {
		t.Fatalf("unassign: %v %v", found, err)
	}
	if _, found, _ := a2.Unassign(got.ID); found {
		t.Fatal("unassign twice found it")
	}
	if a2.Allowed(&auth.Principal{ObjectID: guidOf("alice")}, "Microsoft.OperationalInsights/workspaces/read", "/subscriptions/s1") {
		t.Fatal("still allowed after unassign")
	}
}

func TestListFilters(t *testing.T) {
	a, db, _ := openTest(t)
	defer db.Close()
	reader := RoleDefinitionPrefix + "acdd72a7-3385-48ef-bd42-f606fba81ae7"
	scopes := map[string]string{
		"root": "/",
		"sub":  "/subscriptions/s1",
		"rg":   "/subscriptions/s1/resourceGroups/rg1",
		"ws":   "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.OperationalInsights/workspaces/ws1",
		"tbl":  "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.OperationalInsights/workspaces/ws1/tables/T",
		"rg2":  "/subscriptions/s1/resourceGroups/rg2",
		"sub2": "/subscriptions/s2",
	}
	for n, s := range scopes {
		who := "alice"
		if n == "rg2" {
			who = "bob"
		}
		if _, _, err := a.Assign(Assignment{Name: guidOf(n), Scope: s, PrincipalID: guidOf(who), RoleDefinitionID: reader}); err != nil {
			t.Fatal(err)
		}
	}
	names := func(list []Assignment) string {
		var out []string
		for n, s := range scopes {
			for _, as := range list {
				if as.Scope == s {
					out = append(out, n)
				}
			}
		}
		slices.Sort(out)
		return fmt.Sprint(len(out), " ", out)
	}
	cases := []struct {
		scope string
		f     Filter
		want  string
	}{
		{scopes["rg"], Filter{}, "5 [rg root sub tbl ws]"},
		{scopes["rg"], Filter{AtScope: true}, "3 [rg root sub]"},
		{scopes["sub"], Filter{PrincipalID: guidOf("bob")}, "1 [rg2]"},
		{scopes["tbl"], Filter{AtScope: true}, "5 [rg root sub tbl ws]"},
		{"/", Filter{AtScope: true}, "1 [root]"},
	}
	for _, c := range cases {
		if got := names(a.List(c.scope, c.f)); got != c.want {
			t.Errorf("List(%s, %+v) = %s, want %s", c.scope, c.f, got, c.want)
		}
	}
}

func TestCustomRoleGrantsOneTable(t *testing.T) {
	a, db, _ := openTest(t)
	defer db.Close()
	ws := "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.OperationalInsights/workspaces/ws1"
	role := RoleDefinition{Name: guidOf("signin-reader"), RoleName: "Sign-in log reader", Scope: "/subscriptions/s1",
		AssignableScopes: []string{"/subscriptions/s1"},
		Permissions: []Permission{{Actions: []string{
			"Microsoft.OperationalInsights/workspaces/read",
			"Microsoft.OperationalInsights/workspaces/query/read",
			"Microsoft.OperationalInsights/workspaces/query/SigninLogs/read",
		}}}}
	d, created, err := a.PutRoleDefinition(role)
	if err != nil || !created || d.RoleType != CustomRole || d.Permissions[0].NotActions == nil {
		t.Fatalf("put role: %+v %v %v", d, created, err)
	}
	if got := d.IDAt("/subscriptions/s1/resourceGroups/rg1"); got != "/subscriptions/s1"+RoleDefinitionPrefix+role.Name {
		t.Errorf("custom IDAt = %s", got)
	}
	if _, _, err := a.Assign(Assignment{Name: guidOf("ra"), Scope: ws, PrincipalID: guidOf("carol"), RoleDefinitionID: d.IDAt(ws)}); err != nil {
		t.Fatal(err)
	}
	p := &auth.Principal{ObjectID: guidOf("carol")}
	if !a.Allowed(p, "Microsoft.OperationalInsights/workspaces/query/SigninLogs/read", ws+"/tables/SigninLogs") {
		t.Error("custom role does not grant its table")
	}
	if a.Allowed(p, "Microsoft.OperationalInsights/workspaces/query/AuditLogs/read", ws+"/tables/AuditLogs") {
		t.Error("custom role grants another table")
	}
	if _, _, err := a.Assign(Assignment{Name: guidOf("ra2"), Scope: "/subscriptions/s2", PrincipalID: guidOf("carol"), RoleDefinitionID: d.IDAt(ws)}); err == nil || err.(*Error).Code != CodeInvalidRoleAssignmentScope {
		t.Errorf("assign outside assignable scopes: %v", err)
	}
	dup := role
	dup.Name = guidOf("other")
	if _, _, err := a.PutRoleDefinition(dup); err == nil || err.(*Error).Code != CodeRoleDefinitionWithSameNameExists {
		t.Errorf("same role name: %v", err)
	}
	builtin := role
	builtin.Name = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
	if _, _, err := a.PutRoleDefinition(builtin); err == nil {
		t.Error("a built-in role was overwritten")
	}
	if _, _, err := a.DeleteRoleDefinition(role.Name); err == nil || err.(*Error).Code != CodeRoleDefinitionHasAssignments {
		t.Errorf("delete assigned role: %v", err)
	}
	if _, _, err := a.Unassign(AssignmentID(ws, guidOf("ra"))); err != nil {
		t.Fatal(err)
	}
	if _, found, err := a.DeleteRoleDefinition(d.IDAt("/")); err != nil || !found {
		t.Fatalf("delete role: %v %v", found, err)
	}
}

func TestWithin(t *testing.T) {
	cases := []struct {
		scope, parent string
		want          bool
	}{
		{"/subscriptions/a", "/", true},
		{"/providers/Microsoft.aadiam", "/", true},
		{"/providers/Microsoft.aadiam/diagnosticSettings/x", "/providers/microsoft.aadiam", true},
		{"/providers/Microsoft.aadiam", "/subscriptions/a", false},
		{"/subscriptions/ab", "/subscriptions/a", false},
		{"/subscriptions/A/resourceGroups/R", "/subscriptions/a/", true},
		{"/subscriptions/a", "/subscriptions/a/resourceGroups/r", false},
	}
	for _, c := range cases {
		if got := Within(c.scope, c.parent); got != c.want {
			t.Errorf("Within(%q, %q) = %v", c.scope, c.parent, got)
		}
	}
}

// BenchmarkAllowed measures one decision among 10,000 assignments of 1,000
// principals, 10 each.
func BenchmarkAllowed(b *testing.B) {
	db, err := state.Open(filepath.Join(b.TempDir(), "state.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	a, err := Open(db)
	if err != nil {
		b.Fatal(err)
	}
	reader := RoleDefinitionPrefix + "73c42c96-874c-492b-b04d-ab87d138a893"
	err = db.Update(func(tx *state.Tx) error {
		for i := 0; i < 10000; i++ {
			as := &Assignment{Name: fmt.Sprintf("%08x-0000-4000-8000-000000000000", i), PrincipalID: fmt.Sprintf("%08x-1111-4000-8000-000000000000", i/10),
				Scope: fmt.Sprintf("/subscriptions/s1/resourceGroups/rg%d/providers/Microsoft.OperationalInsights/workspaces/ws%d", i%10, i), RoleDefinitionID: reader}
			as.ID = AssignmentID(as.Scope, as.Name)
			if err := tx.Put(assignmentKind, strings.ToLower(as.ID), as); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if a, err = Open(db); err != nil {
		b.Fatal(err)
	}
	p := &auth.Principal{ObjectID: fmt.Sprintf("%08x-1111-4000-8000-000000000000", 500)}
	scope := "/subscriptions/s1/resourceGroups/rg9/providers/Microsoft.OperationalInsights/workspaces/ws5009/tables/SigninLogs"
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !a.Allowed(p, "Microsoft.OperationalInsights/workspaces/query/SigninLogs/read", scope) {
			b.Fatal("denied")
		}
	}
}

func TestQueryTableAction(t *testing.T) {
	a, db, _ := openTest(t)
	defer db.Close()
	ws := "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.OperationalInsights/workspaces/ws1"
	if _, _, err := a.Assign(Assignment{Name: guidOf("t"), Scope: TableScope(ws, "AuditLogs"), PrincipalID: guidOf("dan"),
		RoleDefinitionID: RoleDefinitionPrefix + "acdd72a7-3385-48ef-bd42-f606fba81ae7"}); err != nil {
		t.Fatal(err)
	}
	p := &auth.Principal{ObjectID: guidOf("dan")}
	if !a.Allowed(p, QueryTableAction("AuditLogs"), TableScope(ws, "AuditLogs")) || a.Allowed(p, QueryTableAction("SigninLogs"), TableScope(ws, "SigninLogs")) {
		t.Error("Reader at one table grants another or not its own")
	}
	if a.Allowed(p, ActionQueryRead, ws) || a.Allowed(p, ActionTelemetryWrite, TableScope(ws, "AuditLogs")) {
		t.Error("Reader at a table grants the workspace query or ingestion")
	}
}
