package testsupport_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

func TestEmulatorRecordsChangesAndMatchesState(t *testing.T) {
	t.Parallel()
	emu := testsupport.StartEmulator(t, emulator.Options{})
	if !strings.HasPrefix(emu.URL, "http://127.0.0.1:") || emu.Token != testsupport.Token {
		t.Fatalf("URL %q, token %q", emu.URL, emu.Token)
	}
	ctx := context.Background()
	c := emu.Client(t)
	wh, err := c.Webhooks.Create(ctx, entrupy.CreateWebhookRequest{URL: "https://hooks.example.com/a", SecretKey: "s", Events: []string{entrupy.EventSessionCompleted}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users.Create(ctx, entrupy.CreateUserRequest{UniqueUserID: "user-bbbb", Email: "b@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Webhooks.Get(ctx, wh.ID); err != nil {
		t.Fatal(err)
	}

	posts := emu.Changes("POST ")
	if len(posts) != 2 || posts[0].Path != entrupy.PathWebhooks || posts[1].Path != entrupy.PathUsers {
		t.Fatalf("recorded %v, want the two creates", posts)
	}
	if posts[0].IdempotencyKey == "" || !strings.Contains(posts[0].Body, `"secret_key":"s"`) || !strings.HasPrefix(posts[0].String(), "POST /v2/webhooks {") {
		t.Fatalf("create recorded as %+v", posts[0])
	}
	if got := emu.Changes("GET "); len(got) != 0 {
		t.Fatalf("GETs recorded: %v", got)
	}

	if !slices.Equal(emu.WebhookIDs(), []string{wh.ID}) || !slices.Equal(emu.UserIDs(), []string{"user-bbbb"}) {
		t.Fatalf("ids %v %v", emu.WebhookIDs(), emu.UserIDs())
	}
	if err := emu.InventoryMatchesState([]string{wh.ID}, []string{"user-bbbb"}, 1); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		hooks, users []string
		want         int
	}{
		"missing webhook": {nil, []string{"user-bbbb"}, 1},
		"other user":      {[]string{wh.ID}, []string{"user-cccc"}, 1},
		"wrong count":     {[]string{wh.ID}, []string{"user-bbbb"}, 2},
	} {
		if err := emu.InventoryMatchesState(c.hooks, c.users, c.want); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestCloseTwice(t *testing.T) {
	t.Parallel()
	emu, err := testsupport.NewEmulator(emulator.Options{Token: "other-token"})
	if err != nil {
		t.Fatal(err)
	}
	if err := emu.Client(t).Health.Check(context.Background()); err != nil {
		t.Fatalf("a client with the emulator's own token: %v", err)
	}
	emu.Close()
	emu.Close()
}

func TestIDsInStateFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "terraform.tfstate")
	if ids, err := testsupport.IDsInStateFile(path, "entrupy_webhook"); err != nil || ids != nil {
		t.Fatalf("missing file: %v %v", ids, err)
	}
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("")
	if ids, err := testsupport.IDsInStateFile(path, "entrupy_webhook"); err != nil || ids != nil {
		t.Fatalf("empty file: %v %v", ids, err)
	}
	write(`{"version": 4, "resources": [
  {"mode": "managed", "type": "entrupy_webhook", "name": "w", "instances": [{"attributes": {"id": "wh_2"}}, {"attributes": {"id": "wh_1"}}]},
  {"mode": "data", "type": "entrupy_webhook", "name": "d", "instances": [{"attributes": {"id": "wh_9"}}]},
  {"mode": "managed", "type": "entrupy_integration_user", "name": "u", "instances": [{"attributes": {"id": "u1"}}]}
]}`)
	ids, err := testsupport.IDsInStateFile(path, "entrupy_webhook")
	if err != nil || !slices.Equal(ids, []string{"wh_1", "wh_2"}) {
		t.Fatalf("managed webhooks: %v %v", ids, err)
	}
	write("{not json")
	if _, err := testsupport.IDsInStateFile(path, "entrupy_webhook"); err == nil {
		t.Fatal("a broken state file gave no error")
	}
}

func TestIDsInState(t *testing.T) {
	t.Parallel()
	root := &terraform.ModuleState{Path: []string{"root"}, Resources: map[string]*terraform.ResourceState{}}
	s := &terraform.State{Modules: []*terraform.ModuleState{root}}
	for addr, r := range map[string]struct{ typ, id string }{
		"entrupy_webhook.w[1]":          {"entrupy_webhook", "wh_b"},
		"entrupy_webhook.w[0]":          {"entrupy_webhook", "wh_a"},
		"entrupy_integration_user.u":    {"entrupy_integration_user", "u1"},
		"data.entrupy_authentication.a": {"entrupy_authentication", "X"},
	} {
		root.Resources[addr] = &terraform.ResourceState{Type: r.typ, Primary: &terraform.InstanceState{ID: r.id}}
	}
	if ids := testsupport.IDsInState(s, "entrupy_webhook"); !slices.Equal(ids, []string{"wh_a", "wh_b"}) {
		t.Fatalf("webhooks %v", ids)
	}
}

// TestWriteCLIConfig changes directory, so it does not run in parallel.
func TestWriteCLIConfig(t *testing.T) {
	dir := t.TempDir()
	rc := filepath.Join(dir, "terraformrc")
	t.Chdir(dir)
	if err := testsupport.WriteCLIConfig(rc, "bin"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(rc)
	if err != nil {
		t.Fatal(err)
	}
	bin, _ := filepath.Abs("bin")
	want := "provider_installation {\n  dev_overrides {\n    \"registry.terraform.io/entrupy/entrupy\" = \"" + bin + "\"\n  }\n  direct {}\n}\n"
	if string(b) != want {
		t.Fatalf("wrote\n%s\nwant\n%s", b, want)
	}
	env := testsupport.TerraformEnv(rc, "A=b")
	if n := len(env); n < 4 || env[n-1] != "A=b" || !slices.Contains(env, "TF_CLI_CONFIG_FILE="+rc) {
		t.Fatalf("env ends %v", env[max(0, len(env)-4):])
	}
}
