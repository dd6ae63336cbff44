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
	env []string
}

func newCLIRun(t *testing.T, emu *testsupport.Emulator, config string) *cliRun {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if _, err := testsupport.BuildProvider(context.Background(), filepath.Join("..", ".."), bin); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(dir, "terraformrc")
	if err := testsupport.WriteCLIConfig(rc, bin); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(work, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	env := testsupport.TerraformEnv(rc, EnvBaseURL+"="+emu.URL, EnvAPIToken+"="+emu.Token)
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
