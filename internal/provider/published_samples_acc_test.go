package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// The data sources against a server that answers with Entrupy's own
// published samples (internal/entrupy/testdata/published, see its README)
// instead of the contract's v1.4 items: what a new user of the real API
// may get.

// publishedToken is the fake server's API token.
const publishedToken = "published-samples-token"

// publishedSample reads a fixture of internal/entrupy/testdata/published.
func publishedSample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "entrupy", "testdata", "published", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sampleItem is the raw item of a fixture ({"item": ...}), byte for byte.
func sampleItem(t *testing.T, body []byte) string {
	t.Helper()
	var env struct {
		Item json.RawMessage `json:"item"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Item == nil {
		t.Fatalf("not an item envelope: %v", err)
	}
	return string(env.Item)
}

// sampleServer answers GET /v2/authentications/{id}, the lookup and the
// search with fixed bodies; the search's cursor leads to an empty last
// page, as the published search sample's next_cursor asks for. It counts
// requests by path.
type sampleServer struct {
	items   map[string][]byte // GET by entrupy_id
	lookups map[string][]byte // lookup by customer_item_id
	search  []byte            // the first search page

	mu       sync.Mutex
	requests map[string]int
}

func (s *sampleServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.requests[r.Method+" "+r.URL.Path]++
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	answer := func(status int, b []byte) {
		w.WriteHeader(status)
		_, _ = w.Write(b)
	}
	if r.Header.Get("Authorization") != "Token "+publishedToken {
		answer(http.StatusUnauthorized, []byte(`{"error": "bad token", "code": "unauthorized"}`))
		return
	}
	var found []byte
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v2/authentications/"):
		found = s.items[strings.TrimPrefix(r.URL.Path, "/v2/authentications/")]
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v2/lookup/authentications/"):
		found = s.lookups[strings.TrimPrefix(r.URL.Path, "/v2/lookup/authentications/")]
	case r.Method == http.MethodPost && r.URL.Path == "/v2/search/authentications":
		var req struct {
			Cursor string `json:"cursor"`
		}
		_ = json.Unmarshal(body, &req)
		found = s.search
		if req.Cursor != "" {
			found = []byte(`{"items": [], "item_count": 2, "next_cursor": null}`)
		}
	}
	if found == nil {
		answer(http.StatusNotFound, []byte(`{"error": "not found", "code": "not_found"}`))
		return
	}
	answer(http.StatusOK, found)
}

// count is how many requests a route ("POST /v2/search/authentications") had.
func (s *sampleServer) count(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[route]
}

// startSampleServer serves s on 127.0.0.1 and returns it as the provider
// block's emulator (its URL and token).
func startSampleServer(t *testing.T, s *sampleServer) *testsupport.Emulator {
	t.Helper()
	s.requests = map[string]int{}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &testsupport.Emulator{URL: srv.URL, Token: publishedToken}
}

// TestAccPublishedSamples: each published sample read through Terraform
// fills the data sources as the contract says: brand ids from display
// strings, times from created_at or a fractional epoch, owner ids apart
// from names, initial_result, updated_at, the flag object's id; raw_json is
// the item as sent, its members reachable with jsondecode; the search walks
// to its last page; and a second plan is empty.
func TestAccPublishedSamples(t *testing.T) {
	get := publishedSample(t, "v2-reference-get-authentication.json")
	lookup := publishedSample(t, "v2-reference-lookup-authentication.json")
	v1 := publishedSample(t, "v1-migration-v0-to-v1-example.json")
	sdk := publishedSample(t, "sdk-status-flag-object.json")
	search := publishedSample(t, "v2-reference-search-authentications.json")
	srv := &sampleServer{
		items:   map[string][]byte{"ENTPY12345": get, "1SALEFYH": v1, "7QK2WB9D": sdk},
		lookups: map[string][]byte{"CUST_LOOKUP_001": lookup},
		search:  search,
	}
	emu := startSampleServer(t, srv)
	var page struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(search, &page); err != nil || len(page.Items) != 2 {
		t.Fatalf("search sample: %v", err)
	}

	p := tfjsonpath.New[string]
	attr := statecheck.ExpectKnownValue
	null := knownvalue.Null()
	str := knownvalue.StringExact
	owner := func(orgName, username, orgID, userID knownvalue.Check) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{"organization_name": orgName, "username": username, "organization_id": orgID, "user_id": userID})
	}
	result := func(id string, final bool) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{"id": str(id), "display": null, "final": knownvalue.Bool(final), "reason": null})
	}
	timestamp := func(epoch int64, rfc3339 string, updated knownvalue.Check) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{"epoch": knownvalue.Int64Exact(epoch), "rfc3339": str(rfc3339), "updated_at": updated})
	}
	value := func(id, display knownvalue.Check) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{"id": id, "display": display})
	}
	const (
		g, l, o, s = "data.entrupy_authentication.get", "data.entrupy_authentication.lookup", "data.entrupy_authentication.v1", "data.entrupy_authentication.sdk"
		all        = "data.entrupy_authentications.all"
	)
	getStatus := knownvalue.ObjectExact(map[string]knownvalue.Check{"flag": str("reviewed_ok"), "result": result("authentic", true), "initial_result": result("authentic", false)})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(emu) + `
data "entrupy_authentication" "get" { entrupy_id = "ENTPY12345" }
data "entrupy_authentication" "lookup" { customer_item_id = "CUST_LOOKUP_001" }
data "entrupy_authentication" "v1" { entrupy_id = "1SALEFYH" }
data "entrupy_authentication" "sdk" { entrupy_id = "7QK2WB9D" }
data "entrupy_authentications" "all" { form_factors = ["microscopic"] }

output "lookup_category" {
  value = jsondecode(data.entrupy_authentication.lookup.raw_json).properties.category
}
output "get_notes" {
  value = jsondecode(data.entrupy_authentication.get.raw_json).text_fields.notes_to_buyer
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				// The GET sample: brand_name, created_at, owner ids, initial_result.
				attr(g, p("owner"), owner(null, null, str("ORG_ABC"), str("USER_XYZ"))),
				attr(g, p("properties"), knownvalue.ObjectExact(map[string]knownvalue.Check{"brand": value(str("chanel"), str("Chanel")), "material": null, "item_type": null})),
				attr(g, p("customer_item_id"), str("SKU9876")),
				attr(g, p("text_fields").AtMapKey("customer_item_id"), str("SKU9876")),
				attr(g, p("status"), getStatus),
				attr(g, p("timestamp"), timestamp(1747994400, "2025-05-23T10:00:00Z", null)),
				attr(g, p("activity"), knownvalue.ObjectExact(map[string]knownvalue.Check{"name": null, "mode": str("standard_authentication"), "form_factor": null, "product_category": null})),
				attr(g, p("certificate"), null),
				attr(g, p("images"), null),
				attr(g, p("catalog"), null),
				attr(g, p("raw_json"), str(sampleItem(t, get))),
				statecheck.ExpectKnownOutputValue("get_notes", str("Handle with care.")),

				// The lookup sample: a brand string, last_updated_at, a
				// certificate with its id alone, images {}.
				attr(l, p("entrupy_id"), str("ENTPYLKUP789")),
				attr(l, p("owner"), owner(null, null, str("ORG_ABC"), str("USER_456"))),
				attr(l, p("properties").AtMapKey("brand"), value(str("louis_vuitton"), str("Louis Vuitton"))),
				attr(l, p("certificate"), knownvalue.ObjectExact(map[string]knownvalue.Check{"certificate_id": str("CERT_LKUP_101"), "site": null, "preview": null})),
				attr(l, p("timestamp"), timestamp(1700058600, "2023-11-15T14:30:00Z", str("2023-11-15T14:35:00Z"))),
				attr(l, p("status").AtMapKey("flag"), null),
				attr(l, p("images"), knownvalue.ListSizeExact(0)),
				attr(l, p("raw_json"), str(sampleItem(t, lookup))),
				statecheck.ExpectKnownOutputValue("lookup_category", str("Handbag")),

				// The v1 example: a fractional epoch, a brand with an id alone.
				attr(o, p("owner"), owner(str("EntrupyOrganization"), str("EntrupyUser"), null, null)),
				attr(o, p("properties").AtMapKey("brand"), value(str("louis_vuitton"), null)),
				attr(o, p("timestamp"), timestamp(1566879268, "2019-08-27T04:14:28Z", null)),
				attr(o, p("customer_item_id"), null),
				attr(o, p("certificate"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"certificate_id": null, "site": str("https://cert.entrupy.com/1SALEFYH"), "preview": str("https://cert.entrupy.com/1SALEFYH"),
				})),
				attr(o, p("status").AtMapKey("result"), result("authentic", true)),

				// The SDKs' flag object and a result id the seeds lack.
				attr(s, p("status"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"flag": str("flagged"),
					"result": knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": str("needs_review"), "display": str("Needs Review"), "final": knownvalue.Bool(false), "reason": null,
					}),
					"initial_result": null,
				})),
				attr(s, p("timestamp").AtMapKey("epoch"), knownvalue.Int64Exact(1777629600)),

				// The search sample: both items, walked to the last page.
				attr(all, p("total_count"), knownvalue.Int64Exact(2)),
				attr(all, p("ids"), knownvalue.ListExact([]knownvalue.Check{str("ENTPY12345"), str("ENTPYLKUP789")})),
				attr(all, p("items").AtSliceIndex(0).AtMapKey("status"), getStatus),
				attr(all, p("items").AtSliceIndex(1).AtMapKey("properties").AtMapKey("brand").AtMapKey("id"), str("louis_vuitton")),
				attr(all, p("items").AtSliceIndex(1).AtMapKey("timestamp").AtMapKey("updated_at"), str("2023-11-15T14:35:00Z")),
				attr(all, p("items").AtSliceIndex(0).AtMapKey("raw_json"), str(string(page.Items[0]))),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
	if n := srv.count("POST /v2/search/authentications"); n < 2 {
		t.Errorf("the search sent %d requests; its next_cursor was not followed", n)
	}
}

// TestPublishedSamplesUnreadWarning: a read never fails on a member's
// shape. Items whose members come in shapes nobody published read with
// those members null and one warning for the data source, naming each
// member once with the Entrupy IDs carrying it; the rest is read.
func TestPublishedSamplesUnreadWarning(t *testing.T) {
	odd := func(id, org string) string {
		return `{"entrupy_id": "` + id + `", "owner": {"organization": ` + org + `, "user": {"username": "Acme-u"}},
		  "timestamp": {"epoch": "soon"}, "properties": {"brand": "Gucci"}, "status": {"result": {"id": "authentic", "final": "yes"}}}`
	}
	srv := &sampleServer{
		items:  map[string][]byte{"ODD1": []byte(`{"item": ` + odd("ODD1", `"ORG_1"`) + `}`)},
		search: []byte(`{"items": [` + odd("ODD1", `"ORG_1"`) + `, ` + odd("ODD2", `{"name": "Acme"}`) + `], "item_count": 2, "next_cursor": null}`),
	}
	emu := startSampleServer(t, srv)
	p := newProtoProvider(t, emu, nil)
	read := func(typeName string, cfg map[string]tftypes.Value) (*tfprotov6.ReadDataSourceResponse, map[string]tftypes.Value) {
		t.Helper()
		typ := p.schema.DataSourceSchemas[typeName].ValueType()
		resp, err := p.srv.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: p.dynamic(objectValue(t, typ, cfg))})
		if err != nil || hasErrors(resp.Diagnostics) {
			t.Fatalf("%s: %v %s", typeName, err, diagText(resp.Diagnostics))
		}
		return resp, decode(t, resp.State, typ)
	}

	resp, state := read("entrupy_authentications", nil)
	want := "WARNING: Some fields of Entrupy's answer were not understood: Entrupy sent these members of its items in a shape this provider version does not read, so it ignored them (the items' Entrupy IDs in parentheses):\n" +
		"  owner.organization (ODD1)\n  status.result.final (ODD1, ODD2)\n  timestamp.epoch (ODD1, ODD2)\n"
	if got := diagText(resp.Diagnostics); len(resp.Diagnostics) != 1 || !strings.HasPrefix(got, want) || !strings.Contains(got, "raw_json holds each item exactly as Entrupy sent it") {
		t.Errorf("search diagnostics:\n%s\nwant one warning starting\n%s", got, want)
	}
	var items []tftypes.Value
	if err := state["items"].As(&items); err != nil || len(items) != 2 {
		t.Fatalf("items: %v", err)
	}
	var second map[string]tftypes.Value
	if err := items[1].As(&second); err != nil {
		t.Fatal(err)
	}
	var ownerObj, ts map[string]tftypes.Value
	if err := second["owner"].As(&ownerObj); err != nil {
		t.Fatal(err)
	}
	if err := second["timestamp"].As(&ts); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(stringAttr(t, ownerObj, "organization_name"), " ", stringAttr(t, ownerObj, "username"), " ", ts["epoch"].IsNull()); got != "Acme Acme-u true" {
		t.Errorf("ODD2 read as owner/epoch-null %q", got)
	}

	resp, state = read("entrupy_authentication", map[string]tftypes.Value{"entrupy_id": tftypes.NewValue(tftypes.String, "ODD1")})
	if got := diagText(resp.Diagnostics); len(resp.Diagnostics) != 1 || !strings.Contains(got, "  owner.organization (ODD1)\n  status.result.final (ODD1)\n  timestamp.epoch (ODD1)\n") {
		t.Errorf("one item's diagnostics:\n%s", got)
	}
	var props, brand map[string]tftypes.Value
	if err := state["properties"].As(&props); err != nil {
		t.Fatal(err)
	}
	if err := props["brand"].As(&brand); err != nil {
		t.Fatal(err)
	}
	if got := stringAttr(t, brand, "id") + " " + stringAttr(t, brand, "display"); got != "gucci Gucci" {
		t.Errorf("ODD1's brand read as %q", got)
	}
}
