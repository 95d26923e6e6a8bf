package server

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/diagapi"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/connectors/eventhub"
	"github.com/idlogs/idlogs/connectors/graph"
	"github.com/idlogs/idlogs/connectors/kafkaconn"
	"github.com/idlogs/idlogs/connectors/mirror"
	"github.com/idlogs/idlogs/diagnostics"
	"github.com/idlogs/idlogs/diagnostics/router"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
	"github.com/idlogs/idlogs/workspace"
)

// EventHubSource is an Event Hubs stream of external tenants' activity
// the server imports (see connectors/eventhub).
type EventHubSource struct {
	// Name names the source's state folder, DataDir/connect/eventhub/NAME;
	// "default" when empty.
	Name string
	// Kafka reaches the namespace: its connection string, or brokers.
	Kafka kafkaconn.Config
	// Hubs are the event hubs; empty means the connection string's
	// EntityPath.
	Hubs []string
	// ConsumerGroup is the consumer group; $Default when empty.
	ConsumerGroup string
	// StallAfter is how long a partition may stand still behind its high
	// watermark before it is reported; 20 s when zero.
	StallAfter time.Duration
}

// GraphSource is a tenant whose sign-ins, audits, provisioning events and
// risk the server polls through Microsoft Graph (see connectors/graph)
// with an application's client credentials.
type GraphSource struct {
	// TenantID is the tenant's id (a GUID): its mirror is
	// DataDir/tenants/{tenantId}, its feeds' checkpoints
	// DataDir/connect/graph/{tenantId}.
	TenantID string
	// ClientID and ClientSecret are the application's credentials, with
	// Graph's application permissions AuditLog.Read.All,
	// IdentityRiskyUser.Read.All and IdentityRiskEvent.Read.All.
	ClientID, ClientSecret string
	// Authority and GraphURL are the token service and Graph's base URL;
	// Microsoft's when empty.
	Authority, GraphURL string
	// HTTPClient makes the requests; http.DefaultClient when nil.
	HTTPClient *http.Client
	// Feeds names the feeds to poll (graph.Feeds); all when empty.
	Feeds []string
	// Interval is the time between polls (one minute when zero); Lookback
	// how far back a new feed starts (24 hours when zero).
	Interval, Lookback time.Duration
}

// GraphStatus is the state of a Graph source's feeds.
type GraphStatus struct {
	TenantID string             `json:"tenantId"`
	Feeds    []graph.FeedStatus `json:"feeds"`
}

// graphConnector is a Graph source's connector and its tenant.
type graphConnector struct {
	tenantID string
	*graph.Connector
}

// sources are the external tenants' mirrors and the connectors that feed
// them.
type sources struct {
	mirrors    *mirror.Mirrors
	connectors []*eventhub.Connector
	graphs     []graphConnector
	cancel     context.CancelFunc
	wg         sync.WaitGroup
}

// startSources opens the mirrors of external tenants (their routers
// deliver what was imported, also by "idlogs connect eventhub" while the
// server was stopped) and starts the configured Event Hubs connectors.
func (s *Server) startSources() error {
	src := &sources{}
	var err error
	src.mirrors, err = mirror.Open(mirror.Options{
		Dir: filepath.Join(s.cfg.DataDir, "tenants"), Exists: s.parts.dests.Exists,
		Destinations: &router.Destinations{Resources: s.parts.dests, Workspaces: s.Workspaces, Table: tablemap.Table, Rows: tablemap.Build,
			NoSync: s.cfg.Store.NoSync, Logf: s.cfg.Logf},
		DefaultWorkspace: workspace.ResourceID(s.boot.SubscriptionID, s.boot.ResourceGroup, DefaultWorkspace),
		Workspaces:       s.Workspaces, AutoAdd: true, NoSync: s.cfg.Store.NoSync, Logf: s.cfg.Logf, Now: s.cfg.Now,
		Router: router.Options{BatchSize: 5000},
	})
	if err != nil {
		return err
	}
	s.sources = src
	// The own tenant's records come from its own activity: imported
	// again they would be delivered twice.
	own := s.parts.tenantID()
	accept := func(id string) bool { return !strings.EqualFold(id, own) }
	for _, c := range s.cfg.EventHubs {
		name := c.Name
		if name == "" {
			name = "default"
		}
		conn, err := eventhub.New(eventhub.Config{
			Kafka: c.Kafka, Hubs: c.Hubs, ConsumerGroup: c.ConsumerGroup, Sink: src.mirrors, Accept: accept, StallAfter: c.StallAfter,
			StateDir: filepath.Join(s.cfg.DataDir, "connect", "eventhub", name), NoSync: s.cfg.Store.NoSync, Logf: s.cfg.Logf, Now: s.cfg.Now,
		})
		if err != nil {
			return fmt.Errorf("event hubs source %s: %w", name, err)
		}
		src.connectors = append(src.connectors, conn)
	}
	for _, g := range s.cfg.GraphSources {
		if err := src.addGraph(s, g, accept); err != nil {
			src.mirrors.Close()
			return err
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	src.cancel = cancel
	src.wg.Go(func() { src.mirrors.Run(ctx) })
	for _, conn := range src.connectors {
		src.wg.Go(func() {
			if err := conn.Run(ctx); err != nil {
				s.cfg.Logf("idlogs: %v", err)
			}
		})
	}
	for _, conn := range src.graphs {
		src.wg.Go(func() {
			if err := conn.Run(ctx); err != nil && ctx.Err() == nil {
				s.cfg.Logf("idlogs: graph source: %v", err)
			}
		})
	}
	return nil
}

// addGraph makes the connector of Graph source g. Its sink is the
// tenant's mirrored activity log, which the connector can read back, so a
// crash between a page and its checkpoint repeats nothing.
func (src *sources) addGraph(s *Server, g GraphSource, accept func(string) bool) error {
	if !accept(g.TenantID) {
		return fmt.Errorf("graph source %s: the server's own tenant", g.TenantID)
	}
	t, err := src.mirrors.Add(g.TenantID)
	if err != nil {
		return fmt.Errorf("graph source %s: %w", g.TenantID, err)
	}
	conn, err := graph.New(graph.Config{
		TenantID: t.ID, ClientID: g.ClientID, ClientSecret: g.ClientSecret, Authority: g.Authority, GraphURL: g.GraphURL,
		HTTPClient: g.HTTPClient, Sink: t.Log, StateDir: filepath.Join(s.cfg.DataDir, "connect", "graph", t.ID),
		Feeds: g.Feeds, Interval: g.Interval, Lookback: g.Lookback, Logf: s.cfg.Logf, Now: s.cfg.Now,
	})
	if err != nil {
		return fmt.Errorf("graph source %s: %w", g.TenantID, err)
	}
	src.graphs = append(src.graphs, graphConnector{t.ID, conn})
	return nil
}

// stop stops the connectors and the mirrors' routers and closes them.
func (src *sources) stop() {
	if src.cancel != nil {
		src.cancel()
		src.wg.Wait()
	}
	for _, c := range src.connectors {
		c.Close()
	}
	src.mirrors.Close()
}

// SourcesRoute is the ARM route of the Event Hubs sources' status:
// GET answers {"value":[eventhub.Status, ...]} in Config.EventHubs order,
// to callers that may read the diagnostic settings.
const SourcesRoute = "/providers/Idlogs.Sources/eventHubs"

// sourcesHandler answers a sources' status route with {"value": status()}
// to callers that may see the sources (maySeeSources).
func sourcesHandler[T any](srv *api.Server, status func() []T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !maySeeSources(srv, w, r) {
			return
		}
		out := status()
		if out == nil {
			out = []T{}
		}
		api.WriteJSON(w, http.StatusOK, map[string]any{"value": out})
	}
}

// maySeeSources reports whether the caller may read the diagnostic
// settings, and so the sources' status: through an Entra directory role
// that reads them (Global Administrator, Security Reader...), as the
// settings routes decide it, or an Azure role granting
// microsoft.aadiam/diagnosticSettings/read at /providers/microsoft.aadiam.
// Otherwise it answers ARM's 401 or 403.
func maySeeSources(srv *api.Server, w http.ResponseWriter, r *http.Request) bool {
	if caller, ok := auth.FromContext(r.Context()); ok && diagapi.DirectoryMayRead(caller, diagnostics.ProviderAADIAM) {
		return true
	}
	return srv.Allowed(w, r, "microsoft.aadiam/diagnosticSettings/read", "/providers/microsoft.aadiam")
}

// GraphSourcesRoute is the ARM route of the Graph sources' status: GET
// answers {"value":[GraphStatus, ...]} in Config.GraphSources order, to
// callers that may read the diagnostic settings.
const GraphSourcesRoute = "/providers/Idlogs.Sources/graph"

// GraphStatus returns the state of every Graph source, in
// Config.GraphSources order.
func (s *Server) GraphStatus() []GraphStatus {
	out := []GraphStatus{}
	if s.sources == nil {
		return out
	}
	for _, c := range s.sources.graphs {
		out = append(out, GraphStatus{TenantID: c.tenantID, Feeds: c.Status()})
	}
	return out
}

// mirrorSettings returns the diagnostic settings of mirrored tenant id,
// for the settings API's callers of that tenant.
func (s *Server) mirrorSettings(id string) (*diagnostics.Registry, bool) {
	m := s.Mirrors()
	if m == nil {
		return nil, false
	}
	t, ok := m.Get(id)
	if !ok {
		return nil, false
	}
	return t.Settings, true
}

// Mirrors returns the mirrors of external tenants (nil before Start
// finished).
func (s *Server) Mirrors() *mirror.Mirrors {
	if s.sources == nil {
		return nil
	}
	return s.sources.mirrors
}

// EventHubStatus returns the state of every configured Event Hubs source,
// in Config.EventHubs order.
func (s *Server) EventHubStatus() []eventhub.Status {
	if s.sources == nil {
		return nil
	}
	out := make([]eventhub.Status, 0, len(s.sources.connectors))
	for _, c := range s.sources.connectors {
		out = append(out, c.Status())
	}
	return out
}
