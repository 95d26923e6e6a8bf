package main

import (
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/idlogs/idlogs/connectors/eventhub"
	"github.com/idlogs/idlogs/connectors/kafkaconn"
	"github.com/idlogs/idlogs/connectors/mirror"
	"github.com/idlogs/idlogs/diagnostics/router"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
	"github.com/idlogs/idlogs/pki"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace"
)

// connectionStringEnv is the environment variable that may hold the Event
// Hubs connection string, to keep it off command lines.
const connectionStringEnv = "IDLOGS_EVENTHUB_CONNECTION_STRING"

// newConnectEventHubCmd is "idlogs connect eventhub": the Event Hubs
// connector into a data directory's mirrored tenants.
func newConnectEventHubCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eventhub --connection-string CS --hub HUB [--consumer-group G]",
		Short: "Read Entra's diagnostic-setting stream from Event Hubs into mirrored tenants",
		Long: `Read the {"records":[...]} events an Entra tenant's diagnostic setting streams to
Event Hubs, over the namespace's Kafka endpoint (NAMESPACE.servicebus.windows.net:9093,
TLS, SASL PLAIN with the connection string), as a consumer group of one or more hubs.

Records keep their tenant id: each tenant seen is mirrored in the data directory
with its own activity log and diagnostic settings, which by default send every
category to the default workspace. Offsets are committed once the records are
durable. Run it while the server is stopped (it opens the data directory
itself); start the server afterwards, or meanwhile on another data directory,
to query. SIGINT or SIGTERM stops it.

The connection string may come from $` + connectionStringEnv + ` instead of the
command line. It is never printed.

Every --status-every a line per partition shows position, high watermark and
lag; status.json beside the connector's state is what "idlogs connect status"
prints. A partition that stands still behind its high watermark for
--stall-after is reported as stalled; malformed events are logged, counted and
kept in malformed.jsonl with their offsets.`,
		Args: cobra.NoArgs,
		RunE: runConnectEventHub,
	}
	f := cmd.Flags()
	f.String("data", "idlogs-data", "data directory of the server")
	f.String("connection-string", "", "Event Hubs connection string (or $"+connectionStringEnv+")")
	f.StringArray("hub", nil, "event hub to read (repeatable; default: the connection string's EntityPath)")
	f.String("consumer-group", eventhub.DefaultConsumerGroup, "consumer group")
	f.StringSlice("brokers", nil, "Kafka bootstrap servers host:port, instead of the namespace's (a local broker)")
	f.String("ca-file", "", "PEM file of CAs to trust for the broker's certificate (default: the system's)")
	f.String("name", "default", "name of this connector's state under DATA/connect/eventhub/")
	f.String("workspace", "", "ARM id of the workspace new mirrors send every category to (default: the server's default workspace)")
	f.String("tenant-id", "", "tenant of records that name none")
	f.Duration("status-every", 30*time.Second, "how often to print the partitions' positions")
	f.Duration("stall-after", 20*time.Second, "how long a partition may stand still behind its high watermark before it is reported")
	f.Bool("from-end", false, "a new consumer group starts at the hubs' ends instead of their oldest events")
	return cmd
}

func runConnectEventHub(cmd *cobra.Command, _ []string) error {
	f := cmd.Flags()
	data, _ := f.GetString("data")
	cs, _ := f.GetString("connection-string")
	if cs == "" {
		cs = os.Getenv(connectionStringEnv)
	}
	brokers, _ := f.GetStringSlice("brokers")
	if cs == "" && len(brokers) == 0 {
		return fmt.Errorf("give --connection-string (or $%s), or --brokers for a plain Kafka broker", connectionStringEnv)
	}
	conf := kafkaconn.Config{ConnectionString: cs, Brokers: brokers}
	if ca, _ := f.GetString("ca-file"); ca != "" {
		pool, err := pki.Pool(ca)
		if err != nil {
			return fmt.Errorf("--ca-file: %w", err)
		}
		conf.TLS = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	name, _ := f.GetString("name")
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return fmt.Errorf("--name %q must be a plain file name", name)
	}
	wsID, _ := f.GetString("workspace")
	if wsID == "" {
		var err error
		if wsID, err = defaultWorkspace(data); err != nil {
			return err
		}
	}
	errw := cmd.ErrOrStderr()
	var logMu sync.Mutex
	logf := func(format string, args ...any) {
		logMu.Lock()
		defer logMu.Unlock()
		fmt.Fprintf(errw, time.Now().UTC().Format(time.TimeOnly)+" "+format+"\n", args...)
	}

	db, err := state.Open(filepath.Join(data, "state.db"))
	if err != nil {
		return fmt.Errorf("%w (is the server running? stop it first)", err)
	}
	defer db.Close()
	ws, err := workspace.Open(data, db, store.Options{Logf: logf}, nil)
	if err != nil {
		return err
	}
	defer ws.Close()
	res := router.NewResources(db, filepath.Join(data, "storage"), ws)
	mirrors, err := mirror.Open(mirror.Options{
		Dir: filepath.Join(data, "tenants"), Destinations: &router.Destinations{Resources: res, Workspaces: ws, Table: tablemap.Table, Rows: tablemap.Build, Logf: logf},
		Exists: res.Exists, DefaultWorkspace: wsID, Workspaces: ws, AutoAdd: true, Logf: logf,
		Router: router.Options{BatchSize: 5000},
	})
	if err != nil {
		return err
	}
	defer mirrors.Close()
	hubs, _ := f.GetStringArray("hub")
	group, _ := f.GetString("consumer-group")
	tenantID, _ := f.GetString("tenant-id")
	stall, _ := f.GetDuration("stall-after")
	fromEnd, _ := f.GetBool("from-end")
	stateDir := filepath.Join(data, "connect", "eventhub", name)
	conn, err := eventhub.New(eventhub.Config{Kafka: conf, Hubs: hubs, ConsumerGroup: group, Sink: mirrors, TenantID: tenantID,
		StateDir: stateDir, StallAfter: stall, StartAtEnd: fromEnd, Logf: logf})
	if err != nil {
		return err
	}
	defer conn.Close()

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	first := conn.Status()
	fmt.Fprintf(cmd.OutOrStdout(), "idlogs connect eventhub: hubs %s, consumer group %s, brokers %s; state in %s\n",
		strings.Join(first.Hubs, ","), first.ConsumerGroup, first.Brokers, stateDir)
	var wg sync.WaitGroup
	wg.Go(func() { mirrors.Run(ctx) })
	wg.Go(func() {
		if err := conn.Run(ctx); err != nil {
			logf("%v", err)
			stop()
		}
	})
	every, _ := f.GetDuration("status-every")
	if every <= 0 {
		every = 30 * time.Second
	}
	tick := time.NewTicker(min(every, 5*time.Second))
	defer tick.Stop()
	last := time.Now()
	st := connectStatus{EventHub: first}
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
		case <-tick.C:
			// The state as it was running: once stopping, the partitions
			// are given up and the routers' pairs end.
			st = statusOf(conn, mirrors)
			if err := writeStatus(stateDir, st); err != nil {
				logf("write status: %v", err)
			}
		}
		if done || time.Since(last) >= every {
			last = time.Now()
			logMu.Lock()
			printStatus(errw, st)
			logMu.Unlock()
		}
	}
	logf("idlogs connect eventhub: stopping")
	wg.Wait()
	st.EventHub.Running = false
	return writeStatus(stateDir, st)
}

// connectStatus is what status.json holds: the connector's state and the
// delivery of every mirrored tenant's records.
type connectStatus struct {
	EventHub eventhub.Status `json:"eventHub"`
	Tenants  []tenantStatus  `json:"tenants"`
}

type tenantStatus struct {
	TenantID string          `json:"tenantId"`
	Delivery []router.Status `json:"delivery"`
}

func statusOf(conn *eventhub.Connector, mirrors *mirror.Mirrors) connectStatus {
	st := connectStatus{EventHub: conn.Status(), Tenants: []tenantStatus{}}
	for _, t := range mirrors.Tenants() {
		st.Tenants = append(st.Tenants, tenantStatus{TenantID: t.ID, Delivery: t.Router.Status()})
	}
	return st
}

// defaultWorkspace reads the default workspace's ARM id from
// bootstrap.json.
func defaultWorkspace(data string) (string, error) {
	raw, err := os.ReadFile(filepath.Join(data, "bootstrap.json"))
	if err != nil {
		return "", fmt.Errorf("%w: start the server once on %s, or give --workspace", err, data)
	}
	var b struct {
		Workspace struct {
			ResourceID string `json:"resourceId"`
		} `json:"workspace"`
	}
	if err := json.Unmarshal(raw, &b); err != nil || b.Workspace.ResourceID == "" {
		return "", fmt.Errorf("%s/bootstrap.json names no workspace; give --workspace", data)
	}
	return b.Workspace.ResourceID, nil
}

// writeStatus replaces dir/status.json.
func writeStatus(dir string, st connectStatus) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, "status.json.tmp")
	if err := os.WriteFile(tmp, append(data, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, "status.json"))
}

// printStatus writes one line for the connector, one per partition and
// one per mirrored tenant's destination.
func printStatus(w io.Writer, cst connectStatus) {
	st := cst.EventHub
	fmt.Fprintf(w, "event hubs %s (group %s): %d events, %d records, %d malformed, %d stalled partitions\n",
		strings.Join(st.Hubs, ","), st.ConsumerGroup, st.Events, st.Records, st.Malformed, st.Stalled)
	if st.LastError != "" {
		fmt.Fprintf(w, "  last error: %s\n", st.LastError)
	}
	if st.LastMalformed != nil {
		m := st.LastMalformed
		fmt.Fprintf(w, "  last malformed: hub %s partition %d offset %d: %s\n", m.Hub, m.Partition, m.Offset, m.Error)
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  HUB\tPARTITION\tPOSITION\tHIGH WATERMARK\tLAG\tSTATE")
	for _, p := range st.Partitions {
		state := "ok"
		if p.Stalled {
			state = "STALLED: " + p.LastError
		} else if p.LastError != "" {
			state = "error: " + p.LastError
		}
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\t%s\n", p.Hub, p.Partition, p.Position, p.HighWatermark, p.Lag, state)
	}
	tw.Flush()
	for _, t := range cst.Tenants {
		for _, d := range t.Delivery {
			state := "ok"
			if d.LastError != "" {
				state = "error: " + d.LastError
			}
			fmt.Fprintf(w, "tenant %s: setting %s to %s: %d delivered, lag %d, %s\n", t.TenantID, d.Setting, d.Destination, d.Delivered, d.Lag, state)
		}
	}
}

// newConnectStatusCmd is "idlogs connect status": what an Event Hubs
// connector last wrote to its status.json.
func newConnectStatusCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "status [--name NAME] [-o text|json]",
		Short: "Show an Event Hubs connector's position, lag and errors (as it last wrote them)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			data, _ := cmd.Flags().GetString("data")
			name, _ := cmd.Flags().GetString("name")
			out, _ := cmd.Flags().GetString("output")
			path := filepath.Join(data, "connect", "eventhub", name, "status.json")
			raw, err := os.ReadFile(path)
			if errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("no connector status in %s: run idlogs connect eventhub first", path)
			} else if err != nil {
				return err
			}
			if out == "json" {
				_, err := cmd.OutOrStdout().Write(raw)
				return err
			}
			var st connectStatus
			if err := json.Unmarshal(raw, &st); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			if fi, err := os.Stat(path); err == nil {
				fmt.Fprintf(cmd.OutOrStdout(), "as of %s\n", fi.ModTime().UTC().Format(time.RFC3339))
			}
			printStatus(cmd.OutOrStdout(), st)
			return nil
		},
	}
	cmd.Flags().String("data", "idlogs-data", "data directory of the server")
	cmd.Flags().String("name", "default", "connector name (see idlogs connect eventhub --name)")
	cmd.Flags().StringP("output", "o", "text", "text or json")
	return cmd
}
