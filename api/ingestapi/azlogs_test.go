package ingestapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/ingestion/azlogs"
)

// staticToken hands the Azure SDK a fixed token and records the scopes it
// asked for.
type staticToken struct {
	token  string
	scopes []string
}

func (s *staticToken) GetToken(_ context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	s.scopes = opts.Scopes
	return azcore.AccessToken{Token: s.token, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// Azure's Go ingestion client uploads through idlogs as it would to Azure.
func TestAzlogsUpload(t *testing.T) {
	e := newEnv(t, true)
	id := e.putRule(t)
	cred := &staticToken{token: monitorToken}
	client, err := azlogs.NewClient(e.srv.URL, cred, &azlogs.ClientOptions{
		ClientOptions: azcore.ClientOptions{Transport: e.srv.Client(), Retry: policy.RetryOptions{MaxRetries: -1}},
	})
	if err != nil {
		t.Fatal(err)
	}
	logs := []byte(`[{"TimeGenerated":"2026-11-27T07:00:00Z","Computer":"sdk-1","Count":5}]`)
	if _, err := client.Upload(context.Background(), id, "Custom-MyTable", logs, nil); err != nil {
		t.Fatal(err)
	}
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(logs)
	zw.Close()
	enc := "gzip"
	if _, err := client.Upload(context.Background(), id, "Custom-MyTable", zipped.Bytes(), &azlogs.UploadOptions{ContentEncoding: &enc}); err != nil {
		t.Fatal(err)
	}
	if n := e.rows(t, `MyTable_CL | where Computer == "sdk-1" and Count == 5`); n != 2 {
		t.Fatalf("%d rows", n)
	}
	// azlogs v1.0.0's audience ends in a slash, so its scope has two.
	if len(cred.scopes) != 1 || cred.scopes[0] != "https://monitor.azure.com//.default" {
		t.Errorf("scopes %v", cred.scopes)
	}

	_, err = client.Upload(context.Background(), id, "incorrect stream", logs, nil)
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.StatusCode != http.StatusBadRequest || re.ErrorCode != "InvalidStream" {
		t.Fatalf("bad stream: %v", err)
	}
	_, err = client.Upload(context.Background(), id, "Custom-MyTable", []byte(`[{"Count":"many"}]`), nil)
	if !errors.As(err, &re) || re.StatusCode != http.StatusBadRequest || !strings.Contains(err.Error(), `record 0, field \"Count\": \"many\" is not a long`) {
		t.Fatalf("bad record: %v", err)
	}
}
