//go:build unix

package provider

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	fwdatasource "github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// The guides under templates/guides hold code that readers copy. Every
// fenced block there is preceded by an HTML comment `<!-- test: NAME -->`
// (tfplugindocs keeps it, and Markdown renderers hide it), and each NAME is
// run by one of the tests below, as listed in guideBlockTests.

// guideBlockTests names every block of the guides and the test running it.
var guideBlockTests = map[string]string{
	// receiving-webhooks
	"delivery-body":          "TestGuidesReceivers",
	"delivery-body-v1-4":     "TestGuidesReceivers",
	"signature-header":       "TestGuidesReceivers",
	"signature-header-plain": "TestGuidesReceivers",
	"receiver-go":            "TestGuidesReceivers",
	"receiver-python":        "TestGuidesReceivers",
	"receiver-node":          "TestGuidesReceivers",
	"prove-webhook":          "TestGuidesActionBlocks, TestAccGuides/actions (Terraform 1.14+)",
	"prove-invoke":           "TestAccGuides/actions (Terraform 1.14+)",
	"prove-continue":         "TestGuidesActionBlocks, TestAccGuides/actions_continue (Terraform 1.16+)",
	"watch-check":            "TestAccGuides/watch",
	// rotating-webhook-secrets
	"rotation-before": "TestAccGuides/rotation",
	"rotation-after":  "TestAccGuides/rotation",
	"rotation-apply":  "TestAccGuides/rotation",
	"rotation-prove":  "TestGuidesActionBlocks, TestAccGuides/actions (Terraform 1.14+)",
	// testing-with-the-emulator
	"ci-build":          "TestAccGuides/emulator_recipe",
	"ci-start":          "TestAccGuides/emulator_recipe",
	"ci-module":         "TestAccGuides/emulator_recipe, TestAccGuides/github_actions",
	"ci-tftest":         "TestAccGuides/emulator_recipe, TestAccGuides/github_actions",
	"ci-run":            "TestAccGuides/emulator_recipe",
	"ci-faults":         "TestAccGuides/emulator_recipe",
	"ci-github-actions": "TestAccGuides/github_actions",
	// many-workspaces-one-token
	"workspaces-parallel": "TestAccGuides/workspaces",
	"workspaces-provider": "TestAccGuides/workspaces",
	// migrating-from-generic-providers
	"migrate-restapi-provider": "TestAccGuidesMigration_restapi",
	"migrate-restapi-before":   "TestAccGuidesMigration_restapi",
	"migrate-restapi-after":    "TestAccGuidesMigration_restapi",
	"migrate-http-before":      "TestAccGuidesMigration_http",
	"migrate-http-after":       "TestAccGuidesMigration_http",
	// interrupted-applies
	"recover-config":    "TestAccGuides/recovery",
	"recover-error":     "TestAccGuides/recovery",
	"recover-imports":   "TestAccGuides/recovery",
	"recover-query":     "TestAccGuides/recovery (Terraform 1.14+)",
	"recover-query-run": "TestAccGuides/recovery (Terraform 1.14+)",
}

// guideFiles are the guides, as named under templates/guides and docs/guides.
var guideFiles = []string{
	"receiving-webhooks",
	"rotating-webhook-secrets",
	"testing-with-the-emulator",
	"many-workspaces-one-token",
	"migrating-from-generic-providers",
	"interrupted-applies",
}

// guideBlock is one fenced code block of a guide.
type guideBlock struct {
	guide, name, lang, text string
}

var (
	guideMarkerRE = regexp.MustCompile(`^<!-- test: ([a-z0-9-]+) -->$`)
	guideFenceRE  = regexp.MustCompile("^```([a-z]*)$")
)

// parseGuideBlocks returns the fenced blocks of one guide's text by name,
// their common indentation removed. A block without a marker is an error.
func parseGuideBlocks(guide, text string) (map[string]guideBlock, error) {
	blocks := map[string]guideBlock{}
	lines := strings.Split(text, "\n")
	marker := ""
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if m := guideMarkerRE.FindStringSubmatch(line); m != nil {
			marker = m[1]
			continue
		}
		m := guideFenceRE.FindStringSubmatch(line)
		if m == nil {
			if line != "" {
				marker = ""
			}
			continue
		}
		if marker == "" {
			return nil, fmt.Errorf("%s:%d: a code block without a `<!-- test: NAME -->` line before it", guide, i+1)
		}
		indent := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " "))]
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, strings.TrimPrefix(lines[i], indent))
		}
		if i == len(lines) {
			return nil, fmt.Errorf("%s: block %q is not closed", guide, marker)
		}
		if _, dup := blocks[marker]; dup {
			return nil, fmt.Errorf("%s: two blocks named %q", guide, marker)
		}
		blocks[marker] = guideBlock{guide: guide, name: marker, lang: m[1], text: strings.Join(body, "\n") + "\n"}
		marker = ""
	}
	return blocks, nil
}

// guideBlocks reads every guide template and returns all blocks by name.
func guideBlocks(t *testing.T) map[string]guideBlock {
	t.Helper()
	all := map[string]guideBlock{}
	for _, g := range guideFiles {
		b, err := os.ReadFile(filepath.Join("..", "..", "templates", "guides", g+".md.tmpl"))
		if err != nil {
			t.Fatal(err)
		}
		blocks, err := parseGuideBlocks(g, string(b))
		if err != nil {
			t.Fatal(err)
		}
		for name, bl := range blocks {
			if _, dup := all[name]; dup {
				t.Fatalf("block name %q is used in two guides", name)
			}
			all[name] = bl
		}
	}
	return all
}

// TestReadmeCIJobIsTheGuides: the README's GitHub Actions job is the
// emulator guide's, which TestAccGuides/github_actions runs, word for word.
func TestReadmeCIJobIsTheGuides(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, "\n```yaml\njobs:\n")
	if start < 0 {
		t.Fatal("README.md has no ```yaml block starting with jobs:")
	}
	job := readme[start+len("\n```yaml\n"):]
	job = job[:strings.Index(job, "```\n")]
	if want := guideBlocks(t)["ci-github-actions"].text; job != want {
		t.Errorf("README.md's GitHub Actions job differs from the ci-github-actions block of the emulator guide:\n--- README\n%s--- guide\n%s", job, want)
	}
}

// TestGuidesEveryBlockIsTested: every block of every guide has a name that
// a test runs, the templates hold no template actions (so docs/guides shows
// the very text the tests run), and docs/guides is up to date.
func TestGuidesEveryBlockIsTested(t *testing.T) {
	t.Parallel()
	blocks := guideBlocks(t)
	got, want := slices.Sorted(maps.Keys(blocks)), slices.Sorted(maps.Keys(guideBlockTests))
	if !slices.Equal(got, want) {
		t.Fatalf("blocks in the guides %v\ndiffer from the blocks the tests run %v", got, want)
	}
	tmpls, _ := filepath.Glob(filepath.Join("..", "..", "templates", "guides", "*.md.tmpl"))
	if len(tmpls) != len(guideFiles) {
		t.Fatalf("templates/guides holds %d templates, guideFiles lists %d: add the new guide to guideFiles", len(tmpls), len(guideFiles))
	}
	for _, g := range guideFiles {
		tmpl, err := os.ReadFile(filepath.Join("..", "..", "templates", "guides", g+".md.tmpl"))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(tmpl, []byte("{{")) {
			t.Errorf("%s: template actions ({{) would make docs/guides differ from the blocks tested", g)
		}
		front := string(tmpl[:bytes.Index(tmpl[3:], []byte("---"))+3])
		for _, key := range []string{"page_title: ", "subcategory: ", "description: "} {
			if !strings.Contains(front, "\n"+key) {
				t.Errorf("%s: front matter lacks %q", g, key)
			}
		}
		doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "guides", g+".md"))
		if err != nil || !bytes.Equal(doc, tmpl) {
			t.Errorf("docs/guides/%s.md is missing or stale (%v): run make docs", g, err)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for a process to write while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// requireTool returns the path of a program the guide tests need, failing
// (not skipping) when it is missing.
func requireTool(t *testing.T, name, what string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed: the guide tests run %s with it. Install %s (CI: add it to .ci/run).", name, what, name)
	}
	return p
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	addr, ok := l.Addr().(*net.TCPAddr)
	if !ok {
		t.Fatalf("listener address %v is not TCP", l.Addr())
	}
	return addr.Port
}

// guideReceiver is one of the guide's receivers, running.
type guideReceiver struct {
	name, url string
	out       *syncBuffer
}

// startReceiver runs argv with PORT and ENTRUPY_WEBHOOK_SECRETS and waits
// until it accepts connections.
func startReceiver(t *testing.T, name, secrets string, argv ...string) *guideReceiver {
	t.Helper()
	port := freePort(t)
	out := &syncBuffer{}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), fmt.Sprintf("PORT=%d", port), "ENTRUPY_WEBHOOK_SECRETS="+secrets)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			_ = c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the %s receiver did not start listening on %s:\n%s", name, addr, out.String())
		}
	}
	return &guideReceiver{name: name, url: "http://" + addr + "/entrupy", out: out}
}

// receiverCommands writes the guide's three receivers into dir and returns
// the command line of each, by language.
func receiverCommands(t *testing.T, blocks map[string]guideBlock, dir string) map[string][]string {
	t.Helper()
	python := requireTool(t, "python3", "the Python webhook receiver of the Receiving webhooks guide")
	node := requireTool(t, "node", "the Node.js webhook receiver of the Receiving webhooks guide")
	goBin := requireTool(t, "go", "the Go webhook receiver of the Receiving webhooks guide")
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("go/go.mod", "module receiver\n\ngo 1.22\n")
	write("go/main.go", blocks["receiver-go"].text)
	build := exec.Command(goBin, "build", "-o", filepath.Join(dir, "receiver-go"), ".")
	build.Dir = filepath.Join(dir, "go")
	build.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("the Go receiver of the guide does not build: %v\n%s", err, out)
	}
	vet := exec.Command(goBin, "vet", ".")
	vet.Dir, vet.Env = build.Dir, build.Env
	if out, err := vet.CombinedOutput(); err != nil {
		t.Fatalf("go vet finds fault with the Go receiver of the guide: %v\n%s", err, out)
	}
	return map[string][]string{
		"go":     {filepath.Join(dir, "receiver-go")},
		"python": {python, write("receiver.py", blocks["receiver-python"].text)},
		"node":   {node, write("receiver.js", blocks["receiver-node"].text)},
	}
}

// post sends body with an Entrupy-Signature header (none when empty) and
// returns the status.
func post(t *testing.T, url, header string, body []byte) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if header != "" {
		req.Header.Set(entrupy.HeaderSignature, header)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// TestGuidesReceivers runs the Go, Python and Node.js receivers of the
// Receiving webhooks guide: the emulator's real deliveries go through,
// tampered, stale, future and wrongly signed ones do not, a second secret
// is accepted (rotation), a repeated event is acknowledged but handled
// once, and each verdict is the one entrupy.VerifySignature gives.
func TestGuidesReceivers(t *testing.T) {
	t.Parallel()
	blocks := guideBlocks(t)

	// The example body and header of the guide belong together.
	body := []byte(strings.TrimSpace(blocks["delivery-body"].text))
	header := strings.TrimPrefix(strings.TrimSpace(blocks["signature-header"].text), entrupy.HeaderSignature+": ")
	if err := entrupy.VerifySignature("whsec_example", header, body, 0); err != nil {
		t.Fatalf("the guide's example header does not sign its example body with whsec_example: %v", err)
	}
	plainHeader := strings.TrimPrefix(strings.TrimSpace(blocks["signature-header-plain"].text), entrupy.HeaderSignature+": ")
	if plainHeader != entrupy.SignPayloadPlain("whsec_example", body) {
		t.Fatalf("the guide's example plain header %q is not the hex HMAC-SHA256 of its example body with whsec_example", plainHeader)
	}

	commands := receiverCommands(t, blocks, t.TempDir())
	const newSecret, oldSecret = "whsec-new-8c1f", "whsec-old-27ab"
	secrets := []string{newSecret, oldSecret}
	receivers := map[string]*guideReceiver{}
	for lang, argv := range commands {
		receivers[lang] = startReceiver(t, lang, newSecret+","+oldSecret, argv...)
	}

	// Real deliveries: two webhooks per receiver, signed by the emulator,
	// one of api_version 2 (the envelope) and one of 1.4 (the item itself).
	emu := testsupport.StartEmulator(t, emulator.Options{DeliveryBackoff: 20 * time.Millisecond, DeliveryAttempts: 3})
	client := emu.Client(t)
	v14 := map[string]string{} // webhook id → receiver, for the api_version 1.4 ones
	for _, lang := range slices.Sorted(maps.Keys(receivers)) {
		for _, version := range []string{"", entrupy.ItemDeliveryAPIVersion} {
			wh, err := client.Webhooks.Create(context.Background(), entrupy.CreateWebhookRequest{URL: receivers[lang].url, SecretKey: newSecret, Events: []string{entrupy.EventSupportMessage}, APIVersion: version})
			if err != nil {
				t.Fatal(err)
			}
			if version != "" {
				v14[wh.ID] = lang
			}
		}
	}
	item := emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications[0]
	if err := emu.SupportMessage(item.EntrupyID, "We looked at it again."); err != nil {
		t.Fatal(err)
	}
	var delivered []emulator.Delivery
	for deadline := time.Now().Add(15 * time.Second); len(delivered) < 2*len(receivers); time.Sleep(20 * time.Millisecond) {
		delivered = emu.Deliveries()
		if time.Now().After(deadline) {
			t.Fatalf("deliveries: %+v", delivered)
		}
	}
	for _, d := range delivered {
		if d.Status != http.StatusNoContent || d.Attempt != 1 {
			t.Errorf("a receiver answered %d (%s) to a real delivery (attempt %d) to %s", d.Status, d.Error, d.Attempt, d.URL)
		}
		if err := entrupy.VerifySignature(newSecret, d.Signature, d.Body, time.Minute); err != nil {
			t.Errorf("VerifySignature refuses a real delivery to %s: %v", d.URL, err)
		}
	}
	var example, exampleItem map[string]json.RawMessage
	if json.Unmarshal(body, &example) != nil || json.Unmarshal([]byte(strings.TrimSpace(blocks["delivery-body-v1-4"].text)), &exampleItem) != nil {
		t.Fatal("the guide's example bodies are not JSON objects")
	}
	var eventID string
	itemBodies := map[string][]byte{} // receiver → the body of its api_version 1.4 delivery
	for _, d := range delivered {
		var actual map[string]json.RawMessage
		if json.Unmarshal(d.Body, &actual) != nil {
			t.Fatalf("a delivery body is not a JSON object: %s", d.Body)
		}
		if lang, ok := v14[d.WebhookID]; ok {
			// The item itself: the example's members (it is cut short) and
			// no envelope.
			itemBodies[lang] = d.Body
			for k := range exampleItem {
				if _, ok := actual[k]; !ok {
					t.Errorf("the guide's example v1.4 delivery has %q, a real one does not: %s", k, d.Body)
				}
			}
			if _, ok := actual["data"]; ok || actual["entrupy_id"] == nil {
				t.Errorf("a delivery to a webhook of api_version 1.4 is not the item itself: %s", d.Body)
			}
			continue
		}
		if got, want := slices.Sorted(maps.Keys(example)), slices.Sorted(maps.Keys(actual)); !slices.Equal(got, want) {
			t.Errorf("the guide's example delivery has members %v, a real delivery %v", got, want)
		}
		eventID = d.EventID
	}
	if len(itemBodies) != len(receivers) || eventID == "" {
		t.Fatalf("deliveries: %d of api_version 1.4 (want %d), event %q", len(itemBodies), len(receivers), eventID)
	}
	bodyHash := func(b []byte) string {
		sum := sha256.Sum256(b)
		return hex.EncodeToString(sum[:])
	}

	// Crafted deliveries, each verdict checked against VerifySignature.
	now := time.Now()
	event := func(id string) []byte {
		return []byte(`{"id":"` + id + `","type":"support.message","created_at":"2026-05-01T10:00:00Z","data":{"item":{"entrupy_id":"1SALEFYH"}}}`)
	}
	tampered := event("evt_tampered")
	// A crafted v1.4 delivery: the item itself, no event id.
	bare := []byte(`{"entrupy_id":"7QK2WB9D","status":{"flag":null,"result":{"id":"authentic","display":"Authentic","final":true,"reason":null}}}`)
	bareTampered := []byte(strings.Replace(string(bare), `"authentic"`, `"unidentified"`, 1))
	barePlain := []byte(strings.Replace(string(bare), `"7QK2WB9D"`, `"9PLAIN4X"`, 1))
	cases := []struct {
		name, header string
		body         []byte
		want         int
	}{
		{"new secret", entrupy.SignPayload(newSecret, now, event("evt_new")), event("evt_new"), 204},
		{"old secret during a rotation", entrupy.SignPayload(oldSecret, now, event("evt_old")), event("evt_old"), 204},
		{"two v1 entries, the second right", strings.Replace(entrupy.SignPayload(newSecret, now, event("evt_two")), ",v1=", ",v1=00ff,v1=", 1), event("evt_two"), 204},
		{"four minutes old", entrupy.SignPayload(newSecret, now.Add(-4*time.Minute), event("evt_4m")), event("evt_4m"), 204},
		{"tampered body", entrupy.SignPayload(newSecret, now, event("evt_tampered")), append(tampered[:len(tampered)-2:len(tampered)-2], []byte(`,"x":1}}`)...), 400},
		{"stale: ten minutes old", entrupy.SignPayload(newSecret, now.Add(-10*time.Minute), event("evt_stale")), event("evt_stale"), 400},
		{"ten minutes in the future", entrupy.SignPayload(newSecret, now.Add(10*time.Minute), event("evt_future")), event("evt_future"), 400},
		{"another secret", entrupy.SignPayload("whsec-someone-else", now, event("evt_other")), event("evt_other"), 400},
		{"no header", "", event("evt_none"), 400},
		{"no timestamp", "v1=" + strings.Repeat("0", 64), event("evt_no_t"), 400},
		{"not a timestamp", "t=soon," + strings.SplitN(entrupy.SignPayload(newSecret, now, event("evt_soon")), ",", 2)[1], event("evt_soon"), 400},
		{"garbage", "%%%", event("evt_garbage"), 400},
		{"api_version 1.4: the item itself", entrupy.SignPayload(newSecret, now, bare), bare, 204},
		{"api_version 1.4: tampered item", entrupy.SignPayload(newSecret, now, bare), bareTampered, 400},
		{"api_version 1.4: another secret", entrupy.SignPayload("whsec-someone-else", now, bare), bare, 400},
		// The plain form, all Entrupy publishes: the hex HMAC of the body,
		// with no time to check.
		{"plain", entrupy.SignPayloadPlain(newSecret, event("evt_plain")), event("evt_plain"), 204},
		{"plain, old secret during a rotation", entrupy.SignPayloadPlain(oldSecret, event("evt_plain_old")), event("evt_plain_old"), 204},
		{"plain, upper case", strings.ToUpper(entrupy.SignPayloadPlain(newSecret, event("evt_plain_upper"))), event("evt_plain_upper"), 204},
		{"plain, api_version 1.4", entrupy.SignPayloadPlain(newSecret, barePlain), barePlain, 204},
		{"plain, another secret", entrupy.SignPayloadPlain("whsec-someone-else", event("evt_plain_other")), event("evt_plain_other"), 400},
		{"plain, tampered body", entrupy.SignPayloadPlain(newSecret, event("evt_plain_tampered")), event("evt_plain_tampered2"), 400},
		{"plain, 63 digits", entrupy.SignPayloadPlain(newSecret, event("evt_plain_short"))[:63], event("evt_plain_short"), 400},
		{"plain, not hex", strings.Repeat("g", 64), event("evt_plain_hex"), 400},
		{"plain signature of the timestamped text", entrupy.SignPayloadPlain(newSecret, []byte(strconv.FormatInt(now.Unix(), 10)+"."+string(event("evt_plain_t")))), event("evt_plain_t"), 400},
	}
	for _, lang := range slices.Sorted(maps.Keys(receivers)) {
		r := receivers[lang]
		for _, c := range cases {
			verdict := 400
			for _, s := range secrets {
				if entrupy.VerifySignature(s, c.header, c.body, 5*time.Minute) == nil {
					verdict = 204
				}
			}
			if verdict != c.want {
				t.Fatalf("%s: VerifySignature gives %d, the case expects %d", c.name, verdict, c.want)
			}
			if got := post(t, r.url, c.header, c.body); got != c.want {
				t.Errorf("%s receiver, %s: answered %d, want %d (as VerifySignature)", lang, c.name, got, c.want)
			}
		}
		// The same delivery again (a retry): acknowledged, not handled
		// again; the same for an item, re-signed as a retry is.
		if got := post(t, r.url, cases[0].header, cases[0].body); got != 204 {
			t.Errorf("%s receiver: a repeated delivery answered %d, want 204", lang, got)
		}
		if got := post(t, r.url, entrupy.SignPayload(oldSecret, now.Add(time.Second), bare), bare); got != 204 {
			t.Errorf("%s receiver: a repeated v1.4 delivery answered %d, want 204", lang, got)
		}
	}
	// Real deliveries signed in the plain form, by an emulator started with
	// -signature plain: each receiver takes them.
	plainEmu := testsupport.StartEmulator(t, emulator.Options{SignatureMode: emulator.SignPlain, DeliveryBackoff: 20 * time.Millisecond, DeliveryAttempts: 3})
	plainClient := plainEmu.Client(t)
	plainHooks := map[string]string{} // webhook id → receiver
	for _, lang := range slices.Sorted(maps.Keys(receivers)) {
		wh, err := plainClient.Webhooks.Create(context.Background(), entrupy.CreateWebhookRequest{URL: receivers[lang].url, SecretKey: newSecret, Events: []string{entrupy.EventSupportMessage}})
		if err != nil {
			t.Fatal(err)
		}
		plainHooks[wh.ID] = lang
	}
	if err := plainEmu.SupportMessage(item.EntrupyID, "Signed in the plain form."); err != nil {
		t.Fatal(err)
	}
	plainEventIDs := map[string]string{} // receiver → the event it got
	for deadline := time.Now().Add(15 * time.Second); len(plainEventIDs) < len(receivers); time.Sleep(20 * time.Millisecond) {
		for _, d := range plainEmu.Deliveries() {
			if d.Status != http.StatusNoContent || d.Attempt != 1 || len(d.Signature) != 64 {
				t.Fatalf("a plain-signed delivery to %s: status %d (%s), attempt %d, signature %q", d.URL, d.Status, d.Error, d.Attempt, d.Signature)
			}
			plainEventIDs[plainHooks[d.WebhookID]] = d.EventID
		}
		if time.Now().After(deadline) {
			t.Fatalf("plain-signed deliveries: %+v", plainEmu.Deliveries())
		}
	}

	for _, lang := range slices.Sorted(maps.Keys(receivers)) {
		r := receivers[lang]
		want := []string{
			eventID + " support.message", bodyHash(itemBodies[lang]) + " item " + item.EntrupyID,
			"evt_new support.message", "evt_old support.message", "evt_two support.message", "evt_4m support.message",
			bodyHash(bare) + " item 7QK2WB9D",
			"evt_plain support.message", "evt_plain_old support.message", "evt_plain_upper support.message",
			bodyHash(barePlain) + " item 9PLAIN4X",
			plainEventIDs[lang] + " support.message",
		}
		var got []string
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			got = receivedEvents(r.out.String())
			if len(got) >= len(want) || time.Now().After(deadline) {
				break
			}
		}
		// The two real deliveries arrive in either order.
		if len(got) > 1 && len(want) > 1 && got[0] != want[0] {
			got[0], got[1] = got[1], got[0]
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s receiver handled %q, want each verified event and item once: %q\noutput:\n%s", lang, got, want, r.out.String())
		}
	}

	// Without a secret, each receiver refuses to start rather than accept
	// deliveries signed with an empty key.
	for lang, argv := range commands {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), fmt.Sprintf("PORT=%d", freePort(t)), "ENTRUPY_WEBHOOK_SECRETS=")
		cmd.WaitDelay = time.Second
		done := make(chan error, 1)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(out.String(), "ENTRUPY_WEBHOOK_SECRETS") {
				t.Errorf("%s receiver without a secret: exit %v, output %q; want a failure naming ENTRUPY_WEBHOOK_SECRETS", lang, err, out.String())
			}
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("%s receiver started without a secret (killed: %v)", lang, <-done)
		}
	}
}

// receivedEvents returns "<id> <type>" of the "received" lines of a receiver.
func receivedEvents(out string) []string {
	var got []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "received "); ok {
			got = append(got, rest)
		}
	}
	return got
}

// guideCLI is what the Terraform-running guide tests share: the provider
// built once, and its dev_overrides CLI configuration.
type guideCLI struct {
	rc string // TF_CLI_CONFIG_FILE
}

// guideVersions is the terraform block the guides' snippets leave out.
const guideVersions = "terraform {\n  required_providers {\n    entrupy = { source = \"entrupy/entrupy\" }\n  }\n}\n"

// workdir writes files (name → text) into a new directory and returns a
// cliRun there, against emu.
func (g *guideCLI) workdir(t *testing.T, emu *testsupport.Emulator, files map[string]string) *cliRun {
	t.Helper()
	dir := t.TempDir()
	files = maps.Clone(files)
	for name := range files {
		// Guide snippets, like the examples, have no terraform block.
		if d := filepath.Dir(name); strings.HasSuffix(name, ".tf") && files[filepath.Join(d, "versions.tf")] == "" {
			files[filepath.Join(d, "versions.tf")] = guideVersions
		}
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// A shell block's `terraform` is the acceptance tests' Terraform.
	path := filepath.Dir(os.Getenv("TF_ACC_TERRAFORM_PATH")) + string(os.PathListSeparator) + os.Getenv("PATH")
	env := testsupport.TerraformEnv(g.rc, EnvBaseURL+"="+emu.URL, EnvAPIToken+"="+emu.Token, "PATH="+path)
	return &cliRun{t: t, dir: dir, env: env}
}

// shell runs script with bash -euo pipefail in dir, with env, in its own
// process group (killed when the test ends, with what it left in the
// background), and returns what it printed.
func shell(t *testing.T, dir string, env []string, script string) string {
	t.Helper()
	var out syncBuffer
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-euo", "pipefail", "-c", script)
	cmd.Dir, cmd.Env = dir, env
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pgid := cmd.Process.Pid
	t.Cleanup(func() { _ = syscall.Kill(-pgid, syscall.SIGTERM) })
	err := cmd.Wait()
	printed := ansiEscapeRE.ReplaceAllString(out.String(), "")
	if err != nil {
		t.Fatalf("script failed: %v\n--- script\n%s\n--- output\n%s", err, script, printed)
	}
	return printed
}

// ansiEscapeRE matches the colour codes terraform test prints.
var ansiEscapeRE = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// TestAccGuides runs the guides' Terraform configurations and shell
// recipes with the real Terraform CLI.
func TestAccGuides(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	blocks := guideBlocks(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if _, err := testsupport.BuildProvider(context.Background(), filepath.Join("..", ".."), bin); err != nil {
		t.Fatal(err)
	}
	g := &guideCLI{rc: filepath.Join(dir, "terraformrc")}
	if err := testsupport.WriteCLIConfig(g.rc, bin); err != nil {
		t.Fatal(err)
	}

	t.Run("fmt", func(t *testing.T) {
		t.Parallel()
		fmtDir := t.TempDir()
		for name, b := range blocks {
			if b.lang != "terraform" {
				continue
			}
			file := filepath.Join(fmtDir, name+".tf")
			if name == "ci-tftest" {
				file = filepath.Join(fmtDir, name+".tftest.hcl")
			}
			if err := os.WriteFile(file, []byte(b.text), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(terraform, "fmt", "-check", "-diff", file).CombinedOutput(); err != nil {
				t.Errorf("%s (%s guide) is not terraform fmt'ed: %v\n%s", name, b.guide, err, out)
			}
		}
	})
	t.Run("rotation", func(t *testing.T) {
		t.Parallel()
		testGuideRotation(t, g, blocks)
	})
	t.Run("workspaces", func(t *testing.T) {
		t.Parallel()
		testGuideWorkspaces(t, g, blocks)
	})
	t.Run("watch", func(t *testing.T) {
		t.Parallel()
		testGuideWatch(t, g, blocks)
	})
	t.Run("actions", func(t *testing.T) {
		t.Parallel()
		requireCLI(t, featureActions) // TestGuidesActionBlocks checks the blocks on any CLI
		testGuideActions(t, g, blocks)
	})
	t.Run("actions_continue", func(t *testing.T) {
		t.Parallel()
		requireCLI(t, featureActions, featureCaller)
		testGuideActionsContinue(t, g, blocks)
	})
	t.Run("recovery", func(t *testing.T) {
		t.Parallel()
		testGuideRecovery(t, g, blocks)
	})
	t.Run("emulator_recipe", func(t *testing.T) {
		t.Parallel()
		testGuideEmulatorRecipe(t, blocks)
	})
	t.Run("github_actions", func(t *testing.T) {
		t.Parallel()
		testGuideGitHubActions(t, blocks)
	})
}

// testGuideRotation follows the rotation guide with a receiver that accepts
// what the steps say: deliveries verify before, during and after, and the
// rotation is one PATCH carrying only the new secret.
func testGuideRotation(t *testing.T, g *guideCLI, blocks map[string]guideBlock) {
	const oldSecret, newSecret = "rotation-old-secret", "rotation-new-secret"
	var mu sync.Mutex
	accepted := []string{oldSecret}
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		for _, s := range accepted {
			if entrupy.VerifySignature(s, r.Header.Get(entrupy.HeaderSignature), b, 5*time.Minute) == nil {
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		w.WriteHeader(http.StatusBadRequest)
	}))
	t.Cleanup(rcv.Close)
	accept := func(s ...string) {
		mu.Lock()
		defer mu.Unlock()
		accepted = s
	}
	emu := testsupport.StartEmulator(t, emulator.Options{DeliveryBackoff: 20 * time.Millisecond, DeliveryAttempts: 2})
	local := func(b guideBlock) string {
		return strings.ReplaceAll(b.text, "https://hooks.example.com/entrupy", rcv.URL+"/entrupy")
	}
	before := local(blocks["rotation-before"])
	variables := before[:strings.Index(before, "resource ")]
	run := g.workdir(t, emu, map[string]string{"main.tf": before})
	run.terraform([]string{"TF_VAR_webhook_secret=" + oldSecret}, "apply", "-auto-approve", "-no-color", "-input=false")

	item := emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications[0]
	deliver := func(n int, secret string) {
		t.Helper()
		if err := emu.SupportMessage(item.EntrupyID, "message"); err != nil {
			t.Fatal(err)
		}
		var log []emulator.Delivery
		for deadline := time.Now().Add(10 * time.Second); len(log) < n; time.Sleep(20 * time.Millisecond) {
			if log = emu.Deliveries(); time.Now().After(deadline) {
				t.Fatalf("deliveries %+v", log)
			}
		}
		last := log[n-1]
		if last.Status != http.StatusNoContent || last.Attempt != 1 {
			t.Fatalf("delivery %d: status %d, attempt %d; want 204 at once", n, last.Status, last.Attempt)
		}
		if err := entrupy.VerifySignature(secret, last.Signature, last.Body, time.Minute); err != nil {
			t.Fatalf("delivery %d is not signed with the expected secret: %v", n, err)
		}
	}
	deliver(1, oldSecret)

	// Step 2: the receiver accepts both; step 3: the new version and secret.
	accept(newSecret, oldSecret)
	deliver(2, oldSecret)
	if err := os.WriteFile(filepath.Join(run.dir, "main.tf"), []byte(variables+local(blocks["rotation-after"])), 0o600); err != nil {
		t.Fatal(err)
	}
	emuPatches := len(emu.Changes("PATCH /v2/webhooks/"))
	out := shell(t, run.dir, append(slices.Clone(run.env), "NEW_SECRET="+newSecret), blocks["rotation-apply"].text)
	if !strings.Contains(out, "0 to add, 1 to change, 0 to destroy") {
		t.Errorf("the rotation plan is not one update in place:\n%s", out)
	}
	patches := emu.Changes("PATCH /v2/webhooks/")[emuPatches:]
	if len(patches) != 1 || patches[0].Body != `{"secret_key":"`+newSecret+`"}` {
		t.Fatalf("rotation requests %v, want one PATCH with only the new secret", patches)
	}
	deliver(3, newSecret)
	// Steps 4-5: the old secret dropped; deliveries still go through.
	accept(newSecret)
	deliver(4, newSecret)
	if err := entrupy.VerifySignature(oldSecret, emu.Deliveries()[3].Signature, emu.Deliveries()[3].Body, 0); err == nil {
		t.Fatal("the old secret still verifies after the rotation")
	}
	run.terraform([]string{"TF_VAR_webhook_secret=" + newSecret}, "plan", "-detailed-exitcode", "-no-color", "-input=false")
}

// testGuideWorkspaces runs two environments at once, as the guide shows,
// against an emulator enforcing Entrupy's 10 requests/second, and the
// guide's provider block for a runner's share of the limit.
func testGuideWorkspaces(t *testing.T, g *guideCLI, blocks map[string]guideBlock) {
	emu := testsupport.StartEmulator(t, emulator.Options{RateLimit: 10})
	files := map[string]string{}
	for _, env := range []string{"staging", "production"} {
		files["environments/"+env+"/main.tf"] = fmt.Sprintf(`
resource "entrupy_webhook" "store" {
  count     = 8
  url       = "https://hooks.example.com/%s/${count.index}"
  events    = ["session.completed"]
  secret_wo = "workspace-secret"
}
`, env)
	}
	files["share/main.tf"] = blocks["workspaces-provider"].text + `
data "entrupy_webhooks" "all" {}

output "webhooks" {
  value = length(data.entrupy_webhooks.all.ids)
}
`
	run := g.workdir(t, emu, files)
	shell(t, run.dir, run.env, blocks["workspaces-parallel"].text)
	if got := len(emu.WebhookIDs()); got != 16 {
		t.Fatalf("the two environments made %d webhooks, want 16", got)
	}
	for _, env := range []string{"staging", "production"} {
		sub := &cliRun{t: t, dir: filepath.Join(run.dir, "environments", env), env: run.env}
		if ids := sub.idsInState("entrupy_webhook"); len(ids) != 8 {
			t.Errorf("%s state holds %d webhooks, want 8", env, len(ids))
		}
	}
	share := &cliRun{t: t, dir: filepath.Join(run.dir, "share"), env: run.env}
	share.terraform(nil, "apply", "-auto-approve", "-no-color", "-input=false")
	if out := share.terraform(nil, "output", "-raw", "webhooks"); out != "16" {
		t.Fatalf("the provider with requests_per_second = 3 read %q webhooks, want 16", out)
	}
}

// recipeEnv is the environment of a recipe run as a fresh user: a new HOME,
// the Go caches kept (so that nothing is downloaded), Terraform and the
// repository reachable, and a git that clones the repository's URL from
// this checkout. It returns the env and the file the git shim touches when
// it clones the documented URL.
func recipeEnv(t *testing.T, home string) ([]string, string) {
	t.Helper()
	realGit := requireTool(t, "git", "the clone step of the emulator guide")
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	shim := filepath.Join(home, ".shim")
	if err := os.MkdirAll(shim, 0o700); err != nil {
		t.Fatal(err)
	}
	cloned := filepath.Join(shim, "cloned")
	script := fmt.Sprintf(`#!/bin/sh
# The guide clones from GitHub; this machine is offline, so clone this checkout instead.
url=https://github.com/entrupy/terraform-provider-entrupy.git
args=""
for a in "$@"; do
  if [ "$a" = "$url" ]; then a=file://%s; touch %s; fi
  args="$args '$a'"
done
eval exec %s $args
`, root, cloned, realGit)
	if err := os.WriteFile(filepath.Join(shim, "git"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	goEnv := map[string]string{}
	for _, name := range []string{"GOCACHE", "GOMODCACHE", "GOPATH"} {
		out, err := exec.Command("go", "env", name).Output()
		if err != nil {
			t.Fatal(err)
		}
		goEnv[name] = strings.TrimSpace(string(out))
	}
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	goBin, _ := exec.LookPath("go")
	path := strings.Join([]string{shim, filepath.Dir(terraform), filepath.Dir(goBin), os.Getenv("PATH")}, string(os.PathListSeparator))
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "HOME", "PATH", "TF_CLI_CONFIG_FILE", "ENTRUPY_BASE_URL", "ENTRUPY_API_TOKEN", "GOFLAGS":
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "HOME="+home, "PATH="+path, "GOTOOLCHAIN=local", "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"GOCACHE="+goEnv["GOCACHE"], "GOMODCACHE="+goEnv["GOMODCACHE"], "GOPATH="+goEnv["GOPATH"])
	return env, cloned
}

// writeGuideModule writes the guide's example module and its test under
// workspace/modules/my-entrupy-module.
func writeGuideModule(t *testing.T, workspace string, blocks map[string]guideBlock) {
	t.Helper()
	mod := filepath.Join(workspace, "modules", "my-entrupy-module")
	if err := os.MkdirAll(filepath.Join(mod, "tests"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "main.tf"), []byte(blocks["ci-module"].text), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "tests", "environment.tftest.hcl"), []byte(blocks["ci-tftest"].text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// testGuideEmulatorRecipe runs the emulator guide's shell recipe as
// written: clone, build, start with a state file, terraform test twice with
// a reset in between, then again against an emulator injecting faults.
func testGuideEmulatorRecipe(t *testing.T, blocks map[string]guideBlock) {
	home := t.TempDir()
	env, cloned := recipeEnv(t, home)
	workspace := filepath.Join(home, "workspace")
	writeGuideModule(t, workspace, blocks)
	script := strings.Join([]string{
		blocks["ci-build"].text,
		blocks["ci-start"].text,
		`curl -fsS "$ENTRUPY_BASE_URL/_emulator/counters" >/dev/null`,
		blocks["ci-run"].text,
		`test -s "$HOME/entrupy-bin/emulator-state.json"`,
		blocks["ci-faults"].text,
		`curl -fsS "$(cat "$HOME/entrupy-bin/flaky-url")/_emulator/counters"`,
	}, "\n")
	out := shell(t, workspace, env, script)
	if _, err := os.Stat(cloned); err != nil {
		t.Fatal("the recipe did not clone the repository's URL")
	}
	if n := strings.Count(out, "Success! 2 passed, 0 failed."); n != 3 {
		t.Fatalf("want three passing terraform test runs (two with a reset between, one with faults), got %d:\n%s", n, out)
	}
	counters := out[strings.LastIndex(out, "\n{")+1:]
	var c struct {
		Statuses map[string]int `json:"statuses"`
	}
	if err := json.Unmarshal([]byte(counters), &c); err != nil {
		t.Fatalf("counters of the flaky emulator: %v\n%s", err, counters)
	}
	if c.Statuses["500"]+c.Statuses["0"] == 0 {
		t.Fatalf("the flaky emulator injected no fault, so the recipe's fault run proved nothing: %v", c.Statuses)
	}
}

// testGuideGitHubActions runs the guide's GitHub Actions job the way a
// runner would: each `run` step in bash -eo pipefail in the checkout, with
// RUNNER_TEMP and GITHUB_ENV; the `uses` steps are what this machine has
// already (the checkout is the guide's module, Go and Terraform on PATH).
func testGuideGitHubActions(t *testing.T, blocks map[string]guideBlock) {
	home := t.TempDir()
	env, cloned := recipeEnv(t, home)
	workspace := filepath.Join(home, "workspace")
	writeGuideModule(t, workspace, blocks)
	runnerTemp := filepath.Join(home, "runner-temp")
	if err := os.MkdirAll(runnerTemp, 0o700); err != nil {
		t.Fatal(err)
	}
	steps := parseWorkflowSteps(t, blocks["ci-github-actions"].text)
	wantUses := []string{"actions/checkout@v4", "actions/setup-go@v5", "hashicorp/setup-terraform@v3"}
	var uses []string
	jobEnv := map[string]string{}
	failed := false
	var logs []string
	for i, st := range steps {
		if st.uses != "" {
			uses = append(uses, st.uses)
			continue
		}
		if st.ifCond == "failure()" && !failed {
			continue
		}
		ghEnv := filepath.Join(runnerTemp, fmt.Sprintf("github_env_%d", i))
		stepEnv := append(slices.Clone(env), "RUNNER_TEMP="+runnerTemp, "GITHUB_ENV="+ghEnv)
		for _, k := range slices.Sorted(maps.Keys(jobEnv)) {
			stepEnv = append(stepEnv, k+"="+jobEnv[k])
		}
		out := shell(t, workspace, stepEnv, st.run)
		logs = append(logs, fmt.Sprintf("--- %s\n%s", st.name, out))
		if b, err := os.ReadFile(ghEnv); err == nil {
			for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				if k, v, ok := strings.Cut(line, "="); ok {
					jobEnv[k] = v
				}
			}
		}
	}
	if !slices.Equal(uses, wantUses) {
		t.Errorf("the job uses %v; this test stands in for %v only", uses, wantUses)
	}
	if _, err := os.Stat(cloned); err != nil {
		t.Fatal("the job did not clone the repository's URL")
	}
	all := strings.Join(logs, "\n")
	if n := strings.Count(all, "Success! 2 passed, 0 failed."); n != 2 {
		t.Fatalf("want two passing terraform test steps, got %d:\n%s", n, all)
	}
	for _, k := range []string{"TF_CLI_CONFIG_FILE", "ENTRUPY_BASE_URL", "ENTRUPY_API_TOKEN"} {
		if jobEnv[k] == "" {
			t.Errorf("the job does not export %s to later steps", k)
		}
	}
}

// workflowStep is one step of a GitHub Actions job.
type workflowStep struct {
	name, uses, run, ifCond string
}

// parseWorkflowSteps reads the steps of the one job of a workflow snippet.
// It knows the small YAML subset the guide uses: `- ` items with `name:`,
// `uses:`, `if:`, `with:` maps and `run:` scalars or `|` blocks.
func parseWorkflowSteps(t *testing.T, text string) []workflowStep {
	t.Helper()
	lines := strings.Split(text, "\n")
	var steps []workflowStep
	in := false
	stepIndent := -1
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		indent := len(line) - len(strings.TrimLeft(line, " "))
		if trimmed == "steps:" {
			in = true
			continue
		}
		if !in || trimmed == "" {
			continue
		}
		if strings.HasPrefix(trimmed, "- ") {
			if stepIndent < 0 {
				stepIndent = indent
			}
			if indent == stepIndent {
				steps = append(steps, workflowStep{})
				trimmed = strings.TrimPrefix(trimmed, "- ")
				indent += 2
			}
		}
		if len(steps) == 0 {
			t.Fatalf("workflow line %d outside a step: %q", i+1, line)
		}
		st := &steps[len(steps)-1]
		key, value, _ := strings.Cut(trimmed, ":")
		value = strings.TrimSpace(value)
		switch key {
		case "name":
			st.name = value
		case "uses":
			st.uses = value
		case "if":
			st.ifCond = value
		case "with":
			for i+1 < len(lines) && len(lines[i+1])-len(strings.TrimLeft(lines[i+1], " ")) > indent {
				i++
			}
		case "run":
			if value != "|" {
				st.run = value + "\n"
				continue
			}
			var body []string
			blockIndent := -1
			for i+1 < len(lines) {
				next := lines[i+1]
				ni := len(next) - len(strings.TrimLeft(next, " "))
				if strings.TrimSpace(next) != "" && ni <= indent {
					break
				}
				if blockIndent < 0 && strings.TrimSpace(next) != "" {
					blockIndent = ni
				}
				i++
				if len(next) >= blockIndent && blockIndent >= 0 {
					next = next[blockIndent:]
				}
				body = append(body, next)
			}
			st.run = strings.TrimRight(strings.Join(body, "\n"), "\n") + "\n"
		default:
			t.Fatalf("workflow line %d: %q is not a key this test knows", i+1, line)
		}
	}
	return steps
}

// The migration guide starts from configurations of the generic
// Mastercard/restapi and hashicorp/http providers, which cannot be
// downloaded here. fakeGeneric serves the part of each that the guide uses,
// with the same argument names and the same requests on the wire, in
// process: restapi_object (POST path; GET, DELETE path/{id}; the id read
// from the answer at id_attribute) and data "http" (a GET).
type fakeGeneric struct{ name string }

type fakeRestAPIConfig struct {
	URI                types.String `tfsdk:"uri"`
	WriteReturnsObject types.Bool   `tfsdk:"write_returns_object"`
	IDAttribute        types.String `tfsdk:"id_attribute"`
	Headers            types.Map    `tfsdk:"headers"`
}

type fakeRestAPIClient struct {
	uri, idAttribute string
	headers          map[string]string
}

func (c *fakeRestAPIClient) do(ctx context.Context, method, path string, body io.Reader) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.uri+path, body)
	if err != nil {
		return 0, nil, err
	}
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func (p *fakeGeneric) Metadata(_ context.Context, _ fwprovider.MetadataRequest, resp *fwprovider.MetadataResponse) {
	resp.TypeName = p.name
}

func (p *fakeGeneric) Schema(_ context.Context, _ fwprovider.SchemaRequest, resp *fwprovider.SchemaResponse) {
	if p.name != "restapi" {
		return
	}
	resp.Schema = pschema.Schema{Attributes: map[string]pschema.Attribute{
		"uri":                  pschema.StringAttribute{Required: true, MarkdownDescription: "API root."},
		"write_returns_object": pschema.BoolAttribute{Optional: true, MarkdownDescription: "Writes answer with the object."},
		"id_attribute":         pschema.StringAttribute{Optional: true, MarkdownDescription: "Path of the id in answers, e.g. `item/id`."},
		"headers":              pschema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "Headers of every request."},
	}}
}

func (p *fakeGeneric) Configure(ctx context.Context, req fwprovider.ConfigureRequest, resp *fwprovider.ConfigureResponse) {
	if p.name != "restapi" {
		return
	}
	var cfg fakeRestAPIConfig
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	c := &fakeRestAPIClient{uri: cfg.URI.ValueString(), idAttribute: cfg.IDAttribute.ValueString(), headers: map[string]string{}}
	resp.Diagnostics.Append(cfg.Headers.ElementsAs(ctx, &c.headers, false)...)
	resp.ResourceData = c
}

func (p *fakeGeneric) Resources(context.Context) []func() fwresource.Resource {
	if p.name != "restapi" {
		return nil
	}
	return []func() fwresource.Resource{func() fwresource.Resource { return &fakeRestAPIObject{} }}
}

func (p *fakeGeneric) DataSources(context.Context) []func() fwdatasource.DataSource {
	if p.name != "http" {
		return nil
	}
	return []func() fwdatasource.DataSource{func() fwdatasource.DataSource { return &fakeHTTPData{} }}
}

type fakeRestAPIObject struct{ c *fakeRestAPIClient }

type fakeRestAPIObjectModel struct {
	ID   types.String `tfsdk:"id"`
	Path types.String `tfsdk:"path"`
	Data types.String `tfsdk:"data"`
}

func (r *fakeRestAPIObject) Metadata(_ context.Context, _ fwresource.MetadataRequest, resp *fwresource.MetadataResponse) {
	resp.TypeName = "restapi_object"
}

func (r *fakeRestAPIObject) Schema(_ context.Context, _ fwresource.SchemaRequest, resp *fwresource.SchemaResponse) {
	resp.Schema = rschema.Schema{Attributes: map[string]rschema.Attribute{
		"id":   rschema.StringAttribute{Computed: true, MarkdownDescription: "Object id.", PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		"path": rschema.StringAttribute{Required: true, MarkdownDescription: "Collection path."},
		"data": rschema.StringAttribute{Required: true, MarkdownDescription: "JSON body of the create."},
	}}
}

func (r *fakeRestAPIObject) Configure(_ context.Context, req fwresource.ConfigureRequest, _ *fwresource.ConfigureResponse) {
	if c, ok := req.ProviderData.(*fakeRestAPIClient); ok {
		r.c = c
	}
}

func (r *fakeRestAPIObject) Create(ctx context.Context, req fwresource.CreateRequest, resp *fwresource.CreateResponse) {
	var m fakeRestAPIObjectModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	status, b, err := r.c.do(ctx, http.MethodPost, m.Path.ValueString(), strings.NewReader(m.Data.ValueString()))
	if err != nil || status/100 != 2 {
		resp.Diagnostics.AddError("restapi create", fmt.Sprintf("%d %s %v", status, b, err))
		return
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		resp.Diagnostics.AddError("restapi create", err.Error())
		return
	}
	for _, key := range strings.Split(r.c.idAttribute, "/") {
		obj, _ := v.(map[string]any)
		v = obj[key]
	}
	id, _ := v.(string)
	m.ID = types.StringValue(id)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *fakeRestAPIObject) Read(ctx context.Context, req fwresource.ReadRequest, resp *fwresource.ReadResponse) {
	var m fakeRestAPIObjectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	status, b, err := r.c.do(ctx, http.MethodGet, m.Path.ValueString()+"/"+m.ID.ValueString(), nil)
	switch {
	case err == nil && status == http.StatusNotFound:
		resp.State.RemoveResource(ctx)
	case err != nil || status/100 != 2:
		resp.Diagnostics.AddError("restapi read", fmt.Sprintf("%d %s %v", status, b, err))
	}
}

func (r *fakeRestAPIObject) Update(_ context.Context, _ fwresource.UpdateRequest, resp *fwresource.UpdateResponse) {
	resp.Diagnostics.AddError("restapi update", "the guide test's restapi_object does not update")
}

func (r *fakeRestAPIObject) Delete(ctx context.Context, req fwresource.DeleteRequest, resp *fwresource.DeleteResponse) {
	var m fakeRestAPIObjectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if status, b, err := r.c.do(ctx, http.MethodDelete, m.Path.ValueString()+"/"+m.ID.ValueString(), nil); err != nil || status/100 != 2 {
		resp.Diagnostics.AddError("restapi delete", fmt.Sprintf("%d %s %v", status, b, err))
	}
}

type fakeHTTPData struct{}

type fakeHTTPDataModel struct {
	ID             types.String `tfsdk:"id"`
	URL            types.String `tfsdk:"url"`
	RequestHeaders types.Map    `tfsdk:"request_headers"`
	ResponseBody   types.String `tfsdk:"response_body"`
	StatusCode     types.Int64  `tfsdk:"status_code"`
}

func (d *fakeHTTPData) Metadata(_ context.Context, _ fwdatasource.MetadataRequest, resp *fwdatasource.MetadataResponse) {
	resp.TypeName = "http"
}

func (d *fakeHTTPData) Schema(_ context.Context, _ fwdatasource.SchemaRequest, resp *fwdatasource.SchemaResponse) {
	resp.Schema = dschema.Schema{Attributes: map[string]dschema.Attribute{
		"id":              dschema.StringAttribute{Computed: true, MarkdownDescription: "The URL."},
		"url":             dschema.StringAttribute{Required: true, MarkdownDescription: "URL to GET."},
		"request_headers": dschema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "Request headers."},
		"response_body":   dschema.StringAttribute{Computed: true, MarkdownDescription: "Response body."},
		"status_code":     dschema.Int64Attribute{Computed: true, MarkdownDescription: "Response status."},
	}}
}

func (d *fakeHTTPData) Read(ctx context.Context, req fwdatasource.ReadRequest, resp *fwdatasource.ReadResponse) {
	var m fakeHTTPDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	c := &fakeRestAPIClient{headers: map[string]string{}}
	resp.Diagnostics.Append(m.RequestHeaders.ElementsAs(ctx, &c.headers, false)...)
	status, b, err := c.do(ctx, http.MethodGet, m.URL.ValueString(), nil)
	if err != nil {
		resp.Diagnostics.AddError("http", err.Error())
		return
	}
	m.ID, m.ResponseBody, m.StatusCode = m.URL, types.StringValue(string(b)), types.Int64Value(int64(status))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// migrationFactories serves this provider and the fake generic ones.
func migrationFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	f := maps.Clone(testAccProtoV6ProviderFactories)
	for _, name := range []string{"restapi", "http"} {
		f[name] = providerserver.NewProtocol6WithError(&fakeGeneric{name: name})
	}
	return f
}

// migrationVariables declares what the guide's snippets use, pointed at emu.
func migrationVariables(emu *testsupport.Emulator) string {
	return providerBlock(emu) + fmt.Sprintf(`
variable "entrupy_api_token" {
  type      = string
  sensitive = true
  default   = %q
}

variable "webhook_secret" {
  type      = string
  sensitive = true
  default   = "migration-secret"
}
`, emu.Token)
}

// expectForgetAndImport checks the plan of the migration: the
// restapi_object is forgotten, the webhook imported, nothing else.
type expectForgetAndImport struct{}

func (expectForgetAndImport) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	got := map[string]string{}
	for _, rc := range req.Plan.ResourceChanges {
		action := fmt.Sprint(rc.Change.Actions)
		if rc.Change.Importing != nil {
			action += " importing " + rc.Change.Importing.ID
		}
		got[rc.Address] = action
	}
	forget, imported := got["restapi_object.orders_webhook"], got["entrupy_webhook.orders"]
	if len(got) != 2 || forget != "[forget]" || !strings.HasPrefix(imported, "[no-op] importing wh_") {
		resp.Error = fmt.Errorf("want restapi_object.orders_webhook forgotten and entrupy_webhook.orders imported with no change, got %v", got)
	}
}

// TestAccGuidesMigration_restapi: a webhook made by the guide's
// restapi_object is taken over by its removed and import blocks, with no
// request that changes anything at Entrupy, and the same webhook ID.
func TestAccGuidesMigration_restapi(t *testing.T) {
	blocks := guideBlocks(t)
	emu := testsupport.StartEmulator(t, emulator.Options{})
	restapiProvider := strings.Replace(blocks["migrate-restapi-provider"].text, `"https://api.entrupy.com"`, strconv.Quote(emu.URL), 1)
	const placeholder = `"wh_8Kq2ZxT4"`
	after := blocks["migrate-restapi-after"].text
	if !strings.Contains(after, placeholder) {
		t.Fatalf("the guide's import block no longer imports %s", placeholder)
	}
	var webhookID string
	var writesBefore int
	var steps []resource.TestStep
	steps = []resource.TestStep{
		{
			Config: migrationVariables(emu) + restapiProvider + blocks["migrate-restapi-before"].text,
			Check: func(*terraform.State) error {
				hooks := emu.Inventory().Webhooks
				if len(hooks) != 1 || hooks[0].URL != "https://hooks.example.com/entrupy" {
					return fmt.Errorf("the restapi_object made %+v", hooks)
				}
				webhookID = hooks[0].ID
				writesBefore = len(emu.Changes(""))
				// The next step imports this ID, as a reader copies it from the state.
				steps[1].Config = migrationVariables(emu) + restapiProvider + strings.Replace(after, placeholder, strconv.Quote(webhookID), 1)
				return nil
			},
		},
		{
			Config: "# set by the first step's Check, once the webhook ID is known",
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{expectForgetAndImport{}},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("entrupy_webhook.orders", tfjsonpath.New("url"), knownvalue.StringExact("https://hooks.example.com/entrupy")),
				statecheck.ExpectKnownValue("entrupy_webhook.orders", tfjsonpath.New("events"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("session.completed"), knownvalue.StringExact("support.message")})),
				statecheck.ExpectKnownValue("entrupy_webhook.orders", tfjsonpath.New("secret_wo_version"), knownvalue.Null()),
			},
			Check: func(s *terraform.State) error {
				if ids := testsupport.IDsInState(s, "entrupy_webhook"); !slices.Equal(ids, []string{webhookID}) {
					return fmt.Errorf("state holds webhooks %v, want the one restapi made, %s", ids, webhookID)
				}
				if ids := testsupport.IDsInState(s, "restapi_object"); len(ids) != 0 {
					return fmt.Errorf("the restapi_object is still in state: %v", ids)
				}
				if w := emu.Changes("")[writesBefore:]; len(w) != 0 {
					return fmt.Errorf("the migration changed something at Entrupy: %v", w)
				}
				if hooks := emu.WebhookIDs(); !slices.Equal(hooks, []string{webhookID}) {
					return fmt.Errorf("Entrupy holds webhooks %v, want only %s", hooks, webhookID)
				}
				return nil
			},
		},
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: migrationFactories(),
		Steps:                    steps,
	})
}

// TestAccGuidesMigration_http: the guide's data "http" read and the
// entrupy_authentication that replaces it give the same output, the one the
// API client reads.
func TestAccGuidesMigration_http(t *testing.T) {
	blocks := guideBlocks(t)
	emu := testsupport.StartEmulator(t, emulator.Options{})
	item, err := emu.Client(t).Authentications.Lookup(context.Background(), "SKU-01000")
	if err != nil {
		t.Fatalf("the guide reads SKU-01000, which the emulator does not hold: %v", err)
	}
	want := statecheck.ExpectKnownOutputValue("order_result", knownvalue.StringExact(val(item.Status.Result.ID)))
	before := strings.Replace(blocks["migrate-http-before"].text, "https://api.entrupy.com/", emu.URL+"/", 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: migrationFactories(),
		Steps: []resource.TestStep{
			{Config: migrationVariables(emu) + before, ConfigStateChecks: []statecheck.StateCheck{want}},
			{
				Config:            migrationVariables(emu) + blocks["migrate-http-after"].text,
				ConfigStateChecks: []statecheck.StateCheck{want},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// TestGuidesActionBlocks holds every guide block with action blocks to the
// provider's schema at the protocol level (checkActionBlocks), whatever
// the Terraform on PATH: TestAccGuides/actions runs them only on 1.14+.
func TestGuidesActionBlocks(t *testing.T) {
	t.Parallel()
	checked := 0
	for name, b := range guideBlocks(t) {
		if b.lang == "terraform" && hasActionBlock(b.text) {
			if n := checkActionBlocks(t, name, b.text); n == 0 {
				t.Errorf("%s: no action block checked", name)
			}
			checked++
			if !strings.Contains(guideBlockTests[name], "TestGuidesActionBlocks") {
				t.Errorf("%s has action blocks but guideBlockTests does not name TestGuidesActionBlocks for it", name)
			}
		}
	}
	if checked != 3 {
		t.Errorf("checked %d blocks with actions, want 3 (prove-webhook, prove-continue and rotation-prove)", checked)
	}
}

// guideWebhookSecretVariable declares the variable the guides' blocks use.
const guideWebhookSecretVariable = "variable \"webhook_secret\" {\n  type      = string\n  sensitive = true\n}\n"

// testGuideWatch applies the check block of the receiving guide beside a
// webhook: it passes before any delivery and after a delivery the receiver
// took, and warns, naming the webhook, after one it refused.
func testGuideWatch(t *testing.T, g *guideCLI, blocks map[string]guideBlock) {
	const secret = "watch-secret"
	rcv := newSigningReceiver(t, secret)
	emu := testsupport.StartEmulator(t, emulator.Options{})
	hook := func(path string) string {
		return guideWebhookSecretVariable + fmt.Sprintf("resource \"entrupy_webhook\" \"orders\" {\n  url    = %q\n  events = [\"session.completed\"]\n  secret = var.webhook_secret\n}\n", rcv.URL+path)
	}
	run := g.workdir(t, emu, map[string]string{"main.tf": hook("/hooks"), "check.tf": blocks["watch-check"].text})
	env := []string{"TF_VAR_webhook_secret=" + secret}
	if out := run.terraform(env, "apply", "-auto-approve", "-no-color", "-input=false"); strings.Contains(out, "Check block assertion failed") {
		t.Fatalf("the check fails before any delivery:\n%s", out)
	}
	id := emu.WebhookIDs()[0]
	test := func() {
		t.Helper()
		if _, err := emu.Client(t).Webhooks.Test(context.Background(), id, entrupy.TestWebhookRequest{}); err != nil {
			t.Fatal(err)
		}
	}
	test()
	if out := run.terraform(env, "plan", "-no-color", "-input=false"); strings.Contains(out, "Check block assertion failed") {
		t.Fatalf("the check fails after a delivery the receiver took:\n%s", out)
	}
	if err := os.WriteFile(filepath.Join(run.dir, "main.tf"), []byte(hook("/fail")), 0o600); err != nil {
		t.Fatal(err)
	}
	run.terraform(env, "apply", "-auto-approve", "-no-color", "-input=false")
	test()
	out := run.terraform(env, "plan", "-no-color", "-input=false")
	if !strings.Contains(out, "Check block assertion failed") || !strings.Contains(out, "The last delivery to "+rcv.URL+"/fail did not succeed") || !strings.Contains(out, `"response_status":500`) {
		t.Errorf("the check does not warn after a refused delivery:\n%s", out)
	}
}

// testGuideActionsContinue (Terraform 1.16+) applies the guide's
// on_failure = continue trigger against a receiver answering 500: the apply
// succeeds, warning with the receiver's answer, and the webhook is in state
// and plans no change.
func testGuideActionsContinue(t *testing.T, g *guideCLI, blocks map[string]guideBlock) {
	const secret = "continue-secret"
	rcv := newSigningReceiver(t, secret)
	emu := testsupport.StartEmulator(t, emulator.Options{})
	url := rcv.URL + "/fail/entrupy" // the receiver answers 500 under /fail
	run := g.workdir(t, emu, map[string]string{"main.tf": guideWebhookSecretVariable + strings.ReplaceAll(blocks["prove-continue"].text, "https://hooks.example.com/entrupy", url)})
	env := []string{"TF_VAR_webhook_secret=" + secret}
	out := run.terraform(env, "apply", "-auto-approve", "-no-color", "-input=false")
	if !expectError(`Warning: Webhook receiver did not accept the test delivery .* The receiver at `+regexp.QuoteMeta(url)+` answered the test session\.completed with 500 Internal Server Error`).MatchString(out) ||
		!strings.Contains(out, "Apply complete! Resources: 1 added, 0 changed, 0 destroyed. Actions: 1 invoked, 1 failed.") {
		t.Fatalf("the apply does not go on with a warning naming the receiver's 500:\n%s", out)
	}
	if err := rcv.expectTests("session.completed"); err != nil {
		t.Fatal(err)
	}
	ids := run.idsInState("entrupy_webhook")
	if want := emu.WebhookIDs(); len(ids) != 1 || !slices.Equal(ids, want) {
		t.Fatalf("webhooks in state %v, in the emulator %v; want the one created", ids, want)
	}
	if out := run.terraform(env, "plan", "-no-color", "-input=false", "-detailed-exitcode"); !strings.Contains(out, "No changes.") {
		t.Errorf("the webhook plans a change after the failed test (tainted?):\n%s", out)
	}
}

// testGuideActions (Terraform 1.14+) runs the guides' action blocks: the
// webhook created with its trigger proves the receiver, -invoke proves it
// again, and the rotation's after_update trigger proves the new secret.
// Below Terraform 1.16 the blocks name the resource instead of caller, as
// the guides say.
func testGuideActions(t *testing.T, g *guideCLI, blocks map[string]guideBlock) {
	const oldSecret, newSecret = "actions-old-secret", "actions-new-secret"
	rcv := newSigningReceiver(t, oldSecret)
	emu := testsupport.StartEmulator(t, emulator.Options{})
	hasCaller := cliHas(t, featureCaller)
	local := func(b guideBlock) string {
		text := strings.ReplaceAll(b.text, "https://hooks.example.com/entrupy", rcv.URL+"/entrupy")
		if !hasCaller {
			text = strings.ReplaceAll(text, "caller.id", "entrupy_webhook.orders.id")
		}
		return text
	}
	run := g.workdir(t, emu, map[string]string{"main.tf": guideWebhookSecretVariable + local(blocks["prove-webhook"])})
	run.terraform([]string{"TF_VAR_webhook_secret=" + oldSecret}, "apply", "-auto-approve", "-no-color", "-input=false")
	if err := rcv.expectTests("session.completed"); err != nil {
		t.Fatalf("after_create: %v", err)
	}
	shell(t, run.dir, append(slices.Clone(run.env), "TF_VAR_webhook_secret="+oldSecret), blocks["prove-invoke"].text)
	if err := rcv.expectTests("session.completed", "session.completed"); err != nil {
		t.Fatalf("-invoke: %v", err)
	}

	// The rotation guide's webhook has the same url, so another account.
	rotEmu := testsupport.StartEmulator(t, emulator.Options{})
	rot := g.workdir(t, rotEmu, map[string]string{"main.tf": "variable \"webhook_secret\" {\n  type      = string\n  sensitive = true\n  ephemeral = true\n}\n" +
		strings.Replace(local(blocks["rotation-prove"]), "secret_wo_version = 2", "secret_wo_version = 1", 1)})
	rot.terraform([]string{"TF_VAR_webhook_secret=" + oldSecret}, "apply", "-auto-approve", "-no-color", "-input=false")
	rcv.accept(newSecret, oldSecret)
	if err := os.WriteFile(filepath.Join(rot.dir, "main.tf"), []byte("variable \"webhook_secret\" {\n  type      = string\n  sensitive = true\n  ephemeral = true\n}\n"+local(blocks["rotation-prove"])), 0o600); err != nil {
		t.Fatal(err)
	}
	rot.terraform([]string{"TF_VAR_webhook_secret=" + newSecret}, "apply", "-auto-approve", "-no-color", "-input=false")
	log := rotEmu.Deliveries()
	if len(log) == 0 || !log[len(log)-1].Test || entrupy.VerifySignature(newSecret, log[len(log)-1].Signature, log[len(log)-1].Body, time.Minute) != nil {
		t.Fatalf("after_update did not prove the new secret: %+v", log)
	}
}
