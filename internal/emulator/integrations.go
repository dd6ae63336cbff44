package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// validateNewUser checks what creates a user (the users route and
// authorize-user) by the shared rules: the id's shape [doc], the email and
// the lengths [chosen].
func validateNewUser(uid, email, first, last string) *response {
	if err := entrupy.CheckUniqueUserID(uid); err != nil {
		r := badRequest("unique_user_id", "unique_user_id %v", err)
		return &r
	}
	if bad := checkEmail("email", email); bad != nil {
		return bad
	}
	return lengths(
		lengthCheck{"first_name", first, entrupy.MaxNameLength},
		lengthCheck{"last_name", last, entrupy.MaxNameLength},
	)
}

// newUser creates an active user. Called with s.mu held.
func (s *Server) newUser(c *call, uid, email, first, last string, metadata map[string]string) *storedUser {
	u := &storedUser{
		UniqueUserID: uid, Username: s.opts.Organization + "-" + uid, Email: email,
		FirstName: first, LastName: last, CreatedAt: c.now.Format(time.RFC3339),
		Metadata: metadata,
		Active:   true,
		Seq:      s.st.nextSeq(),
	}
	s.st.Users[uid] = u
	return u
}

func (s *Server) createUser(c *call) response {
	var req createUserBody
	if bad := c.decode(&req); bad != nil {
		return *bad
	}
	if bad := validateNewUser(req.UniqueUserID, req.Email, req.FirstName, req.LastName); bad != nil {
		return *bad
	}
	metadata, bad := applyMetadata(nil, req.Metadata)
	if bad != nil {
		return *bad
	}
	if u, ok := s.st.Users[req.UniqueUserID]; ok {
		msg := fmt.Sprintf("integration user %q already exists", req.UniqueUserID)
		if !u.Active {
			msg = fmt.Sprintf("integration user %q was deactivated; a deactivated id cannot be created again", req.UniqueUserID)
		}
		return errorResponse(http.StatusConflict, entrupy.CodeConflict, msg, "unique_user_id")
	}
	return itemResponse(http.StatusCreated, s.newUser(c, req.UniqueUserID, req.Email, req.FirstName, req.LastName, metadata).view())
}

// activeUser returns an active user, or a 404: a deactivated user is gone
// from the API's view [chosen].
func (s *Server) activeUser(uid string) (*storedUser, *response) {
	u, ok := s.st.Users[uid]
	if !ok || !u.Active {
		r := notFound("integration user", uid)
		return nil, &r
	}
	return u, nil
}

func (s *Server) getUser(c *call) response {
	u, bad := s.activeUser(c.r.PathValue("unique_user_id"))
	if bad != nil {
		return *bad
	}
	return itemResponse(http.StatusOK, u.view())
}

func (s *Server) listUsers(c *call) response {
	var users []*storedUser
	for _, u := range s.st.Users {
		if u.Active {
			users = append(users, u)
		}
	}
	return listResponse(c, users, func(u *storedUser) int64 { return u.Seq }, func(u *storedUser) User { return u.view() })
}

// immutable answers a 422 when a body member that cannot change (raw; nil
// when absent) differs from the current value.
func immutable(name string, raw json.RawMessage, current string) *response {
	if raw == nil {
		return nil
	}
	var v *string
	if err := json.Unmarshal(raw, &v); err != nil || v == nil || *v != current {
		r := errorResponse(http.StatusUnprocessableEntity, entrupy.CodeImmutableField, fmt.Sprintf("%s cannot be changed (it is %q)", name, current), name)
		return &r
	}
	return nil
}

// updateUser changes email and merges metadata; the names and ids cannot
// change. Everything is checked before anything changes.
func (s *Server) updateUser(c *call) response {
	u, bad := s.activeUser(c.r.PathValue("unique_user_id"))
	if bad != nil {
		return *bad
	}
	var req patchUserBody
	if bad := c.decode(&req); bad != nil {
		return *bad
	}
	if bad := lengths(
		lengthCheck{"email", bodyString(req.Email), entrupy.MaxEmailLength},
		lengthCheck{"first_name", bodyString(req.FirstName), entrupy.MaxNameLength},
		lengthCheck{"last_name", bodyString(req.LastName), entrupy.MaxNameLength},
	); bad != nil {
		return *bad
	}
	for _, m := range []struct {
		name    string
		raw     json.RawMessage
		current string
	}{
		{"unique_user_id", req.UniqueUserID, u.UniqueUserID},
		{"username", req.Username, u.Username},
		{"first_name", req.FirstName, u.FirstName},
		{"last_name", req.LastName, u.LastName},
	} {
		if bad := immutable(m.name, m.raw, m.current); bad != nil {
			return *bad
		}
	}
	email := u.Email
	if req.Email != nil {
		var v string
		if json.Unmarshal(req.Email, &v) != nil {
			return badRequest("email", "email %s", entrupy.EmailRule)
		}
		if bad := checkEmail("email", v); bad != nil {
			return *bad
		}
		email = v
	}
	metadata, bad := applyMetadata(u.Metadata, req.Metadata)
	if bad != nil {
		return *bad
	}
	u.Email, u.Metadata = email, metadata
	return itemResponse(http.StatusOK, u.view())
}

func (s *Server) deleteUser(c *call) response {
	u, bad := s.activeUser(c.r.PathValue("unique_user_id"))
	if bad != nil {
		return *bad
	}
	u.Active = false
	return response{status: http.StatusNoContent}
}

// authorizeUser signs an SDK authorization request, creating the user on
// the first call; names given later are ignored (set permanently) [doc].
func (s *Server) authorizeUser(c *call) response {
	var req authorizeRequest
	if bad := c.decode(&req); bad != nil {
		return *bad
	}
	if strings.TrimSpace(req.SDKAuthorizationRequest) == "" {
		return badRequest("sdk_authorization_request", "sdk_authorization_request is required")
	}
	if bad := checkLength("sdk_authorization_request", req.SDKAuthorizationRequest, 0, entrupy.MaxSDKAuthorizationLength); bad != nil {
		return *bad
	}
	if bad := validateNewUser(req.UniqueUserID, req.Email, req.FirstName, req.LastName); bad != nil {
		return *bad
	}
	u, ok := s.st.Users[req.UniqueUserID]
	switch {
	case ok && !u.Active:
		return errorResponse(http.StatusConflict, entrupy.CodeConflict, fmt.Sprintf("integration user %q was deactivated", req.UniqueUserID), "unique_user_id")
	case ok:
		c.unchanged = true // signing for an existing user changes nothing
	default:
		u = s.newUser(c, req.UniqueUserID, req.Email, req.FirstName, req.LastName, map[string]string{})
	}
	mac := hmac.New(sha256.New, []byte(s.opts.Token))
	mac.Write([]byte(u.Username + "\n" + req.SDKAuthorizationRequest))
	signed := base64.RawURLEncoding.EncodeToString([]byte(req.SDKAuthorizationRequest)) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	return jsonResponse(http.StatusOK, authorizeResponse{SignedAuthorizationRequest: signed, Username: u.Username})
}

// ---------------------------------------------------------------------------
// Webhooks.

// events are the webhook events the emulator knows: the provider's list
// and Options.ExtraEvents.
func (s *Server) events() []string {
	return append(slices.Clone(entrupy.WebhookEvents), s.opts.ExtraEvents...)
}

// validateEvents answers a 400 for no events or one the emulator does not
// know: the server, not the client, decides whether an event is valid.
func (s *Server) validateEvents(events []string) *response {
	known := s.events()
	if len(events) == 0 {
		r := badRequest("events", "events must not be empty; allowed: %s", strings.Join(known, ", "))
		return &r
	}
	for _, e := range events {
		if !slices.Contains(known, e) {
			r := badRequest("events", "unknown event %q; allowed: %s", e, strings.Join(known, ", "))
			return &r
		}
	}
	return nil
}

// webhookURLError answers a 400 for a url too long or not allowed, by the
// shared rule entrupy.CheckWebhookURL.
func webhookURLError(raw string) *response {
	if err := entrupy.CheckWebhookURL(raw); err != nil {
		r := badRequest("url", "url %v", err)
		return &r
	}
	return nil
}

func (s *Server) createWebhook(c *call) response {
	var req createWebhookBody
	if bad := c.decode(&req); bad != nil {
		return *bad
	}
	if bad := webhookURLError(req.URL); bad != nil {
		return *bad
	}
	if req.SecretKey == "" {
		return badRequest("secret_key", "secret_key is required")
	}
	if bad := lengths(
		lengthCheck{"secret_key", req.SecretKey, entrupy.MaxSecretKeyLength},
		lengthCheck{"description", req.Description, entrupy.MaxDescriptionLength},
		lengthCheck{"username", req.Username, entrupy.MaxUsernameLength},
	); bad != nil {
		return *bad
	}
	if bad := s.validateEvents(req.Events); bad != nil {
		return *bad
	}
	metadata, bad := applyMetadata(nil, req.Metadata)
	if bad != nil {
		return *bad
	}
	var username *string
	if req.Username != "" {
		if !s.activeUsername(req.Username) {
			return badRequest("username", "no active integration user has username %q", req.Username)
		}
		username = &req.Username
	}
	version := c.r.Header.Get(entrupy.HeaderAPIVersion)
	if version == "" {
		version = entrupy.DefaultWebhookAPIVersion
	}
	now := c.now.Format(time.RFC3339)
	w := &storedWebhook{
		ID: randomID(entrupy.WebhookIDPrefix), URL: req.URL, Events: slices.Compact(slices.Sorted(slices.Values(req.Events))),
		Description: req.Description, Enabled: req.Enabled == nil || *req.Enabled, Username: username,
		APIVersion: version, CreatedAt: now, UpdatedAt: now, Metadata: metadata,
		Secret: req.SecretKey,
		Seq:    s.st.nextSeq(),
	}
	s.st.Webhooks[w.ID] = w
	return itemResponse(http.StatusCreated, w.view())
}

func (s *Server) activeUsername(username string) bool {
	for _, u := range s.st.Users {
		if u.Active && u.Username == username {
			return true
		}
	}
	return false
}

func (s *Server) webhook(c *call) (*storedWebhook, *response) {
	id := c.r.PathValue("id")
	w, ok := s.st.Webhooks[id]
	if !ok {
		r := notFound("webhook", id)
		return nil, &r
	}
	return w, nil
}

func (s *Server) getWebhook(c *call) response {
	w, bad := s.webhook(c)
	if bad != nil {
		return *bad
	}
	return itemResponse(http.StatusOK, w.view())
}

func (s *Server) listWebhooks(c *call) response {
	hooks := make([]*storedWebhook, 0, len(s.st.Webhooks))
	for _, w := range s.st.Webhooks {
		hooks = append(hooks, w)
	}
	return listResponse(c, hooks, func(w *storedWebhook) int64 { return w.Seq }, func(w *storedWebhook) Webhook { return w.view() })
}

// updateWebhook changes what the body gives and merges metadata; username,
// api_version and id cannot change. Everything is checked before anything
// changes.
func (s *Server) updateWebhook(c *call) response {
	w, bad := s.webhook(c)
	if bad != nil {
		return *bad
	}
	var fields map[string]json.RawMessage
	if bad := c.decode(&fields); bad != nil {
		return *bad
	}
	if bad := checkLength("username", bodyString(fields["username"]), 0, entrupy.MaxUsernameLength); bad != nil {
		return *bad
	}
	username := ""
	if w.Username != nil {
		username = *w.Username
	}
	if raw, ok := fields["username"]; ok && string(raw) == "null" && username == "" {
		delete(fields, "username")
	}
	for name, cur := range map[string]string{"username": username, "api_version": w.APIVersion, "id": w.ID} {
		if bad := immutable(name, fields[name], cur); bad != nil {
			return *bad
		}
	}
	var req patchWebhookBody
	if bad := c.decode(&req); bad != nil {
		return *bad
	}
	if req.URL != nil {
		if bad := webhookURLError(*req.URL); bad != nil {
			return *bad
		}
	}
	if req.SecretKey != nil {
		if *req.SecretKey == "" {
			return badRequest("secret_key", "secret_key must not be empty")
		}
		if bad := checkLength("secret_key", *req.SecretKey, 1, entrupy.MaxSecretKeyLength); bad != nil {
			return *bad
		}
	}
	if req.Description != nil {
		if bad := checkLength("description", *req.Description, 0, entrupy.MaxDescriptionLength); bad != nil {
			return *bad
		}
	}
	_, setEvents := fields["events"]
	if setEvents {
		if bad := s.validateEvents(req.Events); bad != nil {
			return *bad
		}
	}
	metadata, bad := applyMetadata(w.Metadata, req.Metadata)
	if bad != nil {
		return *bad
	}
	// Valid: apply.
	if setEvents {
		w.Events = slices.Compact(slices.Sorted(slices.Values(req.Events)))
	}
	if req.URL != nil {
		w.URL = *req.URL
	}
	if req.SecretKey != nil {
		w.Secret = *req.SecretKey
	}
	if req.Description != nil {
		w.Description = *req.Description
	}
	if req.Enabled != nil {
		w.Enabled = *req.Enabled
	}
	w.Metadata = metadata
	w.UpdatedAt = c.now.Format(time.RFC3339)
	return itemResponse(http.StatusOK, w.view())
}

func (s *Server) deleteWebhook(c *call) response {
	w, bad := s.webhook(c)
	if bad != nil {
		return *bad
	}
	delete(s.st.Webhooks, w.ID)
	return response{status: http.StatusNoContent}
}
