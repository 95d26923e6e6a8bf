package authz

// Azure RBAC actions the idlogs APIs check. Query and ingestion handlers
// pass them to Allowed with the scope named beside each.
const (
	// ActionWorkspaceRead reads a workspace (scope: the workspace).
	ActionWorkspaceRead = "Microsoft.OperationalInsights/workspaces/read"
	// ActionQueryRead runs a query in a workspace (scope: the workspace).
	ActionQueryRead = "Microsoft.OperationalInsights/workspaces/query/read"
	// ActionSharedKeys reads a workspace's shared keys; diagnostic
	// settings need it on their destination workspace (scope: the
	// workspace).
	ActionSharedKeys = "Microsoft.OperationalInsights/workspaces/sharedKeys/action"
	// ActionTelemetryWrite sends logs through the Logs Ingestion API, a
	// data action (scope: the data collection rule).
	ActionTelemetryWrite = "Microsoft.Insights/Telemetry/Write"
)

// QueryTableAction returns the action that reads table in a query,
// "Microsoft.OperationalInsights/workspaces/query/{table}/read"; its scope
// is TableScope(workspaceID, table), so an assignment at the table, the
// workspace or above grants it.
func QueryTableAction(table string) string {
	return "Microsoft.OperationalInsights/workspaces/query/" + table + "/read"
}

// TableScope returns the ARM id of table in the workspace workspaceID.
func TableScope(workspaceID, table string) string {
	return workspaceID + "/tables/" + table
}
