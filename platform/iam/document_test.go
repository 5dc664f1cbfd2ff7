package iam

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mocks answers the few engine calls a program without resources makes.
type mocks struct{}

func (mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	return args.Name + "-id", args.Inputs, nil
}

func (mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return args.Args, nil
}

// runDocument builds a document in a mocked program and returns its resolved JSON, or the
// error of the program, which includes a failed output.
func runDocument(t *testing.T, build func(ctx *pulumi.Context) (pulumi.StringOutput, error)) (string, error) {
	t.Helper()
	var got string
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		doc, err := build(ctx)
		if err != nil {
			return err
		}
		// The program waits for exported outputs, so got is set when RunErr returns, and an
		// output that fails makes the program fail, as in `pulumi up`.
		ctx.Export("policy", doc.ApplyT(func(s string) string {
			got = s
			return s
		}))
		return nil
	}, pulumi.WithMocks("p", "s", mocks{}))
	return got, err
}

// later returns an output that resolves to value only after Document has been called, as
// the ARN of a resource being created would.
func later(ctx *pulumi.Context) (pulumi.StringOutput, func(string)) {
	out, resolve, _ := ctx.NewOutput()
	str := out.ApplyT(func(v any) string { return v.(string) }).(pulumi.StringOutput)
	return str, func(v string) { resolve(v) }
}

func TestDocumentResolvedWildcard(t *testing.T) {
	tests := []struct {
		name    string
		keyPol  bool
		actions []string
		want    string
		wantErr string
	}{
		{
			name:    "refused for a resource-level action",
			actions: []string{"dynamodb:GetItem"},
			wantErr: `iam: statement 0 ("Read"): resource "*" is not allowed for dynamodb:GetItem; scope the statement to resource ARNs`,
		},
		{
			name:    "allowed for x-ray",
			actions: []string{"xray:PutTraceSegments"},
			want:    `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["xray:PutTraceSegments"],"Resource":["*"]}]}`,
		},
		{
			name:    "allowed in a key policy",
			keyPol:  true,
			actions: []string{"kms:Decrypt"},
			want:    `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:root"]},"Action":["kms:Decrypt"],"Resource":["*"]}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := runDocument(t, func(ctx *pulumi.Context) (pulumi.StringOutput, error) {
				arn, resolve := later(ctx)
				build := func(s Statements) (pulumi.StringOutput, error) { return Document(s) }
				if tt.keyPol {
					build = KeyPolicy
				}
				st := Statement{Sid: "Read", Actions: tt.actions, Resources: []pulumi.StringInput{arn}}
				if tt.keyPol {
					st.Principals = []Principal{{Type: PrincipalAWS, Identifiers: strs("arn:aws:iam::111111111111:root")}}
				}
				doc, err := build(Statements{st})
				// Nothing is known yet, so the static checks pass.
				require.NoError(t, err)
				resolve("*")
				return doc, nil
			})
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDocumentResolvesEveryInput(t *testing.T) {
	got, err := runDocument(t, func(ctx *pulumi.Context) (pulumi.StringOutput, error) {
		queue, resolveQueue := later(ctx)
		topic, resolveTopic := later(ctx)
		stmts := Statements{{
			Sid:        "TopicSends",
			Principals: []Principal{{Type: PrincipalService, Identifiers: strs(string(ServiceSNS))}},
			Actions:    []string{"sqs:SendMessage"},
			Resources:  []pulumi.StringInput{queue},
			Conditions: []Condition{{Test: "ArnEquals", Variable: "aws:SourceArn", Values: []pulumi.StringInput{topic}}},
		}}
		doc, err := Document(stmts)
		// Changing the caller's statements afterwards must not change the document.
		stmts[0].Actions[0] = "sqs:DeleteQueue"
		resolveTopic("arn:aws:sns:eu-west-1:111111111111:t")
		resolveQueue("arn:aws:sqs:eu-west-1:111111111111:q")
		return doc, err
	})
	require.NoError(t, err)
	assert.Equal(t, `{"Version":"2012-10-17","Statement":[{"Sid":"TopicSends","Effect":"Allow","Principal":{"Service":["sns.amazonaws.com"]},`+
		`"Action":["sqs:SendMessage"],"Resource":["arn:aws:sqs:eu-west-1:111111111111:q"],`+
		`"Condition":{"ArnEquals":{"aws:SourceArn":["arn:aws:sns:eu-west-1:111111111111:t"]}}}]}`, got)
}

func TestDocumentStaticErrors(t *testing.T) {
	_, err := Document(Statements{{Sid: "Read", Actions: []string{"dynamodb:*"}, Resources: strs(tableArn)}})
	require.Error(t, err)
	assert.Equal(t, `iam: statement 0 ("Read"): action "dynamodb:*" has a wildcard; grant exact actions`, err.Error())

	// A literal "*" is refused before any output resolves.
	_, err = Document(Statements{
		{Sid: "Trace", Actions: []string{"xray:PutTraceSegments"}, Resources: strs("*")},
		{Sid: "Read", Actions: []string{"xray:PutTraceSegments", "dynamodb:GetItem"}, Resources: strs(tableArn, "*")},
	})
	require.Error(t, err)
	assert.Equal(t, `iam: statement 1 ("Read"): resource "*" is not allowed for dynamodb:GetItem; scope the statement to resource ARNs`, err.Error())

	root := []Principal{{Type: PrincipalAWS, Identifiers: strs("arn:aws:iam::111111111111:root")}}
	_, err = KeyPolicy(Statements{{Sid: "Root", Principals: root, Actions: []string{"kms:Decrypt"}, Resources: strs("*")}})
	assert.NoError(t, err)

	_, err = KeyPolicy(Statements{
		{Sid: "Root", Principals: root, Actions: []string{"kms:Decrypt"}, Resources: strs("*")},
		{Sid: "Nobody", Actions: []string{"kms:Encrypt"}, Resources: strs("*")},
	})
	assert.EqualError(t, err, `iam: statement 1 ("Nobody"): has no principals; every key policy statement needs them`)

	_, err = KeyPolicy(nil)
	assert.EqualError(t, err, "iam: no statements")
}

func TestAssumeRole(t *testing.T) {
	got, err := runDocument(t, func(*pulumi.Context) (pulumi.StringOutput, error) {
		return AssumeRole(ServiceLambda, pulumi.String("111111111111"))
	})
	require.NoError(t, err)
	assert.Equal(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com"]},`+
		`"Action":["sts:AssumeRole"],"Condition":{"StringEquals":{"aws:SourceAccount":["111111111111"]}}}]}`, got)

	got, err = runDocument(t, func(*pulumi.Context) (pulumi.StringOutput, error) {
		return AssumeRole(ServiceScheduler, pulumi.String("111111111111"),
			pulumi.String("arn:aws:scheduler:eu-west-1:111111111111:schedule-group/default"))
	})
	require.NoError(t, err)
	assert.Equal(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["scheduler.amazonaws.com"]},`+
		`"Action":["sts:AssumeRole"],"Condition":{"ArnEquals":{"aws:SourceArn":["arn:aws:scheduler:eu-west-1:111111111111:schedule-group/default"]},`+
		`"StringEquals":{"aws:SourceAccount":["111111111111"]}}}]}`, got, "a source ARN narrows the account to one resource")

	_, err = AssumeRole("", pulumi.String("1"))
	assert.EqualError(t, err, "iam: assume role: service is empty")
	_, err = AssumeRole(ServiceScheduler, nil)
	assert.EqualError(t, err, "iam: assume role: account is nil")
}

func TestLogsService(t *testing.T) {
	assert.Equal(t, Service("logs.eu-west-1.amazonaws.com"), LogsService("eu-west-1"))
}

func TestWildcardResourceAllowed(t *testing.T) {
	for _, a := range []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords", "cloudwatch:PutMetricData"} {
		assert.True(t, WildcardResourceAllowed(a), a)
	}
	for _, a := range []string{"xray:GetTraceSummaries", "s3:GetObject", "*"} {
		assert.False(t, WildcardResourceAllowed(a), a)
	}
	eni := WildcardAction{Action: "ec2:DescribeNetworkInterfaces", Reason: "Describe calls have no resource-level permissions."}
	assert.True(t, WildcardResourceAllowed(eni.Action, eni))
	// An entry without a reason, or with a wildcard, extends nothing.
	assert.False(t, WildcardResourceAllowed(eni.Action, WildcardAction{Action: eni.Action}))
	assert.False(t, WildcardResourceAllowed("ec2:*", WildcardAction{Action: "ec2:*", Reason: "no"}))
	for _, w := range BuiltinWildcardActions() {
		assert.NoError(t, ValidateWildcardActions([]WildcardAction{w}), w.Action)
	}
}

// An allow-list an outside package extends lets its statements use Resource "*" for
// exactly the actions it adds, and an entry without its reason or with a wildcard is
// refused with every other problem.
func TestDocumentExtraWildcardActions(t *testing.T) {
	stmts := Statements{{Sid: "Enis", Actions: []string{"ec2:DescribeNetworkInterfaces"},
		Resources: []pulumi.StringInput{pulumi.String("*")}}}
	eni := WildcardAction{Action: "ec2:DescribeNetworkInterfaces", Reason: "Describe calls have no resource-level permissions."}

	_, err := Document(stmts)
	assert.EqualError(t, err, `iam: statement 0 ("Enis"): resource "*" is not allowed for ec2:DescribeNetworkInterfaces; scope the statement to resource ARNs`)

	// The resource resolves to "*" only when the output does: the check at rendering time
	// reads the extended list too.
	got, err := runDocument(t, func(ctx *pulumi.Context) (pulumi.StringOutput, error) {
		arn, resolve := later(ctx)
		doc, err := Document(Statements{{Sid: "Enis", Actions: []string{eni.Action}, Resources: []pulumi.StringInput{arn}}}, eni)
		resolve("*")
		return doc, err
	})
	require.NoError(t, err)
	assert.Equal(t, `{"Version":"2012-10-17","Statement":[{"Sid":"Enis","Effect":"Allow","Action":["ec2:DescribeNetworkInterfaces"],"Resource":["*"]}]}`, got)

	_, err = Document(stmts, WildcardAction{Action: eni.Action}, WildcardAction{Action: "ec2:Describe*", Reason: "all of them"})
	assert.EqualError(t, err, strings.Join([]string{
		`iam: wildcard action 0 (ec2:DescribeNetworkInterfaces): reason is required: say why AWS offers no resource-level permission for it`,
		`iam: wildcard action 1: "ec2:Describe*" has a wildcard; allow-list exact actions`,
		`iam: statement 0 ("Enis"): resource "*" is not allowed for ec2:DescribeNetworkInterfaces; scope the statement to resource ARNs`,
	}, "\n"))
}

func TestEveryWildcardResourceActionHasAReason(t *testing.T) {
	require.NoError(t, ValidateWildcardActions(BuiltinWildcardActions()))
	for _, w := range BuiltinWildcardActions() {
		assert.GreaterOrEqual(t, len(w.Reason), 40, "%s: the reason says why AWS offers no resource for it", w.Action)
		got, ok := WildcardResourceReason(w.Action)
		assert.True(t, ok, w.Action)
		assert.Equal(t, w.Reason, got)
	}
	_, ok := WildcardResourceReason("s3:GetObject")
	assert.False(t, ok)
}
