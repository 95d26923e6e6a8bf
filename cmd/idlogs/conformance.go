package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"

	"github.com/idlogs/idlogs/kql/conformance"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/workspace/schema"
	"github.com/spf13/cobra"
)

// newConformanceCmd builds `idlogs kql conformance`, which runs corpus
// records through the engine and counts how many give the documented
// result. It measures: failing records do not change the exit code, only
// unreadable input does.
func newConformanceCmd() *cobra.Command {
	var asJSON bool
	var tablesDir string
	cmd := &cobra.Command{
		Use:   "conformance [--json] [--tables DIR] FILE.jsonl...",
		Short: "Run conformance records and compare the results with the expected tables",
		Long: `Run the records of conformance corpus files (JSON Lines, see shared/conformance/README.md)
and compare each result with the table the docs show. Prints counts per file and a last line
"N passed, M failed, K skipped"; records whose query fails to run count as failed.
With --json, prints one JSON object per record instead of the counts per file.
With --tables, the tables described by the schema files in DIR exist, empty, and so do the
tables of the built-in workspace catalog that DIR does not describe (for example Syslog).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			runner := &conformance.Runner{}
			if tablesDir != "" {
				tables, err := schema.LoadDir(tablesDir)
				if err != nil {
					return err
				}
				schemas := map[string]vec.Schema{}
				for _, t := range schema.Merge(tables, schema.Tables()) {
					schemas[t.Name] = t.Schema
				}
				runner.Catalog = conformance.EmptyTables(schemas)
			}
			return runConformance(cmd.Context(), runner, args, asJSON, cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON line per record")
	cmd.Flags().StringVar(&tablesDir, "tables", "", "directory of table schemas (*.json) to create as empty tables, besides the built-in catalog")
	return cmd
}

// conformanceCounts are the outcomes of a set of records.
type conformanceCounts struct {
	pass, fail, errs, skip int
}

func (c *conformanceCounts) add(s conformance.Status) {
	switch s {
	case conformance.Pass:
		c.pass++
	case conformance.Fail:
		c.fail++
	case conformance.Error:
		c.errs++
	default:
		c.skip++
	}
}

// runConformance reads every file first, so that unreadable input fails
// before any record runs, then runs the records in order.
func runConformance(ctx context.Context, runner *conformance.Runner, files []string, asJSON bool, w io.Writer) error {
	if ctx == nil {
		ctx = context.Background()
	}
	records := make([][]*conformance.Record, len(files))
	for i, name := range files {
		recs, err := conformance.ReadFile(name)
		if err != nil {
			return err
		}
		records[i] = recs
	}
	var total conformanceCounts
	for i, name := range files {
		var counts conformanceCounts
		for _, out := range runner.RunAll(ctx, records[i], runtime.GOMAXPROCS(0)) {
			counts.add(out.Status)
			if asJSON {
				if err := writeOutcome(w, out); err != nil {
					return err
				}
			}
		}
		if !asJSON {
			fmt.Fprintf(w, "%s: %d records: %d passed, %d failed, %d errors, %d skipped\n",
				name, len(records[i]), counts.pass, counts.fail, counts.errs, counts.skip)
		}
		total.pass += counts.pass
		total.fail += counts.fail
		total.errs += counts.errs
		total.skip += counts.skip
	}
	_, err := fmt.Fprintf(w, "%d passed, %d failed, %d skipped\n", total.pass, total.fail+total.errs, total.skip)
	return err
}

func writeOutcome(w io.Writer, out conformance.Outcome) error {
	line, err := json.Marshal(out)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", line)
	return err
}
