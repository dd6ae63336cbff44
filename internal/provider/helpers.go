package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// configuredData takes the provider's data in a resource's or data source's
// Configure. It is nil before the provider is configured (during validate).
func configuredData(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	d, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", v))
		return nil
	}
	return d
}

// createGrace bounds how long a create may run on after Terraform asked the
// provider to stop.
const createGrace = 5 * time.Minute

// createContext shields a create from Terraform's stop (the first Ctrl-C
// cancels every in-flight request's context). A create abandoned after
// Entrupy committed it would leave an object that is not in state, and the
// next apply would make a duplicate; carried to its outcome, the object is
// recorded. A create not yet started when the stop arrives is not started.
func createContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx.Err() != nil {
		return ctx, func() {}
	}
	return context.WithTimeout(context.WithoutCancel(ctx), createGrace)
}

// stringSet reads a set of strings.
func stringSet(ctx context.Context, s types.Set) ([]string, diag.Diagnostics) {
	var out []string
	diags := s.ElementsAs(ctx, &out, false)
	return out, diags
}

// unreadOf is one object of a read, by its ID, with the members Entrupy
// sent in a shape this provider does not read (the client's Unread).
type unreadOf struct {
	id      string
	members []string
}

// maxUnreadIDs bounds the IDs an unread warning names per member.
const maxUnreadIDs = 5

// warnUnread adds one warning for the objects of one read (what, such as
// "webhooks"): each member that could not be read, with whose IDs carry it
// (a few, then how many more), then closing. It adds nothing when every
// member was read.
func warnUnread(diags *diag.Diagnostics, what, whose string, objects []unreadOf, closing string) {
	ids := map[string][]string{}
	for _, o := range objects {
		for _, member := range o.members {
			ids[member] = append(ids[member], o.id)
		}
	}
	if len(ids) == 0 {
		return
	}
	var lines []string
	for _, member := range slices.Sorted(maps.Keys(ids)) {
		of := ids[member]
		more := ""
		if len(of) > maxUnreadIDs {
			more = fmt.Sprintf(" and %d more", len(of)-maxUnreadIDs)
			of = of[:maxUnreadIDs]
		}
		lines = append(lines, fmt.Sprintf("  %s (%s%s)", member, strings.Join(of, ", "), more))
	}
	diags.AddWarning("Some fields of Entrupy's answer were not understood",
		fmt.Sprintf("Entrupy sent these members of its %s in a shape this provider version does not read, so it ignored them (%s in parentheses):\n", what, whose)+
			strings.Join(lines, "\n")+"\n"+closing)
}

// The closing of warnUnread for objects other than items.
const unreadEmpty = "What they would fill is empty; everything else was read."

// warnUnreadWebhooks, warnUnreadUsers, warnUnreadDeliveries and
// warnUnreadCertificate warn about the members of one read's objects that
// could not be read.
func warnUnreadWebhooks(diags *diag.Diagnostics, hooks ...entrupy.Webhook) {
	objects := make([]unreadOf, 0, len(hooks))
	for _, wh := range hooks {
		objects = append(objects, unreadOf{wh.ID, wh.Unread})
	}
	warnUnread(diags, "webhooks", "the webhooks' IDs", objects, unreadEmpty)
}

func warnUnreadUsers(diags *diag.Diagnostics, users ...entrupy.User) {
	objects := make([]unreadOf, 0, len(users))
	for _, u := range users {
		objects = append(objects, unreadOf{u.UniqueUserID, u.Unread})
	}
	warnUnread(diags, "integration users", "the users' unique_user_ids", objects, unreadEmpty)
}

func warnUnreadDeliveries(diags *diag.Diagnostics, deliveries []entrupy.Delivery) {
	objects := make([]unreadOf, 0, len(deliveries))
	for _, d := range deliveries {
		objects = append(objects, unreadOf{d.ID, d.Unread})
	}
	warnUnread(diags, "webhook deliveries", "the deliveries' IDs", objects, unreadEmpty)
}

func warnUnreadCertificate(diags *diag.Diagnostics, c *entrupy.Certificate) {
	warnUnread(diags, "certificates", "the certificate's ID", []unreadOf{{c.CertificateID, c.Unread}}, unreadEmpty)
}
