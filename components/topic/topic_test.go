package topic_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/topic"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/platform/stackref"
)

// newTopic plans topic "events" with args (Scope filled in when empty).
func newTopic(t *testing.T, args topic.Args) *plan.Plan {
	t.Helper()
	if args.Scope.KeyArn == nil {
		args.Scope = scopetest.New()
	}
	return plantest.Run(t, func(ctx *pulumi.Context) error {
		_, err := topic.New(ctx, "events", &args)
		return err
	})
}

func TestNewCreatesAnEncryptedTopicWithATLSOnlyPolicy(t *testing.T) {
	p := newTopic(t, topic.Args{})

	component := get(t, p, topic.TypeToken, "events")
	assert.Empty(t, component.Parent)
	assert.Equal(t, []string{topicType + " events", topicPolType + " events-policy"}, children(p, component.URN))
	assert.Len(t, p.Resources, 3, "nothing outside the component")

	tp := get(t, p, topicType, "events")
	assert.Equal(t, "acme-dev-orders-events", tp.Inputs["name"])
	assert.Equal(t, false, tp.Inputs["fifoTopic"])
	assert.Equal(t, scopeKeyArn, tp.Inputs["kmsMasterKeyId"])
	assert.NotContains(t, tp.Inputs, "policy", "the policy belongs to the TopicPolicy resource")
	assert.Equal(t, "orders", tp.Inputs["tags"].(map[string]any)["context"])

	policy := get(t, p, topicPolType, "events-policy")
	assert.Equal(t, topicArn, policy.Inputs["arn"])
	assert.Equal(t, iam.Parsed{Version: iam.Version, Statement: []iam.ParsedStatement{topicTLSOnly(topicArn), producersOnly(topicArn)}},
		parsePolicy(t, policy, "policy"), "no publisher but the context's roles with an IAM allow")
}

func TestPublishersMayPublish(t *testing.T) {
	p := newTopic(t, topic.Args{Publishers: []pulumi.StringInput{pulumi.String(partnerRole), pulumi.String(auditRole)}})
	assert.Equal(t, iam.Parsed{Version: iam.Version, Statement: []iam.ParsedStatement{
		topicTLSOnly(topicArn),
		producersOnly(topicArn, partnerRole, auditRole),
		{
			Sid: "AllowNamedPublishers", Effect: "Allow",
			Principal: map[string][]string{"AWS": {auditRole, partnerRole}},
			Action:    []string{"sns:Publish"},
			Resource:  []string{topicArn},
		},
	}}, parsePolicy(t, get(t, p, topicPolType, "events-policy"), "policy"))
}

func TestFIFOTopic(t *testing.T) {
	p := newTopic(t, topic.Args{FIFO: true})
	tp := get(t, p, topicType, "events")
	assert.Equal(t, "acme-dev-orders-events.fifo", tp.Inputs["name"])
	assert.Equal(t, true, tp.Inputs["fifoTopic"])
}

func TestAllowPublishAndOutputs(t *testing.T) {
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		tp, err := topic.New(ctx, "events", &topic.Args{Scope: scopetest.New()})
		if err != nil {
			return err
		}
		doc, err := iam.Document(tp.AllowPublish())
		if err != nil {
			return err
		}
		stackref.Export(ctx, "publish", doc)
		stackref.Export(ctx, "arn", tp.Arn)
		stackref.Export(ctx, "name", tp.Name)
		return nil
	})
	assert.Equal(t, iam.Parsed{Version: iam.Version, Statement: []iam.ParsedStatement{
		{Sid: "TopicEventsPublish", Effect: "Allow", Action: []string{"sns:Publish"}, Resource: []string{topicArn}},
		{Sid: "TopicEventsPublishKey", Effect: "Allow", Action: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resource: []string{scopeKeyArn},
			Condition: map[string]map[string][]string{"StringEquals": {"kms:ViaService": {"sns.eu-west-1.amazonaws.com"}}}},
	}}, parseOutput(t, p, "publish"))
	assert.Equal(t, topicArn, p.Outputs["arn"])
	assert.Equal(t, "acme-dev-orders-events", p.Outputs["name"])
}

func TestOverridesCannotRemoveOwnedFields(t *testing.T) {
	ran := false
	p := newTopic(t, topic.Args{Overrides: topic.Overrides{Topic: func(a *sns.TopicArgs) {
		ran = true
		a.DisplayName = pulumi.String("Order events")
		a.Name = pulumi.String("renamed")
		a.KmsMasterKeyId = nil
		a.FifoTopic = pulumi.Bool(true)
		a.Policy = pulumi.String(`{"Statement":[]}`)
	}}})
	require.True(t, ran)
	tp := get(t, p, topicType, "events")
	assert.Equal(t, "Order events", tp.Inputs["displayName"], "the hook's own setting stays")
	assert.Equal(t, "acme-dev-orders-events", tp.Inputs["name"])
	assert.Equal(t, scopeKeyArn, tp.Inputs["kmsMasterKeyId"])
	assert.Equal(t, false, tp.Inputs["fifoTopic"])
	assert.NotContains(t, tp.Inputs, "policy")
}

func TestValidate(t *testing.T) {
	s := scopetest.New()
	for _, tc := range []struct {
		name string
		args topic.Args
		want string
	}{
		{"publishers", topic.Args{Scope: s, Publishers: []pulumi.StringInput{
			pulumi.String("*"), nil, pulumi.String("222222222222"), pulumi.String(partnerRole),
			pulumi.String("arn:aws:iam::222222222222:role/*"),
		}}, "Publishers[0]: \"*\" is not an IAM principal ARN (arn:aws:iam::<account>:role/<name>)\n" +
			"Publishers[1]: is nil\n" +
			"Publishers[2]: \"222222222222\" is not an IAM principal ARN (arn:aws:iam::<account>:role/<name>)\n" +
			"Publishers[4]: \"arn:aws:iam::222222222222:role/*\" is not an IAM principal ARN (arn:aws:iam::<account>:role/<name>)"},
		{"too many publishers", topic.Args{Scope: s, Publishers: slices.Repeat([]pulumi.StringInput{pulumi.String(auditRole)}, 201)},
			"Publishers: 201 principals is more than 200, SNS's limit for one statement"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got error
			require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
				_, got = topic.New(ctx, "events", &tc.args)
				return got
			}))
			assert.EqualError(t, got, `topic "events": `+tc.want)
			assert.EqualError(t, tc.args.Validate(), tc.want)
		})
	}
}

func TestValidateNeedsAScope(t *testing.T) {
	var got error
	require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
		_, got = topic.New(ctx, "events", nil)
		return got
	}))
	require.Error(t, got)
	assert.True(t, strings.HasPrefix(got.Error(), `topic "events": Scope.`), got.Error())
	assert.Contains(t, got.Error(), "Scope.KeyArn: is required")
}

// A long FIFO topic name is fitted like every other name (naming.SNSFIFOTopic), the
// ".fifo" suffix kept, as a FIFO queue's is.
func TestLongFIFOName(t *testing.T) {
	name := strings.Repeat("n", 240)
	p := plantest.Run(t, func(ctx *pulumi.Context) error {
		_, err := topic.New(ctx, name, &topic.Args{Scope: scopetest.New(), FIFO: true})
		return err
	})
	tp, err := p.Get("aws:sns/topic:Topic", name)
	require.NoError(t, err)
	physical := tp.String("name")
	assert.Equal(t, scopetest.New().Name(naming.SNSFIFOTopic, name), physical)
	assert.Len(t, physical, 256)
	assert.True(t, strings.HasSuffix(physical, ".fifo"), physical)
	assert.NoError(t, naming.Valid(naming.SNSFIFOTopic, physical))
}

func TestGolden(t *testing.T) {
	p := newTopic(t, topic.Args{Publishers: []pulumi.StringInput{pulumi.String(partnerRole)}})
	plantest.Golden(t, "testdata/topic.plan.json", p)
}

// Only the producing context publishes: the topic policy denies sns:Publish to every other
// principal of the account, whatever its IAM policy grants (another context's role, an
// administrator with sns:* on "*"), which an allow-only policy could not do. AWS services
// named as publishers (CloudWatch for the alarm topic) keep their allow, conditioned on
// their source account; the deny leaves them out (aws:PrincipalIsAWSService), since a
// service principal has no aws:PrincipalArn and ArnNotLike would deny it.
func TestOnlyTheProducersPublish(t *testing.T) {
	p := newTopic(t, topic.Args{ServicePublishers: []topic.ServicePublisher{
		{Service: "cloudwatch.amazonaws.com", SourceAccount: pulumi.String("111111111111")},
	}})
	doc := parsePolicy(t, get(t, p, topicPolType, "events-policy"), "policy")
	require.Len(t, doc.Statement, 3)
	assert.Equal(t, producersOnly(topicArn), doc.Statement[1])
	deny := doc.Statement[1].Condition["ArnNotLike"]["aws:PrincipalArn"]
	for principal, denied := range map[string]bool{
		"arn:aws:iam::111111111111:role/acme-dev-orders-register":    false,
		"arn:aws:iam::111111111111:role/acme-dev-inventory-scan":     true,
		"arn:aws:iam::111111111111:role/acme-dev-platform-ci-deploy": true,
		"arn:aws:iam::111111111111:role/acme-dev-ordersx-register":   true,
		"arn:aws:iam::111111111111:user/admin":                       true,
	} {
		matched := slices.ContainsFunc(deny, func(pattern string) bool { return iam.ArnLike(pattern, principal) })
		assert.Equal(t, denied, !matched, principal)
	}
	assert.Equal(t, iam.ParsedStatement{
		Sid: "ServiceCloudwatchPublish", Effect: "Allow",
		Principal: map[string][]string{"Service": {"cloudwatch.amazonaws.com"}},
		Action:    []string{"sns:Publish"},
		Resource:  []string{topicArn},
		Condition: map[string]map[string][]string{"StringEquals": {"aws:SourceAccount": {"111111111111"}}},
	}, doc.Statement[2])
}
