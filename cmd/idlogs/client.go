package main

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/idlogs/idlogs/pki"
	"github.com/idlogs/idlogs/server"
)

// addServerFlags adds the flags that find a running server's
// bootstrap.json: --data and --bootstrap.
func addServerFlags(f *pflag.FlagSet) {
	f.String("data", "idlogs-data", "data directory of the server, holding bootstrap.json")
	f.String("bootstrap", "", "bootstrap.json to read (default: DATA/bootstrap.json)")
}

// serverConn is a running server as its bootstrap.json describes it: its
// endpoints and identities, and an HTTP client that trusts its CA.
type serverConn struct {
	boot     server.Bootstrap
	bootPath string
	http     *http.Client
}

// dialServer reads the bootstrap.json named by cmd's --bootstrap or
// --data flags and trusts its CA. timeout bounds each whole request
// (body included); zero means none.
func dialServer(cmd *cobra.Command, timeout time.Duration) (*serverConn, error) {
	f := cmd.Flags()
	path, _ := f.GetString("bootstrap")
	if path == "" {
		data, _ := f.GetString("data")
		path = filepath.Join(data, "bootstrap.json")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the server's bootstrap file: %w", err)
	}
	c := &serverConn{bootPath: path}
	if err := json.Unmarshal(raw, &c.boot); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ca := c.boot.CACert
	if _, err := os.Stat(ca); err != nil && !filepath.IsAbs(ca) {
		// A relative path is the server's working directory's: the CA
		// is also beside bootstrap.json, in the data directory.
		ca = filepath.Join(filepath.Dir(path), "tls", "ca.pem")
	}
	pool, err := pki.Pool(ca)
	if err != nil {
		return nil, err
	}
	c.http = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: timeout}
	return c, nil
}

// adminCredentials returns the admin application's client id and secret
// from bootstrap.json.
func (c *serverConn) adminCredentials() (clientID, secret string, err error) {
	if c.boot.Admin.ClientSecret == "" {
		return "", "", fmt.Errorf("%s holds no admin client secret", c.bootPath)
	}
	return c.boot.Admin.ClientID, c.boot.Admin.ClientSecret, nil
}

// clientToken runs the client credentials grant at tenant's token
// endpoint for scope and returns the access token. Neither the secret nor
// the token ever appears in an error.
func (c *serverConn) clientToken(tenant, clientID, secret, scope string) (string, error) {
	endpoint := strings.TrimSuffix(c.boot.AuthorityHost, "/") + "/" + url.PathEscape(tenant) + "/oauth2/v2.0/token"
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {clientID},
		"client_secret": {secret},
		"scope":         {scope},
	}
	resp, err := c.http.PostForm(endpoint, form)
	if err != nil {
		return "", fmt.Errorf("getting a token: %w", err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil {
		return "", fmt.Errorf("getting a token: %s answered %s", endpoint, resp.Status)
	}
	if tok.AccessToken == "" {
		return "", fmt.Errorf("getting a token: %s: %s", tok.Error, tok.Description)
	}
	return tok.AccessToken, nil
}
