package provider

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// cliRun drives the real Terraform CLI against a freshly built provider
// binary (dev_overrides), as a user would, so that everything Terraform and
// the provider print can be inspected.
type cliRun struct {
	t   *testing.T
	dir string
	bin string // the provider binary
	env []string
}

func newCLIRun(t *testing.T, emu *testsupport.Emulator, config string) *cliRun {
	t.Helper()
	return newCLIRunAt(t, emu, filepath.Join(t.TempDir(), "work"), config)
}

// newCLIRunAt is a cliRun in the working directory dir (made, holding
// main.tf with config), with a provider binary built for it.
func newCLIRunAt(t *testing.T, emu *testsupport.Emulator, dir, config string) *cliRun {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	tools := t.TempDir()
	bin := filepath.Join(tools, "bin")
	built, err := testsupport.BuildProvider(context.Background(), filepath.Join("..", ".."), bin)
	if err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(tools, "terraformrc")
	if err := testsupport.WriteCLIConfig(rc, bin); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	env := testsupport.TerraformEnv(rc, EnvBaseURL+"="+emu.URL, EnvAPIToken+"="+emu.Token)
	return &cliRun{t: t, dir: dir, bin: built, env: env}
}

// installFromMirror makes `terraform init` install the provider from a
// filesystem mirror instead of dev_overrides, so that init (backends,
// -backend-config, the lock file) works as in CI.
func (c *cliRun) installFromMirror() {
	c.t.Helper()
	tools := c.t.TempDir()
	rc := filepath.Join(tools, "terraformrc")
	if err := testsupport.WriteMirrorCLIConfig(rc, filepath.Join(tools, "mirror"), c.bin); err != nil {
		c.t.Fatal(err)
	}
	c.env = append(c.env, "TF_CLI_CONFIG_FILE="+rc) // the last value of a name wins
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

// idsInState returns the ids of the instances of a resource type in the
// working directory's state file, sorted.
func (c *cliRun) idsInState(resourceType string) []string {
	c.t.Helper()
	ids, err := testsupport.IDsInStateFile(filepath.Join(c.dir, "terraform.tfstate"), resourceType)
	if err != nil {
		c.t.Fatal(err)
	}
	return ids
}
