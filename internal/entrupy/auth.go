package entrupy

import (
	"context"
	"net/http"
	"sync"
)

// authState is what the client has learnt about its token. There is no
// token check of its own: every answer tells. An answer other than 401, 429
// and 5xx proves the token; a 401 refuses it, and the client then fails
// every later request at once with that same error instead of sending it.
type authState struct {
	mu       sync.Mutex
	proven   bool
	rejected *APIError
	// checking serializes Verify's health checks.
	checking sync.Mutex
}

// answered records the status of an answer (apiErr is its error, nil on 2xx).
func (a *authState) answered(status int, apiErr *APIError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case status == http.StatusUnauthorized:
		if a.rejected == nil && !a.proven {
			a.rejected = apiErr
		}
	case status == http.StatusTooManyRequests || status >= 500:
		// Says nothing about the token: proxies and limits answer first.
	default:
		a.proven = true
	}
}

// known says whether an answer proved the token, or returns the 401 that
// rejected it.
func (a *authState) known() (proven bool, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.rejected != nil {
		return false, a.rejected
	}
	return a.proven, nil
}

// Verify makes sure the token works before the caller commits to work that
// needs it (say, a plan that creates objects and so reads none first). It
// sends nothing when an earlier answer proved or refused the token; else it
// checks it with one GET /v1/health, shared by concurrent callers. It
// returns the health check's error: IsUnauthorized for a rejected token.
func (c *Client) Verify(ctx context.Context) error {
	if proven, err := c.auth.known(); proven || err != nil {
		return err
	}
	c.auth.checking.Lock()
	defer c.auth.checking.Unlock()
	if proven, err := c.auth.known(); proven || err != nil {
		return err
	}
	return c.Health.Check(ctx)
}
