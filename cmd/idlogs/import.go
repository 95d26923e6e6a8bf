package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/api/importapi"
	"github.com/idlogs/idlogs/connectors/fileimport"
)

// retentionWarning is the age past which imported records are older than
// a workspace's default retention.
const retentionWarning = 30 * 24 * time.Hour

// importBatchBytes bounds the JSON of one import request, well under the
// server's limit.
const importBatchBytes = 8 << 20

// newImportCmd builds "idlogs import": files of real Entra activity into
// a running server's activity log.
func newImportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import Entra sign-in and audit logs from files into the tenant's activity",
		Long: `Import real Entra activity from files into a running server. The records go
into the tenant's activity log, so the diagnostic settings route them like live
activity (create a setting first, for example with idlogs diag set).

Files: the Entra admin center's sign-in and audit downloads (CSV or JSON), Log
Analytics exports of the Entra tables (CSV or JSON with the table's columns),
Microsoft Graph pages of auditLogs/signIns and auditLogs/directoryAudits,
PT1H.json blobs of a storage archive and Event Hubs messages ({"records": [...]}).
The format is told from the content; --format forces one.

A file is checked whole before anything of it is sent: a file with problems is
rejected with the line, column and field of each, and nothing of it is imported.
Importing a file again is harmless: records the server imported before (by
category and record id) are skipped and counted as already present. Records
without an id get one derived from their content, the same every time.`,
		Args: cobra.MinimumNArgs(1),
		RunE: runImport,
	}
	f := cmd.Flags()
	addServerFlags(f)
	f.String("format", "", "force the file format: "+formatNames())
	f.String("category", "", "the diagnostic category of sign-ins whose files do not tell it (for example NonInteractiveUserSignInLogs)")
	f.Int("batch", 1000, "records per request")
	f.Bool("check", false, "only check the files and show what would be imported")
	f.Bool("shift-time", false, "move each file's records in time so that its newest is now (TimeGenerated only; the properties keep their timestamps)")
	return cmd
}

func formatNames() string {
	names := make([]string, len(fileimport.Formats))
	for i, f := range fileimport.Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// importTotals adds up the files of one command.
type importTotals struct {
	files, rejected   int
	accepted, present int
	checked           int
}

func runImport(cmd *cobra.Command, files []string) error {
	f := cmd.Flags()
	var opt fileimport.Options
	if s, _ := f.GetString("format"); s != "" {
		format, err := fileimport.ParseFormat(s)
		if err != nil {
			return err
		}
		opt.Format = format
	}
	opt.Category, _ = f.GetString("category")
	batch, _ := f.GetInt("batch")
	if batch <= 0 {
		return errors.New("--batch must be at least 1")
	}
	checkOnly, _ := f.GetBool("check")
	if shift, _ := f.GetBool("shift-time"); shift {
		opt.ShiftTo = time.Now().UTC()
	}
	var c *importClient
	if !checkOnly {
		var err error
		if c, err = newImportClient(cmd); err != nil {
			return err
		}
	}
	out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
	var tot importTotals
	for _, name := range files {
		tot.files++
		if err := importFile(c, name, opt, batch, out, errOut, &tot); err != nil {
			tot.rejected++
			fmt.Fprintf(out, "%s: rejected, nothing imported:\n", name)
			for _, line := range strings.Split(err.Error(), "\n") {
				fmt.Fprintf(out, "  %s\n", line)
			}
		}
	}
	if checkOnly {
		fmt.Fprintf(out, "%d file(s) checked: %d record(s) would be imported, %d file(s) rejected\n", tot.files, tot.checked, tot.rejected)
	} else {
		fmt.Fprintf(out, "%d file(s): %d record(s) accepted, %d already present, %d file(s) rejected\n", tot.files, tot.accepted, tot.present, tot.rejected)
	}
	if tot.rejected > 0 {
		return errReported
	}
	return nil
}

// importFile checks one file and, unless c is nil, sends its records in
// batches. A returned error means nothing of the file was imported.
func importFile(c *importClient, name string, opt fileimport.Options, batch int, out, errOut io.Writer, tot *importTotals) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	var bar *progress
	checking := newProgress(errOut, filepath.Base(name), 0)
	opt.Checking = checking.count
	opt.Checked = func(f *fileimport.File) {
		checking.done()
		if c != nil {
			bar = newProgress(errOut, filepath.Base(name), f.Total)
		}
	}
	var res importapi.Result
	var pending []activity.Record
	size, sent := 0, 0
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		r, err := c.send(pending)
		if err != nil {
			return err
		}
		res.Accepted += r.Accepted
		res.Present += r.Present
		res.Stamped += r.Stamped
		sent += len(pending)
		bar.set(sent)
		pending, size = pending[:0], 0
		return nil
	}
	file, err := fileimport.Read(name, data, opt, func(it fileimport.Item) error {
		if c == nil {
			return nil
		}
		pending = append(pending, it.Record)
		size += len(it.Record.Properties) + 512
		if len(pending) >= batch || size >= importBatchBytes {
			return flush()
		}
		return nil
	})
	if err == nil && c != nil {
		err = flush()
	}
	checking.done()
	bar.done()
	var list fileimport.ErrorList
	if errors.As(err, &list) {
		return err
	}
	if err != nil {
		if sent == 0 {
			return err
		}
		// Earlier batches are in: say so, and how to finish.
		tot.accepted += res.Accepted
		tot.present += res.Present
		fmt.Fprintf(out, "%s: %d of %d record(s) imported before an error: %v\n  Run the same command again to import the rest; records already imported are skipped.\n",
			name, sent, file.Total, err)
		tot.rejected++
		return nil
	}
	describeFile(out, name, file, c == nil)
	if c == nil {
		tot.checked += file.Total
		fmt.Fprintf(out, "  %d record(s) would be imported\n", file.Total)
		return nil
	}
	tot.accepted += res.Accepted
	tot.present += res.Present
	fmt.Fprintf(out, "  %s\n", res.Describe())
	return nil
}

// describeFile prints what a file was read as; verbose adds how the
// format was told.
func describeFile(out io.Writer, name string, f *fileimport.File, verbose bool) {
	cats := make([]string, 0, len(f.Records))
	for c, n := range f.Records {
		cats = append(cats, fmt.Sprintf("%s %d", c, n))
	}
	sort.Strings(cats)
	what := f.Format.Describe()
	if f.Table != "" {
		what += " of " + f.Table
	}
	fmt.Fprintf(out, "%s: %s, %d record(s): %s\n", name, what, f.Total, strings.Join(cats, ", "))
	if verbose {
		fmt.Fprintf(out, "  format: %s\n", f.How)
	}
	if len(f.Ignored) > 0 {
		fmt.Fprintf(out, "  ignored %d column(s) that no table column takes: %s\n", len(f.Ignored), strings.Join(f.Ignored, ", "))
	}
	if f.DerivedIDs > 0 {
		fmt.Fprintf(out, "  %d record(s) had no id: ids derived from their content (SHA-256), the same on every import\n", f.DerivedIDs)
	}
	if !f.Newest.IsZero() {
		fmt.Fprintf(out, "  from %s to %s", f.Oldest.Format(time.RFC3339), f.Newest.Format(time.RFC3339))
		switch {
		case f.Shift != 0:
			fmt.Fprintf(out, ", moved by %s so that the newest is the import time\n", days(f.Shift))
		case time.Since(f.Oldest) > retentionWarning:
			fmt.Fprintf(out, "\n  note: a workspace drops rows older than its tables' retention (30 days unless set, at most 730),\n"+
				"  so rows this old go at its next retention pass; --shift-time moves them to the present\n")
		default:
			fmt.Fprintln(out)
		}
	}
	if verbose && f.NoTime > 0 {
		fmt.Fprintf(out, "  %d record(s) have no time: they will take the time of the import\n", f.NoTime)
	}
}

// importClient posts records to a server's import route.
type importClient struct {
	*serverConn
	token string
}

func newImportClient(cmd *cobra.Command) (*importClient, error) {
	conn, err := dialServer(cmd, 5*time.Minute)
	if err != nil {
		return nil, err
	}
	clientID, secret, err := conn.adminCredentials()
	if err != nil {
		return nil, err
	}
	c := &importClient{serverConn: conn}
	if c.token, err = conn.clientToken(conn.boot.TenantID, clientID, secret, "https://management.azure.com/.default"); err != nil {
		return nil, fmt.Errorf("%w (is the server running? start it with idlogs serve)", err)
	}
	return c, nil
}

func (c *importClient) send(recs []activity.Record) (importapi.Result, error) {
	body := []byte(`{"records":[`)
	for i := range recs {
		if i > 0 {
			body = append(body, ',')
		}
		var err error
		if body, err = recs[i].AppendJSON(body); err != nil {
			return importapi.Result{}, err
		}
	}
	body = append(body, "]}"...)
	u := strings.TrimSuffix(c.boot.ARMEndpoint, "/") + importapi.Path + "?api-version=" + importapi.APIVersion
	req, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return importapi.Result{}, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return importapi.Result{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return importapi.Result{}, err
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if json.Unmarshal(data, &e) == nil && e.Error.Code != "" {
			return importapi.Result{}, fmt.Errorf("the server refused the records: %s: %s", e.Error.Code, e.Error.Message)
		}
		return importapi.Result{}, fmt.Errorf("the server answered %s", resp.Status)
	}
	var res importapi.Result
	if err := json.Unmarshal(data, &res); err != nil {
		return importapi.Result{}, fmt.Errorf("the server's answer: %w", err)
	}
	return res, nil
}

// days writes a long duration in days, hours and minutes.
func days(d time.Duration) string {
	d = d.Round(time.Minute)
	n := d / (24 * time.Hour)
	return fmt.Sprintf("%dd%s", n, strings.TrimSuffix((d-n*24*time.Hour).String(), "0s"))
}
