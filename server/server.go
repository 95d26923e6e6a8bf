// Package server assembles an idlogs server: the control-plane state, the
// tenant and its token service, role checks, workspaces with their stores,
// the query and ingestion services, and the HTTPS origin that serves all of
// Azure's APIs.
//
// A data directory holds everything:
//
//	state.db          control-plane records (tenant, applications, role
//	                  assignments, workspaces, data collection rules)
//	tls/              the local CA (ca.pem for clients to trust) and the
//	                  server certificate it signed
//	workspaces/<id>/  one store per workspace, by customer id
//	reports/          the tenant's Graph reports (/auditLogs), 30 days
//	bootstrap.json    (0600) what a first client needs: tenant, endpoints,
//	                  the default workspace and the admin application's secret
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/pki"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/tenant/token"
	"github.com/idlogs/idlogs/workspace"
	"github.com/idlogs/idlogs/workspace/query"
)

// Config configures a server.
type Config struct {
	// DataDir is the data directory; it is created if missing.
	DataDir string
	// Listen is the TCP address to serve on (default 127.0.0.1:8443; port 0
	// picks a free port).
	Listen string
	// TLSCert and TLSKey name a certificate to serve instead of the one
	// idlogs makes from its local CA.
	TLSCert, TLSKey string
	// PublicURL is the https base URL clients use, when it differs from the
	// listen address (a proxy, a DNS name); it is the token issuer and the
	// endpoint bootstrap.json reports.
	PublicURL string
	// Trusted lists external Entra tenants whose tokens idlogs accepts
	// besides its own (issuer and key-set URL); role assignments then name
	// their users' and applications' object ids.
	Trusted []token.External
	// AnonymousIPs are addresses and networks (CIDR) of anonymizers, such
	// as Tor exit nodes; sign-ins from them raise anonymizedIPAddress risk
	// detections.
	AnonymousIPs []string
	// Store configures every workspace store.
	Store store.Options
	// QueryLimits are the query API's limits; zero fields take Azure's
	// (query.DefaultLimits: 500,000 rows, 200 queries per 30 s per user,
	// ...).
	QueryLimits query.Limits
	// Demo starts the server with a simulated organisation's activity
	// (see DemoSetting): DemoDays of history (30 when zero) backfilled on
	// the first demo start, live activity after, of DemoUsers users (5,000
	// when zero).
	Demo      bool
	DemoDays  int
	DemoUsers int
	// EventHubs are Event Hubs streams of external tenants to import; each
	// tenant seen is mirrored (DataDir/tenants/{tenantId}) with its own
	// activity log and diagnostic settings, by default every category to
	// the default workspace.
	EventHubs []EventHubSource
	// GraphSources are tenants whose activity the server reads through
	// Microsoft Graph, mirrored as the Event Hubs sources' tenants are.
	GraphSources []GraphSource
	// Logf receives server notices; default log.Printf. Never secrets.
	Logf func(format string, args ...any)
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Server is a running idlogs server.
type Server struct {
	cfg       Config
	db        *state.DB
	ln        net.Listener
	http      *http.Server
	baseURL   string
	boot      Bootstrap
	closeOnce sync.Once
	closeErr  error

	// actLog is the durable activity log of the tenant's records, which
	// the diagnostics router delivers from.
	actLog *activity.Log
	// stopRouter stops the router; routerDone is closed when it returned.
	stopRouter context.CancelFunc
	routerDone chan struct{}

	// demo is the running demo, if any.
	demo *demo
	// sources are the external tenants' mirrors and their connectors.
	sources *sources

	// Workspaces are the server's workspaces.
	Workspaces *workspace.Registry
	parts      *parts
}

// Start opens the data directory, bootstraps it on first start, starts
// listening and serves in the background until Shutdown.
func Start(cfg Config) (_ *Server, err error) {
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:8443"
	}
	if cfg.Logf == nil {
		cfg.Logf = log.Printf
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Store.Logf == nil {
		cfg.Store.Logf = cfg.Logf
	}
	// A server holds a tail per table of every workspace, fed by
	// ingestion and delivery at once: smaller tails and merges than the
	// store's single-table defaults keep its memory bounded.
	if cfg.Store.FlushRows == 0 {
		cfg.Store.FlushRows = 1 << 16
	}
	if cfg.Store.MergeRows == 0 {
		cfg.Store.MergeRows = 1 << 18
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg}
	defer func() {
		if err != nil {
			s.closeAll()
		}
	}()
	if s.db, err = state.Open(filepath.Join(cfg.DataDir, "state.db")); err != nil {
		return nil, err
	}
	if s.ln, err = net.Listen("tcp", cfg.Listen); err != nil {
		return nil, err
	}
	tlsCfg, err := s.tlsConfig()
	if err != nil {
		return nil, err
	}
	s.baseURL = cfg.PublicURL
	if s.baseURL == "" {
		s.baseURL = "https://" + s.ln.Addr().String()
	}
	if s.Workspaces, err = workspace.Open(cfg.DataDir, s.db, cfg.Store, cfg.Now); err != nil {
		return nil, err
	}
	if s.actLog, err = activity.OpenLog(filepath.Join(cfg.DataDir, "activity"), activity.LogOptions{NoSync: cfg.Store.NoSync, Logf: cfg.Logf, Now: cfg.Now}); err != nil {
		return nil, err
	}
	if s.parts, err = s.assemble(); err != nil {
		return nil, err
	}
	if err := s.bootstrap(); err != nil {
		return nil, err
	}
	s.startRouter()
	if err := s.startSources(); err != nil {
		return nil, err
	}
	if cfg.Demo {
		if err := s.startDemo(); err != nil {
			return nil, err
		}
	}
	s.http = &http.Server{
		Handler:           s.parts.handler,
		TLSConfig:         tlsCfg,
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          log.New(logWriter(cfg.Logf), "", 0),
	}
	go func() {
		if err := s.http.Serve(tls.NewListener(s.ln, tlsCfg)); err != nil && !errors.Is(err, http.ErrServerClosed) {
			cfg.Logf("idlogs: serve: %v", err)
		}
	}()
	return s, nil
}

// tlsConfig loads the configured certificate or makes one from the local CA
// for the listen host, localhost and 127.0.0.1.
func (s *Server) tlsConfig() (*tls.Config, error) {
	if s.cfg.TLSCert != "" || s.cfg.TLSKey != "" {
		return pki.Config(s.cfg.TLSCert, s.cfg.TLSKey)
	}
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	if h, _, err := net.SplitHostPort(s.ln.Addr().String()); err == nil && h != "" {
		hosts = append(hosts, h)
	}
	if s.cfg.PublicURL != "" {
		if u, err := url.Parse(s.cfg.PublicURL); err == nil && u.Hostname() != "" {
			hosts = append(hosts, u.Hostname())
		}
	}
	slices.Sort(hosts)
	f, err := pki.Ensure(filepath.Join(s.cfg.DataDir, "tls"), slices.Compact(hosts), s.cfg.Now())
	if err != nil {
		return nil, err
	}
	return pki.Config(f.Cert, f.Key)
}

// URL returns the server's https base URL.
func (s *Server) URL() string { return s.baseURL }

// Bootstrap returns what bootstrap.json holds.
func (s *Server) Bootstrap() Bootstrap { return s.boot }

// CAFile returns the path of the local CA certificate clients trust.
func (s *Server) CAFile() string { return filepath.Join(s.cfg.DataDir, "tls", "ca.pem") }

// Shutdown stops accepting requests, waits for those in flight (whose
// acknowledgements all follow durable writes) until ctx ends, then flushes
// and closes every store.
func (s *Server) Shutdown(ctx context.Context) error {
	var err error
	if s.http != nil {
		err = s.http.Shutdown(ctx)
	}
	if cerr := s.closeAll(); err == nil {
		err = cerr
	}
	return err
}

func (s *Server) closeAll() error {
	s.closeOnce.Do(func() {
		if s.ln != nil && s.http == nil {
			s.ln.Close()
		}
		s.stopDemo()
		if s.sources != nil {
			s.sources.stop()
		}
		if s.stopRouter != nil {
			// Deliveries in flight finish or are retried after a restart;
			// the router's cursors are durable either way.
			s.stopRouter()
			<-s.routerDone
		}
		if s.actLog != nil {
			s.actLog.Close()
		}
		if s.parts != nil && s.parts.reports != nil {
			s.parts.reports.Close()
		}
		if s.Workspaces != nil {
			s.closeErr = s.Workspaces.Close()
		}
		if s.db != nil {
			if err := s.db.Close(); s.closeErr == nil {
				s.closeErr = err
			}
		}
	})
	return s.closeErr
}

type logWriter func(format string, args ...any)

func (l logWriter) Write(p []byte) (int, error) {
	l("%s", string(trimNewline(p)))
	return len(p), nil
}

func trimNewline(p []byte) []byte {
	if n := len(p); n > 0 && p[n-1] == '\n' {
		return p[:n-1]
	}
	return p
}

// requestBase is the https base URL a request reached the server by: the
// configured public URL, else the host the client connected to. The token
// service names its endpoints and issuer by it, because MSAL rejects a
// discovery document whose issuer is on another host.
func (s *Server) requestBase(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	return "https://" + r.Host
}

// Activity returns the sink of the tenant's activity records: the durable
// activity log. Records emitted to it are delivered as the tenant's own.
func (s *Server) Activity() activity.Sink { return s.activity() }

// activity returns the sink of the tenant's activity records: the durable
// activity log the diagnostics router delivers from, or nil before there
// is one.
func (s *Server) activity() activity.Sink {
	if s.actLog == nil {
		return nil
	}
	return s.actLog
}

// startRouter starts delivering the activity log to the destinations of
// the diagnostic settings and to the tenant's reports.
func (s *Server) startRouter() {
	ctx, cancel := context.WithCancel(context.Background())
	s.stopRouter, s.routerDone = cancel, make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		if err := s.parts.router.Run(ctx); err != nil && ctx.Err() == nil {
			s.cfg.Logf("idlogs: diagnostics router stopped: %v", err)
		}
	}()
	go func() {
		defer wg.Done()
		if err := s.parts.reports.Run(ctx, s.actLog); err != nil && ctx.Err() == nil {
			s.cfg.Logf("idlogs: activity reports stopped: %v", err)
		}
	}()
	go func() {
		wg.Wait()
		close(s.routerDone)
	}()
}
