package testsupport

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// ProviderSource is the provider address that CLIConfig redirects.
const ProviderSource = "registry.terraform.io/entrupy/entrupy"

// ProviderBinary is the file name Terraform looks for in a dev_overrides
// directory.
const ProviderBinary = "terraform-provider-entrupy"

// CLIConfig returns a Terraform CLI configuration whose dev_overrides make
// Terraform run the provider binary in providerDir (an absolute path) for
// ProviderSource, and install every other provider as usual.
func CLIConfig(providerDir string) string {
	return fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", ProviderSource, providerDir)
}

// WriteCLIConfig writes CLIConfig of providerDir, made absolute, to path:
// the file to name in TF_CLI_CONFIG_FILE.
func WriteCLIConfig(path, providerDir string) error {
	abs, err := filepath.Abs(providerDir)
	if err != nil {
		return err
	}
	return os.WriteFile(path, []byte(CLIConfig(abs)), 0o600)
}

// BuildProvider builds the provider of the module in moduleDir into
// binDir and returns the binary's path.
func BuildProvider(ctx context.Context, moduleDir, binDir string) (string, error) {
	bin := filepath.Join(binDir, ProviderBinary)
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	build.Dir = moduleDir
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the provider: %w\n%s", err, out)
	}
	return bin, nil
}

// TerraformEnv returns this process's environment with the Terraform CLI
// configuration file cliConfig, Terraform in automation mode and no
// checkpoint calls, then extra ("NAME=value" each).
func TerraformEnv(cliConfig string, extra ...string) []string {
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	return append(env, extra...)
}

// MirrorVersion is the version WriteMirrorCLIConfig gives the provider.
const MirrorVersion = "0.0.1"

// WriteMirrorCLIConfig lays the provider binary bin out as an unpacked
// filesystem mirror under mirrorDir (version MirrorVersion, this platform)
// and writes to path a CLI configuration that installs ProviderSource from
// there and nothing from the network: `terraform init` then works offline,
// backend and lock file included, as in a real CI run.
func WriteMirrorCLIConfig(path, mirrorDir, bin string) error {
	abs, err := filepath.Abs(mirrorDir)
	if err != nil {
		return err
	}
	pkg := filepath.Join(abs, filepath.FromSlash(ProviderSource), MirrorVersion, runtime.GOOS+"_"+runtime.GOARCH)
	if err := os.MkdirAll(pkg, 0o700); err != nil {
		return err
	}
	b, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(pkg, ProviderBinary+"_v"+MirrorVersion), b, 0o700); err != nil {
		return err
	}
	rc := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [%q]\n  }\n}\n", abs, ProviderSource)
	return os.WriteFile(path, []byte(rc), 0o600)
}
