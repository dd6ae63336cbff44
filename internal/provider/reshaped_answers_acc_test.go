package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// Another server's spelling of webhooks, users and deliveries: an API
// written from the same contract may send a number where the contract has
// text, "true" for a boolean, one event for a list, a map holding numbers,
// or a member in a shape nobody expects. reshapingServer puts the
// emulator's answers in such shapes; the provider must read them all.

// reshapingServer answers as emu does, with each webhook, user and delivery
// in its answers rewritten by reshape.
func reshapingServer(t *testing.T, emu *testsupport.Emulator) *testsupport.Emulator {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		emu.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var v any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if strings.HasPrefix(r.URL.Path, "/v2/") && dec.Decode(&v) == nil {
			reshape(v)
			body, _ = json.Marshal(v)
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return &testsupport.Emulator{URL: srv.URL, Token: emu.Token}
}

// reshape rewrites, in place, every webhook, user and delivery within v.
func reshape(v any) {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			reshape(e)
		}
	case map[string]any:
		switch {
		case v["api_version"] != nil: // a webhook
			v["api_version"] = json.Number(fmt.Sprint(v["api_version"])) // "2" → 2
			v["enabled"] = fmt.Sprint(v["enabled"])                      // true → "true"
			if events, ok := v["events"].([]any); ok && len(events) == 1 {
				v["events"] = events[0] // one event, not a list
			}
			v["created_at"] = map[string]any{"epoch": 1767603600} // unreadable
			if md, ok := v["metadata"].(map[string]any); ok {
				md["revision"] = json.Number("3")
			}
		case v["unique_user_id"] != nil: // a user
			v["created_at"] = json.Number("1767603600") // a number for the text
			v["metadata"] = []any{"not", "a", "map"}    // unreadable
		case v["event_type"] != nil: // a delivery
			v["attempt"] = fmt.Sprint(v["attempt"])        // 1 → "1"
			v["test"] = fmt.Sprint(v["test"])              // false → "false"
			v["error"] = map[string]any{"message": "none"} // unreadable
		default:
			for _, e := range v {
				reshape(e)
			}
		}
	}
}

// TestAccReshapedAnswers: webhooks and users answered in other shapes are
// created, read, imported and planned without a change; what is re-spelled
// is read as meant, what cannot be read is left empty.
func TestAccReshapedAnswers(t *testing.T) {
	emu := reshapingServer(t, testsupport.StartEmulator(t, emulator.Options{}))
	config := providerBlock(emu) + `
resource "entrupy_webhook" "one" {
  url       = "https://hooks.example.com/reshaped"
  events    = ["session.completed"]
  secret_wo = "s1"
}
resource "entrupy_integration_user" "u" {
  unique_user_id = "reshaped-01"
  email          = "reshaped@example.com"
}
data "entrupy_webhooks" "all" {
  depends_on = [entrupy_webhook.one]
}
`
	p := tfjsonpath.New[string]
	attr := statecheck.ExpectKnownValue
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				attr("entrupy_webhook.one", p("api_version"), knownvalue.StringExact("2")),
				attr("entrupy_webhook.one", p("enabled"), knownvalue.Bool(true)),
				attr("entrupy_webhook.one", p("events"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("session.completed")})),
				attr("entrupy_webhook.one", p("created_at"), knownvalue.StringExact("")),
				attr("entrupy_integration_user.u", p("created_at"), knownvalue.StringExact("1767603600")),
				attr("data.entrupy_webhooks.all", p("webhooks").AtSliceIndex(0).AtMapKey("enabled"), knownvalue.Bool(true)),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			Config:           config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			ResourceName: "entrupy_webhook.one", ImportState: true, ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{"secret_wo_version"},
		}, {
			ResourceName: "entrupy_integration_user.u", ImportState: true, ImportStateVerify: true,
		}},
	})
}

// TestReshapedAnswersWarn: each read that met a member it could not read
// says so once, naming the member and the objects, and still succeeds.
func TestReshapedAnswersWarn(t *testing.T) {
	t.Parallel()
	inner := testsupport.StartEmulator(t, emulator.Options{})
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	t.Cleanup(receiver.Close)
	c := inner.Client(t)
	ctx := context.Background()
	var ids []string
	for _, u := range []string{"/a", "/b"} {
		wh, err := c.Webhooks.Create(ctx, entrupy.CreateWebhookRequest{URL: receiver.URL + u, SecretKey: "s", Events: []string{"session.completed"}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, wh.ID)
	}
	if _, err := c.Webhooks.Test(ctx, ids[0], entrupy.TestWebhookRequest{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users.Create(ctx, entrupy.CreateUserRequest{UniqueUserID: "reshaped-02", Email: "r@example.com"}); err != nil {
		t.Fatal(err)
	}

	var listed []string
	hooks, err := c.Webhooks.ListAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, wh := range hooks {
		listed = append(listed, wh.ID)
	}

	p := newProtoProvider(t, reshapingServer(t, inner), nil)
	read := func(typeName string, cfg map[string]tftypes.Value) string {
		t.Helper()
		typ := p.schema.DataSourceSchemas[typeName].ValueType()
		resp, err := p.srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: p.dynamic(objectValue(t, typ, cfg))})
		if err != nil || hasErrors(resp.Diagnostics) {
			t.Fatalf("%s: %v %s", typeName, err, diagText(resp.Diagnostics))
		}
		if len(resp.Diagnostics) != 1 {
			t.Fatalf("%s: want one warning, got %s", typeName, diagText(resp.Diagnostics))
		}
		return diagText(resp.Diagnostics)
	}
	for _, tc := range []struct {
		typeName string
		cfg      map[string]tftypes.Value
		want     string
	}{
		// in the order of Entrupy's listing
		{"entrupy_webhooks", nil, "members of its webhooks in a shape this provider version does not read, so it ignored them (the webhooks' IDs in parentheses):\n  created_at (" + strings.Join(listed, ", ") + ")\nWhat they would fill is empty"},
		{"entrupy_webhook", map[string]tftypes.Value{"id": str(ids[1])}, "  created_at (" + ids[1] + ")\n"},
		{"entrupy_integration_users", nil, "members of its integration users in a shape this provider version does not read, so it ignored them (the users' unique_user_ids in parentheses):\n  metadata (reshaped-02)\n"},
		{"entrupy_integration_user", map[string]tftypes.Value{"unique_user_id": str("reshaped-02")}, "  metadata (reshaped-02)\n"},
		{"entrupy_webhook_deliveries", map[string]tftypes.Value{"webhook_id": str(ids[0])}, "members of its webhook deliveries in a shape this provider version does not read"},
	} {
		if got := read(tc.typeName, tc.cfg); !strings.Contains(got, "WARNING: Some fields of Entrupy's answer were not understood") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: warning\n%s\nwant it to contain\n%s", tc.typeName, got, tc.want)
		}
	}
}
