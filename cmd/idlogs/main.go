// Command idlogs is the idlogs server and its command-line tools.
//
// Usage:
//
//	idlogs serve [--demo] [--addr host:port]
//	idlogs kql parse FILE|-
//	idlogs kql fmt FILE|-
//	idlogs query [-w WORKSPACE] [-o table|json|jsonc|tsv|csv] "KQL"|--file FILE|-
//	idlogs queries list|run NAME [-o table|json|jsonc|tsv|csv]
//	idlogs diag list|show|set|delete|categories
//	idlogs import [--format F] [--check] FILE...
//	idlogs tenant show|user add|user list|role assign|licence [--data DIR]
//	idlogs connect graph --tenant ID --client-id ID --client-secret SECRET [--authority URL]
//	idlogs connect eventhub --connection-string CS --hub HUB [--consumer-group G]
//	idlogs connect status [--name NAME]
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// errReported is returned by a command that has already told the user what
// went wrong; run then only sets the exit code.
var errReported = errors.New("error already reported")

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the idlogs command line args with the given standard streams
// and returns the process exit code: 0 on success, 1 on any error.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdin, stdout, stderr)
}

// runContext is run with a context that commands which run until a
// signal (serve, connect eventhub) also stop at.
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return 0
	case !errors.Is(err, errReported):
		fmt.Fprintf(stderr, "idlogs: %v\n", err)
	}
	return 1
}

// newRootCmd builds the command tree. It is a function, not a global, so
// that every test gets fresh flags.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "idlogs",
		Short:         "A self-hosted Entra ID sign-in and audit log workspace that answers KQL",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCmd(), newKQLCmd(), newStoreCmd(), newDiagCmd(), newTenantCmd(), newQueryCmd(), newImportCmd(), newConnectCmd(), newQueriesCmd())
	return root
}
