package local

import (
	"context"
	"net"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"
)

// TestOverGRPC serves the provider as the plugin binary does and drives it with the engine's
// own client: configure, check, create, then diff a replacement.
func TestOverGRPC(t *testing.T) {
	p, path := newProvider(t, Options{})
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer()
	pulumirpc.RegisterResourceProviderServer(srv, NewServer(p))
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient("passthrough:///local",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	client := plugin.NewProviderWithClient(nil, pulumirpc.NewResourceProviderClient(conn), false)
	ctx := context.Background()

	info, err := client.GetPluginInfo(ctx)
	require.NoError(t, err)
	assert.Equal(t, Version, info.Version.String())
	provType := tokens.Type("pulumi:providers:aws")
	provURN := resource.NewURN("dev", "accounts", "", provType, "default_6_83_4")
	provName, provID := provURN.Name(), resource.ID("04da6b54-80e4-46f7-96ec-b56ff0331ba9")
	_, err = client.Configure(ctx, plugin.ConfigureRequest{URN: &provURN, Name: &provName, Type: &provType, ID: &provID,
		Inputs: props(map[string]any{"region": "eu-west-1", "version": Version})})
	require.NoError(t, err)

	urn := urnOf(table, "accounts")
	check, err := client.Check(ctx, plugin.CheckRequest{URN: urn, Name: "accounts", Type: table, News: props(map[string]any{"name": "t"})})
	require.NoError(t, err)
	require.Len(t, check.Failures, 2)
	assert.Equal(t, `missing required property "hashKey"`, check.Failures[0].Reason)

	in := props(tableInputs("id"))
	in["tags"] = resource.MakeSecret(resource.NewObjectProperty(props(map[string]any{"env": "dev"})))
	created, err := client.Create(ctx, plugin.CreateRequest{URN: urn, Name: "accounts", Type: table, Properties: in})
	require.NoError(t, err)
	assert.Equal(t, resource.ID("acme-dev-accounts"), created.ID)
	assert.True(t, created.Properties["tags"].IsSecret())
	_, ok := load(t, path).Lookup(table, "acme-dev-accounts")
	assert.True(t, ok)

	same, err := client.Diff(ctx, plugin.DiffRequest{URN: urn, Name: "accounts", Type: table, ID: created.ID,
		OldInputs: in, OldOutputs: created.Properties, NewInputs: in})
	require.NoError(t, err)
	assert.Equal(t, plugin.DiffNone, same.Changes)

	diff, err := client.Diff(ctx, plugin.DiffRequest{URN: urn, Name: "accounts", Type: table, ID: created.ID,
		OldInputs: in, OldOutputs: created.Properties, NewInputs: props(tableInputs("pk"))})
	require.NoError(t, err)
	assert.Equal(t, plugin.DiffSome, diff.Changes)
	assert.True(t, diff.Replace())
	assert.Equal(t, []resource.PropertyKey{"hashKey"}, diff.ReplaceKeys)
	assert.Equal(t, []resource.PropertyKey{"attributes", "hashKey", "tags"}, diff.ChangedKeys)
	assert.Equal(t, map[string]plugin.PropertyDiff{
		"hashKey":             {Kind: plugin.DiffUpdateReplace, InputDiff: true},
		"attributes[0].name":  {Kind: plugin.DiffUpdate, InputDiff: true},
		`tags["cost-centre"]`: {Kind: plugin.DiffAdd, InputDiff: true},
	}, diff.DetailedDiff)

	// A removed local index is a delete that replaces.
	withIndex := props(tableInputs("id"))
	withIndex["localSecondaryIndexes"] = resource.NewArrayProperty([]resource.PropertyValue{
		resource.NewObjectProperty(props(map[string]any{"name": "byDate"}))})
	diff, err = client.Diff(ctx, plugin.DiffRequest{URN: urn, Name: "accounts", Type: table, ID: created.ID,
		OldInputs: withIndex, OldOutputs: created.Properties, NewInputs: props(tableInputs("id"))})
	require.NoError(t, err)
	assert.Equal(t, []resource.PropertyKey{"localSecondaryIndexes"}, diff.ReplaceKeys)
	assert.Equal(t, plugin.DiffDeleteReplace, diff.DetailedDiff["localSecondaryIndexes[0].name"].Kind)

	_, err = client.Create(ctx, plugin.CreateRequest{URN: urn, Name: "accounts", Type: table, Properties: props(tableInputs("pk"))})
	assert.ErrorContains(t, err, "ResourceInUseException: Table already exists: acme-dev-accounts")
}
