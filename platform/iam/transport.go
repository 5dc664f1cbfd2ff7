package iam

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// DenyInsecureTransport is the statement that makes a resource policy TLS-only: it denies
// everyone the given actions on resource when the request does not use TLS. The actions are
// exact, like every action Stratum writes: list the ones the resource's service has.
func DenyInsecureTransport(resource pulumi.StringInput, actions ...string) Statement {
	return Statement{
		Sid:        "DenyInsecureTransport",
		Effect:     Deny,
		Principals: []Principal{{Type: PrincipalAWS, Identifiers: []pulumi.StringInput{pulumi.String("*")}}},
		Actions:    actions,
		Resources:  []pulumi.StringInput{resource},
		Conditions: []Condition{{Test: "Bool", Variable: "aws:SecureTransport",
			Values: []pulumi.StringInput{pulumi.String("false")}}},
	}
}
