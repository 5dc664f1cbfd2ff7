package function_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	awsiam "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
)

// TestOverrides shows that hooks change what the component leaves open and cannot remove
// what it owns.
func TestOverrides(t *testing.T) {
	p := run(t, &function.Args{Overrides: function.Overrides{
		Function: func(a *lambda.FunctionArgs) {
			a.MemorySize = pulumi.Int(1024)                                                   // open
			a.EphemeralStorage = &lambda.FunctionEphemeralStorageArgs{Size: pulumi.Int(1024)} // open
			a.Runtime = pulumi.String("nodejs22.x")                                           // owned
			a.Handler = pulumi.String("index.handler")                                        // owned
			a.Publish = pulumi.Bool(false)                                                    // owned
			a.KmsKeyArn = pulumi.String("arn:aws:kms:eu-west-1:111111111111:key/other")
			a.TracingConfig = &lambda.FunctionTracingConfigArgs{Mode: pulumi.String("PassThrough")}
			a.LoggingConfig = &lambda.FunctionLoggingConfigArgs{LogFormat: pulumi.String("Text"),
				ApplicationLogLevel: pulumi.String("DEBUG"), LogGroup: pulumi.String("/elsewhere")}
			a.Environment = &lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{"SNEAKY": pulumi.String("x")}}
		},
		Role: func(a *awsiam.RoleArgs) {
			a.MaxSessionDuration = pulumi.Int(7200) // open
			a.ManagedPolicyArns = pulumi.StringArray{pulumi.String("arn:aws:iam::aws:policy/AdministratorAccess")}
			a.InlinePolicies = awsiam.RoleInlinePolicyArray{awsiam.RoleInlinePolicyArgs{Name: pulumi.String("x")}}
			a.AssumeRolePolicy = pulumi.String(`{"Statement":[]}`)
			a.Name = pulumi.String("other")
		},
		LogGroup: func(a *cloudwatch.LogGroupArgs) {
			a.LogGroupClass = pulumi.String("INFREQUENT_ACCESS") // open
			a.RetentionInDays = pulumi.Int(1)
			a.KmsKeyId = nil
			a.Name = pulumi.String("/other")
		},
		Alias: func(a *lambda.AliasArgs) {
			a.Description = pulumi.String("Canary.") // open
			a.Name = pulumi.String("latest")
			a.FunctionVersion = pulumi.String("$LATEST")
		},
	}})

	fn := get(t, p, "aws:lambda/function:Function", "api").Inputs
	assert.EqualValues(t, 1024, fn["memorySize"])
	assert.Equal(t, map[string]any{"size": 1024.0}, fn["ephemeralStorage"])
	assert.Equal(t, "provided.al2023", fn["runtime"])
	assert.Equal(t, "bootstrap", fn["handler"])
	assert.Equal(t, true, fn["publish"])
	assert.Equal(t, scopetest.KeyArn, fn["kmsKeyArn"])
	assert.Equal(t, map[string]any{"mode": "Active"}, fn["tracingConfig"])
	assert.Equal(t, map[string]any{"logFormat": "JSON", "logGroup": logGroup, "applicationLogLevel": "DEBUG"}, fn["loggingConfig"])
	assert.Equal(t, map[string]any{"variables": map[string]any{"STRATUM_CONTEXT": "orders", "STRATUM_FUNCTION": "api"}},
		fn["environment"])

	role := get(t, p, "aws:iam/role:Role", "api-role")
	assert.EqualValues(t, 7200, role.Inputs["maxSessionDuration"])
	assert.NotContains(t, role.Inputs, "managedPolicyArns")
	assert.NotContains(t, role.Inputs, "inlinePolicies")
	assert.Equal(t, fnName, role.Inputs["name"])
	assert.Equal(t, []string{"lambda.amazonaws.com"}, parse(t, role, "assumeRolePolicy").Statement[0].Principal["Service"])

	lg := get(t, p, "aws:cloudwatch/logGroup:LogGroup", "api-logs").Inputs
	assert.Equal(t, "INFREQUENT_ACCESS", lg["logGroupClass"])
	assert.EqualValues(t, 30, lg["retentionInDays"])
	assert.Equal(t, scopetest.KeyArn, lg["kmsKeyId"])
	assert.Equal(t, logGroup, lg["name"])

	alias := get(t, p, "aws:lambda/alias:Alias", "api-alias").Inputs
	assert.Equal(t, "Canary.", alias["description"])
	assert.Equal(t, "live", alias["name"])
	assert.Equal(t, "1", alias["functionVersion"])
}
