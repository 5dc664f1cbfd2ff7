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

const (
	deployRole = "arn:aws:iam::111111111111:role/acme-prod-platform-ci-deploy"
	ordersLogs = "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/acme-prod-orders-*"
)

// unkeyed is the scope of a context before its key exists: no KeyArn, no alarm topic.
func unkeyed() scope.Scope {
	return scope.Scope{Naming: naming.Scope{Org: "acme", Env: "prod", Context: "orders"}}
}

func TestKey(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		_, err := key.New(ctx, "data", &key.Args{
			Scope: scope.Scope{Naming: unkeyed().Naming, Protect: true, Tags: map[string]string{"env": "prod"}},
			Services: []key.Service{
				{Principal: iam.ServiceSNS, SourceArns: []pulumi.StringInput{pulumi.String("arn:aws:sns:eu-west-1:111111111111:acme-prod-*")}},
				{Principal: iam.LogsService("eu-west-1"), SourceArns: []pulumi.StringInput{pulumi.String(ordersLogs)}},
			},
			Overrides: key.Overrides{Key: func(a *kms.KeyArgs) {
				a.EnableKeyRotation = pulumi.Bool(false)
				a.Description = pulumi.String("overridden")
				a.MultiRegion = pulumi.Bool(true)
				a.Policy = pulumi.String(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*"}]}`)
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
	for _, a := range doc.Actions() {
		assert.NotContains(t, a, "*")
	}
	sids := make([]string, len(doc.Statement))
	for i, st := range doc.Statement {
		sids[i] = st.Sid
		assert.Equal(t, []string{"*"}, st.Resource, "in a key policy, * is the key")
	}
	assert.Equal(t, []string{"Administration", "AdministratorsEncryptThroughDeployedServices",
		"AdministratorsGrantToAWSResources", "ScopeRolesUse", "Servicelogseuwest1amazonawscom", "Servicesnsamazonawscom"}, sids,
		"four for the account's principals, one per service")

	root := []string{"arn:aws:iam::111111111111:root"}
	admin := doc.Statement[0]
	assert.Equal(t, root, admin.Principal["AWS"])
	assert.Equal(t, iam.KMSAdministrativeActions(), admin.Action)
	assert.Equal(t, []string{deployRole, "arn:aws:iam::111111111111:root"}, admin.Condition["ArnEquals"]["aws:PrincipalArn"],
		"the CI deploy role administers by default, and the root user can always repair the key")

	encrypt := doc.Statement[1]
	assert.Equal(t, root, encrypt.Principal["AWS"])
	assert.Equal(t, []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}, encrypt.Action)
	assert.Equal(t, map[string]map[string][]string{
		"ArnEquals":    {"aws:PrincipalArn": {deployRole}},
		"StringEquals": {"kms:ViaService": {"lambda.eu-west-1.amazonaws.com", "secretsmanager.eu-west-1.amazonaws.com"}},
	}, encrypt.Condition, "administrators encrypt only through the services a deploy writes to")

	grant := doc.Statement[2]
	assert.Equal(t, []string{"kms:CreateGrant"}, grant.Action)
	assert.Equal(t, map[string]map[string][]string{
		"ArnEquals":    {"aws:PrincipalArn": {deployRole}},
		"Bool":         {"kms:GrantIsForAWSResource": {"true"}},
		"StringEquals": {"kms:ViaService": {"dynamodb.eu-west-1.amazonaws.com", "lambda.eu-west-1.amazonaws.com"}},
	}, grant.Condition)

	users := doc.Statement[3]
	assert.Equal(t, root, users.Principal["AWS"])
	assert.Equal(t, iam.KMSCryptographicActions(), users.Action)
	assert.Equal(t, map[string]map[string][]string{
		"ArnLike": {"aws:PrincipalArn": {"arn:aws:iam::111111111111:role/acme-prod-orders-*"}},
	}, users.Condition, "the deploy role is not one of the context's roles: nothing to exclude")

	logs := doc.Statement[4]
	assert.Equal(t, []string{"logs.eu-west-1.amazonaws.com"}, logs.Principal["Service"])
	assert.Equal(t, map[string]map[string][]string{
		"ArnLike": {"kms:EncryptionContext:aws:logs:arn": {ordersLogs}},
	}, logs.Condition)
	sns := doc.Statement[5]
	assert.Equal(t, []string{"sns.amazonaws.com"}, sns.Principal["Service"])
	assert.Equal(t, []string{"kms:Decrypt", "kms:GenerateDataKey"}, sns.Action)
	assert.Equal(t, map[string]map[string][]string{
		"ArnLike":      {"aws:SourceArn": {"arn:aws:sns:eu-west-1:111111111111:acme-prod-*"}},
		"StringEquals": {"aws:SourceAccount": {"111111111111"}},
	}, sns.Condition)
}

// Administration and use are separate: no statement gives an administrator a cryptographic
// action directly, and no statement hands the key to IAM (the account root without a
// condition on who the principal is). This is the finding's test: the old policy gave the
// account root 31 actions, Decrypt and PutKeyPolicy among them, with no condition.
func TestKeyPolicySeparatesAdministrationFromUse(t *testing.T) {
	const breakGlass = "arn:aws:iam::111111111111:role/acme-breakglass"
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		_, err := key.New(ctx, "platform", &key.Args{
			Scope:          scope.Scope{Naming: naming.Scope{Org: "acme", Env: "prod", Context: "platform"}},
			Administrators: []string{deployRole, breakGlass},
		})
		return err
	})
	k, err := p.Get("aws:kms/key:Key", "platform")
	require.NoError(t, err)
	doc, err := iam.Parse(k.String("policy"))
	require.NoError(t, err)
	for _, st := range doc.Statement {
		assert.NotEmpty(t, st.Condition, "statement %q: every statement names who, by condition", st.Sid)
		uses := false
		for _, a := range st.Action {
			uses = uses || iam.KMSUses(a)
		}
		if !uses {
			continue
		}
		assert.NotContains(t, st.Action, "kms:PutKeyPolicy", st.Sid)
		if equals := st.Condition["ArnEquals"]["aws:PrincipalArn"]; len(equals) > 0 {
			assert.NotEmpty(t, st.Condition["StringEquals"]["kms:ViaService"],
				"statement %q: administrators use the key only through AWS services", st.Sid)
		}
	}
	users := doc.Statement[3]
	assert.Equal(t, map[string]map[string][]string{
		"ArnLike":    {"aws:PrincipalArn": {"arn:aws:iam::111111111111:role/acme-prod-platform-*"}},
		"ArnNotLike": {"aws:PrincipalArn": {"arn:aws:iam::111111111111:role/acme-prod-platform-ci-*"}},
	}, users.Condition, "the platform's roles use the platform key, but never its CI roles (deploy, preview), whose names share the prefix")
	assert.Equal(t, []string{breakGlass, deployRole, "arn:aws:iam::111111111111:root"},
		doc.Statement[0].Condition["ArnEquals"]["aws:PrincipalArn"])
}

func TestValidation(t *testing.T) {
	_, err := plan.Run(plan.Options{Project: "p", Stack: "dev"}, func(ctx *pulumi.Context) error {
		_, err := key.New(ctx, "data", &key.Args{DeletionWindowDays: 3, Services: []key.Service{{}},
			Administrators: []string{"arn:aws:iam::111111111111:user/alice", "arn:aws:iam::111111111111:role/acme-*",
				deployRole, deployRole}})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `key "data": Scope.Naming: naming: org is empty; it is required`)
	assert.Contains(t, err.Error(), "DeletionWindowDays: 3 is not between 7 and 30")
	assert.Contains(t, err.Error(), "Services[0].Principal: empty service principal")
	assert.Contains(t, err.Error(), `Services[0].SourceArns: none given; without them any resource of any account could make "" use the key`)
	assert.Contains(t, err.Error(), `Administrators[0]: "arn:aws:iam::111111111111:user/alice" is not a role ARN (arn:aws:iam::<account>:role/<name>)`)
	assert.Contains(t, err.Error(), `Administrators[1]: "arn:aws:iam::111111111111:role/acme-*" has a wildcard; name each role exactly`)
	assert.Contains(t, err.Error(), `Administrators[3]: "`+deployRole+`" is also Administrators[2]`)

	_, err = plan.Run(plan.Options{Project: "p", Stack: "dev"}, func(ctx *pulumi.Context) error {
		_, err := key.New(ctx, "data", &key.Args{Scope: unkeyed(), Administrators: []string{"arn:aws:iam::222222222222:role/admin"}})
		return err
	})
	assert.ErrorContains(t, err, `key "data": Administrators[0]: "arn:aws:iam::222222222222:role/admin" is in account 222222222222, `+
		`not in the key's account 111111111111: the key policy names this account's principals only`)
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
		via, err := iam.Document(k.AllowDecrypt("secretsmanager"))
		if err != nil {
			return err
		}
		stackref.Export(ctx, "via", via)
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
	via, err := iam.Parse(p.Outputs["via"].(string))
	require.NoError(t, err)
	assert.Equal(t, iam.ParsedStatement{Sid: "KeyDataDecrypt", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: []string{arn},
		Condition: map[string]map[string][]string{"StringEquals": {"kms:ViaService": {"secretsmanager.eu-west-1.amazonaws.com"}}},
	}, via.Statement[0], "a grant through a service holds only through it")
}
