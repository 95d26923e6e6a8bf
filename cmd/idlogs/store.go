package main

import (
	"fmt"

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
	cmd.AddCommand(verify)
	return cmd
}
