package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/idlogs/idlogs/internal/atomicfile"
	"github.com/idlogs/idlogs/internal/guid"
	"github.com/idlogs/idlogs/tenant"
	"github.com/idlogs/idlogs/workspace"
)

// Bootstrap is what bootstrap.json holds: everything a first client needs
// to reach and authenticate to a new idlogs server.
type Bootstrap struct {
	TenantID          string `json:"tenantId"`
	AuthorityHost     string `json:"authorityHost"`
	ARMEndpoint       string `json:"armEndpoint"`
	QueryEndpoint     string `json:"queryEndpoint"`
	IngestionEndpoint string `json:"ingestionEndpoint"`
	// CACert is the CA certificate file clients trust for TLS.
	CACert         string `json:"caCert"`
	SubscriptionID string `json:"subscriptionId"`
	ResourceGroup  string `json:"resourceGroup"`
	Workspace      struct {
		ID         string `json:"id"`
		ResourceID string `json:"resourceId"`
	} `json:"workspace"`
	Admin struct {
		ClientID     string `json:"clientId"`
		ClientSecret string `json:"clientSecret,omitempty"`
	} `json:"admin"`
	// WebClientID is the web UI's public client application, which users
	// sign in to at the server's / page.
	WebClientID string `json:"webClientId,omitempty"`
	// DemoUser is the account a demo server (Config.Demo) makes for
	// signing in to the web UI: a Global Administrator who may query the
	// subscription's workspaces. Its password is only here.
	DemoUser *DemoUser `json:"demoUser,omitempty"`
}

// DemoUser is the web UI account of a demo server.
type DemoUser struct {
	UserPrincipalName string `json:"userPrincipalName"`
	Password          string `json:"password"`
}

// bootRecord is the durable part of the bootstrap, kept in the state file;
// the admin secret lives only in bootstrap.json.
type bootRecord struct {
	SubscriptionID string `json:"subscriptionId"`
	ResourceGroup  string `json:"resourceGroup"`
	Workspace      string `json:"workspace"`
	AdminClientID  string `json:"adminClientId"`
	// WebClientID is the web UI's application, created by the first start
	// of a server that has the UI.
	WebClientID string `json:"webClientId,omitempty"`
}

const (
	bootKind = "server"
	bootKey  = "bootstrap"
	// DefaultResourceGroup and DefaultWorkspace name what a first start
	// creates.
	DefaultResourceGroup = "idlogs"
	DefaultWorkspace     = "idlogs-default"
	adminAppName         = "idlogs-admin"
	webAppName           = "idlogs-web"
	aadiamScope          = "/providers/Microsoft.aadiam"

	// Built-in role definition GUIDs (Azure's own).
	roleOwner                      = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	roleMonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb"
)

// bootstrap creates, on first start, the default subscription, workspace
// and admin application with its role assignments, then (on every start)
// writes bootstrap.json with the current endpoints.
func (s *Server) bootstrap() error {
	var rec bootRecord
	found, err := s.db.Get(bootKind, bootKey, &rec)
	if err != nil {
		return err
	}
	secret := ""
	if !found {
		rec = bootRecord{SubscriptionID: workspace.NewGUID(), ResourceGroup: DefaultResourceGroup, Workspace: DefaultWorkspace}
		if _, _, err := s.Workspaces.Put(workspace.Workspace{
			SubscriptionID: rec.SubscriptionID, ResourceGroup: rec.ResourceGroup, Name: rec.Workspace, Location: "local",
		}); err != nil {
			return fmt.Errorf("bootstrap: default workspace: %w", err)
		}
		rec.AdminClientID, _, secret, err = s.parts.createApp(adminAppName)
		if err != nil {
			return fmt.Errorf("bootstrap: admin application: %w", err)
		}
	}
	if err := s.ensureAdminRoles(rec); err != nil {
		return err
	}
	oldWeb := rec.WebClientID
	if rec.WebClientID, err = s.ensureWebApp(rec.WebClientID); err != nil {
		return err
	}
	b := s.describe(rec)
	path := filepath.Join(s.cfg.DataDir, "bootstrap.json")
	if secret == "" {
		// Later starts keep the secret the first start wrote.
		var old Bootstrap
		if data, err := os.ReadFile(path); err == nil && json.Unmarshal(data, &old) == nil {
			secret = old.Admin.ClientSecret
			b.DemoUser = old.DemoUser
		} else if !errors.Is(err, os.ErrNotExist) && err != nil {
			return err
		} else {
			s.cfg.Logf("idlogs: %s is missing; the admin client secret is no longer known (create a new secret)", path)
		}
	}
	b.Admin.ClientSecret = secret
	if err := writeBootstrap(path, b); err != nil {
		return err
	}
	if !found || rec.WebClientID != oldWeb {
		if err := s.db.Put(bootKind, bootKey, rec); err != nil {
			return err
		}
	}
	if !found {
		s.cfg.Logf("idlogs: first start: tenant %s, workspace %s; admin credentials in %s", b.TenantID, b.Workspace.ID, path)
	}
	s.boot = b
	return nil
}

// ensureAdminRoles gives the admin application its roles, on every start
// so that data directories made by an older idlogs get roles added since:
// Owner of the subscription (Owner manages everything but, as in Azure,
// holds no data actions), Monitoring Metrics Publisher there for
// ingestion, Owner at /providers/Microsoft.aadiam, the scope of Entra's
// diagnostic settings, and the Global Administrator directory role.
func (s *Server) ensureAdminRoles(rec bootRecord) error {
	objectID, ok := s.parts.objectID(rec.AdminClientID)
	if !ok {
		s.cfg.Logf("idlogs: the admin application %s no longer exists; its roles are not checked", rec.AdminClientID)
		return nil
	}
	sub := "/subscriptions/" + rec.SubscriptionID
	for _, r := range []struct{ role, scope string }{
		{roleOwner, sub},
		{roleMonitoringMetricsPublisher, sub},
		{roleOwner, aadiamScope},
	} {
		if err := s.parts.ensureRole(objectID, "ServicePrincipal", r.role, r.scope); err != nil {
			return fmt.Errorf("bootstrap: role %s at %s for the admin application: %w", r.role, r.scope, err)
		}
	}
	// Global Administrator in the directory: the Graph admin API and
	// Entra's own checks (diagnostic settings) read directory roles.
	if err := s.parts.ensureDirectoryRole(objectID, tenant.RoleGlobalAdministrator); err != nil {
		return fmt.Errorf("bootstrap: Global Administrator for the admin application: %w", err)
	}
	return nil
}

// ensureWebApp creates the web UI's application when clientID is empty
// (or names an application that no longer exists) and, on every start,
// makes it a public client whose redirect URI is the server's page at its
// current address, so that users sign in to the UI with the authorization
// code and PKCE. It returns the application's client id. The application
// has no roles of its own: the UI acts with the signed-in user's.
func (s *Server) ensureWebApp(clientID string) (string, error) {
	if _, ok := s.parts.dir.Application(clientID); clientID == "" || !ok {
		app, _, err := s.parts.dir.AddApplication(context.Background(), tenant.Initiator{}, webAppName)
		if err != nil {
			return "", fmt.Errorf("bootstrap: web UI application: %w", err)
		}
		clientID = app.AppID
	}
	if err := s.parts.dir.SetPublicClient(clientID, true); err != nil {
		return "", fmt.Errorf("bootstrap: web UI application: %w", err)
	}
	uris := []string{s.baseURL + "/"}
	if u, err := url.Parse(s.baseURL); err == nil && u.Hostname() == "127.0.0.1" {
		// The same page as the browser names it by host name.
		uris = append(uris, "https://localhost:"+u.Port()+"/")
	}
	if err := s.parts.dir.SetRedirectURIs(clientID, nil, uris); err != nil {
		return "", fmt.Errorf("bootstrap: web UI redirect URIs: %w", err)
	}
	return clientID, nil
}

// describe fills the endpoints and identities of rec.
func (s *Server) describe(rec bootRecord) Bootstrap {
	var b Bootstrap
	b.TenantID = s.parts.tenantID()
	b.AuthorityHost = s.baseURL + "/"
	b.ARMEndpoint = s.baseURL + "/"
	b.QueryEndpoint = s.baseURL + "/v1"
	b.IngestionEndpoint = s.baseURL
	b.CACert = s.CAFile()
	b.SubscriptionID = rec.SubscriptionID
	b.ResourceGroup = rec.ResourceGroup
	if w, ok := s.Workspaces.Get(workspace.ResourceID(rec.SubscriptionID, rec.ResourceGroup, rec.Workspace)); ok {
		b.Workspace.ID = w.CustomerID
		b.Workspace.ResourceID = w.ResourceID()
	}
	b.Admin.ClientID = rec.AdminClientID
	b.WebClientID = rec.WebClientID
	return b
}

// writeBootstrap writes b to path, readable by its owner only: it holds
// secrets.
func writeBootstrap(path string, b Bootstrap) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(data, '\n'), 0o600)
}

func newGUID() string { return guid.New() }
