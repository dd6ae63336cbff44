package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// cliRun drives the real Terraform CLI against a freshly built provider
// binary (dev_overrides), as a user would, so that everything Terraform and
// the provider print can be inspected.
type cliRun struct {
	t   *testing.T
	dir string
	env []string
}

func newCLIRun(t *testing.T, emu *testEmulator, config string) *cliRun {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "terraform-provider-entrupy"), ".")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	rc := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(rc, fmt.Appendf(nil, "provider_installation {\n  dev_overrides {\n    \"registry.terraform.io/entrupy/entrupy\" = %q\n  }\n  direct {}\n}\n", bin), 0o600); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(work, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		EnvBaseURL+"="+emu.URL, EnvAPIToken+"="+testToken,
	)
	return &cliRun{t: t, dir: work, env: env}
}

// command prepares one terraform command; its output goes to out.
func (c *cliRun) command(out *bytes.Buffer, extraEnv []string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), args...)
	cmd.Dir = c.dir
	cmd.Env = append(append([]string{}, c.env...), extraEnv...)
	cmd.Stdout, cmd.Stderr = out, out
	return cmd
}

// terraform runs one command and returns everything it printed.
func (c *cliRun) terraform(extraEnv []string, args ...string) string {
	c.t.Helper()
	var out bytes.Buffer
	if err := c.command(&out, extraEnv, args...).Run(); err != nil {
		c.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// stateIDs returns the ids of the instances of a resource type in the
// working directory's state file.
func (c *cliRun) stateIDs(resourceType string) []string {
	c.t.Helper()
	b, err := os.ReadFile(filepath.Join(c.dir, "terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		c.t.Fatal(err)
	}
	if len(b) == 0 { // created at lock time, before the first resource is recorded
		return nil
	}
	var st struct {
		Resources []struct {
			Mode, Type string
			Instances  []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		c.t.Fatalf("state file: %v", err)
	}
	var ids []string
	for _, r := range st.Resources {
		if r.Mode != "managed" || r.Type != resourceType {
			continue
		}
		for _, in := range r.Instances {
			ids = append(ids, fmt.Sprint(in.Attributes["id"]))
		}
	}
	slices.Sort(ids)
	return ids
}
