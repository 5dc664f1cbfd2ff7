package local

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/plan"
)

var _ plugin.Provider = (*Provider)(nil)

// newProvider is a provider configured for eu-west-1 with an account file in a temporary
// directory, and that file's path.
func newProvider(t *testing.T, opts Options) (*Provider, string) {
	t.Helper()
	if opts.AccountPath == "" {
		opts.AccountPath = filepath.Join(t.TempDir(), "account.json")
	}
	p, err := New(opts)
	require.NoError(t, err)
	_, err = p.Configure(context.Background(), plugin.ConfigureRequest{
		Inputs: resource.NewPropertyMapFromMap(map[string]any{"region": "eu-west-1", "version": Version}),
	})
	require.NoError(t, err)
	return p, opts.AccountPath
}

func urnOf(typ, name string) resource.URN {
	return resource.NewURN("dev", "accounts", "", tokens.Type(typ), name)
}

func TestVersionIsThePinnedPulumiAWS(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^\s*github\.com/pulumi/pulumi-aws/sdk/v6 v(\S+)`).FindSubmatch(mod)
	require.NotNil(t, m, "go.mod requires pulumi-aws")
	p, _ := newProvider(t, Options{})
	info, err := p.GetPluginInfo(context.Background())
	require.NoError(t, err)
	assert.Equal(t, string(m[1]), info.Version.String())
	assert.Equal(t, Version, info.Version.String())
}

func TestConfig(t *testing.T) {
	p, err := New(Options{})
	require.NoError(t, err)
	ctx := context.Background()
	resp, err := p.CheckConfig(ctx, plugin.CheckConfigRequest{News: resource.PropertyMap{}})
	require.NoError(t, err)
	require.Len(t, resp.Failures, 1)
	assert.Equal(t, "missing required configuration aws:region: set it in Pulumi.yaml or with `pulumi config set aws:region <region>`",
		resp.Failures[0].Reason)
	resp, err = p.CheckConfig(ctx, plugin.CheckConfigRequest{News: resource.NewPropertyMapFromMap(map[string]any{"region": "eu-west-1"})})
	require.NoError(t, err)
	assert.Empty(t, resp.Failures)

	_, err = p.Configure(ctx, plugin.ConfigureRequest{Inputs: resource.PropertyMap{}})
	assert.EqualError(t, err, "local: missing required configuration aws:region: set it in Pulumi.yaml or with `pulumi config set aws:region <region>`")
	_, err = p.Invoke(ctx, plugin.InvokeRequest{Tok: "aws:index/getRegion:getRegion"})
	assert.ErrorContains(t, err, "local: the provider is not configured")

	// The region may be a secret; the account id comes from the options.
	p, err = New(Options{AccountID: "222222222222"})
	require.NoError(t, err)
	_, err = p.Configure(ctx, plugin.ConfigureRequest{Inputs: resource.PropertyMap{
		"region": resource.MakeSecret(resource.NewStringProperty("eu-central-1"))}})
	require.NoError(t, err)
	out, err := p.Invoke(ctx, plugin.InvokeRequest{Tok: "aws:index/getCallerIdentity:getCallerIdentity"})
	require.NoError(t, err)
	assert.Equal(t, "222222222222", out.Properties["accountId"].StringValue())
	out, err = p.Invoke(ctx, plugin.InvokeRequest{Tok: "aws:index/getRegion:getRegion"})
	require.NoError(t, err)
	assert.Equal(t, "eu-central-1", out.Properties["name"].StringValue())

	d, err := p.DiffConfig(ctx, plugin.DiffConfigRequest{})
	require.NoError(t, err)
	assert.Equal(t, plugin.DiffNone, d.Changes)
}

func TestInvoke(t *testing.T) {
	p, _ := newProvider(t, Options{})
	out, err := p.Invoke(context.Background(), plugin.InvokeRequest{Tok: "aws:index/getCallerIdentity:getCallerIdentity"})
	require.NoError(t, err)
	assert.Equal(t, plan.DefaultAccount, out.Properties["accountId"].StringValue())
	out, err = p.Invoke(context.Background(), plugin.InvokeRequest{Tok: "aws:index/getPartition:getPartition"})
	require.NoError(t, err)
	assert.Equal(t, "aws", out.Properties["partition"].StringValue())
	_, err = p.Invoke(context.Background(), plugin.InvokeRequest{Tok: "aws:index/getAvailabilityZones:getAvailabilityZones"})
	assert.EqualError(t, err, "local: no offline answer for invoke aws:index/getAvailabilityZones:getAvailabilityZones")
}

func TestCheck(t *testing.T) {
	p, _ := newProvider(t, Options{})
	unknown := resource.MakeComputed(resource.NewStringProperty(""))
	cases := []struct {
		name     string
		typ      string
		news     resource.PropertyMap
		err      string
		failures []string
	}{
		{name: "unknown type", typ: "aws:ec2/instance:Instance", news: resource.PropertyMap{},
			err: "local: unknown resource type aws:ec2/instance:Instance (not in aws-replace-on-change.json)"},
		{name: "all missing at once", typ: "aws:lambda/function:Function",
			news:     resource.NewPropertyMapFromMap(map[string]any{"name": "f"}),
			failures: []string{`missing required property "role"`, `missing required property "code"`}},
		{name: "null is missing", typ: "aws:lambda/alias:Alias",
			news:     resource.PropertyMap{"functionName": resource.NewStringProperty("f"), "functionVersion": resource.NewNullProperty()},
			failures: []string{`missing required property "functionVersion"`}},
		{name: "unknown counts as present", typ: "aws:iam/rolePolicy:RolePolicy",
			news: resource.PropertyMap{"role": unknown, "policy": resource.MakeSecret(resource.NewStringProperty("{}"))}},
		{name: "no required properties", typ: "aws:sqs/queue:Queue", news: resource.PropertyMap{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, err := p.Check(context.Background(), plugin.CheckRequest{URN: urnOf(c.typ, "x"), Name: "x",
				Type: tokens.Type(c.typ), News: c.news})
			if c.err != "" {
				require.EqualError(t, err, c.err)
				return
			}
			require.NoError(t, err)
			var reasons []string
			for _, f := range resp.Failures {
				reasons = append(reasons, f.Reason)
			}
			assert.Equal(t, c.failures, reasons)
			if len(c.failures) == 0 {
				assert.Equal(t, c.news, resp.Properties)
			}
		})
	}
}
