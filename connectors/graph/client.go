package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// client calls Microsoft Graph with a client-credentials token.
type client struct {
	cfg *Config

	mu      sync.Mutex
	token   string
	expires time.Time
}

// tokenResponse is the token endpoint's answer (or its error).
type tokenResponse struct {
	AccessToken      string `json:"access_token"`
	ExpiresIn        int64  `json:"expires_in"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// accessToken returns a token for Graph, asking the authority for a new
// one five minutes before the last one expires.
func (c *client) accessToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && c.cfg.Now().Before(c.expires.Add(-5*time.Minute)) {
		return c.token, nil
	}
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.cfg.ClientID},
		"client_secret": {c.cfg.ClientSecret},
		"scope":         {c.cfg.Scope},
	}
	endpoint := strings.TrimRight(c.cfg.Authority, "/") + "/" + url.PathEscape(c.cfg.TenantID) + "/oauth2/v2.0/token"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("token from %s: %w", endpoint, err)
	}
	defer resp.Body.Close()
	var tr tokenResponse
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err := json.Unmarshal(body, &tr); err != nil || resp.StatusCode != http.StatusOK || tr.AccessToken == "" {
		msg := tr.ErrorDescription
		if msg == "" {
			msg = strings.TrimSpace(string(body))
		}
		return "", fmt.Errorf("token from %s: %s: %s", endpoint, resp.Status, msg)
	}
	c.token, c.expires = tr.AccessToken, c.cfg.Now().Add(time.Duration(tr.ExpiresIn)*time.Second)
	return c.token, nil
}

func (c *client) dropToken() {
	c.mu.Lock()
	c.token = ""
	c.mu.Unlock()
}

// page is one page of a Graph collection.
type page struct {
	Value    []json.RawMessage `json:"value"`
	NextLink string            `json:"@odata.nextLink"`
}

// graphError is Graph's error envelope, and the status it came with.
type graphError struct {
	Status int
	Code   string
	Msg    string
}

func (e *graphError) Error() string {
	return fmt.Sprintf("graph answered %d %s: %s", e.Status, e.Code, e.Msg)
}

// maxAttempts bounds the tries of one page: throttling (429), 5xx
// answers and network errors are retried, waiting Retry-After when the
// answer gives it, else backing off from one second.
const maxAttempts = 8

// get reads one page, retrying what Graph says to retry.
func (c *client) get(ctx context.Context, link string, st *feedState) (*page, error) {
	backoff := time.Second
	var last error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		p, wait, err := c.try(ctx, link)
		if err == nil {
			return p, nil
		}
		if wait < 0 || ctx.Err() != nil {
			return nil, err
		}
		last = err
		if wait == 0 {
			wait = backoff
			backoff = min(2*backoff, time.Minute)
		}
		st.retry(err, wait, c.cfg.Now())
		c.cfg.Logf("graph connector: %v; retrying in %v", err, wait)
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("gave up after %d attempts: %w", maxAttempts, last)
}

// try makes one request. wait is negative when the error is final, else
// how long to wait before trying again (0: the caller's backoff).
func (c *client) try(ctx context.Context, link string) (*page, time.Duration, error) {
	tok, err := c.accessToken(ctx)
	if err != nil {
		return nil, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return nil, -1, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", link, err)
	}
	if resp.StatusCode == http.StatusOK {
		var p page
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, 0, fmt.Errorf("page of %s is not a Graph collection: %w", link, err)
		}
		return &p, 0, nil
	}
	ge := &graphError{Status: resp.StatusCode}
	var env struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &env) == nil {
		ge.Code, ge.Msg = env.Error.Code, env.Error.Message
	}
	if ge.Code == "" {
		ge.Msg = strings.TrimSpace(string(body))
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		c.dropToken() // an expired or revoked token: ask again
		return nil, 0, ge
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return nil, retryAfter(resp.Header.Get("Retry-After"), c.cfg.Now()), ge
	}
	return nil, -1, ge
}

// retryAfter reads a Retry-After header: seconds or an HTTP date; 0 when
// absent or unreadable.
func retryAfter(h string, now time.Time) time.Duration {
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && s >= 0 {
		return max(time.Duration(s)*time.Second, time.Millisecond)
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(t.Sub(now), time.Millisecond)
	}
	return 0
}

// isFinal reports whether err is Graph refusing the request for good (a
// 4xx other than 401 and 429).
func isFinal(err error) bool {
	var ge *graphError
	return errors.As(err, &ge) && ge.Status >= 400 && ge.Status < 500 && ge.Status != http.StatusTooManyRequests && ge.Status != http.StatusUnauthorized
}
