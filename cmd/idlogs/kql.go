package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/spf13/cobra"
)

// stdinName is the name under which a query read from standard input is
// reported in error messages.
const stdinName = "<stdin>"

func newKQLCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "kql",
		Short: "Tools for KQL query text",
	}
	cmd.AddCommand(
		&cobra.Command{
			Use:   "parse FILE|-",
			Short: "Check a query for syntax errors, printed as FILE:line:col: message",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				_, err := parseQueryFile(args[0], cmd.InOrStdin(), cmd.ErrOrStderr())
				return err
			},
		},
		&cobra.Command{
			Use:   "fmt FILE|-",
			Short: "Print a query in the standard layout",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return formatQueryFile(args[0], cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
			},
		},
		newConformanceCmd(),
	)
	return cmd
}

// formatQueryFile writes the formatted form of the query in the file name
// ("-" for stdin) to stdout. On a syntax error it writes nothing to stdout.
func formatQueryFile(name string, stdin io.Reader, stdout, stderr io.Writer) error {
	script, err := parseQueryFile(name, stdin, stderr)
	if err != nil {
		return err
	}
	text := syntax.Format(script)
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	_, err = io.WriteString(stdout, text)
	return err
}

// parseQueryFile reads and parses the query in the file name ("-" for
// stdin). Syntax errors are written to stderr, one per line, and reported
// to the caller as errReported.
func parseQueryFile(name string, stdin io.Reader, stderr io.Writer) (*syntax.Script, error) {
	src, err := readQuery(name, stdin)
	if err != nil {
		return nil, err
	}
	if name == "-" {
		name = stdinName
	}
	script, err := syntax.Parse(src)
	if err != nil {
		writeSyntaxErrors(stderr, name, err)
		return nil, errReported
	}
	return script, nil
}

func readQuery(name string, stdin io.Reader) (string, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	return string(data), err
}

// writeSyntaxErrors writes err as name:line:col: message lines, the form
// that editors and `go vet`-style tooling understand.
func writeSyntaxErrors(w io.Writer, name string, err error) {
	var list syntax.ErrorList
	if !errors.As(err, &list) {
		fmt.Fprintf(w, "%s: %v\n", name, err)
		return
	}
	for _, e := range list {
		fmt.Fprintf(w, "%s:%v\n", name, e)
	}
}
