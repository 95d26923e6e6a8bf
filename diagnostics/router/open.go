package router

import (
	"crypto/tls"
	"fmt"
	"log"
	"net/http"
	"slices"
	"time"

	"github.com/idlogs/idlogs/connectors/kafkaconn"
	"github.com/idlogs/idlogs/diagnostics"
	"github.com/idlogs/idlogs/workspace"
)

// Destinations opens the destinations settings name. It implements Opener.
// Set the fields before the router starts.
type Destinations struct {
	Resources  *Resources
	Workspaces *workspace.Registry
	// Table and Rows map records to workspace rows (package
	// diagnostics/tablemap's Table and Build).
	Table TableFunc
	Rows  RowMapper
	// HTTPClient posts to partner webhooks; http.DefaultClient with a 30 s
	// timeout when nil.
	HTTPClient *http.Client
	// EventHubTimeout bounds one delivery to a broker; 15 s when zero.
	EventHubTimeout time.Duration
	// EventHubTLS, when set, is the TLS configuration (root CAs) for
	// namespaces with a connection string; nil means the system roots.
	EventHubTLS *tls.Config
	// Blobs returns the blob store of a storage account; nil means a
	// FolderStore in the account's folder (Resources.StoragePath). S3 or
	// Azure Blob backends plug in here.
	Blobs func(a *StorageAccount) (BlobStore, error)
	// NoSync skips fsync in the storage archive; for tests.
	NoSync bool
	// Logf receives records the row mapper refused; log.Printf when nil.
	Logf func(format string, args ...any)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Open implements Opener.
func (d *Destinations) Open(key, kind string, s *diagnostics.Setting) (Destination, error) {
	p := &s.Properties
	switch kind {
	case diagnostics.DestWorkspace:
		if d.Rows == nil || d.Table == nil || d.Workspaces == nil {
			return nil, errNoMapper
		}
		ws, ok := d.Workspaces.Get(deref(p.WorkspaceID))
		if !ok {
			return nil, fmt.Errorf("workspace %s does not exist", deref(p.WorkspaceID))
		}
		logf := d.Logf
		if logf == nil {
			logf = log.Printf
		}
		return &workspaceDest{ws: ws, table: d.Table, mapper: d.Rows, logf: logf, check: true}, nil
	case diagnostics.DestStorage:
		a, ok := d.Resources.StorageAccount(deref(p.StorageAccountID))
		if !ok {
			return nil, fmt.Errorf("storage account %s does not exist", deref(p.StorageAccountID))
		}
		if d.Blobs != nil {
			b, err := d.Blobs(a)
			if err != nil {
				return nil, fmt.Errorf("storage account %s: %w", a.ID, err)
			}
			return newArchiveDest(b), nil
		}
		return newArchiveDest(&FolderStore{Dir: d.Resources.StoragePath(a), NoSync: d.NoSync}), nil
	case diagnostics.DestEventHub:
		rule, ns, ok := d.Resources.Rule(deref(p.EventHubAuthorizationRuleID))
		if !ok {
			return nil, fmt.Errorf("event hub authorization rule %s does not exist", deref(p.EventHubAuthorizationRuleID))
		}
		if len(rule.Properties.Rights) > 0 && !slices.Contains(rule.Properties.Rights, "Send") {
			return nil, fmt.Errorf("event hub authorization rule %s lacks the Send right", rule.ID)
		}
		timeout := d.EventHubTimeout
		if timeout <= 0 {
			timeout = 15 * time.Second
		}
		conn := kafkaconn.Config{Brokers: ns.Properties.IdlogsKafkaBrokers, ConnectionString: ns.Properties.IdlogsConnectionString, TLS: d.EventHubTLS}
		return newEventHubDest(conn, deref(p.EventHubName), timeout)
	case diagnostics.DestPartner:
		pt, ok := d.Resources.Partner(deref(p.MarketplacePartnerID))
		if !ok {
			return nil, fmt.Errorf("partner %s does not exist", deref(p.MarketplacePartnerID))
		}
		c := d.HTTPClient
		if c == nil {
			c = &http.Client{Timeout: 30 * time.Second}
		}
		return &webhookDest{url: pt.Properties.URL, secret: []byte(pt.Properties.Secret), client: c}, nil
	}
	return nil, fmt.Errorf("unknown destination kind %q", kind)
}
