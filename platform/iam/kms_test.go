package iam

import (
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKMSActions(t *testing.T) {
	for _, a := range KMSAdministrativeActions() {
		assert.False(t, KMSUses(a), "%s is administrative and uses no key material", a)
		assert.True(t, wellFormedAction(a), a)
	}
	for _, a := range KMSCryptographicActions() {
		assert.True(t, KMSUses(a), a)
		assert.False(t, slices.Contains(KMSAdministrativeActions(), a), a)
	}
	assert.True(t, KMSUses("kms:CreateGrant"), "a grant hands the key's use on")
	assert.False(t, slices.Contains(KMSAdministrativeActions(), "kms:CreateGrant"))
	assert.False(t, KMSUses("kms:DescribeKey"))
}

func TestViaService(t *testing.T) {
	const key = "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000001"
	got, err := runDocument(t, func(*pulumi.Context) (pulumi.StringOutput, error) {
		return Document(Statements{{Sid: "ReadTableKey", Actions: []string{"kms:Decrypt"}, Resources: strs(key),
			Conditions: []Condition{ViaService("dynamodb", pulumi.String(key))}}})
	})
	require.NoError(t, err)
	assert.Equal(t, `{"Version":"2012-10-17","Statement":[{"Sid":"ReadTableKey","Effect":"Allow","Action":["kms:Decrypt"],`+
		`"Resource":["`+key+`"],"Condition":{"StringEquals":{"kms:ViaService":["dynamodb.eu-west-1.amazonaws.com"]}}}]}`, got)

	_, err = runDocument(t, func(*pulumi.Context) (pulumi.StringOutput, error) {
		return Document(Statements{{Sid: "ReadTableKey", Actions: []string{"kms:Decrypt"}, Resources: strs(key),
			Conditions: []Condition{ViaService("dynamodb", pulumi.String("alias/orders"))}}})
	})
	assert.ErrorContains(t, err, `iam: kms:ViaService: "alias/orders" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`)
}

func TestArnLike(t *testing.T) {
	tests := []struct {
		pattern, arn string
		want         bool
	}{
		{"arn:aws:iam::111111111111:role/acme-dev-orders-*", "arn:aws:iam::111111111111:role/acme-dev-orders-api", true},
		{"arn:aws:iam::111111111111:role/acme-dev-orders-*", "arn:aws:iam::111111111111:role/acme-dev-orders-", true},
		{"arn:aws:iam::111111111111:role/acme-dev-orders-*", "arn:aws:iam::111111111111:role/acme-dev-orders", false},
		{"arn:aws:iam::111111111111:role/acme-dev-orders-*", "arn:aws:iam::111111111111:role/acme-dev-ordersx-api", false},
		{"arn:aws:iam::111111111111:role/acme-dev-platform-*", "arn:aws:iam::111111111111:role/acme-dev-platform-ci-deploy", true},
		{"arn:aws:iam::*:role/*", "arn:aws:iam::111111111111:role/path/name", true},
		{"arn:aws:iam::11111111111?:root", "arn:aws:iam::111111111111:root", true},
		{"arn:aws:iam::111111111111:root", "arn:aws:iam::111111111111:Root", false},
		{"*-deploy", "arn:aws:iam::111111111111:role/acme-dev-platform-ci-deploy", true},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"", "", true},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, ArnLike(tc.pattern, tc.arn), "%s ~ %s", tc.pattern, tc.arn)
	}
}
