package token

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/pki"
	"github.com/idlogs/idlogs/tenant"
)

// idlogsServer serves the token service over HTTPS with a certificate of
// the local CA that names 127.0.0.1 and login.microsoftonline.com, and
// records the host and path of every request.
type idlogsServer struct {
	srv  *httptest.Server
	pool *tls.Config

	mu   sync.Mutex
	seen []string
}

func startIdlogs(t *testing.T, f *fixture) *idlogsServer {
	t.Helper()
	files, err := pki.Ensure(filepath.Join(t.TempDir(), "pki"), []string{"127.0.0.1", "login.microsoftonline.com"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := pki.Config(files.Cert, files.Key)
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pki.Pool(files.CA)
	if err != nil {
		t.Fatal(err)
	}
	s := &idlogsServer{pool: &tls.Config{RootCAs: pool}}
	rt := &api.Router{}
	// The origin a client used, as the server wiring gives it.
	f.svc.Register(rt, func(r *http.Request) string { return "https://" + r.Host })
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.seen = append(s.seen, r.Method+" "+r.Host+r.URL.Path)
		s.mu.Unlock()
		rt.ServeHTTP(w, r)
	}))
	s.srv.TLS = cfg
	s.srv.StartTLS()
	t.Cleanup(s.srv.Close)
	return s
}

// client trusts the local CA. With everyHostHere, every connection goes to
// the idlogs server whatever host it names, as on a machine whose hosts
// file maps login.microsoftonline.com to idlogs.
func (s *idlogsServer) client(everyHostHere bool) *http.Client {
	tr := &http.Transport{TLSClientConfig: s.pool.Clone()}
	if everyHostHere {
		addr := s.srv.Listener.Addr().String()
		tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}
	}
	return &http.Client{Transport: tr}
}

func (s *idlogsServer) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

// TestAzidentityClientSecretCredential gets tokens from idlogs with the
// Azure SDK's own credential.
//
// MSAL (v1.10.1, under azidentity v1.15.0) sends instance discovery for an
// authority host it does not know to login.microsoftonline.com, never to
// the authority itself (authority.go: AADInstanceDiscovery uses the
// authority host only when TrustedHost says it is one of Microsoft's), and
// it runs instance discovery whenever it validates the authority
// (resolvers.go: ValidateAuthority && !TrustedHost). A client pointed at
// idlogs by ActiveDirectoryAuthorityHost alone therefore reaches out to
// Microsoft; with DisableInstanceDiscovery it asks idlogs only. Both that
// and a client whose login.microsoftonline.com resolves to idlogs work.
func TestAzidentityClientSecretCredential(t *testing.T) {
	f := newFixture(t, Options{Now: time.Now})
	srv := startIdlogs(t, f)
	tid := f.dir.TenantID()
	cases := []struct {
		name          string
		authority     string
		noDiscovery   bool
		everyHostHere bool
		issuerHost    string
		discoveryFrom string // the host instance discovery is asked of
	}{
		{
			name:        "authority host, instance discovery disabled",
			authority:   srv.srv.URL + "/",
			noDiscovery: true,
			issuerHost:  strings.TrimPrefix(srv.srv.URL, "https://"),
		},
		{
			name:          "authority host, discovery sent to the hard-coded host",
			authority:     srv.srv.URL + "/",
			everyHostHere: true,
			issuerHost:    strings.TrimPrefix(srv.srv.URL, "https://"),
			discoveryFrom: "login.microsoftonline.com",
		},
		{
			name:          "login.microsoftonline.com resolves to idlogs",
			authority:     cloud.AzurePublic.ActiveDirectoryAuthorityHost,
			everyHostHere: true,
			issuerHost:    "login.microsoftonline.com",
			discoveryFrom: "login.microsoftonline.com",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(srv.requests())
			cred, err := azidentity.NewClientSecretCredential(tid, f.app.AppID, f.secret, &azidentity.ClientSecretCredentialOptions{
				ClientOptions: azcore.ClientOptions{
					Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: c.authority},
					Transport: srv.client(c.everyHostHere),
				},
				DisableInstanceDiscovery: c.noDiscovery,
			})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://api.loganalytics.io/.default"}})
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Until(tok.ExpiresOn); d < 50*time.Minute || d > 61*time.Minute {
				t.Errorf("expires on %v, %v from now", tok.ExpiresOn, d)
			}
			p, err := f.svc.Verify(tok.Token)
			if err != nil {
				t.Fatal(err)
			}
			if p.Audience != "https://api.loganalytics.io" || p.TenantID != tid || p.ObjectID != f.app.ObjectID || p.AppID != f.app.AppID || !p.App {
				t.Fatalf("principal = %+v", p)
			}
			pt, _ := parse(tok.Token)
			if want := "https://" + c.issuerHost + "/" + tid + "/v2.0"; pt.claims.Iss != want {
				t.Errorf("iss = %s, want %s", pt.claims.Iss, want)
			}

			seen := srv.requests()[before:]
			discovery := ""
			for _, r := range seen {
				if strings.HasSuffix(r, "/common/discovery/instance") {
					discovery = strings.TrimSuffix(strings.TrimPrefix(r, "GET "), "/common/discovery/instance")
				}
			}
			if discovery != c.discoveryFrom {
				t.Errorf("instance discovery asked of %q, want %q; requests: %v", discovery, c.discoveryFrom, seen)
			}
		})
	}
}

func TestAzidentityWrongSecret(t *testing.T) {
	f := newFixture(t, Options{Now: time.Now})
	srv := startIdlogs(t, f)
	cred, err := azidentity.NewClientSecretCredential(f.dir.TenantID(), f.app.AppID, "not-the-secret", &azidentity.ClientSecretCredentialOptions{
		ClientOptions: azcore.ClientOptions{
			Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: srv.srv.URL + "/"},
			Transport: srv.client(false),
		},
		DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://monitor.azure.com/.default"}})
	var afe *azidentity.AuthenticationFailedError
	if !errors.As(err, &afe) || afe.RawResponse == nil || afe.RawResponse.StatusCode != http.StatusUnauthorized ||
		!strings.Contains(err.Error(), "AADSTS7000215") {
		t.Fatalf("err = %v", err)
	}
}

// TestAzidentityUsernamePasswordCredential signs a user in with the Azure
// SDK's (deprecated) password credential through the Azure CLI's public
// client id: MSAL asks idlogs' user realm endpoint whether the domain is
// managed, then sends the password grant.
func TestAzidentityUsernamePasswordCredential(t *testing.T) {
	sink := &memSink{}
	f := newFixture(t, Options{Now: time.Now, Activity: sink})
	u, _, err := f.dir.CreateUser(context.Background(), tenant.Initiator{}, tenant.NewUser{
		UserPrincipalName: "frank@idlogs.local", DisplayName: "Frank", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	srv := startIdlogs(t, f)
	newCred := func(pass string) *azidentity.UsernamePasswordCredential {
		//lint:ignore SA1019 the credential is deprecated but still shipped, and what password-grant clients use
		cred, err := azidentity.NewUsernamePasswordCredential(f.dir.TenantID(), tenant.AzureCLIAppID, u.UserPrincipalName, pass,
			&azidentity.UsernamePasswordCredentialOptions{
				ClientOptions: azcore.ClientOptions{
					Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: srv.srv.URL + "/"},
					Transport: srv.client(false),
				},
				DisableInstanceDiscovery: true,
			})
		if err != nil {
			t.Fatal(err)
		}
		return cred
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tok, err := newCred(password).GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.com/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.Verify(tok.Token)
	if err != nil || p.App || p.ObjectID != u.ID || p.Audience != "https://graph.microsoft.com" {
		t.Fatalf("principal = %+v, %v", p, err)
	}
	recs := sink.waitTake(t, 1)
	if len(recs) != 1 || recs[0].Category != activity.SignInLogs || recs[0].ResultType != "0" {
		t.Fatalf("records = %+v", recs)
	}
	var props struct {
		Details []keyValue `json:"authenticationProcessingDetails"`
	}
	json.Unmarshal(recs[0].Properties, &props)
	lib := ""
	for _, d := range props.Details {
		if d.Key == "Azure AD App Authentication Library" {
			lib = d.Value
		}
	}
	if !strings.HasPrefix(lib, "Family: MSAL Library: MSAL.Go ") {
		t.Errorf("authentication library = %q", lib)
	}

	// A token for another resource comes from MSAL's cache by the refresh
	// token: a non-interactive sign-in.
	cred := newCred(password)
	if _, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.com/.default"}}); err != nil {
		t.Fatal(err)
	}
	arm, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://management.azure.com//.default"}})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := f.svc.Verify(arm.Token); err != nil || p.ObjectID != u.ID || p.Audience != "https://management.azure.com/" {
		t.Fatalf("ARM principal = %+v, %v", p, err)
	}
	var cats []string
	for _, r := range sink.waitTake(t, 2) {
		cats = append(cats, r.Category)
	}
	if strings.Join(cats, ",") != activity.SignInLogs+","+activity.NonInteractiveUserSignInLogs {
		t.Errorf("records = %v", cats)
	}

	_, err = newCred("not the password").GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.com/.default"}})
	if err == nil || !strings.Contains(err.Error(), "AADSTS50126") {
		t.Fatalf("wrong password: %v", err)
	}
}
