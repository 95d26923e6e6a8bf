package tablemap_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace/schema"
)

// The workspace destination of a diagnostic setting: records of one
// category become rows of the category's table in the workspace's store.
func ExampleBuild() {
	dir, _ := os.MkdirTemp("", "tablemap")
	defer os.RemoveAll(dir)
	st, _ := store.Open(dir, store.Options{})
	defer st.Close()
	table, _ := tablemap.Table(activity.SignInLogs)
	sch, _ := schema.Lookup(table)
	tbl, _ := st.CreateTable(table, sch, store.TableOptions{TimeColumn: "TimeGenerated"})

	now := time.Now().UTC()
	recs := []activity.Record{{
		Time: now.Add(-time.Minute), ResourceID: activity.ResourceIDOf("tenant-1"), OperationName: "Sign-in activity",
		Category: activity.SignInLogs, TenantID: "tenant-1", ResultType: "50126", Level: 4,
		Properties: json.RawMessage(`{"id":"a1","userPrincipalName":"ann@contoso.example","status":{"errorCode":50126}}`),
	}}
	b, errs := tablemap.Build(activity.SignInLogs, tbl.Schema(), "workspace-guid", recs, now)
	for _, err := range errs {
		fmt.Println("not delivered:", err) // the other records' rows are in b
	}
	if err := tbl.Append(context.Background(), b); err != nil {
		fmt.Println(err)
		return
	}
	res, err := (&engine.Engine{Catalog: st}).Query(context.Background(),
		`SigninLogs | project UserPrincipalName, Code = tostring(Status.errorCode), TenantId, AADTenantId`)
	if err != nil {
		fmt.Println(err)
		return
	}
	for c := range res[0].Schema {
		fmt.Println(res[0].Schema[c].Name, "=", res[0].Value(0, c))
	}
	// Output:
	// UserPrincipalName = ann@contoso.example
	// Code = 50126
	// TenantId = workspace-guid
	// AADTenantId = tenant-1
}
