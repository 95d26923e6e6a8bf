package armapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace"
)

// RBAC actions of the table routes.
const (
	actionTableRead   = "Microsoft.OperationalInsights/workspaces/tables/read"
	actionTableWrite  = "Microsoft.OperationalInsights/workspaces/tables/write"
	actionTableDelete = "Microsoft.OperationalInsights/workspaces/tables/delete"
)

const tableType = "Microsoft.OperationalInsights/workspaces/tables"

// Table retention limits of the Analytics plan, in days.
const (
	minTableRetentionDays = 4
	maxTableRetentionDays = 730
)

// Column name limits of custom tables (shared/spec/ingestion-apis.md (a)).
const maxColumnName = 45

// reservedColumns may not be declared in a custom table.
var reservedColumns = []string{"_ResourceId", "id", "_SubscriptionId", "TenantId", "Type", "UniqueId", "Title"}

// columnTypes maps the Tables API's column types to KQL types.
var columnTypes = map[string]types.Type{
	"string": types.String, "int": types.Int, "long": types.Long, "real": types.Real,
	"boolean": types.Bool, "datetime": types.Datetime, "guid": types.Guid, "dynamic": types.Dynamic,
}

// apiColumnType returns the Tables API name of a KQL type; timespan and
// decimal, which the API's enumeration lacks, keep their KQL names.
func apiColumnType(t types.Type) string {
	switch t {
	case types.Bool:
		return "boolean"
	case types.Datetime:
		return "dateTime"
	}
	return t.String()
}

// tableJSON is a table as the Tables API sends it (api-version 2022-10-01).
type tableJSON struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Type       string         `json:"type"`
	Properties tablePropsJSON `json:"properties"`
}

type tablePropsJSON struct {
	RetentionInDays               int             `json:"retentionInDays"`
	TotalRetentionInDays          int             `json:"totalRetentionInDays"`
	ArchiveRetentionInDays        int             `json:"archiveRetentionInDays"`
	RetentionInDaysAsDefault      bool            `json:"retentionInDaysAsDefault"`
	TotalRetentionInDaysAsDefault bool            `json:"totalRetentionInDaysAsDefault"`
	Plan                          string          `json:"plan"`
	ProvisioningState             string          `json:"provisioningState"`
	Schema                        tableSchemaJSON `json:"schema"`
}

type tableSchemaJSON struct {
	Name            string       `json:"name"`
	TableType       string       `json:"tableType"`
	TableSubType    string       `json:"tableSubType"`
	Columns         []columnJSON `json:"columns"`
	StandardColumns []columnJSON `json:"standardColumns"`
	Solutions       []string     `json:"solutions"`
	Source          string       `json:"source"`
}

type columnJSON struct {
	Name             string `json:"name"`
	Type             string `json:"type"`
	IsDefaultDisplay bool   `json:"isDefaultDisplay"`
	IsHidden         bool   `json:"isHidden"`
}

// isCustomTable reports whether name is a custom log table.
func isCustomTable(name string) bool {
	return len(name) > 3 && strings.EqualFold(name[len(name)-3:], "_CL")
}

func toTableJSON(ws *workspace.Workspace, t *store.Table) tableJSON {
	ret := int(t.Options().Retention.Hours() / 24)
	if ret == 0 {
		ret = ws.RetentionInDays
	}
	custom := isCustomTable(t.Name())
	sch := tableSchemaJSON{Name: t.Name(), Columns: []columnJSON{}, StandardColumns: []columnJSON{}, Solutions: []string{"LogManagement"}}
	for _, f := range t.Schema() {
		c := columnJSON{Name: f.Name, Type: apiColumnType(f.Type), IsHidden: f.Name == "TenantId"}
		// A Microsoft table lists its own columns as standard columns and
		// only the customer's "_CF" columns as columns.
		if !custom && !strings.HasSuffix(f.Name, "_CF") {
			sch.StandardColumns = append(sch.StandardColumns, c)
		} else {
			sch.Columns = append(sch.Columns, c)
		}
	}
	if custom {
		sch.TableType, sch.TableSubType, sch.Source = "CustomLog", "DataCollectionRuleBased", "customer"
	} else {
		sch.TableType, sch.TableSubType, sch.Source = "Microsoft", "Any", "microsoft"
	}
	return tableJSON{
		ID: ws.ResourceID() + "/tables/" + t.Name(), Name: t.Name(), Type: tableType,
		Properties: tablePropsJSON{
			RetentionInDays: ret, TotalRetentionInDays: ret,
			RetentionInDaysAsDefault: ret == ws.RetentionInDays, TotalRetentionInDaysAsDefault: ret == ws.RetentionInDays,
			Plan: "Analytics", ProvisioningState: "Succeeded", Schema: sch,
		},
	}
}

// tableBody is the PUT and PATCH body.
type tableBody struct {
	Properties *tableProps `json:"properties"`
}

func (h *Handlers) registerTables(rt *api.Router) {
	h.handle(rt, http.MethodGet, workspacePattern+"/tables", h.listTables)
	h.handle(rt, http.MethodGet, tablePattern, h.getTable)
	h.handle(rt, http.MethodPut, tablePattern, func(w http.ResponseWriter, r *http.Request) { h.putTable(w, r, false) })
	h.handle(rt, http.MethodPatch, tablePattern, func(w http.ResponseWriter, r *http.Request) { h.putTable(w, r, true) })
	h.handle(rt, http.MethodDelete, tablePattern, h.deleteTable)
}

// findTable looks a table up without regard to case, as ARM names are.
func findTable(s *store.Store, name string) (*store.Table, bool) {
	if t, ok := s.Lookup(name); ok {
		return t, true
	}
	for _, n := range s.Tables() {
		if strings.EqualFold(n, name) {
			return s.Lookup(n)
		}
	}
	return nil, false
}

func writeTableNotFound(w http.ResponseWriter, r *http.Request) {
	apierror.Write(w, apierror.New(http.StatusNotFound, "ResourceNotFound",
		"The Resource 'Microsoft.OperationalInsights/workspaces/%s/tables/%s' under resource group '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
		r.PathValue("ws"), r.PathValue("table"), r.PathValue("rg")))
}

func (h *Handlers) listTables(w http.ResponseWriter, r *http.Request) {
	if !h.Server.Allowed(w, r, actionTableRead, expand(workspacePattern, r)) {
		return
	}
	ws, ok := h.lookupWorkspace(w, r)
	if !ok {
		return
	}
	s := ws.Store()
	out := list[tableJSON]{Value: []tableJSON{}}
	for _, name := range s.Tables() {
		if t, ok := s.Lookup(name); ok {
			out.Value = append(out.Value, toTableJSON(ws, t))
		}
	}
	api.WriteJSON(w, http.StatusOK, out)
}

func (h *Handlers) getTable(w http.ResponseWriter, r *http.Request) {
	if !h.Server.Allowed(w, r, actionTableRead, expand(tablePattern, r)) {
		return
	}
	ws, ok := h.lookupWorkspace(w, r)
	if !ok {
		return
	}
	t, ok := findTable(ws.Store(), r.PathValue("table"))
	if !ok {
		writeTableNotFound(w, r)
		return
	}
	api.WriteJSON(w, http.StatusOK, toTableJSON(ws, t))
}

func (h *Handlers) deleteTable(w http.ResponseWriter, r *http.Request) {
	if !h.Server.Allowed(w, r, actionTableDelete, expand(tablePattern, r)) {
		return
	}
	ws, ok := h.lookupWorkspace(w, r)
	if !ok {
		return
	}
	t, ok := findTable(ws.Store(), r.PathValue("table"))
	if !ok {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if !isCustomTable(t.Name()) {
		badRequest(w, "InvalidParameter", "The table '%s' is a Microsoft table and cannot be deleted; only custom (_CL) tables can be.", t.Name())
		return
	}
	if err := ws.Store().DropTable(t.Name()); err != nil {
		h.writeErr(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// putTable creates or changes a table (PUT) or changes an existing one
// (PATCH). A custom table is created with the declared columns; a PUT
// that adds columns alters it. Microsoft tables take only retention
// changes and added columns whose names end in "_CF".
func (h *Handlers) putTable(w http.ResponseWriter, r *http.Request, patch bool) {
	if !h.Server.Allowed(w, r, actionTableWrite, expand(tablePattern, r)) {
		return
	}
	ws, ok := h.lookupWorkspace(w, r)
	if !ok {
		return
	}
	var body tableBody
	if !api.ReadJSON(w, r, &body) {
		return
	}
	if body.Properties == nil {
		badRequest(w, "InvalidRequestContent", "The request content was invalid: the 'properties' object is required.")
		return
	}
	p := body.Properties
	name := r.PathValue("table")
	existing, exists := findTable(ws.Store(), name)
	if exists {
		name = existing.Name()
	} else if patch {
		writeTableNotFound(w, r)
		return
	}
	if msg := checkTableProps(name, p); msg != "" {
		badRequest(w, "InvalidParameter", "%s", msg)
		return
	}
	retDays, ok := tableRetention(w, ws, existing, p.RetentionInDays, p.TotalRetentionInDays, patch)
	if !ok {
		return
	}
	decl, msg := declaredColumns(p.Schema)
	if msg == "" {
		decl, msg = nextSchema(name, existing, decl)
	}
	if msg != "" {
		badRequest(w, "InvalidParameter", "%s", msg)
		return
	}
	var t *store.Table
	var err error
	if exists {
		t, err = ws.Store().AlterTable(name, decl, days(retDays))
	} else {
		t, err = ws.Store().CreateTable(name, decl, store.TableOptions{TimeColumn: "TimeGenerated", Retention: days(retDays)})
	}
	if err != nil {
		badRequest(w, "InvalidParameter", "%v", err)
		return
	}
	api.WriteJSON(w, http.StatusOK, toTableJSON(ws, t))
}

// tableProps is the properties object of a table PUT or PATCH.
type tableProps struct {
	RetentionInDays      *int        `json:"retentionInDays"`
	TotalRetentionInDays *int        `json:"totalRetentionInDays"`
	Plan                 string      `json:"plan"`
	Schema               *schemaBody `json:"schema"`
	RestoredLogs         any         `json:"restoredLogs"`
	SearchResults        any         `json:"searchResults"`
}

// schemaBody is the schema object of a table PUT or PATCH.
type schemaBody struct {
	Name    string `json:"name"`
	Columns []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"columns"`
}

// checkTableProps returns what is wrong with the plan, job and schema name
// of a PUT or PATCH of table name, or "".
func checkTableProps(name string, p *tableProps) string {
	switch {
	case p.RestoredLogs != nil || p.SearchResults != nil:
		return "Restore and search job tables are not supported."
	case p.Plan != "" && !strings.EqualFold(p.Plan, "Analytics"):
		return "The table plan '" + p.Plan + "' is not supported; only 'Analytics' tables are."
	case p.Schema != nil && p.Schema.Name != "" && !strings.EqualFold(p.Schema.Name, name):
		return "The schema name '" + p.Schema.Name + "' does not match the table name '" + name + "'."
	}
	return ""
}

// declaredColumns converts a request's columns to KQL fields; nil when
// the request has no schema.
func declaredColumns(sch *schemaBody) (vec.Schema, string) {
	if sch == nil {
		return nil, ""
	}
	decl := vec.Schema{}
	for _, c := range sch.Columns {
		typ, ok := columnTypes[strings.ToLower(c.Type)]
		if !ok {
			return nil, "The column '" + c.Name + "' has the type '" + c.Type + "'; the types are string, int, long, real, boolean, dateTime, guid and dynamic."
		}
		decl = append(decl, vec.Field{Name: c.Name, Type: typ})
	}
	return decl, ""
}

// nextSchema returns the schema table name takes when a request declares
// decl (nil: no schema given), or what is wrong. A new table must be a
// custom table; a custom table's declaration replaces its schema, which
// may only grow; a Microsoft table's declaration lists the "_CF" columns
// to add.
func nextSchema(name string, existing *store.Table, decl vec.Schema) (vec.Schema, string) {
	switch {
	case existing == nil:
		return decl, checkNewCustomTable(name, decl)
	case isCustomTable(name):
		if decl == nil {
			return existing.Schema(), ""
		}
		if msg := checkColumns(decl); msg != "" {
			return nil, msg
		}
		return decl, keepsColumns(existing.Schema(), decl)
	}
	full := existing.Schema()
	for _, f := range decl {
		if i := full.Index(f.Name); i >= 0 {
			if full[i].Type != f.Type {
				return nil, "The column '" + f.Name + "' of table '" + name + "' is " + apiColumnType(full[i].Type) + " and cannot change its type."
			}
			continue
		}
		if !strings.HasSuffix(f.Name, "_CF") || !validColumnName(f.Name) {
			return nil, "The column '" + f.Name + "' cannot be added to the Microsoft table '" + name + "': custom columns of Azure tables must be valid column names ending in '_CF'."
		}
		full = append(full, f)
	}
	return full, ""
}

// tableRetention works out the retention a PUT or PATCH sets: the value
// given; -1 or none means the workspace's retention, except that a PATCH
// without one keeps the table's. Archive (a total retention beyond the
// interactive one) is not supported.
func tableRetention(w http.ResponseWriter, ws *workspace.Workspace, existing *store.Table, ret, total *int, keep bool) (int, bool) {
	d := ws.RetentionInDays
	switch {
	case ret != nil && *ret != -1:
		d = *ret
		if d < minTableRetentionDays || d > maxTableRetentionDays {
			badRequest(w, "InvalidParameter", "The retention of %d days is not valid: it must be between %d and %d days, or -1 for the workspace's retention.",
				d, minTableRetentionDays, maxTableRetentionDays)
			return 0, false
		}
	case ret == nil && keep && existing != nil:
		if r := int(existing.Options().Retention.Hours() / 24); r > 0 {
			d = r
		}
	}
	if total != nil && *total != -1 && *total != d {
		badRequest(w, "InvalidParameter", "A total retention of %d days beyond the interactive retention of %d days (archive) is not supported.", *total, d)
		return 0, false
	}
	return d, true
}

// checkNewCustomTable returns what is wrong with creating table name with
// columns cols, or "".
func checkNewCustomTable(name string, cols vec.Schema) string {
	if !isCustomTable(name) {
		return "The table '" + name + "' does not exist. New tables are custom tables, whose names end in '_CL'."
	}
	base := name[:len(name)-3]
	if base == "" || !validColumnName(base) {
		return "The table name '" + name + "' is invalid: it must start with a letter and contain only letters, digits and '_'."
	}
	return checkColumns(cols)
}

// checkColumns returns what is wrong with a custom table's columns, or "".
func checkColumns(cols vec.Schema) string {
	if len(cols) == 0 {
		return "A custom table needs columns (properties.schema.columns)."
	}
	i := cols.Index("TimeGenerated")
	if i < 0 || cols[i].Type != types.Datetime {
		return "A custom table needs a column 'TimeGenerated' of type dateTime."
	}
	seen := map[string]bool{}
	for _, c := range cols {
		if !validColumnName(c.Name) {
			return "The column name '" + c.Name + "' is invalid: it must start with a letter, have at most 45 characters, and contain only letters, digits and '_'."
		}
		if slices.ContainsFunc(reservedColumns, func(r string) bool { return strings.EqualFold(r, c.Name) }) {
			return "The column name '" + c.Name + "' is reserved."
		}
		if seen[strings.ToLower(c.Name)] {
			return "The column '" + c.Name + "' appears twice."
		}
		seen[strings.ToLower(c.Name)] = true
	}
	return ""
}

// keepsColumns returns what is wrong when next drops or retypes a column
// of cur, or "".
func keepsColumns(cur, next vec.Schema) string {
	for _, f := range cur {
		i := next.Index(f.Name)
		if i < 0 {
			return "The column '" + f.Name + "' cannot be removed from the table."
		}
		if next[i].Type != f.Type {
			return "The column '" + f.Name + "' is " + apiColumnType(f.Type) + " and cannot change its type."
		}
	}
	return ""
}

// validColumnName reports whether name starts with a letter, has at most
// 45 characters and contains only letters, digits and '_'.
func validColumnName(name string) bool {
	if name == "" || len(name) > maxColumnName {
		return false
	}
	for i, r := range name {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if i == 0 && !letter {
			return false
		}
		if !letter && !(r >= '0' && r <= '9') && r != '_' {
			return false
		}
	}
	return true
}
