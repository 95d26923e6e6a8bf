package queryapi

import (
	"net/http"

	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/authz"
	"github.com/idlogs/idlogs/workspace"
	"github.com/idlogs/idlogs/workspace/query"
)

// Metadata is the body of /metadata: the workspace and the tables the
// caller may read, in Azure's shape. idlogs has no solutions, saved
// queries, functions or categories to describe, so those lists are empty.
type Metadata struct {
	Categories    []any               `json:"categories"`
	ResourceTypes []any               `json:"resourceTypes"`
	Solutions     []any               `json:"solutions"`
	Tables        []MetadataTable     `json:"tables"`
	Functions     []any               `json:"functions"`
	Queries       []any               `json:"queries"`
	Applications  []any               `json:"applications"`
	Workspaces    []MetadataWorkspace `json:"workspaces"`
	Resources     []any               `json:"resources"`
	Permissions   []any               `json:"permissions"`
}

// MetadataTable is one table: its id ("t/<name>"), name, time column and
// columns.
type MetadataTable struct {
	ID             string         `json:"id"`
	Name           string         `json:"name"`
	TimespanColumn string         `json:"timespanColumn,omitempty"`
	Columns        []query.Column `json:"columns"`
	Related        map[string]any `json:"related"`
}

// MetadataWorkspace is the workspace itself.
type MetadataWorkspace struct {
	ID         string         `json:"id"`
	ResourceID string         `json:"resourceId"`
	Name       string         `json:"name"`
	Region     string         `json:"region"`
	Related    map[string]any `json:"related"`
}

func (h *Handlers) workspaceMetadata(w http.ResponseWriter, r *http.Request) {
	setHeaders(w)
	ws, ok := h.Server.Workspaces.Resolve(r.PathValue("id"))
	if !ok {
		apierror.Write(w, workspaceNotFound(r.PathValue("id")))
		return
	}
	h.serveMetadata(w, r, ws)
}

func (h *Handlers) resourceMetadata(w http.ResponseWriter, r *http.Request) {
	setHeaders(w)
	if ws, ok := h.workspaceFromPath(w, r); ok {
		h.serveMetadata(w, r, ws)
	}
}

func (h *Handlers) serveMetadata(w http.ResponseWriter, r *http.Request, ws *workspace.Workspace) {
	if !h.allowed(w, r, ws) {
		return
	}
	writeResponse(w, r, h.metadata(r, ws))
}

// metadata describes ws's tables that the caller of r may read.
func (h *Handlers) metadata(r *http.Request, ws *workspace.Workspace) *Metadata {
	p, _ := auth.FromContext(r.Context())
	m := &Metadata{Categories: []any{}, ResourceTypes: []any{}, Solutions: []any{}, Tables: []MetadataTable{},
		Functions: []any{}, Queries: []any{}, Applications: []any{}, Resources: []any{}, Permissions: []any{}}
	var ids []string
	for _, name := range ws.Store().Tables() {
		if p == nil || !h.Server.Authz.Allowed(p, authz.QueryTableAction(name), authz.TableScope(ws.ResourceID(), name)) {
			continue
		}
		t, ok := ws.Store().Lookup(name)
		if !ok {
			continue
		}
		mt := MetadataTable{ID: "t/" + name, Name: name, Columns: []query.Column{},
			Related: map[string]any{"workspaces": []string{ws.CustomerID}}}
		for _, f := range t.Schema() {
			mt.Columns = append(mt.Columns, query.Column{Name: f.Name, Type: query.ColumnType(f.Type)})
			if f.Name == "TimeGenerated" {
				mt.TimespanColumn = "TimeGenerated"
			}
		}
		m.Tables = append(m.Tables, mt)
		ids = append(ids, mt.ID)
	}
	if ids == nil {
		ids = []string{}
	}
	m.Workspaces = []MetadataWorkspace{{ID: ws.CustomerID, ResourceID: ws.ResourceID(), Name: ws.Name, Region: ws.Location,
		Related: map[string]any{"tables": ids}}}
	return m
}
