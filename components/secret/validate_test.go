package secret_test

import (
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
	"github.com/stratum-platform/stratum/components/secret"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

func TestValidate(t *testing.T) {
	s := scopetest.New()
	admins := []pulumi.StringInput{pulumi.String(deployRole)}
	for _, tc := range []struct {
		name string
		args secret.Args
		want string
	}{
		{"administrators", secret.Args{Scope: s},
			"Administrators: is required: the role that deploys the stack at least, or the secret's policy refuses the next deploy its changes"},
		{"administrator arns", secret.Args{Scope: s, Administrators: []pulumi.StringInput{nil, pulumi.String("*"),
			pulumi.String("arn:aws:iam::111111111111:role/*"), pulumi.String("arn:aws:iam::111111111111:user/alice")}},
			"Administrators[0]: is nil\n" +
				`Administrators[1]: "*" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)` + "\n" +
				`Administrators[2]: "arn:aws:iam::111111111111:role/*" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)` + "\n" +
				`Administrators[3]: "arn:aws:iam::111111111111:user/alice" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`},
		{"readers", secret.Args{Scope: s, Administrators: admins, Readers: []string{"deliver", "", "Deliver", "deliver", "-x"}},
			`Readers[1]: "" is not a function's logical name (lowercase letters, digits and hyphens)` + "\n" +
				`Readers[2]: "Deliver" is not a function's logical name (lowercase letters, digits and hyphens)` + "\n" +
				`Readers[3]: "deliver" is also Readers[0]; list each reader once` + "\n" +
				`Readers[4]: "-x" is not a function's logical name (lowercase letters, digits and hyphens)`},
		{"manual", secret.Args{Scope: s, Administrators: admins, Manual: true, RotateEvery: 24 * time.Hour, RotationArchive: "a.zip"},
			"Readers: is required with Manual: nobody else reads an operator's value\n" +
				"RotateEvery: is set, but Manual leaves the value to an operator: nothing rotates it\n" +
				"RotationArchive: is set, but Manual leaves the value to an operator: nothing rotates it"},
		{"durations", secret.Args{Scope: s, Administrators: admins, RotateEvery: 36 * time.Hour, RecoveryWindow: 31 * 24 * time.Hour},
			"RotateEvery: 36h0m0s is not whole days from 1 to 365\nRecoveryWindow: 744h0m0s is not whole days from 7 to 30"},
		{"rotation too rare", secret.Args{Scope: s, Administrators: admins, RotateEvery: 366 * 24 * time.Hour, RecoveryWindow: 6 * 24 * time.Hour},
			"RotateEvery: 8784h0m0s is not whole days from 1 to 365\nRecoveryWindow: 144h0m0s is not whole days from 7 to 30"},
		{"code", secret.Args{Scope: s, Administrators: admins, RotationSource: "rotate", RotationArchive: archive},
			`RotationSource: "rotate" and RotationArchive "testdata/bootstrap.zip" are both set; set one`},
		{"scope", secret.Args{Scope: scope.Scope{Naming: s.Naming}, Administrators: admins},
			"Scope.KeyArn: is required (the KMS key that encrypts data at rest)\nScope.AlarmTopicArn: is required (the SNS topic alarms notify)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.EqualError(t, tc.args.Validate(), tc.want)
			var got error
			require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
				_, got = secret.New(ctx, "signing", &tc.args)
				return got
			}))
			assert.EqualError(t, got, `secret "signing": `+tc.want)
		})
	}
	require.NoError(t, args().Validate())
}

func TestNewNeedsArgs(t *testing.T) {
	var got error
	require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
		_, got = secret.New(ctx, "signing", nil)
		return got
	}))
	assert.ErrorContains(t, got, `secret "signing": Scope.Naming: `)
	assert.ErrorContains(t, got, "Administrators: is required")
}

func TestTheRotationFunctionIsValidatedToo(t *testing.T) {
	a := args()
	a.RotationArchive = "testdata/missing.zip"
	var got error
	require.Error(t, plantest.RunErr(func(ctx *pulumi.Context) error {
		_, got = secret.New(ctx, "signing", a)
		return got
	}))
	assert.EqualError(t, got, `secret "signing": rotation function: function "signing-rotation": Archive: "testdata/missing.zip" does not exist`)
}
