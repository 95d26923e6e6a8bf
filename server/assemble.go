package server

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"strings"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/armapi"
	"github.com/idlogs/idlogs/api/diagapi"
	"github.com/idlogs/idlogs/api/graphapi"
	"github.com/idlogs/idlogs/api/importapi"
	"github.com/idlogs/idlogs/api/ingestapi"
	"github.com/idlogs/idlogs/api/kqlapi"
	"github.com/idlogs/idlogs/api/queryapi"
	"github.com/idlogs/idlogs/api/querypackapi"
	"github.com/idlogs/idlogs/authz"
	"github.com/idlogs/idlogs/diagnostics"
	"github.com/idlogs/idlogs/diagnostics/router"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/tenant"
	"github.com/idlogs/idlogs/tenant/reports"
	"github.com/idlogs/idlogs/tenant/risk"
	"github.com/idlogs/idlogs/tenant/token"
	"github.com/idlogs/idlogs/web"
	"github.com/idlogs/idlogs/workspace"
	"github.com/idlogs/idlogs/workspace/ingest"
	"github.com/idlogs/idlogs/workspace/query"
)

// parts are the services of a server and the handler that serves them.
type parts struct {
	dir     *tenant.Directory
	risk    *risk.Engine
	tokens  *token.Service
	authz   *authz.Authorizer
	query   *query.Service
	ingest  *ingest.Service
	diag    *diagnostics.Registry
	dests   *router.Resources
	router  *router.Router
	reports *reports.Store
	handler http.Handler
}

// assemble builds the services over the state file and workspaces and
// routes every API family on one router.
func (s *Server) assemble() (*parts, error) {
	p := &parts{}
	var err error
	if p.dir, err = tenant.OpenWith(s.db, tenant.Options{Activity: s.activity(), Now: s.cfg.Now, Logf: s.cfg.Logf}); err != nil {
		return nil, err
	}
	if p.risk, err = risk.Open(s.db, risk.Options{AnonymousIPs: s.cfg.AnonymousIPs}); err != nil {
		return nil, err
	}
	if p.tokens, err = token.New(p.dir, s.db, token.Options{Now: s.cfg.Now, Logf: s.cfg.Logf, Trusted: s.cfg.Trusted, Activity: s.activity(), Risk: p.risk}); err != nil {
		return nil, err
	}
	if p.authz, err = authz.Open(s.db); err != nil {
		return nil, err
	}
	p.query = query.New(query.Options{Now: s.cfg.Now, Logf: s.cfg.Logf, Limits: s.cfg.QueryLimits})
	if p.ingest, err = ingest.Open(s.db, s.Workspaces, s.cfg.Now); err != nil {
		return nil, err
	}
	p.dests = router.NewResources(s.db, filepath.Join(s.cfg.DataDir, "storage"), s.Workspaces)
	p.diag, err = diagnostics.Open(s.db, diagnostics.Options{
		TenantID: p.dir.TenantID(),
		Activity: s.activity(),
		Now:      s.cfg.Now,
		Exists:   p.dests.Exists,
		Licence:  func() string { return string(p.dir.License()) },
		Position: s.actLog.Last,
	})
	if err != nil {
		return nil, err
	}
	// The tenant's own reports (Graph's /auditLogs) follow the activity
	// log whatever the diagnostic settings say, as Entra keeps them.
	if p.reports, err = reports.Open(filepath.Join(s.cfg.DataDir, "reports"), s.db, reports.Options{
		TenantID: p.dir.TenantID(), Store: store.Options{NoSync: s.cfg.Store.NoSync, CacheBytes: 64 << 20}, Logf: s.cfg.Logf, Now: s.cfg.Now,
	}); err != nil {
		return nil, err
	}
	p.router = router.New(holdLog{s.actLog, p.reports.Position}, settingsSource{p.diag, p.diag.Subscribe()}, s.db,
		&router.Destinations{Resources: p.dests, Workspaces: s.Workspaces, Table: tablemap.Table, Rows: tablemap.Build, NoSync: s.cfg.Store.NoSync, Logf: s.cfg.Logf},
		router.Options{Logf: s.cfg.Logf, Now: s.cfg.Now, StartOf: p.diag.StartOf, BatchSize: 5000})
	srv := &api.Server{Tokens: p.tokens, Authz: p.authz, Workspaces: s.Workspaces, Logf: s.cfg.Logf}
	rt := &api.Router{}
	p.tokens.Register(rt, s.requestBase)
	// External tenants' settings (their callers') and the Event Hubs
	// sources' status.
	diagHandlers := &diagapi.Handlers{Server: srv, Settings: p.diag, Tenants: s.mirrorSettings}
	rt.Handle(http.MethodGet, SourcesRoute, srv.ARM(sourcesHandler(srv, s.EventHubStatus)))
	rt.Handle(http.MethodGet, GraphSourcesRoute, srv.ARM(sourcesHandler(srv, s.GraphStatus)))
	(&queryapi.Handlers{Server: srv, Service: p.query}).Register(rt)
	(&ingestapi.Handlers{Server: srv, Ingest: p.ingest, BaseURL: func() string { return s.baseURL }, Now: s.cfg.Now}).Register(rt)
	diagHandlers.Register(rt)
	(&graphapi.Handlers{Server: srv, Dir: p.dir, Risk: p.risk, Activity: s.activity(), Now: s.cfg.Now,
		Reports: p.reports, BaseURL: s.requestBase}).Register(rt)
	(&router.Handlers{Server: srv, Resources: p.dests, Router: p.router, DirectoryReader: diagapi.DirectoryMayRead}).Register(rt)
	(&armapi.Handlers{Server: srv, Authz: p.authz, Now: s.cfg.Now}).Register(rt)
	(&importapi.Handlers{Server: srv, Activity: s.activity(), DB: s.db, TenantID: p.dir.TenantID, Now: s.cfg.Now}).Register(rt)
	(&querypackapi.Handlers{Server: srv, Place: s.queryPackPlace}).Register(rt)
	(&kqlapi.Handlers{Server: srv}).Register(rt)
	// The web UI last: its / and /ui/ routes serve only what no API route
	// matched.
	web.Register(rt, s.webConfig)
	p.handler = rt
	return p, nil
}

// webConfig is what the web UI's page reads before sign-in.
func (s *Server) webConfig() web.Config {
	b := s.boot
	return web.Config{
		TenantID: b.TenantID, ClientID: b.WebClientID, SubscriptionID: b.SubscriptionID, ResourceGroup: b.ResourceGroup,
		WorkspaceID: b.Workspace.ID, WorkspaceResourceID: b.Workspace.ResourceID,
	}
}

func (p *parts) tenantID() string { return p.dir.TenantID() }

// queryPackPlace puts the built-in query pack beside the default
// workspace.
func (s *Server) queryPackPlace() querypackapi.Place {
	p := querypackapi.Place{SubscriptionID: s.boot.SubscriptionID, ResourceGroup: s.boot.ResourceGroup}
	if w, ok := s.Workspaces.Get(workspace.ResourceID(s.boot.SubscriptionID, s.boot.ResourceGroup, DefaultWorkspace)); ok {
		p.Location, p.Created = w.Location, w.Created
	}
	return p
}

// createApp registers an application and returns its client id, its
// service principal's object id and a new secret.
func (p *parts) createApp(name string) (clientID, objectID, secret string, err error) {
	app, secret, err := p.dir.CreateApplication(name)
	if err != nil {
		return "", "", "", err
	}
	return app.AppID, app.ObjectID, secret, nil
}

// objectID returns the service principal object id of application
// clientID.
func (p *parts) objectID(clientID string) (string, bool) {
	app, ok := p.dir.Application(clientID)
	if !ok {
		return "", false
	}
	return app.ObjectID, true
}

// ensureDirectoryRole gives principal objectID the directory role with
// template id role unless it holds it already.
func (p *parts) ensureDirectoryRole(objectID, role string) error {
	roles, err := p.dir.RolesOf(objectID)
	if err != nil {
		return err
	}
	if slices.Contains(roles, role) {
		return nil
	}
	_, _, err = p.dir.AssignRole(context.Background(), tenant.Initiator{}, objectID, role)
	if errors.Is(err, tenant.ErrExists) {
		return nil
	}
	return err
}

// ensureRole gives principal objectID, of principalType ("User" or
// "ServicePrincipal", as Azure's assignments name it), the role with GUID
// role at scope unless it holds it there already.
func (p *parts) ensureRole(objectID, principalType, role, scope string) error {
	for _, a := range p.authz.List(scope, authz.Filter{AtScope: true, PrincipalID: objectID}) {
		if authz.RoleGUID(a.RoleDefinitionID) == role && strings.EqualFold(a.Scope, scope) {
			return nil
		}
	}
	_, _, err := p.authz.Assign(authz.Assignment{
		Name: tenant.NewGUID(), Scope: scope, RoleDefinitionID: role,
		PrincipalID: objectID, PrincipalType: principalType, CreatedBy: "idlogs",
	})
	return err
}

// settingsSource gives the router the diagnostic settings and one
// subscription to their changes.
type settingsSource struct {
	*diagnostics.Registry
	changed <-chan struct{}
}

func (s settingsSource) Changed() <-chan struct{} { return s.changed }

// holdLog is the activity log as the router sees it: truncation stops
// before the records the reports have not stored yet.
type holdLog struct {
	*activity.Log
	hold func() uint64
}

func (l holdLog) Truncate(upTo uint64) error { return l.Log.Truncate(min(upTo, l.hold())) }
