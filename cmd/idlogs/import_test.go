package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/connectors/fileimport"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
)

// sampleDataDir returns shared/conformance/sample-data, the folder beside
// the repository, found by walking up from the working directory; the test
// is skipped when it is absent, as the KQL corpus tests are.
func sampleDataDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", "conformance", "sample-data")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("shared/conformance/sample-data not found in the working directory's parent chain (the shared folder sits beside the repository clone, as for the KQL corpus tests)")
		}
		dir = parent
	}
}

// fileIDs returns the ids of a file's records by table.
func fileIDs(t *testing.T, path string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	_, err = fileimport.Read(path, data, fileimport.Options{}, func(it fileimport.Item) error {
		table, _ := tablemap.Table(it.Record.Category)
		out[table] = append(out[table], it.Record.ID())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImportEndToEnd imports the Entra exports of the shared sample data
// and a fixture of each other format through a real server: every record
// is queryable in its table once, importing again adds nothing, and a
// malformed file is rejected with its line numbers and leaves no row.
func TestImportEndToEnd(t *testing.T) {
	samples := sampleDataDir(t)
	dir, _ := startQueryServer(t)
	fixtures := "../../connectors/fileimport/testdata"
	files := []string{
		filepath.Join(samples, "sign-in_adelete.csv"),
		filepath.Join(samples, "disable_accounts.csv"),
		filepath.Join(samples, "AuditLogs_Hunting.csv"),
		filepath.Join(fixtures, "InteractiveSignIns_2024-05-01_2024-05-02.csv"),
		filepath.Join(fixtures, "NonInteractiveSignIns_2024-05-01_2024-05-02.json"),
		filepath.Join(fixtures, "AuditLogs_2024-05-01.csv"),
		filepath.Join(fixtures, "AADServicePrincipalSignInLogs.query.json"),
		filepath.Join(fixtures, "graph-directoryaudits.json"),
		filepath.Join(fixtures, "PT1H.json"),
		filepath.Join(fixtures, "eventhub.json"),
	}
	r := runCLI(t, "", "diag", "set", "imports", "--data", dir, "--workspace", "default",
		"--logs", "SignInLogs,AuditLogs,NonInteractiveUserSignInLogs,ServicePrincipalSignInLogs,ManagedIdentitySignInLogs")
	if r.code != 0 {
		t.Fatalf("diag set: %+v", r)
	}

	// A malformed file first: rejected whole, its good row never lands.
	bad := filepath.Join(fixtures, "bad", "SigninLogs.csv")
	r = runCLI(t, "", "import", "--data", dir, bad)
	if r.code != 1 || !strings.Contains(r.stdout, "SigninLogs.csv:3:75: IsInteractive: \"maybe\" is not a bool") ||
		!strings.Contains(r.stdout, "SigninLogs.csv:4:1: TimeGenerated [UTC]") || !strings.Contains(r.stdout, "rejected, nothing imported") {
		t.Fatalf("malformed file: %+v", r)
	}

	want := map[string][]string{}
	total := 0
	for _, f := range files {
		for table, ids := range fileIDs(t, f) {
			want[table] = append(want[table], ids...)
			total += len(ids)
		}
	}
	r = runCLI(t, "", "import", "--data", dir, "--batch", "7")
	if r.code != 1 {
		t.Errorf("import without files: %+v", r)
	}
	// The files are years old: moved to the present, so that the
	// workspace's retention keeps them.
	r = runCLI(t, "", append([]string{"import", "--data", dir, "--batch", "7", "--shift-time"}, files...)...)
	if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("%d file(s): %d record(s) accepted, 0 already present, 0 file(s) rejected", len(files), total)) {
		t.Fatalf("import: %+v", r)
	}
	if !strings.Contains(r.stderr, "sign-in_adelete.csv: 56/56 records sent") {
		t.Errorf("no progress lines on stderr: %q", r.stderr)
	}
	waitRows(t, dir, want)

	// Again: nothing new is emitted. A canary imported after it shows
	// that delivery has passed the point where duplicates would be.
	r = runCLI(t, "", append([]string{"import", "--data", dir, "--shift-time"}, files...)...)
	if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("0 record(s) accepted, %d already present", total)) {
		t.Fatalf("second import: %+v", r)
	}
	canary := filepath.Join(fixtures, "graph-signins.json")
	if r = runCLI(t, "", "import", "--data", dir, canary); r.code != 0 {
		t.Fatalf("canary: %+v", r)
	}
	withCanary := map[string][]string{}
	for table, ids := range want {
		withCanary[table] = append([]string(nil), ids...)
	}
	withCanary["SigninLogs"] = append(withCanary["SigninLogs"], fileIDs(t, canary)["SigninLogs"]...)
	waitRows(t, dir, withCanary)
	if n := queryCount(t, dir, `SigninLogs | where Id startswith "11111111-0000-4000-8000-" | count`); n != 0 {
		t.Errorf("%d rows of the malformed file", n)
	}
	// Shifted rows are recent; their properties keep when it happened.
	q := `SigninLogs | where CreatedDateTime between (datetime(2021-04-28) .. datetime(2021-04-29)) | where TimeGenerated > ago(1d) | count`
	if n := queryCount(t, dir, q); n != 56 {
		t.Errorf("%d recent SigninLogs rows created on 2021-04-28, want the 56 of sign-in_adelete.csv", n)
	}
}

// waitRows waits until each table holds each id exactly once.
func waitRows(t *testing.T, dir string, want map[string][]string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for table, ids := range want {
		list, _ := json.Marshal(ids)
		q := fmt.Sprintf(`%s | where Id in (dynamic(%s)) | summarize n = count(), d = dcount(Id) | project s = strcat(n, "/", d)`, table, list)
		wantS := fmt.Sprintf("%d/%d", len(ids), len(ids))
		for {
			got := queryScalar(t, dir, q)
			if got == wantS {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: rows/distinct ids %s, want %s", table, got, wantS)
			}
			time.Sleep(250 * time.Millisecond)
		}
		if n := queryCount(t, dir, fmt.Sprintf(`%s | summarize count() by Id | where count_ > 1 | count`, table)); n != 0 {
			t.Errorf("%s: %d ids stored more than once", table, n)
		}
	}
}

func queryScalar(t *testing.T, dir, q string) string {
	t.Helper()
	r := runCLI(t, "", "query", "--data", dir, "-o", "tsv", q)
	if r.code != 0 {
		t.Fatalf("query %s: %+v", q, r)
	}
	// The tsv output starts each row with the table name.
	fields := strings.Split(strings.TrimSpace(r.stdout), "\t")
	return fields[len(fields)-1]
}

func queryCount(t *testing.T, dir, q string) int {
	t.Helper()
	var n int
	fmt.Sscan(queryScalar(t, dir, q), &n)
	return n
}
