package server

import (
	"context"
	"errors"
	"net/http"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/ingestion/azlogs"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/operationalinsights/armoperationalinsights/v2"
)

// TestARMClientWorkspaceTablesSavedSearches drives the workspace, its
// tables and its saved searches with the Azure SDK's own ARM client
// (armoperationalinsights, api-version 2025-07-01), over HTTPS with the
// server's tokens: what Azure tooling built on that client sees.
func TestARMClientWorkspaceTablesSavedSearches(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	opts := &arm.ClientOptions{ClientOptions: ts.clientOptions()}
	factory, err := armoperationalinsights.NewClientFactory(ts.boot.SubscriptionID, ts.admin(), opts)
	if err != nil {
		t.Fatal(err)
	}
	rg, wsName := ts.boot.ResourceGroup, path.Base(ts.boot.Workspace.ResourceID)

	ws, err := factory.NewWorkspacesClient().Get(ctx, rg, wsName, nil)
	if err != nil {
		t.Fatalf("workspace: %v", err)
	}
	if got := str(ws.Properties.CustomerID); got != ts.boot.Workspace.ID {
		t.Errorf("workspace customer id %q, want %q", got, ts.boot.Workspace.ID)
	}

	wsPoller, err := factory.NewWorkspacesClient().BeginCreateOrUpdate(ctx, rg, "second", armoperationalinsights.Workspace{
		Location:   to.Ptr("westeurope"),
		Properties: &armoperationalinsights.WorkspaceProperties{RetentionInDays: to.Ptr[int32](60)},
	}, nil)
	if err != nil {
		t.Fatalf("creating a workspace: %v", err)
	}
	second, err := wsPoller.PollUntilDone(ctx, nil)
	if err != nil {
		t.Fatalf("creating a workspace: %v", err)
	}
	if str(second.Properties.CustomerID) == "" || second.Properties.RetentionInDays == nil || *second.Properties.RetentionInDays != 60 {
		t.Errorf("new workspace: customer id %q, retention %v", str(second.Properties.CustomerID), second.Properties.RetentionInDays)
	}

	tables := factory.NewTablesClient()
	found := false
	for pager := tables.NewListByWorkspacePager(rg, wsName, nil); pager.More(); {
		page, err := pager.NextPage(ctx)
		if err != nil {
			t.Fatalf("tables: %v", err)
		}
		for _, tab := range page.Value {
			found = found || str(tab.Name) == "SigninLogs"
		}
	}
	if !found {
		t.Error("the tables list has no SigninLogs")
	}
	signins, err := tables.Get(ctx, rg, wsName, "SigninLogs", nil)
	if err != nil {
		t.Fatalf("SigninLogs: %v", err)
	}
	if cols := signins.Properties.Schema.StandardColumns; !hasColumn(cols, "UserPrincipalName") {
		t.Errorf("SigninLogs's standard columns lack UserPrincipalName: %d columns", len(cols))
	}

	poller, err := tables.BeginCreateOrUpdate(ctx, rg, wsName, "Sdk_CL", armoperationalinsights.Table{
		Properties: &armoperationalinsights.TableProperties{
			RetentionInDays: to.Ptr[int32](30),
			Schema: &armoperationalinsights.Schema{Name: to.Ptr("Sdk_CL"), Columns: []*armoperationalinsights.Column{
				{Name: to.Ptr("TimeGenerated"), Type: to.Ptr(armoperationalinsights.ColumnTypeEnumDateTime)},
				{Name: to.Ptr("Message"), Type: to.Ptr(armoperationalinsights.ColumnTypeEnumString)},
			}},
		},
	}, nil)
	if err != nil {
		t.Fatalf("creating a custom table: %v", err)
	}
	created, err := poller.PollUntilDone(ctx, nil)
	if err != nil {
		t.Fatalf("creating a custom table: %v", err)
	}
	if r := created.Properties.RetentionInDays; r == nil || *r != 30 || !hasColumn(created.Properties.Schema.Columns, "Message") {
		t.Errorf("custom table: retention %v, columns %d", r, len(created.Properties.Schema.Columns))
	}
	if rows := ts.query("Sdk_CL | count"); len(rows) != 1 || rows[0][0] != float64(0) {
		t.Errorf("the new table in a query: %v", rows)
	}

	saved := factory.NewSavedSearchesClient()
	put, err := saved.CreateOrUpdate(ctx, rg, wsName, "failed-signins", armoperationalinsights.SavedSearch{
		Properties: &armoperationalinsights.SavedSearchProperties{
			Category:           to.Ptr("Sign-ins"),
			DisplayName:        to.Ptr("Failed sign-ins"),
			Query:              to.Ptr("SigninLogs | where ResultType != '0' | take n"),
			FunctionAlias:      to.Ptr("FailedSignins"),
			FunctionParameters: to.Ptr("n:long = 10"),
		},
	}, nil)
	if err != nil {
		t.Fatalf("saving a search: %v", err)
	}
	if str(put.Name) != "failed-signins" || str(put.Properties.FunctionAlias) != "FailedSignins" || put.Etag == nil {
		t.Errorf("saved search: name %q alias %q etag %v", str(put.Name), str(put.Properties.FunctionAlias), put.Etag)
	}
	got, err := saved.Get(ctx, rg, wsName, "failed-signins", nil)
	if err != nil || str(got.Properties.FunctionParameters) != "n:long = 10" {
		t.Fatalf("reading it back: %v %+v", err, got.Properties)
	}
	list, err := saved.ListByWorkspace(ctx, rg, wsName, nil)
	if err != nil || len(list.Value) != 1 || str(list.Value[0].ID) != str(put.ID) {
		t.Fatalf("list: %v %d", err, len(list.Value))
	}
	if rows := ts.query("FailedSignins(0) | count"); len(rows) != 1 || rows[0][0] != float64(0) {
		t.Errorf("calling the function: %v", rows)
	}
	_, err = saved.CreateOrUpdate(ctx, rg, wsName, "broken", armoperationalinsights.SavedSearch{
		Properties: &armoperationalinsights.SavedSearchProperties{
			Category: to.Ptr("c"), DisplayName: to.Ptr("d"), Query: to.Ptr("SigninLogs | where"),
		},
	}, nil)
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.StatusCode != http.StatusBadRequest {
		t.Errorf("a query that does not parse: %v", err)
	}
	if _, err := saved.Delete(ctx, rg, wsName, "failed-signins", nil); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := saved.Get(ctx, rg, wsName, "failed-signins", nil); !errors.As(err, &re) || re.StatusCode != http.StatusNotFound {
		t.Errorf("a deleted saved search: %v", err)
	}
}

func hasColumn(cols []*armoperationalinsights.Column, name string) bool {
	for _, c := range cols {
		if str(c.Name) == name {
			return true
		}
	}
	return false
}

// str is *p, or "" for nil.
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// TestARMClientDataCollectionRule creates a custom table and a data
// collection rule with the Azure SDK's ARM clients (armoperationalinsights,
// armmonitor at api-version 2024-03-11), then sends rows through the rule
// with azlogs and reads them back with its transformation applied.
func TestARMClientDataCollectionRule(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	opts := &arm.ClientOptions{ClientOptions: ts.clientOptions()}
	ws := ts.boot.Workspace.ResourceID
	rg, wsName := ts.boot.ResourceGroup, path.Base(ws)
	tables, err := armoperationalinsights.NewTablesClient(ts.boot.SubscriptionID, ts.admin(), opts)
	if err != nil {
		t.Fatal(err)
	}
	poller, err := tables.BeginCreateOrUpdate(ctx, rg, wsName, "Notes_CL", armoperationalinsights.Table{
		Properties: &armoperationalinsights.TableProperties{Schema: &armoperationalinsights.Schema{
			Name: to.Ptr("Notes_CL"),
			Columns: []*armoperationalinsights.Column{
				{Name: to.Ptr("TimeGenerated"), Type: to.Ptr(armoperationalinsights.ColumnTypeEnumDateTime)},
				{Name: to.Ptr("Message"), Type: to.Ptr(armoperationalinsights.ColumnTypeEnumString)},
				{Name: to.Ptr("Length"), Type: to.Ptr(armoperationalinsights.ColumnTypeEnumLong)},
			},
		}},
	}, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("custom table: %v", err)
	}

	rules, err := armmonitor.NewDataCollectionRulesClient(ts.boot.SubscriptionID, ts.admin(), opts)
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string, typ armmonitor.KnownColumnDefinitionType) *armmonitor.ColumnDefinition {
		return &armmonitor.ColumnDefinition{Name: to.Ptr(name), Type: to.Ptr(typ)}
	}
	rule, err := rules.Create(ctx, rg, "notes-rule", armmonitor.DataCollectionRuleResource{
		Location: to.Ptr("local"),
		Kind:     to.Ptr(armmonitor.KnownDataCollectionRuleResourceKind("Direct")),
		Properties: &armmonitor.DataCollectionRuleResourceProperties{
			StreamDeclarations: map[string]*armmonitor.StreamDeclaration{"Custom-Notes": {Columns: []*armmonitor.ColumnDefinition{
				col("TimeGenerated", armmonitor.KnownColumnDefinitionTypeDatetime),
				col("Message", armmonitor.KnownColumnDefinitionTypeString),
			}}},
			Destinations: &armmonitor.DataCollectionRuleDestinations{LogAnalytics: []*armmonitor.LogAnalyticsDestination{
				{Name: to.Ptr("ws"), WorkspaceResourceID: to.Ptr(ws)},
			}},
			DataFlows: []*armmonitor.DataFlow{{
				Streams:      []*armmonitor.KnownDataFlowStreams{to.Ptr(armmonitor.KnownDataFlowStreams("Custom-Notes"))},
				Destinations: []*string{to.Ptr("ws")},
				TransformKql: to.Ptr("source | extend Length = strlen(Message)"),
				OutputStream: to.Ptr("Custom-Notes_CL"),
			}},
		},
	}, nil)
	if err != nil {
		t.Fatalf("data collection rule: %v", err)
	}
	immutable := str(rule.Properties.ImmutableID)
	if !strings.HasPrefix(immutable, "dcr-") {
		t.Fatalf("immutable id %q", immutable)
	}
	got, err := rules.Get(ctx, rg, "notes-rule", nil)
	if err != nil || str(got.Properties.ImmutableID) != immutable || len(got.Properties.DataFlows) != 1 {
		t.Fatalf("reading the rule back: %v", err)
	}

	ingest, err := azlogs.NewClient(ts.boot.IngestionEndpoint, ts.admin(), &azlogs.ClientOptions{ClientOptions: ts.clientOptions()})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	body := []byte(`[{"TimeGenerated":"` + now + `","Message":"hello"},{"TimeGenerated":"` + now + `","Message":"identity logs"}]`)
	if _, err := ingest.Upload(ctx, immutable, "Custom-Notes", body, nil); err != nil {
		t.Fatalf("upload: %v", err)
	}
	if rows := ts.query("Notes_CL | summarize sum(Length), count()"); len(rows) != 1 || rows[0][0] != float64(18) || rows[0][1] != float64(2) {
		t.Errorf("rows through the rule: %v", rows)
	}
	if _, err := rules.Delete(ctx, rg, "notes-rule", nil); err != nil {
		t.Fatalf("delete: %v", err)
	}
}
