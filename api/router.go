package api

import (
	"net/http"
	"strings"

	"github.com/idlogs/idlogs/api/apierror"
)

// Router dispatches requests by method and path pattern. Patterns are
// slash-separated segments: a literal segment matches case-insensitively
// (ARM treats paths that way: clients send "resourcegroups" and
// "resourceGroups" alike), "{name}" matches one segment and "{name...}" the
// rest of the path. Captured values are set on the request, so handlers read
// them with r.PathValue. The first matching route wins.
type Router struct {
	routes []route
	// NotFound answers paths no route matches; nil gives the query API's
	// PathNotFoundError.
	NotFound http.Handler
}

type route struct {
	method string
	segs   []string
	h      http.Handler
}

// Handle adds a route. An empty method matches any method.
func (rt *Router) Handle(method, pattern string, h http.Handler) {
	rt.routes = append(rt.routes, route{method: method, segs: split(pattern), h: h})
}

// HandleFunc adds a route served by f.
func (rt *Router) HandleFunc(method, pattern string, f http.HandlerFunc) {
	rt.Handle(method, pattern, f)
}

func split(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// ServeHTTP dispatches r; a path that matches with another method gets 405.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	segs := split(r.URL.Path)
	pathMatched := false
	for _, rte := range rt.routes {
		vals, ok := match(rte.segs, segs)
		if !ok {
			continue
		}
		if rte.method != "" && rte.method != r.Method {
			pathMatched = true
			continue
		}
		for k, v := range vals {
			r.SetPathValue(k, v)
		}
		rte.h.ServeHTTP(w, r)
		return
	}
	if pathMatched {
		apierror.Write(w, apierror.New(http.StatusMethodNotAllowed, "MethodNotAllowed", "The requested method %s is not allowed on this path.", r.Method))
		return
	}
	if rt.NotFound != nil {
		rt.NotFound.ServeHTTP(w, r)
		return
	}
	apierror.Write(w, apierror.New(http.StatusNotFound, "PathNotFoundError", "The requested path does not exist"))
}

func match(pattern, segs []string) (map[string]string, bool) {
	var vals map[string]string
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "...}") {
			if vals == nil {
				vals = map[string]string{}
			}
			vals[p[1:len(p)-4]] = strings.Join(segs[i:], "/")
			return vals, true
		}
		if i >= len(segs) {
			return nil, false
		}
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if vals == nil {
				vals = map[string]string{}
			}
			vals[p[1:len(p)-1]] = segs[i]
			continue
		}
		if !strings.EqualFold(p, segs[i]) {
			return nil, false
		}
	}
	return vals, len(pattern) == len(segs)
}
