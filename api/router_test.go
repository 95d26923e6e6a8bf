package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRouterMatchesCaseInsensitivelyAndCaptures(t *testing.T) {
	var rt Router
	rt.HandleFunc("GET", "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.PathValue("sub")+"|"+r.PathValue("rg")+"|"+r.PathValue("name"))
	})
	rt.HandleFunc("", "/v1/{rest...}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "rest="+r.PathValue("rest"))
	})
	cases := []struct {
		method, path, want string
		status             int
	}{
		{"GET", "/subscriptions/S1/resourcegroups/Rg/providers/microsoft.operationalinsights/workspaces/WS", "S1|Rg|WS", 200},
		{"PUT", "/subscriptions/S1/resourceGroups/Rg/providers/Microsoft.OperationalInsights/workspaces/WS", "", 405},
		{"POST", "/v1/workspaces/x/query", "rest=workspaces/x/query", 200},
		{"GET", "/nothing", "", 404},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		rt.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
		if rec.Code != c.status || (c.want != "" && rec.Body.String() != c.want) {
			t.Errorf("%s %s = %d %q, want %d %q", c.method, c.path, rec.Code, rec.Body.String(), c.status, c.want)
		}
	}
}
