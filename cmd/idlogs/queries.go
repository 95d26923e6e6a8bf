package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/idlogs/idlogs/workspace/querypack"
	"github.com/spf13/cobra"
)

// queryPackAPIVersion is the api-version of the query pack routes.
const queryPackAPIVersion = "2019-09-01"

// armScope is the scope of an Azure Resource Manager token.
const armScope = "https://management.azure.com/.default"

func newQueriesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "queries",
		Short: "List and run the built-in query pack's saved queries",
		Long: `The server's built-in query pack (` + querypack.Name + `) holds saved KQL queries that
answer the questions Entra's logs in a workspace are for: apps still on ADAL,
risky users and their detections, sign-ins against security alerts, sign-in
page performance against application data, and Microsoft's documented example
queries for the Entra tables. The server serves the pack over ARM as
Microsoft.OperationalInsights/queryPacks/` + querypack.Name + `; these commands read it there.`,
	}
	cmd.AddCommand(newQueriesListCmd(), newQueriesRunCmd())
	return cmd
}

func newQueriesListCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list [-o table|json]",
		Short: "List the saved queries: name, categories and display name",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, _ := cmd.Flags().GetString("output")
			c, err := newPackClient(cmd)
			if err != nil {
				return err
			}
			var list struct {
				Value []packQuery `json:"value"`
			}
			if err := c.get("/queries", url.Values{"includeBody": {"true"}}, &list); err != nil {
				return err
			}
			switch strings.ToLower(format) {
			case "json":
				out, err := json.MarshalIndent(list.Value, "", "  ")
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s\n", out)
				return err
			case "table":
				return writeQueryList(cmd.OutOrStdout(), list.Value)
			}
			return fmt.Errorf("unknown output format %q: use table or json", format)
		},
	}
	addServerFlags(cmd.Flags())
	cmd.Flags().StringP("output", "o", "table", "output format: table or json")
	return cmd
}

func newQueriesRunCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run NAME [-w WORKSPACE] [-t TIMESPAN] [-o table|json|jsonc|tsv|csv]",
		Short: "Run a saved query by its name (see queries list) as idlogs query runs KQL",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := newPackClient(cmd)
			if err != nil {
				return err
			}
			var q packQuery
			if err := c.get("/queries/"+url.PathEscape(args[0]), nil, &q); err != nil {
				return err
			}
			return runKQL(cmd, q.Properties.Body, args[0])
		},
	}
	addQueryFlags(cmd)
	return cmd
}

// packQuery is a query of the pack as the API sends it.
type packQuery struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Properties struct {
		DisplayName string `json:"displayName"`
		Description string `json:"description"`
		Body        string `json:"body"`
		Related     struct {
			Categories []string `json:"categories"`
		} `json:"related"`
		Properties struct {
			Name   string   `json:"name"`
			Tables []string `json:"tables"`
			Source string   `json:"source"`
		} `json:"properties"`
	} `json:"properties"`
}

func writeQueryList(w io.Writer, qs []packQuery) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCATEGORIES\tDISPLAY NAME")
	for _, q := range qs {
		p := q.Properties
		fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Properties.Name, strings.Join(p.Related.Categories, ","), p.DisplayName)
	}
	return tw.Flush()
}

// packClient reads the built-in pack over ARM.
type packClient struct {
	*serverConn
	token string
}

func newPackClient(cmd *cobra.Command) (*packClient, error) {
	conn, err := dialServer(cmd, time.Minute)
	if err != nil {
		return nil, err
	}
	token, err := callerToken(cmd, conn, armScope)
	if err != nil {
		return nil, err
	}
	return &packClient{serverConn: conn, token: token}, nil
}

// get reads path under the pack into out; an ARM error becomes
// "code: message".
func (c *packClient) get(path string, q url.Values, out any) error {
	if q == nil {
		q = url.Values{}
	}
	q.Set("api-version", queryPackAPIVersion)
	u := strings.TrimSuffix(c.boot.ARMEndpoint, "/") + "/subscriptions/" + c.boot.SubscriptionID + "/resourceGroups/" + c.boot.ResourceGroup +
		"/providers/Microsoft.OperationalInsights/queryPacks/" + querypack.Name + path + "?" + q.Encode()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if json.Unmarshal(data, &e) == nil && e.Error.Code != "" {
			return fmt.Errorf("%s: %s", e.Error.Code, e.Error.Message)
		}
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.Unmarshal(data, out)
}
