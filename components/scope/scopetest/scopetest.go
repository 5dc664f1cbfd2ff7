// Package scopetest gives component tests a valid Scope with recognisable ARNs.
package scopetest

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/naming"
)

// KeyArn and AlarmTopicArn are the ARNs of New's scope, for assertions.
const (
	KeyArn        = "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000001"
	AlarmTopicArn = "arn:aws:sns:eu-west-1:111111111111:acme-dev-platform-alarms"
)

// New returns the scope of context "orders" in org "acme", environment "dev".
func New() scope.Scope {
	return scope.Scope{
		Naming:        naming.Scope{Org: "acme", Env: "dev", Context: "orders"},
		Tags:          map[string]string{"org": "acme", "env": "dev", "context": "orders", "managed-by": "stratum"},
		KeyArn:        pulumi.String(KeyArn),
		AlarmTopicArn: pulumi.String(AlarmTopicArn),
	}
}
