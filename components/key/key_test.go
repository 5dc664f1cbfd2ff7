package key_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/key"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/stackref"
)

// unkeyed is the scope of a context before its key exists: no KeyArn, no alarm topic.
func unkeyed() scope.Scope {
	return scope.Scope{Naming: naming.Scope{Org: "acme", Env: "prod", Context: "orders"}}
}

func TestKey(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		_, err := key.New(ctx, "data", &key.Args{
			Scope:    scope.Scope{Naming: unkeyed().Naming, Protect: true, Tags: map[string]string{"env": "prod"}},
			Services: []iam.Service{iam.ServiceSNS, iam.LogsService("eu-west-1"), iam.ServiceSNS},
			Overrides: key.Overrides{Key: func(a *kms.KeyArgs) {
				a.EnableKeyRotation = pulumi.Bool(false)
				a.Description = pulumi.String("overridden")
				a.MultiRegion = pulumi.Bool(true)
			}},
		})
		return err
	})
	comp, err := p.Get(key.TypeToken, "data")
	require.NoError(t, err)
	k, err := p.Get("aws:kms/key:Key", "data")
	require.NoError(t, err)
	assert.Equal(t, comp.URN, k.Parent)
	assert.Equal(t, true, k.Inputs["enableKeyRotation"], "an override cannot turn rotation off")
	assert.Equal(t, true, k.Inputs["multiRegion"], "an override can set what the component does not own")
	assert.Equal(t, "acme-prod-orders-data key", k.Inputs["description"])
	assert.Equal(t, float64(30), k.Inputs["deletionWindowInDays"])
	assert.True(t, k.Protect)
	assert.True(t, k.RetainOnDelete)
	assert.Equal(t, map[string]any{"env": "prod"}, k.Inputs["tags"])

	alias, err := p.Get("aws:kms/alias:Alias", "data-alias")
	require.NoError(t, err)
	assert.Equal(t, "alias/acme-prod-orders-data", alias.Inputs["name"])
	assert.Equal(t, k.Outputs["keyId"], alias.Inputs["targetKeyId"])
	assert.True(t, alias.DeleteBeforeReplace)

	doc, err := iam.Parse(k.String("policy"))
	require.NoError(t, err)
	require.Len(t, doc.Statement, 3, "root, then one statement per distinct service")
	root := doc.Statement[0]
	assert.Equal(t, []string{"arn:aws:iam::111111111111:root"}, root.Principal["AWS"])
	assert.Contains(t, root.Action, "kms:PutKeyPolicy", "the root keeps the key manageable")
	for _, a := range doc.Actions() {
		assert.NotContains(t, a, "*")
	}
	logs := doc.Statement[1]
	assert.Equal(t, []string{"logs.eu-west-1.amazonaws.com"}, logs.Principal["Service"])
	assert.Equal(t, []string{"arn:aws:logs:eu-west-1:111111111111:log-group:*"},
		logs.Condition["ArnLike"]["kms:EncryptionContext:aws:logs:arn"])
	sns := doc.Statement[2]
	assert.Equal(t, []string{"sns.amazonaws.com"}, sns.Principal["Service"])
	assert.Equal(t, []string{"kms:Decrypt", "kms:GenerateDataKey"}, sns.Action)
	assert.Equal(t, []string{"111111111111"}, sns.Condition["StringEquals"]["aws:SourceAccount"])
}

func TestValidation(t *testing.T) {
	_, err := plan.Run(plan.Options{Project: "p", Stack: "dev"}, func(ctx *pulumi.Context) error {
		_, err := key.New(ctx, "data", &key.Args{DeletionWindowDays: 3, Services: []iam.Service{""}})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `key "data": Scope.Naming: naming: org is empty; it is required`)
	assert.Contains(t, err.Error(), "DeletionWindowDays: 3 is not between 7 and 30")
	assert.Contains(t, err.Error(), "Services[0]: empty service principal")
	assert.NotContains(t, err.Error(), "KeyArn", "a key's scope needs no key")
	assert.NotContains(t, err.Error(), "AlarmTopicArn")
}

// A context's full scope (with its KeyArn) is as good as an unkeyed one: a context may add
// keys of its own with the scope every other member gets.
func TestKeyTakesAContextsScope(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		_, err := key.New(ctx, "exports", &key.Args{Scope: scopetest.New()})
		return err
	})
	k, err := p.Get("aws:kms/key:Key", "exports")
	require.NoError(t, err)
	assert.Equal(t, "acme-dev-orders-exports key", k.Inputs["description"])
	assert.Equal(t, "stratum", k.Inputs["tags"].(map[string]any)["managed-by"])
}

func TestGrants(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		k, err := key.New(ctx, "data", &key.Args{Scope: unkeyed()})
		if err != nil {
			return err
		}
		doc, err := iam.Document(append(k.AllowEncrypt(), k.AllowDecrypt()...))
		if err != nil {
			return err
		}
		stackref.Export(ctx, "doc", doc)
		return nil
	})
	k, err := p.Get("aws:kms/key:Key", "data")
	require.NoError(t, err)
	assert.False(t, k.Protect, "unprotected by default")
	doc, err := iam.Parse(p.Outputs["doc"].(string))
	require.NoError(t, err)
	require.Len(t, doc.Statement, 2)
	arn := k.Outputs["arn"].(string)
	assert.Equal(t, iam.ParsedStatement{Sid: "KeyDataEncrypt", Effect: "Allow",
		Action: []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}, Resource: []string{arn}}, doc.Statement[0])
	assert.Equal(t, iam.ParsedStatement{Sid: "KeyDataDecrypt", Effect: "Allow",
		Action: []string{"kms:Decrypt"}, Resource: []string{arn}}, doc.Statement[1])
}
