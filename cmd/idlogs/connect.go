package main

import "github.com/spf13/cobra"

// newConnectCmd is "idlogs connect": connectors to real Entra tenants.
func newConnectCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "connect", Short: "Read a real Entra tenant's activity"}
	cmd.AddCommand(newConnectEventHubCmd(), newConnectStatusCmd())
	return cmd
}
