package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/idlogs/idlogs/diagnostics"
)

// diagAPIVersion is the api-version the diag commands send.
const diagAPIVersion = "2017-04-01"

// newDiagCmd builds "idlogs diag": Entra diagnostic settings on a running
// server, through its ARM API with the admin credentials of bootstrap.json.
func newDiagCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "diag",
		Short: "Manage the Entra diagnostic settings of a running server",
		Long: `Manage Entra diagnostic settings (which activity log categories go to which
workspace, storage account, event hub or partner) on a running idlogs server.
The commands call the server's ARM API (provider microsoft.aadiam) with the
admin application's credentials from bootstrap.json; --csa manages the
custom-security-attribute settings instead.`,
	}
	f := cmd.PersistentFlags()
	addServerFlags(f)
	f.Bool("csa", false, "manage the custom-security-attribute diagnostic settings")
	cmd.AddCommand(newDiagListCmd(), newDiagShowCmd(), newDiagSetCmd(), newDiagDeleteCmd(), newDiagCategoriesCmd(), newDiagStatusCmd())
	return cmd
}

func newDiagListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the diagnostic settings",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := newDiagClient(cmd)
			if err != nil {
				return err
			}
			var list struct {
				Value []diagnostics.Setting `json:"value"`
			}
			if err := c.call(http.MethodGet, "/diagnosticSettings", nil, &list); err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tCATEGORIES\tDESTINATIONS")
			for _, s := range list.Value {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Name, strings.Join(enabledCategories(s), ","), strings.Join(destinationIDs(s), " "))
			}
			return tw.Flush()
		},
	}
}

func enabledCategories(s diagnostics.Setting) []string {
	var out []string
	for _, l := range s.Properties.Logs {
		if l.Enabled {
			out = append(out, l.Category)
		}
	}
	return out
}

func destinationIDs(s diagnostics.Setting) []string {
	var out []string
	p := s.Properties
	for _, id := range []*string{p.WorkspaceID, p.StorageAccountID, p.EventHubAuthorizationRuleID, p.MarketplacePartnerID} {
		if id != nil && *id != "" {
			out = append(out, *id)
		}
	}
	return out
}

func newDiagShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show NAME",
		Short: "Print one diagnostic setting as JSON",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := newDiagClient(cmd)
			if err != nil {
				return err
			}
			var s json.RawMessage
			if err := c.call(http.MethodGet, "/diagnosticSettings/"+url.PathEscape(args[0]), nil, &s); err != nil {
				return err
			}
			return printJSON(cmd.OutOrStdout(), s)
		},
	}
}

func newDiagStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "status NAME",
		Short: "Print the delivery status of a setting: per destination, records delivered, lag and the last error",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := newDiagClient(cmd)
			if err != nil {
				return err
			}
			var st struct {
				Value []struct {
					Destination, Target, LastError string
					Delivered                      int64
					Lag                            uint64
					Retrying                       bool
				} `json:"value"`
			}
			if err := c.call(http.MethodGet, "/diagnosticSettings/"+url.PathEscape(args[0])+"/status", nil, &st); err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "DESTINATION\tDELIVERED\tLAG\tRETRYING\tLAST ERROR\tTARGET")
			for _, v := range st.Value {
				fmt.Fprintf(tw, "%s\t%d\t%d\t%v\t%s\t%s\n", v.Destination, v.Delivered, v.Lag, v.Retrying, v.LastError, v.Target)
			}
			return tw.Flush()
		},
	}
}

func newDiagSetCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "set NAME --logs CATEGORY,... [--workspace ID|default] [--storage ID] [--event-hub-rule ID [--event-hub NAME]] [--partner ID]",
		Short: "Create or replace a diagnostic setting",
		Long: `Create or replace a diagnostic setting: the categories of --logs are enabled
and sent to the destinations given. --workspace default names the server's
default workspace. Replacing keeps nothing of the old setting.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := newDiagClient(cmd)
			if err != nil {
				return err
			}
			f := cmd.Flags()
			var props diagnostics.SettingProperties
			for flag, field := range map[string]**string{
				"workspace": &props.WorkspaceID, "storage": &props.StorageAccountID,
				"event-hub-rule": &props.EventHubAuthorizationRuleID, "event-hub": &props.EventHubName, "partner": &props.MarketplacePartnerID,
			} {
				if v, _ := f.GetString(flag); v != "" {
					*field = &v
				}
			}
			if props.WorkspaceID != nil && *props.WorkspaceID == "default" {
				props.WorkspaceID = &c.boot.Workspace.ResourceID
			}
			logs, _ := f.GetStringSlice("logs")
			for _, l := range logs {
				props.Logs = append(props.Logs, diagnostics.Log{Category: strings.TrimSpace(l), Enabled: true})
			}
			var out json.RawMessage
			if err := c.call(http.MethodPut, "/diagnosticSettings/"+url.PathEscape(args[0]), diagnostics.Setting{Properties: props}, &out); err != nil {
				return err
			}
			return printJSON(cmd.OutOrStdout(), out)
		},
	}
	f := cmd.Flags()
	f.String("workspace", "", "ARM id of a Log Analytics workspace, or \"default\"")
	f.String("storage", "", "ARM id of a storage account")
	f.String("event-hub-rule", "", "ARM id of an Event Hubs namespace authorization rule")
	f.String("event-hub", "", "event hub name (default: one hub per category)")
	f.String("partner", "", "ARM id of a partner solution")
	f.StringSlice("logs", nil, "categories to enable, comma-separated (see idlogs diag categories)")
	_ = cmd.MarkFlagRequired("logs")
	return cmd
}

func newDiagDeleteCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a diagnostic setting",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := newDiagClient(cmd)
			if err != nil {
				return err
			}
			status, _, err := c.do(http.MethodDelete, "/diagnosticSettings/"+url.PathEscape(args[0]), nil)
			if err != nil {
				return err
			}
			if status == http.StatusNoContent {
				fmt.Fprintf(cmd.OutOrStdout(), "diagnostic setting %s does not exist\n", args[0])
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "deleted diagnostic setting %s\n", args[0])
			}
			return nil
		},
	}
}

func newDiagCategoriesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "categories",
		Short: "List the categories a setting may send",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := newDiagClient(cmd)
			if err != nil {
				return err
			}
			var list struct {
				Value []struct {
					Name string `json:"name"`
				} `json:"value"`
			}
			if err := c.call(http.MethodGet, "/diagnosticSettingsCategories", nil, &list); err != nil {
				return err
			}
			for _, v := range list.Value {
				fmt.Fprintln(cmd.OutOrStdout(), v.Name)
			}
			return nil
		},
	}
}

func printJSON(w io.Writer, raw json.RawMessage) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return err
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

// diagClient calls the diagnostic settings API of one provider.
type diagClient struct {
	*serverConn
	token    string
	provider string
}

// newDiagClient reads bootstrap.json, trusts its CA and gets an ARM token
// for the admin application.
func newDiagClient(cmd *cobra.Command) (*diagClient, error) {
	conn, err := dialServer(cmd, time.Minute)
	if err != nil {
		return nil, err
	}
	clientID, secret, err := conn.adminCredentials()
	if err != nil {
		return nil, err
	}
	c := &diagClient{serverConn: conn, provider: diagnostics.ProviderAADIAM}
	if csa, _ := cmd.Flags().GetBool("csa"); csa {
		c.provider = diagnostics.ProviderCustomSecurityAttributes
	}
	if c.token, err = conn.clientToken(conn.boot.TenantID, clientID, secret, "https://management.azure.com/.default"); err != nil {
		return nil, err
	}
	return c, nil
}

// do sends a request to path under the provider and returns the status
// and body of a success; an ARM error becomes "code: message".
func (c *diagClient) do(method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	u := strings.TrimSuffix(c.boot.ARMEndpoint, "/") + "/providers/" + c.provider + path + "?api-version=" + diagAPIVersion
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if json.Unmarshal(data, &e) == nil && e.Error.Code != "" {
			return resp.StatusCode, nil, fmt.Errorf("%s: %s", e.Error.Code, e.Error.Message)
		}
		return resp.StatusCode, nil, fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	return resp.StatusCode, data, nil
}

// call sends a request and decodes its JSON answer into out.
func (c *diagClient) call(method, path string, body, out any) error {
	_, data, err := c.do(method, path, body)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, out)
}
