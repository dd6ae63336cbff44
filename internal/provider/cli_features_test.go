package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Acceptance tests run on Terraform 1.16 (the whole suite), on the oldest
// Terraform this provider supports and on OpenTofu (a smoke set, see the
// GNUmakefile). A test that needs a feature some of them lack says so with
// a cliFeature: it is skipped, with the reason, where the CLI lacks it, and
// runs everywhere else. Nothing is skipped by Terraform version alone.

// testCLI is the CLI of the acceptance tests (TF_ACC_TERRAFORM_PATH).
type testCLI struct {
	openTofu bool
	version  *version.Version
}

func (c testCLI) String() string {
	if c.openTofu {
		return "OpenTofu " + c.version.String()
	}
	return "Terraform " + c.version.String()
}

var (
	testCLIMu    sync.Mutex
	testCLICache = map[string]testCLI{}
)

// acceptanceCLI tells Terraform from OpenTofu (both report
// "terraform_version" in `version -json`; only the text names the
// product) and reads its version, once per binary.
func acceptanceCLI() (testCLI, error) {
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	testCLIMu.Lock()
	defer testCLIMu.Unlock()
	if c, ok := testCLICache[bin]; ok {
		return c, nil
	}
	out, err := exec.Command(bin, "version", "-json").Output()
	if err != nil {
		return testCLI{}, fmt.Errorf("%s version -json: %w", bin, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return testCLI{}, fmt.Errorf("%s version -json: %w: %s", bin, err, out)
	}
	c := testCLI{}
	if c.version, err = version.NewVersion(v.Version); err != nil {
		return testCLI{}, err
	}
	text, err := exec.Command(bin, "version").Output()
	if err != nil {
		return testCLI{}, fmt.Errorf("%s version: %w", bin, err)
	}
	c.openTofu = openTofuRE.Match(text)
	testCLICache[bin] = c
	return c, nil
}

// openTofuRE matches the line `tofu version` starts its answer with.
var openTofuRE = regexp.MustCompile(`(?m)^OpenTofu v`)

// cliFeature is a language or CLI feature that some supported CLIs lack.
type cliFeature struct {
	name      string           // what the skip says is missing
	terraform *version.Version // the first Terraform that has it
	openTofu  *version.Version // the first OpenTofu that has it; nil: none yet
}

var (
	featureEphemeral = cliFeature{"ephemeral resources", version.Must(version.NewVersion("1.10.0")), version.Must(version.NewVersion("1.11.0"))}
	featureIdentity  = cliFeature{"resource identity", version.Must(version.NewVersion("1.12.0")), version.Must(version.NewVersion("1.12.0"))}
	featureActions   = cliFeature{"actions", terraform114, nil}
	featureQuery     = cliFeature{"list blocks or query", terraform114, nil}
	featureCaller    = cliFeature{`"caller" in action blocks and on_failure in action triggers`, terraform116, nil}
)

// terraform116 is the first Terraform with `caller` in action blocks and
// on_failure in action triggers.
var terraform116 = version.Must(version.NewVersion("1.16.0"))

// missingIn says why cli lacks the feature, or "" when it has it.
func (f cliFeature) missingIn(cli testCLI) string {
	first := f.terraform
	if cli.openTofu {
		first = f.openTofu
	}
	switch {
	case first == nil:
		return fmt.Sprintf("%s has no %s", cli, f.name)
	case cli.version.LessThan(first):
		product := "Terraform"
		if cli.openTofu {
			product = "OpenTofu"
		}
		return fmt.Sprintf("%s has no %s (%s %s and later)", cli, f.name, product, first)
	}
	return ""
}

// CheckTerraformVersion makes a feature one of a resource.TestCase's
// TerraformVersionChecks: the test is skipped, saying why, where the CLI
// lacks it.
func (f cliFeature) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	cli, err := acceptanceCLI()
	if err != nil {
		resp.Error = err
		return
	}
	resp.Skip = f.missingIn(cli)
}

// requireCLI skips an acceptance test driving the CLI itself unless TF_ACC
// is set and the CLI has every feature given.
func requireCLI(t *testing.T, features ...cliFeature) testCLI {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	cli, err := acceptanceCLI()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range features {
		if why := f.missingIn(cli); why != "" {
			t.Skip(why)
		}
	}
	return cli
}

// cliLacks says why the acceptance tests' CLI lacks a feature, or "" when
// it has it.
func cliLacks(t *testing.T, f cliFeature) string {
	t.Helper()
	cli, err := acceptanceCLI()
	if err != nil {
		t.Fatal(err)
	}
	return f.missingIn(cli)
}

// cliHas reports whether the acceptance tests' CLI has a feature.
func cliHas(t *testing.T, f cliFeature) bool {
	t.Helper()
	return cliLacks(t, f) == ""
}

// TestCLIFeatures: what each supported CLI is told it lacks.
func TestCLIFeatures(t *testing.T) {
	v := func(s string) *version.Version { return version.Must(version.NewVersion(s)) }
	for _, tc := range []struct {
		cli     testCLI
		feature cliFeature
		want    string
	}{
		{testCLI{version: v("1.16.4")}, featureCaller, ""},
		{testCLI{version: v("1.16.4")}, featureQuery, ""},
		{testCLI{version: v("1.15.9")}, featureCaller, `Terraform 1.15.9 has no "caller" in action blocks and on_failure in action triggers (Terraform 1.16.0 and later)`},
		{testCLI{version: v("1.15.9")}, featureActions, ""},
		{testCLI{version: v("1.11.4")}, featureActions, "Terraform 1.11.4 has no actions (Terraform 1.14.0 and later)"},
		{testCLI{version: v("1.11.4")}, featureEphemeral, ""},
		{testCLI{openTofu: true, version: v("1.12.6")}, featureQuery, "OpenTofu 1.12.6 has no list blocks or query"},
		{testCLI{openTofu: true, version: v("1.12.6")}, featureEphemeral, ""},
		{testCLI{openTofu: true, version: v("1.10.7")}, featureEphemeral, "OpenTofu 1.10.7 has no ephemeral resources (OpenTofu 1.11.0 and later)"},
	} {
		if got := tc.feature.missingIn(tc.cli); got != tc.want {
			t.Errorf("%s, %s: %q, want %q", tc.cli, tc.feature.name, got, tc.want)
		}
	}
}
