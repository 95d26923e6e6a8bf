package query

import (
	"context"
	"testing"
	"time"

	"github.com/idlogs/idlogs/workspace"
)

// BenchmarkRunTimespan reads 200,000 sign-ins (one a second), a timespan
// keeping half of them, and encodes the rows the query returns.
func BenchmarkRunTimespan(b *testing.B) {
	reg := openRegistryB(b)
	ws := addWorkspace(b, reg, "ws1")
	const n = 200000
	rows := make([]signin, n)
	for i := range rows {
		rows[i] = signin{at: testNow.Add(-time.Duration(i) * time.Second), user: "user@contoso.com", duration: int64(i)}
	}
	appendSignins(b, ws, rows)
	if err := ws.Store().Flush(); err != nil {
		b.Fatal(err)
	}
	s := newService(Limits{Rate: 1 << 30})
	for _, q := range []string{"SigninLogs | project TimeGenerated, UserPrincipalName, DurationMs", "SigninLogs | count"} {
		b.Run(q, func(b *testing.B) {
			var bytes int
			for i := 0; i < b.N; i++ {
				resp, err := s.Run(context.Background(), Request{Workspaces: []*workspace.Workspace{ws}, Query: q, Timespan: "PT27H46M40S", User: "u"})
				if err != nil {
					b.Fatal(err)
				}
				bytes = len(resp.Tables[0].Rows)
				if q == "SigninLogs | count" && string(resp.Tables[0].Rows) != "[[100001]]" {
					b.Fatalf("count %s, want 100001", resp.Tables[0].Rows)
				}
				if resp.Tables[0].RowCount != 1 && resp.Tables[0].RowCount != 100001 {
					b.Fatalf("%d rows, want 100001", resp.Tables[0].RowCount)
				}
			}
			b.SetBytes(int64(bytes))
		})
	}
}
