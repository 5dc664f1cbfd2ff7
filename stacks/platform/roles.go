package platform

import (
	"fmt"

	awsiam "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
)

// serviceRole is a role an AWS service assumes to move the platform's logs: its trust, its
// one inline policy and the permissions boundary every role a deploy creates carries.
type serviceRole struct {
	// name is the logical name, and what the physical name is made from.
	name, description string
	// service is the principal that assumes the role, for the resources in sources only:
	// aws:SourceArn (ArnLike) and aws:SourceAccount both hold, so that another account's
	// resource cannot make the service use the role (the confused deputy problem).
	service  iam.Service
	sources  []string
	accounts []string
	// statements are what the role may do.
	statements iam.Statements
}

// create creates the role and its policy, and returns them.
func (r serviceRole) create(ctx *pulumi.Context, sc scope.Scope, boundary pulumi.StringInput) (*awsiam.Role, *awsiam.RolePolicy, error) {
	trust, err := iam.Document(iam.Statements{{
		Sid:        "AssumedBy" + sidWords(string(r.service)),
		Principals: []iam.Principal{{Type: iam.PrincipalService, Identifiers: []pulumi.StringInput{pulumi.String(r.service)}}},
		Actions:    []string{"sts:AssumeRole"},
		Conditions: []iam.Condition{
			{Test: "ArnLike", Variable: "aws:SourceArn", Values: pulumi.ToStringArray(r.sources)},
			{Test: "StringEquals", Variable: "aws:SourceAccount", Values: pulumi.ToStringArray(r.accounts)},
		},
	}})
	if err != nil {
		return nil, nil, fmt.Errorf("role %s: trust policy: %w", r.name, err)
	}
	role, err := awsiam.NewRole(ctx, r.name, &awsiam.RoleArgs{
		Name:                pulumi.String(sc.Name(naming.IAMRole, r.name)),
		Description:         pulumi.String(r.description),
		AssumeRolePolicy:    trust,
		PermissionsBoundary: boundary,
		Tags:                sc.TagMap(),
	})
	if err != nil {
		return nil, nil, fmt.Errorf("role %s: %w", r.name, err)
	}
	doc, err := iam.Document(r.statements)
	if err != nil {
		return nil, nil, fmt.Errorf("role %s: policy: %w", r.name, err)
	}
	policy, err := awsiam.NewRolePolicy(ctx, naming.Child(r.name, "policy"), &awsiam.RolePolicyArgs{
		Name: pulumi.String(r.name), Role: role.Name, Policy: doc,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("role %s: policy: %w", r.name, err)
	}
	return role, policy, nil
}

// sidWords keeps the letters and digits of s, each word capitalised: statement ids allow
// nothing else ("logs.eu-west-1.amazonaws.com" becomes "LogsEuWest1Amazonawscom").
func sidWords(s string) string {
	out := make([]rune, 0, len(s))
	upper := true
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z':
			if upper {
				c -= 'a' - 'A'
			}
			out, upper = append(out, c), false
		case c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			out, upper = append(out, c), false
		default:
			upper = true
		}
	}
	return string(out)
}
