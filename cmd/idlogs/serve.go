package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/idlogs/idlogs/connectors/kafkaconn"
	"github.com/idlogs/idlogs/server"
	"github.com/idlogs/idlogs/tenant/token"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func newServeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve [--data DIR] [--listen ADDR]",
		Short: "Run the workspace server: Azure's token, ARM, query and ingestion APIs over HTTPS",
		Long: `Run the workspace server on one HTTPS origin.

On first start idlogs creates, under --data, a local CA and server certificate
(tls/ca.pem is the certificate clients trust), the tenant, a default workspace
and an admin application, and writes bootstrap.json (mode 0600) with the
endpoints and the admin's client id and secret. SIGTERM or SIGINT stops the
server gracefully: requests in flight finish and every store is flushed.

With --demo the tenant is a simulated organisation (--demo-users users): the
first demo start creates the diagnostic setting demo-all, which sends every
category to the default workspace, and backfills --demo-days days of sign-ins,
refreshes, service principal and managed identity sign-ins, provisioning
cycles, directory changes and planted threats with their risk detections in
the background (progress on stderr; queries work meanwhile), together with
Defender for Cloud alerts and a line-of-business app's Application Insights
data; activity then continues live until the server stops. The built-in
query pack (idlogs queries list) answers the questions these logs are for.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := cmd.Flags()
			data, _ := f.GetString("data")
			listen, _ := f.GetString("listen")
			cert, _ := f.GetString("tls-cert")
			key, _ := f.GetString("tls-key")
			public, _ := f.GetString("public-url")
			if (cert == "") != (key == "") {
				return fmt.Errorf("--tls-cert and --tls-key go together")
			}
			anon, _ := f.GetStringSlice("anonymous-ips")
			trustFlags, _ := f.GetStringArray("trust-issuer")
			var trusted []token.External
			for _, t := range trustFlags {
				iss, jwks, ok := strings.Cut(t, "=")
				if !ok || !strings.HasPrefix(iss, "https://") || !strings.HasPrefix(jwks, "https://") {
					return fmt.Errorf("--trust-issuer %q: want ISSUER=JWKS_URL, both https", t)
				}
				trusted = append(trusted, token.External{Issuer: iss, JWKSURL: jwks})
			}
			if mib, _ := f.GetInt64("memory-limit"); mib > 0 && os.Getenv("GOMEMLIMIT") == "" {
				// A soft limit: the collector works harder near it
				// instead of letting a burst of ingestion grow the heap.
				debug.SetMemoryLimit(mib << 20)
			}
			errw := cmd.ErrOrStderr()
			logf := func(format string, args ...any) { fmt.Fprintf(errw, format+"\n", args...) }
			demo, _ := f.GetBool("demo")
			demoDays, _ := f.GetInt("demo-days")
			demoUsers, _ := f.GetInt("demo-users")
			if demoDays < 1 || demoUsers < 1 {
				return fmt.Errorf("--demo-days and --demo-users must be at least 1")
			}
			sources, err := eventHubSources(f)
			if err != nil {
				return err
			}
			graphs, err := graphSources(f)
			if err != nil {
				return err
			}
			srv, err := server.Start(server.Config{DataDir: data, Listen: listen, TLSCert: cert, TLSKey: key, PublicURL: public, Trusted: trusted, AnonymousIPs: anon, Logf: logf,
				Demo: demo, DemoDays: demoDays, DemoUsers: demoUsers, EventHubs: sources, GraphSources: graphs})
			if err != nil {
				return err
			}
			b := srv.Bootstrap()
			fmt.Fprintf(cmd.OutOrStdout(), "idlogs serving %s\n  tenant    %s\n  workspace %s\n  CA        %s\n  bootstrap %s\n",
				srv.URL(), b.TenantID, b.Workspace.ID, b.CACert, data+"/bootstrap.json")
			fmt.Fprintf(cmd.OutOrStdout(), "  web UI    %s/ (trust the CA in your browser)\n", srv.URL())
			if b.DemoUser != nil {
				fmt.Fprintf(cmd.OutOrStdout(), "  sign in   as %s, with the password in bootstrap.json\n", b.DemoUser.UserPrincipalName)
			}
			if demo {
				fmt.Fprintf(cmd.OutOrStdout(), "  demo      simulated tenant; try:\n"+
					"    idlogs query --data %[1]s \"SigninLogs | take 10\"\n"+
					"    idlogs query --data %[1]s \"SigninLogs | summarize count() by ResultType\"\n"+
					"    idlogs query --data %[1]s \"AADUserRiskEvents | summarize count() by RiskEventType, IpAddress\"\n"+
					"    idlogs queries list --data %[1]s\n"+
					"    idlogs queries run --data %[1]s alerts-and-risky-sign-ins\n", shellQuote(data))
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			<-ctx.Done()
			logf("idlogs: shutting down")
			sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			return srv.Shutdown(sctx)
		},
	}
	f := cmd.Flags()
	f.String("data", "idlogs-data", "data directory (state, TLS files, workspace stores)")
	f.String("listen", "127.0.0.1:8443", "address to serve HTTPS on")
	f.String("tls-cert", "", "certificate file to serve instead of the local CA's")
	f.String("tls-key", "", "private key of --tls-cert")
	f.String("public-url", "", "https base URL clients use, if not the listen address")
	f.Int64("memory-limit", 2048, "soft memory limit in MiB for the Go heap (0: none; GOMEMLIMIT overrides)")
	f.StringArray("trust-issuer", nil, "also accept tokens of an external Entra tenant: ISSUER=JWKS_URL, e.g.\n"+
		"https://login.microsoftonline.com/TENANT/v2.0=https://login.microsoftonline.com/TENANT/discovery/v2.0/keys (repeatable)")
	f.StringSlice("anonymous-ips", nil, "addresses or CIDR networks of anonymizers (Tor exits, ...) that raise anonymizedIPAddress risk")
	f.Bool("demo", false, "start with a simulated organisation's activity: history backfilled on the first start, live after")
	f.Int("demo-days", 30, "days of history the first --demo start backfills")
	f.Int("demo-users", 5000, "users of the simulated organisation (first --demo start)")
	f.String("eventhub-connection-string", "", "import an external tenant's Event Hubs stream: the namespace's connection string (or $"+connectionStringEnv+")")
	f.StringArray("eventhub-hub", nil, "event hub of --eventhub-connection-string (repeatable; default: its EntityPath)")
	f.String("eventhub-consumer-group", "", "consumer group of --eventhub-connection-string ($Default when empty)")
	f.String("graph-tenant", "", "read an external tenant's activity through Microsoft Graph: its tenant id")
	f.String("graph-client-id", "", "application (client) id for --graph-tenant, with the Graph permissions AuditLog.Read.All,\n"+
		"IdentityRiskyUser.Read.All and IdentityRiskEvent.Read.All; its secret comes from $IDLOGS_CLIENT_SECRET")
	f.String("graph-authority", "", "token service of --graph-tenant (default https://login.microsoftonline.com)")
	f.String("graph-url", "", "Microsoft Graph base URL of --graph-tenant (default https://graph.microsoft.com)")
	f.String("graph-ca", "", "PEM file of a CA to trust besides the system's for --graph-tenant")
	f.StringSlice("graph-feeds", nil, "feeds of --graph-tenant to poll (default all): "+strings.Join(feedNames(), ", "))
	f.Duration("graph-interval", time.Minute, "time between polls of --graph-tenant")
	return cmd
}

// graphSources returns the Graph source the serve flags name, if any. The
// client secret comes only from the environment, so it never shows in a
// process list.
func graphSources(f *pflag.FlagSet) ([]server.GraphSource, error) {
	str := func(name string) string { s, _ := f.GetString(name); return s }
	tenant, clientID := str("graph-tenant"), str("graph-client-id")
	if tenant == "" {
		if clientID != "" || str("graph-authority") != "" || str("graph-url") != "" || str("graph-ca") != "" {
			return nil, fmt.Errorf("the --graph-* flags need --graph-tenant")
		}
		return nil, nil
	}
	secret := os.Getenv("IDLOGS_CLIENT_SECRET")
	if clientID == "" || secret == "" {
		return nil, fmt.Errorf("--graph-tenant needs --graph-client-id and the client secret in $IDLOGS_CLIENT_SECRET")
	}
	client, err := caClient(str("graph-ca"))
	if err != nil {
		return nil, err
	}
	feeds, _ := f.GetStringSlice("graph-feeds")
	interval, _ := f.GetDuration("graph-interval")
	return []server.GraphSource{{TenantID: tenant, ClientID: clientID, ClientSecret: secret, Authority: str("graph-authority"),
		GraphURL: str("graph-url"), HTTPClient: client, Feeds: feeds, Interval: interval}}, nil
}

// eventHubSources returns the Event Hubs source the serve flags name, if
// any.
func eventHubSources(f *pflag.FlagSet) ([]server.EventHubSource, error) {
	cs, _ := f.GetString("eventhub-connection-string")
	if cs == "" {
		cs = os.Getenv(connectionStringEnv)
	}
	hubs, _ := f.GetStringArray("eventhub-hub")
	group, _ := f.GetString("eventhub-consumer-group")
	if cs == "" {
		if len(hubs) > 0 || group != "" {
			return nil, fmt.Errorf("--eventhub-hub and --eventhub-consumer-group need --eventhub-connection-string")
		}
		return nil, nil
	}
	if _, err := kafkaconn.ParseConnectionString(cs); err != nil {
		return nil, err
	}
	return []server.EventHubSource{{Kafka: kafkaconn.Config{ConnectionString: cs}, Hubs: hubs, ConsumerGroup: group}}, nil
}
