package ingest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/workspace"
)

var update = flag.Bool("update", false, "rewrite testdata expectations")

// TestCollect runs testdata/collect.txt: Data Collector requests and the
// table each leaves behind.
func TestCollect(t *testing.T) {
	const path = "testdata/collect.txt"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	lines := strings.Split(string(data), "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if !strings.HasPrefix(line, "post ") {
			out = append(out, line)
			continue
		}
		if i+2 >= len(lines) || lines[i+2] != "----" {
			t.Fatalf("%s:%d: a post needs a body line and ----", path, i+1)
		}
		body := lines[i+1]
		got := runCollect(t, f, strings.Fields(line)[1:], body)
		// The expectation runs to the next blank line.
		j := i + 3
		for j < len(lines) && lines[j] != "" {
			j++
		}
		want := strings.Join(lines[i+3:j], "\n")
		if !*update && got != want {
			t.Errorf("%s:%d: %s\ngot:\n%s\nwant:\n%s", path, i+1, line, got, want)
		}
		out = append(out, line, body, "----")
		if got != "" {
			out = append(out, got)
		}
		i = j - 1
	}
	if *update {
		if err := os.WriteFile(path, []byte(strings.Join(out, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func runCollect(t *testing.T, f *fixture, args []string, body string) string {
	logType, timeField, resource := args[0], "", ""
	for _, a := range args[1:] {
		k, v, _ := strings.Cut(a, "=")
		switch k {
		case "time-generated-field":
			timeField = v
		case "resource":
			resource = v
		default:
			t.Fatalf("unknown argument %q", a)
		}
	}
	err := f.svc.Collect(context.Background(), f.ws, logType, timeField, resource, []byte(body), testNow)
	if err != nil {
		var e *apierror.Error
		if !errors.As(err, &e) {
			t.Fatalf("error %v is not an *apierror.Error", err)
		}
		return fmt.Sprintf("error: %d %s: %s", e.Status, e.Code, e.Message)
	}
	table := logType + "_CL"
	tbl, ok := f.ws.Store().Lookup(table)
	if !ok {
		t.Fatalf("no table %s", table)
	}
	rows := f.query(t, table+" | project-away TenantId, Type, SourceSystem")
	return strings.Join(append([]string{schemaText(tbl.Schema())}, rows...), "\n")
}

func TestCollectStandardColumns(t *testing.T) {
	f := newFixture(t)
	if err := f.svc.Collect(context.Background(), f.ws, "Std", "", "", []byte(`[{"a":"x"}]`), testNow); err != nil {
		t.Fatal(err)
	}
	got := f.query(t, "Std_CL | project TenantId, Type, SourceSystem")
	if want := f.ws.CustomerID + " | Std_CL | RestAPI"; len(got) != 1 || got[0] != want {
		t.Fatalf("got %v, want %s", got, want)
	}
}

func TestInfer(t *testing.T) {
	cases := map[string]string{
		`"x"`:                                      "_s x",
		`"0B7F3A1C-5E2D-4C9B-8A6F-1D2E3F4A5B6C"`:   "_g 0b7f3a1c-5e2d-4c9b-8a6f-1d2e3f4a5b6c",
		`"0b7f3a1c5e2d4c9b8a6f1d2e3f4a5b6c"`:       "_g 0b7f3a1c-5e2d-4c9b-8a6f-1d2e3f4a5b6c",
		`"{0b7f3a1c-5e2d-4c9b-8a6f-1d2e3f4a5b6c}"`: "_s {0b7f3a1c-5e2d-4c9b-8a6f-1d2e3f4a5b6c}",
		`"2026-11-27T07:00:00.123+02:00"`:          "_t 2026-11-27T05:00:00.123Z",
		`"2026-11-27"`:                             "_t 2026-11-27T00:00:00Z",
		`"20261127"`:                               "_s 20261127",
		`"Mon, 04 Apr 2016 08:00:00 GMT"`:          "_s Mon, 04 Apr 2016 08:00:00 GMT",
		`12`:                                       "_d 12",
		`1.5e3`:                                    "_d 1500",
		`false`:                                    "_b false",
		`{"a":1}`:                                  `_s {"a":1}`,
		`[1,2]`:                                    "_s [1,2]",
	}
	for in, want := range cases {
		v, err := parseOne(in)
		if err != nil {
			t.Fatal(err)
		}
		suf, val := Infer(v)
		if got := suf + " " + val.String(); got != want {
			t.Errorf("Infer(%s) = %q, want %q", in, got, want)
		}
	}
}

func parseOne(s string) (any, error) {
	recs, err := parseRecords([]byte(`[{"v":` + s + `}]`))
	if err != nil {
		return nil, err
	}
	v, _ := recs[0].Get("v")
	return v, nil
}

// The signature of the documentation's example string under a fixed key,
// computed here with crypto/hmac and, independently, by Python's hmac.
func TestSignature(t *testing.T) {
	const (
		key    = "aWRsb2dzLXNoYXJlZC1rZXktZm9yLXRlc3RzLTAxMjM0NTY3ODk=" // "idlogs-shared-key-for-tests-0123456789"
		date   = "Mon, 04 Apr 2016 08:00:00 GMT"
		python = "JWUt9XFNXiH8m9Mu+fcbLRDqXIDDyfftrsUCGvko/n0="
	)
	example := "POST\n1024\napplication/json\nx-ms-date:Mon, 04 Apr 2016 08:00:00 GMT\n/api/logs"
	if got := StringToSign(1024, date); got != example {
		t.Fatalf("StringToSign = %q", got)
	}
	m := hmac.New(sha256.New, []byte("idlogs-shared-key-for-tests-0123456789"))
	m.Write([]byte(example))
	independent := base64.StdEncoding.EncodeToString(m.Sum(nil))
	got, err := Signature(key, 1024, date)
	if err != nil {
		t.Fatal(err)
	}
	if got != independent || got != python {
		t.Fatalf("Signature = %s, crypto/hmac %s, python %s", got, independent, python)
	}

	ws := &workspace.Workspace{CustomerID: "0b7f3a1c-5e2d-4c9b-8a6f-1d2e3f4a5b6c", PrimarySharedKey: base64.StdEncoding.EncodeToString([]byte("primary")), SecondarySharedKey: key}
	ok := []string{
		"SharedKey 0b7f3a1c-5e2d-4c9b-8a6f-1d2e3f4a5b6c:" + python,
		"SharedKey 0B7F3A1C-5E2D-4C9B-8A6F-1D2E3F4A5B6C:" + python,
	}
	for _, h := range ok {
		if err := VerifySharedKey(ws, h, date, 1024); err != nil {
			t.Errorf("%s: %v", h, err)
		}
	}
	bad := []struct{ auth, date string }{
		{"SharedKey 0b7f3a1c-5e2d-4c9b-8a6f-1d2e3f4a5b6c:" + python, "Mon, 04 Apr 2016 08:00:01 GMT"},
		{"SharedKey 11111111-5e2d-4c9b-8a6f-1d2e3f4a5b6c:" + python, date},
		{"Bearer " + python, date},
		{"SharedKey 0b7f3a1c-5e2d-4c9b-8a6f-1d2e3f4a5b6c:not base64!", date},
		{"SharedKey 0b7f3a1c-5e2d-4c9b-8a6f-1d2e3f4a5b6c", date},
	}
	for _, b := range bad {
		err := VerifySharedKey(ws, b.auth, b.date, 1024)
		var e *apierror.Error
		if !errors.As(err, &e) || e.Status != 403 || e.Code != CodeInvalidAuthorization {
			t.Errorf("%s at %s: %v", b.auth, b.date, err)
		}
	}
	if err := VerifySharedKey(ws, ok[0], date, 1025); err == nil {
		t.Error("a different content length verified")
	}
	primary, _ := Signature(ws.PrimarySharedKey, 10, date)
	if err := VerifySharedKey(ws, "SharedKey "+ws.CustomerID+":"+primary, date, 10); err != nil {
		t.Errorf("primary key: %v", err)
	}
}

// Past 500 columns, new properties go to the dynamic AdditionalFields.
func TestCollectColumnLimit(t *testing.T) {
	f := newFixture(t)
	var props []string
	for i := 0; i < 510; i++ {
		props = append(props, fmt.Sprintf(`"p%03d":%d`, i, i))
	}
	body := "[{" + strings.Join(props, ",") + "}]"
	if err := f.svc.Collect(context.Background(), f.ws, "Wide", "", "", []byte(body), testNow); err != nil {
		t.Fatal(err)
	}
	tbl, _ := f.ws.Store().Lookup("Wide_CL")
	sch := tbl.Schema()
	if len(sch) != maxCollectColumns+1 || sch[len(sch)-1].Name != additionalFields {
		t.Fatalf("%d columns, last %s", len(sch), sch[len(sch)-1].Name)
	}
	got := f.query(t, "Wide_CL | project p495_d, AdditionalFields")
	want := `495 | {"p496":496,"p497":497,"p498":498,"p499":499,"p500":500,"p501":501,"p502":502,"p503":503,"p504":504,"p505":505,"p506":506,"p507":507,"p508":508,"p509":509}`
	if len(got) != 1 || got[0] != want {
		t.Fatalf("got %v", got)
	}
}

func TestCollectTooLarge(t *testing.T) {
	f := newFixture(t)
	body := make([]byte, MaxCollectBytes+1)
	err := f.svc.Collect(context.Background(), f.ws, "Big", "", "", body, testNow)
	var e *apierror.Error
	if !errors.As(err, &e) || e.Status != 404 || e.Code != CodeRequestTooLarge {
		t.Fatalf("got %v", err)
	}
}

// Requests that widen the same table concurrently each land whole.
func TestCollectConcurrent(t *testing.T) {
	f := newFixture(t)
	const workers, posts = 4, 10
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func() {
			var err error
			for i := 0; i < posts && err == nil; i++ {
				body := fmt.Sprintf(`[{"w%d_%d":%d,"shared":"x"},{"shared":"y"}]`, w, i, i)
				err = f.svc.Collect(context.Background(), f.ws, "Conc", "", "", []byte(body), testNow)
			}
			errs <- err
		}()
	}
	for w := 0; w < workers; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := f.query(t, "Conc_CL | count"); got[0] != fmt.Sprint(workers*posts*2) {
		t.Fatalf("%s rows", got[0])
	}
	tbl, _ := f.ws.Store().Lookup("Conc_CL")
	if n := len(tbl.Schema()); n != len(standardCollectColumns)+1+workers*posts {
		t.Fatalf("%d columns", n)
	}
}
