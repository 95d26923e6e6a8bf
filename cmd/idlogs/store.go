package main

import (
	"fmt"
	"io"
	"sort"

	"github.com/idlogs/idlogs/store"
	"github.com/spf13/cobra"
)

func newStoreCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "store",
		Short: "Inspect and check a workspace store directory",
	}
	verify := &cobra.Command{
		Use:   "verify --data DIR",
		Short: "Check every segment's checksums and every WAL record of a store that no server has open",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, _ := cmd.Flags().GetString("data")
			out := cmd.OutOrStdout()
			rep, err := store.Verify(dir, func(format string, args ...any) {
				fmt.Fprintf(cmd.ErrOrStderr(), format+"\n", args...)
			})
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(out, "ok: %d tables, %d segments (%d rows), %d WAL records\n",
				rep.Tables, rep.Segments, rep.SegmentRows, rep.WALRecords)
			return err
		},
	}
	verify.Flags().String("data", "", "the store directory")
	verify.MarkFlagRequired("data")
	stats := &cobra.Command{
		Use:   "stats --data DIR",
		Short: "Print each table's rows, segments and the stored bytes per row of every column",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, _ := cmd.Flags().GetString("data")
			st, err := store.Open(dir, store.Options{NoBackground: true, Logf: func(string, ...any) {}})
			if err != nil {
				return err
			}
			defer st.Close()
			return writeStoreStats(cmd.OutOrStdout(), st)
		},
	}
	stats.Flags().String("data", "", "the store directory")
	stats.MarkFlagRequired("data")
	cmd.AddCommand(verify, stats)
	return cmd
}

// writeStoreStats prints, per table, its size and its columns from the
// largest down, in bytes per segment row.
func writeStoreStats(w io.Writer, st *store.Store) error {
	for _, name := range st.Tables() {
		t, _ := st.Lookup(name)
		s := t.Stats()
		fmt.Fprintf(w, "%s: %d rows (%d in the tail), %d segments, %d bytes", name, s.Rows, s.TailRows, s.Segments, s.SegmentBytes)
		segRows := s.Rows - s.TailRows
		if segRows == 0 {
			fmt.Fprintln(w)
			continue
		}
		fmt.Fprintf(w, ", %.1f bytes/row\n", float64(s.SegmentBytes)/float64(segRows))
		cols := t.ColumnStats()
		sort.SliceStable(cols, func(i, j int) bool {
			return cols[i].Data+cols[i].Dict+cols[i].Filter > cols[j].Data+cols[j].Dict+cols[j].Filter
		})
		fmt.Fprintf(w, "  %-50s %8s %8s %8s\n", "column", "data", "dict", "filter")
		for _, c := range cols {
			per := func(n int64) string { return fmt.Sprintf("%.2f", float64(n)/float64(segRows)) }
			fmt.Fprintf(w, "  %-50s %8s %8s %8s\n", c.Name, per(c.Data), per(c.Dict), per(c.Filter))
		}
	}
	return nil
}
