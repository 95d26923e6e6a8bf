package fileimport

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// readFile reads a fixture and returns its records' JSON, one per line,
// or the error.
func readFile(t *testing.T, path string, opt Options) ([]Item, *File, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var items []Item
	f, err := Read(filepath.Base(path), data, opt, func(it Item) error {
		items = append(items, it)
		return nil
	})
	return items, f, err
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestFormats reads every good fixture: the detected format must be the
// one its golden file names, and the records exactly the golden ones
// (testdata/*.records: the format, then one record per line).
func TestFormats(t *testing.T) {
	want := map[string]Format{
		"InteractiveSignIns_2024-05-01_2024-05-02.csv":     FormatPortalCSV,
		"NonInteractiveSignIns_2024-05-01_2024-05-02.json": FormatPortalJSON,
		"AuditLogs_2024-05-01.csv":                         FormatPortalCSV,
		"AuditLogs_2024-05-01.json":                        FormatPortalJSON,
		"SigninLogs.csv":                                   FormatTableCSV,
		"AADNonInteractiveUserSignInLogs.json":             FormatTableJSON,
		"AADServicePrincipalSignInLogs.query.json":         FormatTableJSON,
		"graph-signins.json":                               FormatGraph,
		"graph-directoryaudits.json":                       FormatGraph,
		"PT1H.json":                                        FormatPT1H,
		"eventhub.json":                                    FormatEventHub,
	}
	for name, format := range want {
		t.Run(name, func(t *testing.T) {
			items, f, err := readFile(t, filepath.Join("testdata", name), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if f.Format != format {
				t.Errorf("format %s (%s), want %s", f.Format, f.How, format)
			}
			if f.Total != len(items) || len(items) == 0 {
				t.Errorf("Total %d, %d records", f.Total, len(items))
			}
			var b strings.Builder
			for _, it := range items {
				if !it.Record.KeepTime {
					t.Errorf("line %d: an imported record must keep its time", it.Line)
				}
				js, err := it.Record.MarshalJSON()
				if err != nil {
					t.Fatal(err)
				}
				b.Write(js)
				b.WriteByte('\n')
			}
			golden(t, filepath.Join("testdata", "golden", name+".records"), b.String())
		})
	}
}

// TestMalformed: a file with problems gives every problem with its line,
// column and field (testdata/bad/*.errors) and no record at all.
func TestMalformed(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		if strings.HasSuffix(path, ".errors") {
			continue
		}
		t.Run(filepath.Base(path), func(t *testing.T) {
			items, _, err := readFile(t, path, Options{})
			if len(items) != 0 {
				t.Errorf("%d records handed out of a bad file", len(items))
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %v, want an ErrorList", err)
			}
			golden(t, path+".errors", err.Error()+"\n")
		})
	}
}

// TestDerivedIDsAreStable: records without an id get the same id on every
// read, and different records different ids.
func TestDerivedIDsAreStable(t *testing.T) {
	ids := func() []string {
		items, f, err := readFile(t, "testdata/AuditLogs_2024-05-01.csv", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if f.DerivedIDs != 2 {
			t.Errorf("DerivedIDs %d, want 2", f.DerivedIDs)
		}
		var out []string
		for _, it := range items {
			if !it.DerivedID {
				t.Errorf("line %d: DerivedID not set", it.Line)
			}
			out = append(out, it.Record.ID())
		}
		return out
	}
	a, b := ids(), ids()
	if strings.Join(a, ",") != strings.Join(b, ",") || a[0] == a[1] || a[0] == "" {
		t.Errorf("derived ids %v then %v: want the same two distinct ids", a, b)
	}
}

// TestCallbackErrorStops: an error from the callback ends the read and is
// returned as it is.
func TestCallbackErrorStops(t *testing.T) {
	data, _ := os.ReadFile("testdata/PT1H.json")
	stop := errors.New("stop")
	n := 0
	_, err := Read("PT1H.json", data, Options{}, func(Item) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("error %v after %d records, want stop after 1", err, n)
	}
}

func TestForcedFormatAndCategory(t *testing.T) {
	// Forced to be read as records, a Graph page is not one.
	_, _, err := readFile(t, "testdata/graph-signins.json", Options{Format: FormatEventHub})
	if err == nil {
		t.Error("a Graph page read as Event Hubs records was accepted")
	}
	items, _, err := readFile(t, "testdata/graph-signins.json", Options{Category: "NonInteractiveUserSignInLogs"})
	if err != nil || items[0].Record.Category != "NonInteractiveUserSignInLogs" {
		t.Errorf("--category: %v %v", err, items)
	}
	if _, _, err := readFile(t, "testdata/graph-signins.json", Options{Category: "SignInLog"}); err == nil || !strings.Contains(err.Error(), `unknown diagnostic log category "SignInLog"`) {
		t.Errorf("an unknown --category: %v", err)
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("ParseFormat(xml) accepted")
	}
}

func TestDetectRejects(t *testing.T) {
	for _, data := range []string{"\xff\xfeD\x00a\x00", "", "  \n", `{"hello": 1}`, `[]`, `[1, 2]`, "just one line"} {
		if f, _, err := Detect("x", []byte(data)); err == nil {
			t.Errorf("Detect(%q) = %s, want an error", data, f)
		}
	}
	authDetails := "Request ID,Authentication method,Succeeded\nr1,Password,true\n"
	if _, _, err := Detect("InteractiveSignIns_AuthDetails_2024-05-01.csv", []byte(authDetails)); err == nil || !strings.Contains(err.Error(), "authentication-details") {
		t.Errorf("an authentication-details download: %v", err)
	}
	if _, _, err := Detect("x", bytes.Repeat([]byte("a,b\n"), 3)); err != nil {
		t.Errorf("a CSV with a header: %v", err)
	}
}

func TestCamel(t *testing.T) {
	for in, want := range map[string]string{"IPAddress": "ipAddress", "Id": "id", "UserPrincipalName": "userPrincipalName",
		"AADTenantId": "aadTenantId", "RiskEventTypes_V2": "riskEventTypes_V2", "ID": "id", "isX": "isX"} {
		if got := camel(in); got != want {
			t.Errorf("camel(%s) = %s, want %s", in, got, want)
		}
	}
}

// FuzzRead: any content gives records or an error, never a panic, and a
// file that reads without error hands out records that pass Check.
func FuzzRead(f *testing.F) {
	for _, dir := range []string{"testdata", "testdata/bad"} {
		files, _ := filepath.Glob(dir + "/*")
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil && !strings.HasSuffix(p, ".errors") {
				f.Add(filepath.Base(p), data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		_, err := Read(name, data, Options{}, func(it Item) error {
			if cerr := Check(&it.Record); cerr != nil {
				t.Fatalf("record handed out that fails Check: %v", cerr)
			}
			return nil
		})
		_ = err
	})
}

// TestShiftTo: every record moves by the same amount, the newest to
// ShiftTo; properties and derived ids stay as they were.
func TestShiftTo(t *testing.T) {
	plain, f0, err := readFile(t, "testdata/AuditLogs_2024-05-01.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	to := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	shifted, f, err := readFile(t, "testdata/AuditLogs_2024-05-01.csv", Options{ShiftTo: to})
	if err != nil {
		t.Fatal(err)
	}
	if !f0.Newest.Equal(f.Newest) || f.Shift != to.Sub(f0.Newest) || f0.Shift != 0 {
		t.Errorf("newest %v/%v, shift %v/%v", f0.Newest, f.Newest, f0.Shift, f.Shift)
	}
	if !shifted[len(shifted)-1].Record.Time.Equal(to) {
		t.Errorf("the newest record moved to %v, want %v", shifted[len(shifted)-1].Record.Time, to)
	}
	for i := range plain {
		a, b := plain[i].Record, shifted[i].Record
		if b.Time.Sub(a.Time) != f.Shift || string(a.Properties) != string(b.Properties) {
			t.Errorf("record %d: %v → %v, properties %s → %s", i, a.Time, b.Time, a.Properties, b.Properties)
		}
	}
}

func TestFromGraph(t *testing.T) {
	obj := []byte(`{"id":"x-1","createdDateTime":"2024-05-02T08:00:00Z","appId":"a","isInteractive":false,"status":{"errorCode":50126,"failureReason":"bad password"}}`)
	r, err := FromGraph("signIns", obj, "")
	if err != nil || r.Category != "NonInteractiveUserSignInLogs" || r.ResultType != "50126" || r.ResultDescription != "bad password" || r.ID() != "x-1" {
		t.Errorf("%+v %v", r, err)
	}
	if _, err := FromGraph("users", obj, ""); err == nil {
		t.Error("a users object was accepted")
	}
	if _, err := FromGraph("directoryAudits", []byte(`[1]`), ""); err == nil {
		t.Error("an array was accepted")
	}
}

// TestArchiveRoundTrip: records as the archive destination writes them
// (activity.Record's JSON, one per line: the golden files are such blobs)
// read back as PT1H.json to the same bytes.
func TestArchiveRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("testdata/golden/*.records")
	if len(files) == 0 {
		t.Fatal("no golden records")
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		f, err := Read(filepath.Base(path), data, Options{}, func(it Item) error {
			js, err := it.Record.MarshalJSON()
			b.Write(js)
			b.WriteByte('\n')
			return err
		})
		if err != nil || f.Format != FormatPT1H {
			t.Fatalf("%s: %v (format %s)", path, err, f.Format)
		}
		if b.String() != string(data) {
			t.Errorf("%s does not read back as itself:\n%s", path, b.String())
		}
	}
}
