package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// notBuiltMessage is what `idlogs serve` prints until the server exists.
const notBuiltMessage = "idlogs serve: the workspace server is not built yet; see the issues"

func newServeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the workspace server (Azure-compatible APIs and the web UI)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), notBuiltMessage)
			return err
		},
	}
	cmd.Flags().Bool("demo", false, "start with a simulated tenant and sample data")
	cmd.Flags().String("addr", "127.0.0.1:8080", "address to listen on")
	return cmd
}
