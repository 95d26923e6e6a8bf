package armapi

import (
	"strings"
	"testing"

	"github.com/idlogs/idlogs/authz"
)

func TestSavedSearches(t *testing.T) {
	e := newEnv(t)
	e.expect(201, "owner", "PUT", wsPath+v, `{"location":"westeurope"}`)
	const ss = "?api-version=2020-08-01"
	one := wsPath + "/savedSearches/Failed-Signins"
	created := e.expect(200, "contributor", "PUT", one+ss, `{"etag":"*","properties":{"category":"Security","displayName":"Failed sign-ins",
		"query":"SigninLogs | where ResultType != '0' and DurationMs >= minMs","functionAlias":"FailedSignins","functionParameters":"minMs:long = 0",
		"version":2,"tags":[{"name":"Group","value":"Identity"}]}}`)
	if get(created, "id") != one || get(created, "name") != "Failed-Signins" || get(created, "type") != "Microsoft.OperationalInsights/savedSearches" ||
		get(created, "properties.functionAlias") != "FailedSignins" || get(created, "properties.version") != 2.0 {
		t.Errorf("created: %v", created)
	}
	etag, _ := get(created, "etag").(string)
	if !strings.HasPrefix(etag, `W/"datetime'`) {
		t.Errorf("etag %q", etag)
	}
	got := e.expect(200, "reader", "GET", strings.ToLower(one)+"?api-version=2025-02-01", "")
	if get(got, "name") != "Failed-Signins" || get(got, "etag") != etag || get(got, "properties.functionParameters") != "minMs:long = 0" {
		t.Errorf("get: %v", got)
	}
	if tags, _ := get(got, "properties.tags").([]any); len(tags) != 1 || get(tags[0], "value") != "Identity" {
		t.Errorf("tags: %v", get(got, "properties.tags"))
	}
	// A replace keeps the name's first spelling and changes the etag.
	replaced := e.expect(200, "owner", "PUT", strings.ToUpper(one[:0])+wsPath+"/savedSearches/failed-signins"+ss,
		`{"properties":{"category":"Security","displayName":"Failed sign-ins","query":"SigninLogs | where ResultType != '0'","functionAlias":"FailedSignins"}}`)
	if get(replaced, "name") != "Failed-Signins" || get(replaced, "etag") == etag || get(replaced, "properties.functionParameters") != nil {
		t.Errorf("replaced: %v", replaced)
	}
	e.expect(200, "owner", "PUT", wsPath+"/savedSearches/plain"+ss, `{"properties":{"category":"c","displayName":"Plain","query":"SigninLogs\n| take 10"}}`)
	listed := e.expect(200, "reader", "GET", wsPath+"/savedSearches"+ss, "")
	if vals, _ := listed["value"].([]any); len(vals) != 2 || get(vals[0], "name") != "Failed-Signins" || get(vals[1], "name") != "plain" {
		t.Errorf("list: %v", listed)
	}

	// The alias is unique within the workspace.
	dup := e.expect(409, "owner", "PUT", wsPath+"/savedSearches/other"+ss,
		`{"properties":{"category":"c","displayName":"d","query":"print 1","functionAlias":"FailedSignins"}}`)
	if errCode(dup) != "Conflict" || !strings.Contains(get(dup, "error.message").(string), "Failed-Signins") {
		t.Errorf("duplicate alias: %v", dup)
	}

	e.expect(200, "contributor", "DELETE", one+ss, "")
	e.expect(404, "owner", "GET", one+ss, "")
	e.expect(200, "owner", "DELETE", one+ss, "")
	// With the alias free again, another saved search may take it.
	e.expect(200, "owner", "PUT", wsPath+"/savedSearches/other"+ss,
		`{"properties":{"category":"c","displayName":"d","query":"print 1","functionAlias":"FailedSignins"}}`)
	e.expect(404, "owner", "GET", strings.Replace(wsPath, "ws-one", "nope", 1)+"/savedSearches"+ss, "")
}

func TestSavedSearchValidation(t *testing.T) {
	e := newEnv(t)
	e.expect(201, "owner", "PUT", wsPath+v, `{"location":"westeurope"}`)
	path := wsPath + "/savedSearches/s1?api-version=2020-08-01"
	for _, tc := range []struct{ body, want string }{
		{`{}`, "'properties' object is required"},
		{`{"properties":{"displayName":"d","query":"print 1"}}`, "'properties.category' is required"},
		{`{"properties":{"category":"c","query":"print 1"}}`, "'properties.displayName' is required"},
		{`{"properties":{"category":"c","displayName":"d"}}`, "'properties.query' is required"},
		{`{"properties":{"category":"c","displayName":"d","query":"SigninLogs\n| where"}}`, "The query does not parse: 2:8:"},
		{`{"properties":{"category":"c","displayName":"d","query":"T | where x > n","functionAlias":"F","functionParameters":"n:long, m"}}`,
			"The function parameters do not parse: 1:10:"},
		{`{"properties":{"category":"c","displayName":"d","query":"print 1,","functionAlias":"F"}}`, "The query does not parse: 1:9:"},
		{`{"properties":{"category":"c","displayName":"d","query":"print 1","functionAlias":"my-func"}}`, "The function alias 'my-func' is invalid"},
		{`{"properties":{"category":"c","displayName":"d","query":"print 1","functionAlias":"where"}}`, "The function alias 'where' is invalid"},
		{`{"properties":{"category":"c","displayName":"d","query":"print 1","functionAlias":"SigninLogs"}}`, "is the name of a table or built-in function"},
		{`{"properties":{"category":"c","displayName":"d","query":"print 1","functionAlias":"strlen"}}`, "is the name of a table or built-in function"},
		{`{"properties":{"category":"c","displayName":"d","query":"print 1","functionParameters":"a:int"}}`, "needs a 'properties.functionAlias'"},
	} {
		out := e.expect(400, "owner", "PUT", path, tc.body)
		if msg, _ := get(out, "error.message").(string); !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %v, want %q", tc.body, out, tc.want)
		}
	}
	e.expect(404, "owner", "GET", path, "")

	body := `{"properties":{"category":"c","displayName":"d","query":"print 1"}}`
	e.expect(401, "", "PUT", path, body)
	e.expect(401, "", "GET", path, "")
	if out := e.expect(403, "reader", "PUT", path, body); errCode(out) != "AuthorizationFailed" {
		t.Errorf("reader PUT: %v", out)
	}
	e.expect(403, "nobody", "GET", wsPath+"/savedSearches?api-version=2020-08-01", "")
	e.expect(200, "owner", "PUT", path, body)
	e.expect(403, "reader", "DELETE", path, "")
	e.expect(200, "reader", "GET", path, "")

	// Log Analytics Contributor on the workspace may write and delete.
	if _, _, err := e.authz.Assign(authz.Assignment{Name: "dddddddd-0000-4000-8000-00000000000d", Scope: wsPath,
		PrincipalID: aliceID, RoleDefinitionID: authz.RoleDefinitionPrefix + "92aaf0da-9dab-42b6-94a3-d43ce8d16293"}); err != nil {
		t.Fatal(err)
	}
	e.expect(200, "alice", "PUT", path, body)
	e.expect(200, "alice", "DELETE", path, "")
}
