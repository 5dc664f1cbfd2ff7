package local

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/plan"
)

func create(t *testing.T, p *Provider, typ, name string, in resource.PropertyMap) (plugin.CreateResponse, error) {
	t.Helper()
	return p.Create(context.Background(), plugin.CreateRequest{URN: urnOf(typ, name), Name: name, Type: tokens.Type(typ), Properties: in})
}

func load(t *testing.T, path string) *Account {
	t.Helper()
	a, err := LoadAccount(path)
	require.NoError(t, err)
	return a
}

func TestCreateReadDelete(t *testing.T) {
	p, path := newProvider(t, Options{})
	ctx := context.Background()
	in := props(tableInputs("id"))
	in["tags"] = resource.MakeSecret(resource.NewObjectProperty(props(map[string]any{"token": "s3cr3t"})))
	in["code"] = zipArchive(t, "x") // any archive is stored reversibly
	resp, err := create(t, p, table, "accounts", in)
	require.NoError(t, err)
	assert.Equal(t, resource.ID("acme-dev-accounts"), resp.ID)
	assert.Equal(t, "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-accounts", resp.Properties["arn"].StringValue())

	e, ok := load(t, path).Lookup(table, "acme-dev-accounts")
	require.True(t, ok)
	assert.Equal(t, string(urnOf(table, "accounts")), e.URN)
	assert.Equal(t, "id", e.Outputs["hashKey"])
	state, err := e.State()
	require.NoError(t, err)
	assert.True(t, state["tags"].IsSecret(), "secrets are restored as secrets")
	assert.True(t, state.DeepEquals(resp.Properties))

	read, err := p.Read(ctx, plugin.ReadRequest{URN: urnOf(table, "accounts"), Type: table, ID: resp.ID, Inputs: in})
	require.NoError(t, err)
	assert.Equal(t, resp.ID, read.ID)
	assert.True(t, read.Outputs.DeepEquals(resp.Properties))

	_, err = p.Delete(ctx, plugin.DeleteRequest{URN: urnOf(table, "accounts"), Type: table, ID: resp.ID, Inputs: in})
	require.NoError(t, err)
	assert.Empty(t, load(t, path).Resources)
	_, err = p.Delete(ctx, plugin.DeleteRequest{URN: urnOf(table, "accounts"), Type: table, ID: resp.ID, Inputs: in})
	require.NoError(t, err, "deleting what is gone is fine")
	read, err = p.Read(ctx, plugin.ReadRequest{URN: urnOf(table, "accounts"), Type: table, ID: resp.ID, Inputs: in})
	require.NoError(t, err)
	assert.Empty(t, read.ID)
	assert.Nil(t, read.Outputs)
}

func TestCreateRefusesATakenName(t *testing.T) {
	p, _ := newProvider(t, Options{})
	_, err := create(t, p, table, "accounts", props(tableInputs("id")))
	require.NoError(t, err)
	// A replacement that keeps the name, created before the old table is deleted.
	_, err = create(t, p, table, "accounts", props(tableInputs("pk")))
	assert.EqualError(t, err, "local: ResourceInUseException: Table already exists: acme-dev-accounts")

	_, err = create(t, p, queue, "q1", props(map[string]any{"name": "acme-dev-q"}))
	require.NoError(t, err)
	_, err = create(t, p, queue, "q2", props(map[string]any{"name": "acme-dev-q"}))
	assert.EqualError(t, err, "local: aws:sqs/queue:Queue acme-dev-q already exists in account 111111111111 (ResourceAlreadyExistsException)")

	// Names unique within a parent: the same policy name on two roles is fine, not twice on one.
	rp := "aws:iam/rolePolicy:RolePolicy"
	policy := func(role string) resource.PropertyMap {
		return props(map[string]any{"name": "execution", "role": role, "policy": "{}"})
	}
	_, err = create(t, p, rp, "a", policy("role-a"))
	require.NoError(t, err)
	_, err = create(t, p, rp, "b", policy("role-b"))
	require.NoError(t, err)
	_, err = create(t, p, rp, "c", policy("role-a"))
	assert.EqualError(t, err, "local: aws:iam/rolePolicy:RolePolicy execution (role=role-a) already exists in account 111111111111 (ResourceAlreadyExistsException)")

	// A metric filter's name is unique within its log group (two API versions' access logs).
	mf := "aws:cloudwatch/logMetricFilter:LogMetricFilter"
	filter := func(group string) resource.PropertyMap {
		return props(map[string]any{"name": "requests-by-caller", "logGroupName": group, "pattern": "{}"})
	}
	_, err = create(t, p, mf, "v1", filter("/aws/apigateway/v1"))
	require.NoError(t, err)
	_, err = create(t, p, mf, "v2", filter("/aws/apigateway/v2"))
	require.NoError(t, err)
	_, err = create(t, p, mf, "again", filter("/aws/apigateway/v1"))
	assert.EqualError(t, err, "local: aws:cloudwatch/logMetricFilter:LogMetricFilter requests-by-caller (logGroupName=/aws/apigateway/v1) already exists in account 111111111111 (ResourceAlreadyExistsException)")
}

func TestReplacementWithoutANameGetsAFreshID(t *testing.T) {
	p, path := newProvider(t, Options{})
	ctx := context.Background()
	typ := "aws:sqs/queuePolicy:QueuePolicy"
	first, err := create(t, p, typ, "policy", props(map[string]any{"queueUrl": "u1", "policy": "{}"}))
	require.NoError(t, err)
	second, err := create(t, p, typ, "policy", props(map[string]any{"queueUrl": "u2", "policy": "{}"}))
	require.NoError(t, err)
	assert.NotEqual(t, first.ID, second.ID)
	assert.Len(t, load(t, path).Resources, 2)

	// The old one is deleted; the new one keeps its seed through updates.
	_, err = p.Delete(ctx, plugin.DeleteRequest{URN: urnOf(typ, "policy"), Type: tokens.Type(typ), ID: first.ID,
		Inputs: props(map[string]any{"queueUrl": "u1", "policy": "{}"})})
	require.NoError(t, err)
	a := load(t, path)
	require.Len(t, a.Resources, 1)
	assert.Equal(t, string(urnOf(typ, "policy"))+"#2", a.Resources[0].Seed)
	upd, err := p.Update(ctx, plugin.UpdateRequest{URN: urnOf(typ, "policy"), Type: tokens.Type(typ), ID: second.ID,
		OldInputs: props(map[string]any{"queueUrl": "u2", "policy": "{}"}), OldOutputs: second.Properties,
		NewInputs: props(map[string]any{"queueUrl": "u2", "policy": `{"Version":"2012-10-17"}`})})
	require.NoError(t, err)
	assert.Equal(t, second.Properties["arn"], upd.Properties["arn"])
}

func TestUpdate(t *testing.T) {
	p, path := newProvider(t, Options{})
	ctx := context.Background()
	in := props(map[string]any{"name": "acme-dev-fn", "role": "r", "publish": true})
	in["code"] = zipArchive(t, "v1")
	created, err := create(t, p, function, "fn", in)
	require.NoError(t, err)
	assert.Equal(t, "1", created.Properties["version"].StringValue())

	news := in.Copy()
	news["code"] = zipArchive(t, "v2")
	req := plugin.UpdateRequest{URN: urnOf(function, "fn"), Type: function, ID: created.ID,
		OldInputs: in, OldOutputs: created.Properties, NewInputs: news, Preview: true}
	preview, err := p.Update(ctx, req)
	require.NoError(t, err)
	assert.True(t, preview.Properties["version"].IsComputed(), "a new version is not known before deployment")
	assert.Equal(t, created.Properties["arn"], preview.Properties["arn"])

	req.Preview = false
	updated, err := p.Update(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, "2", updated.Properties["version"].StringValue())
	assert.Equal(t, "arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-fn:2", updated.Properties["qualifiedArn"].StringValue())
	e, ok := load(t, path).Lookup(function, "acme-dev-fn")
	require.True(t, ok)
	assert.Equal(t, "2", e.Outputs["version"])

	// Tags alone publish nothing.
	tagged := news.Copy()
	tagged["tags"] = resource.NewObjectProperty(props(map[string]any{"env": "dev"}))
	updated, err = p.Update(ctx, plugin.UpdateRequest{URN: urnOf(function, "fn"), Type: function, ID: created.ID,
		OldInputs: news, OldOutputs: updated.Properties, NewInputs: tagged})
	require.NoError(t, err)
	assert.Equal(t, "2", updated.Properties["version"].StringValue())

	_, err = p.Update(ctx, plugin.UpdateRequest{URN: urnOf(function, "gone"), Type: function, ID: "acme-dev-gone",
		OldInputs: in, NewInputs: news})
	assert.EqualError(t, err, "local: aws:lambda/function:Function acme-dev-gone does not exist in account 111111111111 (ResourceNotFoundException)")
}

func TestPreviewCreateTouchesNothing(t *testing.T) {
	p, path := newProvider(t, Options{AccountPath: "/nonexistent/dir/account.json"})
	resp, err := p.Create(context.Background(), plugin.CreateRequest{URN: urnOf(queue, "q"), Name: "q", Type: queue,
		Properties: props(map[string]any{"name": "acme-dev-q"}), Preview: true})
	require.NoError(t, err)
	assert.Empty(t, resp.ID)
	assert.Equal(t, "acme-dev-q", resp.Properties["name"].StringValue())
	assert.True(t, resp.Properties["arn"].IsComputed())
	assert.Empty(t, load(t, path).Resources)
}

func TestFaultsAndMissingAccount(t *testing.T) {
	urn := urnOf(queue, "q")
	p, _ := newProvider(t, Options{Faults: FaultsValue(map[string]string{string(urn): "throttled"})})
	_, err := create(t, p, queue, "q", props(map[string]any{"name": "q"}))
	assert.EqualError(t, err, "injected fault: throttled")
	_, err = p.Update(context.Background(), plugin.UpdateRequest{URN: urn, Type: queue, ID: "x", NewInputs: props(map[string]any{})})
	assert.EqualError(t, err, "injected fault: throttled")
	_, err = create(t, p, queue, "other", props(map[string]any{"name": "other"}))
	assert.NoError(t, err)

	p, _ = newProvider(t, Options{Faults: "not json"})
	_, err = create(t, p, queue, "q", props(map[string]any{}))
	assert.ErrorContains(t, err, "local: STRATUM_LOCAL_FAULTS is not a JSON object of URN to message: ")

	p, err = New(Options{})
	require.NoError(t, err)
	_, err = p.Configure(context.Background(), plugin.ConfigureRequest{Inputs: props(map[string]any{"region": "eu-west-1"})})
	require.NoError(t, err)
	_, err = create(t, p, queue, "q", props(map[string]any{}))
	assert.EqualError(t, err, "local: STRATUM_LOCAL_ACCOUNT is not set: it names the JSON file of the local account (Stratum's local mode sets it)")
	assert.Equal(t, "{}", FaultsValue(nil))
}

func TestParallelCreatesAllLand(t *testing.T) {
	_, path := newProvider(t, Options{})
	// Two providers (two engine processes) on one account file.
	p1, _ := newProvider(t, Options{AccountPath: path})
	p2, _ := newProvider(t, Options{AccountPath: path})
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		p := p1
		if i%2 == 1 {
			p = p2
		}
		wg.Go(func() {
			_, err := create(t, p, queue, fmt.Sprintf("q%d", i), props(map[string]any{"name": fmt.Sprintf("acme-q%d", i)}))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Len(t, load(t, path).Resources, 40)
	_, ok := load(t, path).Lookup(queue, "acme-q17")
	assert.True(t, ok)
	assert.Equal(t, plan.DefaultAccount, p1.opts.AccountID)
}
