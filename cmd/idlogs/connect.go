package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/connectors/graph"
	"github.com/idlogs/idlogs/pki"
)

// newConnectCmd is "idlogs connect": connectors to real Entra tenants.
func newConnectCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "connect", Short: "Read a real Entra tenant's activity"}
	cmd.AddCommand(newConnectGraphCmd(), newConnectEventHubCmd(), newConnectStatusCmd())
	return cmd
}

// newConnectGraphCmd is "idlogs connect graph": the Microsoft Graph
// connector, writing each batch of records as an Event Hubs message of
// Entra's diagnostic export ({"records": [...]}, one a line).
func newConnectGraphCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "graph --tenant ID --client-id ID --client-secret SECRET",
		Short: "Poll a tenant's sign-ins, audits, provisioning and risk through Microsoft Graph",
		Long: `Poll a tenant's sign-ins (interactive, non-interactive, service principal, managed identity),
directory audits, provisioning events, risky users and risk detections through Microsoft Graph with an
application's client credentials (Graph application permissions AuditLog.Read.All, IdentityRiskyUser.Read.All
and IdentityRiskEvent.Read.All). Records are written as Entra's diagnostic export writes them to Event Hubs:
one {"records": [...]} object a line. Each feed's position is kept in the state directory, so a restarted
connector goes on where it stopped. The status of every feed goes to standard error after each poll.
The secret may come from the IDLOGS_CLIENT_SECRET environment variable instead of the flag.`,
		Args: cobra.NoArgs,
		RunE: runConnectGraph,
	}
	f := cmd.Flags()
	f.String("tenant", "", "tenant id of the tenant to read")
	f.String("client-id", "", "application (client) id")
	f.String("client-secret", "", "client secret (default: $IDLOGS_CLIENT_SECRET)")
	f.String("authority", "https://login.microsoftonline.com", "token service")
	f.String("graph-url", "https://graph.microsoft.com", "Microsoft Graph base URL")
	f.String("ca", "", "PEM file of a CA to trust besides the system's (another idlogs' tls/ca.pem)")
	f.String("state", "idlogs-graph-state", "directory of the feeds' checkpoints")
	f.String("out", "-", "file the records are appended to (- for standard output)")
	f.StringSlice("feeds", nil, "feeds to poll (default all): "+strings.Join(feedNames(), ", "))
	f.Duration("interval", time.Minute, "time between polls")
	f.Duration("overlap", 15*time.Minute, "how far before its position each poll of a feed reads again")
	f.Duration("lookback", 24*time.Hour, "how far back a new feed starts")
	f.Int("page-size", 0, "$top of each request (default: Graph's)")
	f.Bool("once", false, "poll every feed once and exit")
	return cmd
}

// caClient returns an HTTP client that also trusts the CA in PEM file ca,
// or http.DefaultClient when ca is empty.
func caClient(ca string) (*http.Client, error) {
	if ca == "" {
		return http.DefaultClient, nil
	}
	pool, err := pki.Pool(ca)
	if err != nil {
		return nil, err
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}, nil
}

func feedNames() []string {
	var out []string
	for _, f := range graph.Feeds {
		out = append(out, f.Name)
	}
	return out
}

func runConnectGraph(cmd *cobra.Command, _ []string) error {
	f := cmd.Flags()
	str := func(name string) string { s, _ := f.GetString(name); return s }
	dur := func(name string) time.Duration { d, _ := f.GetDuration(name); return d }
	secret := str("client-secret")
	if secret == "" {
		secret = os.Getenv("IDLOGS_CLIENT_SECRET")
	}
	client, err := caClient(str("ca"))
	if err != nil {
		return err
	}
	var out io.Writer = cmd.OutOrStdout()
	if path := str("out"); path != "-" {
		file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			return err
		}
		defer file.Close()
		out = file
	}
	feeds, _ := f.GetStringSlice("feeds")
	pageSize, _ := f.GetInt("page-size")
	stderr := cmd.ErrOrStderr()
	c, err := graph.New(graph.Config{
		TenantID: str("tenant"), ClientID: str("client-id"), ClientSecret: secret,
		Authority: str("authority"), GraphURL: str("graph-url"), HTTPClient: client,
		Sink: &lineSink{w: out}, StateDir: str("state"), Feeds: feeds,
		Interval: dur("interval"), Overlap: dur("overlap"), Lookback: dur("lookback"), PageSize: pageSize,
		Logf: func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) },
	})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	interval := dur("interval")
	for {
		err := c.PollOnce(ctx)
		printFeedStatus(stderr, c.Status())
		if once, _ := f.GetBool("once"); once {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(interval):
		}
	}
}

func printFeedStatus(w io.Writer, st []graph.FeedStatus) {
	for _, s := range st {
		line := fmt.Sprintf("%-24s position %s  lag %-10v emitted %d", s.Feed, s.Position.Format(time.RFC3339), s.Lag.Round(time.Second), s.Emitted)
		if s.LastError != "" {
			line += "  error: " + s.LastError
		}
		fmt.Fprintln(w, line)
	}
}

// lineSink writes each Emit as one {"records": [...]} line, the body of
// an Event Hubs message of Entra's diagnostic export.
type lineSink struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *lineSink) Emit(_ context.Context, recs ...activity.Record) error {
	b, err := json.Marshal(struct {
		Records []activity.Record `json:"records"`
	}{recs})
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.w.Write(append(b, '\n')); err != nil {
		return err
	}
	if f, ok := s.w.(*os.File); ok {
		// The checkpoint moves past these records next: they must be on
		// disk first.
		if err := f.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) && !isNotSyncable(err) {
			return err
		}
	}
	return nil
}

// isNotSyncable reports an fsync refused because the file is a pipe or a
// terminal, which hold nothing to make durable.
func isNotSyncable(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP)
}
