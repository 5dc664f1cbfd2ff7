package platform_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/plan/plantest"
	"github.com/stratum-platform/stratum/stacks/platform"
)

func TestAPIDomain(t *testing.T) {
	for env, name := range map[string]string{"dev": "api.dev.acme.example", "prod": "api.acme.example"} {
		t.Run(env, func(t *testing.T) {
			p := plantest.ProjectPlan(t, root, env, platform.Program)

			cert, err := p.Get("aws:acm/certificate:Certificate", "api-certificate")
			require.NoError(t, err)
			assert.Equal(t, name, cert.Inputs["domainName"])
			assert.Equal(t, "DNS", cert.Inputs["validationMethod"])

			record, err := p.Get("aws:route53/record:Record", "api-certificate-validation")
			require.NoError(t, err)
			zone := record.Inputs["zoneId"]
			assert.NotEmpty(t, zone)

			validation, err := p.Get("aws:acm/certificateValidation:CertificateValidation", "api-certificate")
			require.NoError(t, err)
			assert.Equal(t, cert.Outputs["arn"], validation.Inputs["certificateArn"])
			assert.Equal(t, []any{record.Outputs["fqdn"]}, validation.Inputs["validationRecordFqdns"],
				"the validation waits for the record in the zone")

			domain, err := p.Get("aws:apigatewayv2/domainName:DomainName", "api-domain")
			require.NoError(t, err)
			assert.True(t, domain.DeleteBeforeReplace)
			assert.Equal(t, name, domain.Inputs["domainName"])
			conf := domain.Inputs["domainNameConfiguration"].(map[string]any)
			assert.Equal(t, "REGIONAL", conf["endpointType"])
			assert.Equal(t, "TLS_1_2", conf["securityPolicy"])
			assert.Equal(t, validation.Inputs["certificateArn"], conf["certificateArn"],
				"the domain uses the certificate once it is validated")

			alias, err := p.Get("aws:route53/record:Record", "api-domain-alias")
			require.NoError(t, err)
			assert.Equal(t, zone, alias.Inputs["zoneId"])
			assert.Equal(t, name, alias.Inputs["name"])
			assert.Equal(t, "A", alias.Inputs["type"])
			require.Len(t, alias.Inputs["aliases"], 1)

			assert.Equal(t, name, p.Outputs[contract.APIDomainName.Name()], "contexts map their APIs onto it")
		})
	}
}

func TestNoDomainConfigured(t *testing.T) {
	p, err := plan.Run(plan.Options{Project: "platform", Stack: "dev", Config: baseConfig(), Dir: root}, platform.Program)
	require.NoError(t, err)
	for _, typ := range []string{"aws:acm/certificate:Certificate", "aws:apigatewayv2/domainName:DomainName", "aws:route53/record:Record",
		"aws:cloudfront/distribution:Distribution", "aws:wafv2/webAcl:WebAcl"} {
		assert.Zero(t, p.CountByType()[typ], typ)
	}
	assert.Empty(t, p.Find("stratum:bucket:Bucket", "portal"), "no pages bucket without a portal")
	assert.Equal(t, "", p.Outputs[contract.APIDomainName.Name()], "contexts keep their default endpoints")
}

// baseConfig is a platform stack's config without domains.
func baseConfig() config.Raw {
	return config.Raw{
		"aws:region": {Value: "eu-west-1"}, "stratum:org": {Value: "acme"},
		"stratum:owner": {Value: "o"}, "stratum:costCentre": {Value: "c"},
		"stratum:githubRepository": {Value: "acme/stratum"}, "stratum:stateBucket": {Value: "acme-pulumi-state"},
		"stratum:stateKeyArn":  {Value: "arn:aws:kms:eu-west-1:111111111111:key/0d6e2f4c-7a51-4d8e-9b3a-5c1f2e8a9b70"},
		"stratum:jwtIssuer":    {Value: "https://login.acme.example/dev"},
		"stratum:jwtAudiences": {Value: `["api://stratum-dev"]`},
	}
}
