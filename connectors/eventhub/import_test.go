package eventhub_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/connectors/kafkaconn"
	"github.com/idlogs/idlogs/connectors/kafkaconn/kafkatest"
	"github.com/idlogs/idlogs/diagnostics/router"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/workspace"
)

// importRecords is how many records TestImport sends; IDLOGS_EH_RECORDS
// changes it.
func importRecords(t *testing.T) int {
	if v := os.Getenv("IDLOGS_EH_RECORDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("IDLOGS_EH_RECORDS: %v", err)
		}
		return n
	}
	if testing.Short() {
		return 10_000
	}
	return 100_000
}

// TestImport streams 100,000 records of every category (but B2C) from two
// tenants, 50 to an event, through an Event Hubs-like broker (TLS, SASL
// PLAIN with a connection string) into the mirrors' workspace: every record
// lands once, in its category's table, with the columns the workspace
// mapping gives it and its own tenant in AADTenantId.
func TestImport(t *testing.T) {
	tmpl := templates(t)
	hubs := hubsOf(tmpl)
	k := kafkatest.SASLCluster(t, kfake.SeedTopics(2, hubs...))
	cs, tlsConf := k.ConnectionString, k.TLS
	conf := kafkaconn.Config{ConnectionString: cs, TLS: tlsConf}
	n := importRecords(t)
	base := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	produce(t, producer(t, conf), tmpl, 0, n, 50, base)

	start := time.Now()
	e := openEnv(t, t.TempDir(), envOptions{kafka: conf, hubs: hubs, logf: t.Logf})
	got := waitCount(t, e.w, n, 5*time.Minute)
	t.Logf("%d records queryable %s after the connector started", n, time.Since(start).Round(time.Millisecond))
	checkOnce(t, got, n)

	for i := range len(tmpl) {
		checkRow(t, e.w, makeRecord(tmpl, i, base))
		checkRow(t, e.w, makeRecord(tmpl, len(tmpl)+i, base))
	}
	st := e.conn.Status()
	if st.Records != int64(n) || st.Malformed != 0 || st.Stalled != 0 {
		t.Errorf("status: %d records, %d malformed, %d stalled", st.Records, st.Malformed, st.Stalled)
	}
	if len(st.Partitions) != 2*len(hubs) {
		t.Errorf("status shows %d partitions, want %d", len(st.Partitions), 2*len(hubs))
	}
	for _, id := range []string{tenantA, tenantB} {
		if !e.mirrors.Has(id) {
			t.Errorf("tenant %s is not mirrored", id)
		}
	}
}

// checkRow compares the stored row of r with the row the workspace mapping
// makes of it, column by column (but _TimeReceived, the receive time).
func checkRow(t *testing.T, w *workspace.Workspace, r activity.Record) {
	t.Helper()
	table, _ := tablemap.Table(r.Category)
	tab, ok := w.Store().Lookup(table)
	if !ok {
		t.Fatalf("no table %s", table)
	}
	sch := tab.Schema()
	want, errs := tablemap.Build(r.Category, sch, w.CustomerID, []activity.Record{r}, time.Now())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	idCol := sch.Index(router.IDColumn(table))
	all := make([]int, len(sch))
	for i := range all {
		all[i] = i
	}
	it, err := tab.Scan(&plan.ScanRequest{Columns: all, TimeColumn: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	for {
		b, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			t.Errorf("%s: no row with id %s", table, r.ID())
			return
		}
		for row := range b.N {
			if b.Cols[idCol].Str(row) != r.ID() {
				continue
			}
			for i, f := range sch {
				if f.Name == "_TimeReceived" {
					continue
				}
				if g, w := show(b.Cols[i], row), show(want.Cols[i], 0); g != w {
					t.Errorf("%s %s: %s = %s, want %s", table, r.ID(), f.Name, g, w)
				}
			}
			if c := sch.Index("AADTenantId"); c >= 0 && b.Cols[c].Str(row) != r.TenantID {
				t.Errorf("%s %s: AADTenantId %s, want %s", table, r.ID(), b.Cols[c].Str(row), r.TenantID)
			}
			return
		}
	}
}

func show(c *vec.Column, row int) string {
	if c.IsNull(row) {
		return "null"
	}
	if c.Type == types.Dynamic {
		return types.FormatJSON(c.Any(row))
	}
	return fmt.Sprint(cell(c, row))
}
