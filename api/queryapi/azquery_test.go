package queryapi

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"

	"github.com/idlogs/idlogs/workspace/query"
)

// staticToken is a credential that always returns one token.
type staticToken string

func (s staticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(s), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// The Azure SDK's logs client sends tokens only over HTTPS, so this test
// serves the API with TLS.
func TestAzqueryClient(t *testing.T) {
	f := newFixture(t, query.Limits{})
	ts := httptest.NewTLSServer(f.srv.Config.Handler)
	defer ts.Close()
	client, err := azquery.NewLogsClient(staticToken("reader"), &azquery.LogsClientOptions{ClientOptions: azcore.ClientOptions{
		Cloud: cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			azquery.ServiceNameLogs: {Audience: "https://api.loganalytics.io", Endpoint: ts.URL + "/v1"},
		}},
		Transport: ts.Client(),
		Retry:     policy.RetryOptions{MaxRetries: -1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	q := `SigninLogs | project TimeGenerated, UserPrincipalName, DurationMs, D = dynamic({"a":[1]}) | order by TimeGenerated desc | render table`
	res, err := client.QueryWorkspace(ctx, f.ws1.CustomerID, azquery.Body{Query: to.Ptr(q), Timespan: to.Ptr(azquery.TimeInterval("PT1H30M")),
		AdditionalWorkspaces: []*string{to.Ptr(f.ws2.CustomerID)}},
		&azquery.LogsClientQueryWorkspaceOptions{Options: &azquery.LogsQueryOptions{Statistics: to.Ptr(true), Visualization: to.Ptr(true), Wait: to.Ptr(60)}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Error != nil || len(res.Tables) != 1 || *res.Tables[0].Name != "PrimaryResult" {
		t.Fatalf("response: %+v", res)
	}
	tbl := res.Tables[0]
	var cols []string
	for _, c := range tbl.Columns {
		cols = append(cols, *c.Name+":"+string(*c.Type))
	}
	if got, want := strings.Join(cols, " "), "TimeGenerated:datetime UserPrincipalName:string DurationMs:long D:dynamic"; got != want {
		t.Errorf("columns %s, want %s", got, want)
	}
	if len(tbl.Rows) != 4 || tbl.Rows[0][0] != "2026-11-27T08:00:00Z" || tbl.Rows[0][2] != 0.0 || tbl.Rows[0][3] != `{"a":[1]}` {
		t.Errorf("rows: %v", tbl.Rows)
	}
	if !strings.Contains(string(res.Statistics), `"executionTime"`) || !strings.Contains(string(res.Visualization), `"visualization":"table"`) {
		t.Errorf("statistics %s, visualization %s", res.Statistics, res.Visualization)
	}

	_, err = client.QueryWorkspace(ctx, f.ws1.CustomerID, azquery.Body{Query: to.Ptr("SigninLogs | where")}, nil)
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.StatusCode != 400 || re.ErrorCode != "BadArgumentError" || !strings.Contains(err.Error(), "SYN0002") {
		t.Errorf("syntax error: %v", err)
	}

	rr, err := client.QueryResource(ctx, f.ws2.ResourceID(), azquery.Body{Query: to.Ptr("SigninLogs | count")}, nil)
	if err != nil || len(rr.Tables) != 1 || rr.Tables[0].Rows[0][0] != 4.0 {
		t.Errorf("resource query: %v %+v", err, rr)
	}

	br, err := client.QueryBatch(ctx, azquery.BatchRequest{Requests: []*azquery.BatchQueryRequest{
		{Body: &azquery.Body{Query: to.Ptr("SigninLogs | count")}, CorrelationID: to.Ptr("a"), WorkspaceID: to.Ptr(f.ws1.CustomerID)},
		{Body: &azquery.Body{Query: to.Ptr("SigninLogs | count"), Timespan: to.Ptr(azquery.TimeInterval("PT2H30M"))}, CorrelationID: to.Ptr("b"), WorkspaceID: to.Ptr(f.ws2.CustomerID)},
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]any{}
	for _, r := range br.Responses {
		if r.Body == nil || len(r.Body.Tables) != 1 || *r.Status != 200 {
			t.Fatalf("batch item %s: %+v", *r.CorrelationID, r)
		}
		counts[*r.CorrelationID] = r.Body.Tables[0].Rows[0][0]
	}
	if counts["a"] != 10.0 || counts["b"] != 3.0 {
		t.Errorf("batch counts: %v", counts)
	}
}
