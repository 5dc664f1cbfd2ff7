package local

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"

	"github.com/stratum-platform/stratum/platform/plan"
)

// Provider is the local AWS resource provider: a plugin.Provider that answers like pulumi-aws
// would and keeps what it creates in the local account file.
type Provider struct {
	plugin.UnimplementedProvider

	opts      Options
	rules     rules
	faults    map[string]string
	faultsErr error

	// mu guards region, and serializes this process's changes to the account file (the
	// file lock serializes them between processes).
	mu     sync.Mutex
	region string
}

// New returns a provider with opts. An unreadable EnvFaults value is reported by the first
// Create or Update, where the engine shows it.
func New(opts Options) (*Provider, error) {
	r, err := loadRules()
	if err != nil {
		return nil, err
	}
	faults, ferr := parseFaults(opts.Faults)
	return &Provider{opts: opts.withDefaults(), rules: r, faults: faults, faultsErr: ferr}, nil
}

// GetPluginInfo reports Version.
func (p *Provider) GetPluginInfo(context.Context) (plugin.PluginInfo, error) {
	v, err := semver.Parse(Version)
	if err != nil {
		return plugin.PluginInfo{}, fmt.Errorf("local: version: %w", err)
	}
	return plugin.PluginInfo{Version: &v}, nil
}

// Handshake accepts secrets and resource references.
func (p *Provider) Handshake(context.Context, plugin.ProviderHandshakeRequest) (*plugin.ProviderHandshakeResponse, error) {
	return &plugin.ProviderHandshakeResponse{AcceptSecrets: true, AcceptResources: true}, nil
}

// Close releases nothing: the provider holds no open resources between calls.
func (p *Provider) Close() error { return nil }

// SignalCancellation has nothing to cancel: every call is short.
func (p *Provider) SignalCancellation(context.Context) error { return nil }

// configuredRegion reads aws:region from provider inputs (the engine strips the namespace).
func configuredRegion(inputs resource.PropertyMap) string {
	for _, k := range []resource.PropertyKey{"region", "aws:region"} {
		if v := unwrap(inputs[k]); v.IsString() && v.StringValue() != "" {
			return v.StringValue()
		}
	}
	return ""
}

// noRegion is the failure of a provider configured without a region.
const noRegion = "missing required configuration aws:region: set it in Pulumi.yaml or with `pulumi config set aws:region <region>`"

// CheckConfig accepts any configuration with a region.
func (p *Provider) CheckConfig(_ context.Context, req plugin.CheckConfigRequest) (plugin.CheckConfigResponse, error) {
	if v := unwrap(req.News["region"]); !v.IsComputed() && configuredRegion(req.News) == "" {
		return plugin.CheckConfigResponse{Failures: []plugin.CheckFailure{{Reason: noRegion}}}, nil
	}
	return plugin.CheckConfigResponse{Properties: req.News}, nil
}

// DiffConfig reports no change: a new configuration never replaces the provider.
func (p *Provider) DiffConfig(context.Context, plugin.DiffConfigRequest) (plugin.DiffConfigResponse, error) {
	return plugin.DiffResult{Changes: plugin.DiffNone}, nil
}

// Configure remembers the region.
func (p *Provider) Configure(_ context.Context, req plugin.ConfigureRequest) (plugin.ConfigureResponse, error) {
	region := configuredRegion(req.Inputs)
	if region == "" {
		return plugin.ConfigureResponse{}, errors.New("local: " + noRegion)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.region = region
	return plugin.ConfigureResponse{}, nil
}

// where returns the configured region and the account id.
func (p *Provider) where() (string, string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.region == "" {
		return "", "", errors.New("local: the provider is not configured: " + noRegion)
	}
	return p.region, p.opts.AccountID, nil
}

// Check refuses a type the replace-on-change file does not know, reports every missing
// required property at once, and otherwise returns the inputs as they are.
func (p *Provider) Check(_ context.Context, req plugin.CheckRequest) (plugin.CheckResponse, error) {
	if _, err := p.rules.lookup(string(req.Type)); err != nil {
		return plugin.CheckResponse{}, err
	}
	missing := plan.Missing(string(req.Type), plainMap(req.News))
	if len(missing) > 0 {
		failures := make([]plugin.CheckFailure, 0, len(missing))
		for _, k := range missing {
			failures = append(failures, plugin.CheckFailure{Reason: fmt.Sprintf("missing required property %q", k)})
		}
		return plugin.CheckResponse{Failures: failures}, nil
	}
	return plugin.CheckResponse{Properties: req.News}, nil
}

// Diff compares the old inputs with the new ones leaf by leaf; a change under a path AWS
// cannot update in place is a replacement.
func (p *Provider) Diff(_ context.Context, req plugin.DiffRequest) (plugin.DiffResponse, error) {
	t, err := p.rules.lookup(string(req.Type))
	if err != nil {
		return plugin.DiffResponse{}, err
	}
	return t.decide(diffInputs(req.OldInputs, req.OldOutputs, req.NewInputs)), nil
}

// Invoke answers the data sources plan.Invoke answers, in the configured region and account.
func (p *Provider) Invoke(_ context.Context, req plugin.InvokeRequest) (plugin.InvokeResponse, error) {
	region, account, err := p.where()
	if err != nil {
		return plugin.InvokeResponse{}, err
	}
	out, err := plan.Invoke(string(req.Tok), region, account)
	if err != nil {
		return plugin.InvokeResponse{}, fmt.Errorf("local: %w", err)
	}
	return plugin.InvokeResponse{Properties: resource.NewPropertyMapFromMap(out)}, nil
}
