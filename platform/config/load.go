package config

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Project is a Pulumi project read from disk: its name and its config for one stack.
type Project struct {
	// Name is the project name from Pulumi.yaml.
	Name string
	// Dir is the directory that holds Pulumi.yaml.
	Dir string
	// Raw is the merged config: Pulumi.yaml's `config:` block, overridden by Pulumi.<stack>.yaml.
	Raw Raw
}

// ReadProject reads dir/Pulumi.yaml and dir/Pulumi.<stack>.yaml with the Pulumi SDK's own
// loaders. Secure values are masked as "[secret]", never decrypted. A missing stack file is
// an error: every environment a project deploys to is declared.
func ReadProject(dir, stack string) (*Project, error) {
	projectFile := filepath.Join(dir, "Pulumi.yaml")
	proj, err := workspace.LoadProject(projectFile)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", projectFile, err)
	}
	raw := Raw{}
	for key, typ := range proj.Config {
		v := typ.Value
		if v == nil {
			v = typ.Default
		}
		if v == nil {
			continue
		}
		s, err := stringify(v)
		if err != nil {
			return nil, fmt.Errorf("Pulumi.yaml: %s: %w", key, err)
		}
		raw[key] = Setting{Value: s, Source: "Pulumi.yaml", Secret: typ.Secret}
	}

	stackName := "Pulumi." + stack + ".yaml"
	stackFile := filepath.Join(dir, stackName)
	if _, err := os.Stat(stackFile); err != nil {
		return nil, fmt.Errorf("project %s has no stack file %s: %w", proj.Name, stackName, err)
	}
	sink := diag.DefaultSink(io.Discard, io.Discard, diag.FormatOptions{Color: colors.Never})
	ps, err := workspace.LoadProjectStack(sink, proj, stackFile)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", stackName, err)
	}
	values, err := ps.Config.Decrypt(config.NewBlindingDecrypter())
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", stackName, err)
	}
	for key, v := range values {
		raw[key.String()] = Setting{Value: v, Source: stackName, Secret: ps.Config[key].Secure()}
	}
	return &Project{Name: string(proj.Name), Dir: dir, Raw: raw}, nil
}

// stringify renders a Pulumi.yaml config value the way Pulumi passes it to programs:
// strings as they are, everything else as JSON.
func stringify(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// Load returns the validated config of the running program. It reads the config the engine
// gives the program through the SDK (ctx.GetConfig), which every driver feeds: the Go language
// host of `pulumi up`, an Automation API inline program and the offline plan engine. The SDK
// answers lookups by key only, so unknown `stratum:` keys are found where the files are read
// ([ReadProject]): by every offline plan, by `stratum preview|up|destroy` before the engine
// runs, and by the test that reads every committed stack file.
func Load(ctx *pulumi.Context) (*Config, error) {
	raw := Raw{}
	for _, key := range append(Keys(), KeyRegion) {
		if v, ok := ctx.GetConfig(key); ok {
			raw[key] = Setting{Value: v, Source: "stack config", Secret: ctx.IsConfigSecret(key)}
		}
	}
	c, err := Parse(ctx.Project(), ctx.Stack(), raw)
	if err != nil {
		return nil, err
	}
	c.setting = func(name string) (string, bool) { return ctx.GetConfig(ctx.Project() + ":" + name) }
	return c, nil
}
