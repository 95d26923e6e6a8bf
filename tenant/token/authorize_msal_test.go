package token

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/tenant"
)

var (
	formAction  = regexp.MustCompile(`action="([^"]+)"`)
	hiddenField = regexp.MustCompile(`type="hidden" name="([^"]+)" value="([^"]*)"`)
)

// TestMSALInteractive: MSAL Go's interactive sign-in, with the browser
// played by a client that fills in idlogs' sign-in page and follows the
// redirect to MSAL's own loopback listener. MSAL builds the authorization
// request, checks the state and redeems the code with its PKCE verifier.
func TestMSALInteractive(t *testing.T) {
	f, sink, u := newUserFixture(t)
	srv := startIdlogs(t, f)
	tid := f.dir.TenantID()
	pca, err := public.New(tenant.AzureCLIAppID, public.WithAuthority(srv.srv.URL+"/"+tid),
		public.WithInstanceDiscovery(false), public.WithHTTPClient(srv.client(false)))
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv, tid)
	b.fail = func(args ...any) { t.Error(args...); runtime.Goexit() }
	openURL := func(authorize string) error {
		if !strings.HasPrefix(authorize, srv.srv.URL+"/"+tid+"/oauth2/v2.0/authorize?") {
			t.Errorf("MSAL opened %s", authorize)
		}
		// MSAL waits for the redirect while this runs, so it is played
		// out on its own goroutine.
		go func() {
			_, page := b.do(http.MethodGet, authorize, nil)
			resp, body := b.signIn(page, "alice@idlogs.local", password)
			if loc := resp.Header.Get("Location"); loc != "" {
				b.do(http.MethodGet, loc, nil)
				return
			}
			// MSAL asks for response_mode form_post: the page's form goes
			// to MSAL's listener.
			action := formAction.FindStringSubmatch(body)
			if action == nil {
				b.fail("no redirect in " + body)
			}
			fields := url.Values{}
			for _, m := range hiddenField.FindAllStringSubmatch(body, -1) {
				fields.Set(m[1], html.UnescapeString(m[2]))
			}
			b.do(http.MethodPost, html.UnescapeString(action[1]), fields)
		}()
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := pca.AcquireTokenInteractive(ctx, []string{"https://graph.microsoft.com/.default"},
		public.WithOpenURL(openURL), public.WithLoginHint("alice@idlogs.local"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.Verify(res.AccessToken)
	if err != nil || p.ObjectID != u.ID {
		t.Fatalf("principal %+v, %v", p, err)
	}
	if res.Account.PreferredUsername != "alice@idlogs.local" || res.IDToken.Oid != u.ID {
		t.Fatalf("account %+v, id token %+v", res.Account, res.IDToken)
	}
	recs := sink.waitTake(t, 2)
	if len(recs) != 2 || recs[0].Category != activity.SignInLogs || props(t, recs[0])["clientAppUsed"] != "Browser" ||
		recs[1].Category != activity.NonInteractiveUserSignInLogs || recs[1].ResultType != "0" {
		t.Fatalf("records = %+v", recs)
	}
	// The account is in MSAL's cache: a silent request is served from it.
	accts, err := pca.Accounts(ctx)
	if err != nil || len(accts) != 1 {
		t.Fatalf("accounts %v, %v", accts, err)
	}
	if _, err := pca.AcquireTokenSilent(ctx, []string{"https://graph.microsoft.com/.default"}, public.WithSilentAccount(accts[0])); err != nil {
		t.Fatal(err)
	}
}
