package config

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

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

type rawKey struct{}

// WithRaw returns a context from which [Load] reads raw instead of the Pulumi engine's config.
// The offline plan engine uses it to run a program with a project's real files.
func WithRaw(ctx *pulumi.Context, raw Raw) *pulumi.Context {
	return ctx.WithValue(rawKey{}, raw)
}

// Load returns the validated config of the running program.
func Load(ctx *pulumi.Context) (*Config, error) {
	raw, ok := ctx.Value(rawKey{}).(Raw)
	if !ok {
		var err error
		if raw, err = fromEngine(); err != nil {
			return nil, err
		}
	}
	return Parse(ctx.Project(), ctx.Stack(), raw)
}

// fromEngine reads the config the Pulumi engine passes a Go program, the same variables the
// SDK reads, so that unknown keys can be detected (the SDK only answers lookups by key).
func fromEngine() (Raw, error) {
	values := map[string]string{}
	if s := os.Getenv(pulumi.EnvConfig); s != "" {
		if err := json.Unmarshal([]byte(s), &values); err != nil {
			return nil, fmt.Errorf("reading %s: %w", pulumi.EnvConfig, err)
		}
	}
	var secret []string
	if s := os.Getenv(pulumi.EnvConfigSecretKeys); s != "" {
		if err := json.Unmarshal([]byte(s), &secret); err != nil {
			return nil, fmt.Errorf("reading %s: %w", pulumi.EnvConfigSecretKeys, err)
		}
	}
	raw := Raw{}
	for k, v := range values {
		raw[k] = Setting{Value: v, Source: "stack config", Secret: slices.Contains(secret, k)}
	}
	return raw, nil
}
