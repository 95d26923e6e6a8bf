package server

import (
	"context"
	"errors"
	"net/http"
	"path"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
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
