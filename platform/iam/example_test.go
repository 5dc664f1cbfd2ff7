package iam_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/iam"
)

// noEngine stands in for the Pulumi engine so the example runs offline.
type noEngine struct{}

func (noEngine) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	return args.Name + "-id", args.Inputs, nil
}

func (noEngine) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return args.Args, nil
}

func Example() {
	// A grant names exact actions on exact resources.
	read := iam.Statements{{
		Sid:       "ReadUsers",
		Actions:   []string{"dynamodb:Query", "dynamodb:GetItem"},
		Resources: []pulumi.StringInput{pulumi.String("arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-accounts-users")},
	}}
	// Wildcards are refused with a message that says what to do instead.
	wide := iam.Statements{{Sid: "ReadAll", Actions: []string{"dynamodb:*"}, Resources: read[0].Resources}}
	fmt.Println(wide.Validate())

	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		doc, err := iam.Document(read)
		if err != nil {
			return err
		}
		// In a component the document goes into a RolePolicy; here it is printed.
		ctx.Export("policy", doc.ApplyT(func(s string) string {
			fmt.Println(s)
			return s
		}))
		return nil
	}, pulumi.WithMocks("example", "dev", noEngine{}))
	if err != nil {
		fmt.Println(err)
	}

	parsed, err := iam.Parse(`{"Statement":{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:1:q"}}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(parsed.Actions())
	// Output:
	// iam: statement 0 ("ReadAll"): action "dynamodb:*" has a wildcard; grant exact actions
	// {"Version":"2012-10-17","Statement":[{"Sid":"ReadUsers","Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query"],"Resource":["arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-accounts-users"]}]}
	// [sqs:SendMessage]
}

// A package that needs an action without resource-level permissions adds it to the
// allow-list with its reason, and gives the same entries to the documents (here Document,
// in a function its Args.WildcardActions) and to the policy rules (policy.Builtin).
func ExampleWildcardAction() {
	describe := iam.WildcardAction{
		Action: "ec2:DescribeNetworkInterfaces",
		Reason: "EC2 Describe* calls have no resource-level permissions; Lambda in a VPC needs this one.",
	}
	enis := iam.Statements{{
		Sid:       "FindNetworkInterfaces",
		Actions:   []string{describe.Action},
		Resources: []pulumi.StringInput{pulumi.String("*")},
	}}
	_, err := iam.Document(enis)
	fmt.Println(err)
	_, err = iam.Document(enis, describe)
	fmt.Println(err)
	fmt.Println(iam.WildcardResourceAllowed(describe.Action, describe))
	// Output:
	// iam: statement 0 ("FindNetworkInterfaces"): resource "*" is not allowed for ec2:DescribeNetworkInterfaces; scope the statement to resource ARNs
	// <nil>
	// true
}
