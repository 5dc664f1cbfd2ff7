package platform

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigatewayv2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/config"
)

// apiDomain creates the environment's regional custom domain for HTTP APIs, which every
// context maps its API versions onto (<context>/v<N>): a certificate validated by DNS in the
// hosted zone, the API Gateway domain name (TLS 1.2 at least) and the alias record that
// points the name at it. It returns the domain's name, "" when none is configured: contexts
// then keep their APIs' default endpoints.
func apiDomain(ctx *pulumi.Context, cfg *config.Config) (pulumi.StringOutput, error) {
	d := cfg.Domains
	if d.API == "" {
		return pulumi.String("").ToStringOutput(), nil
	}
	tags := pulumi.ToStringMap(cfg.Tags())
	certArn, err := certificate(ctx, "api", d.API, d.HostedZoneID, tags)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	// A domain name exists once per region and account: a replacement must not coexist
	// with it.
	domain, err := apigatewayv2.NewDomainName(ctx, "api-domain", &apigatewayv2.DomainNameArgs{
		DomainName: pulumi.String(d.API),
		DomainNameConfiguration: &apigatewayv2.DomainNameDomainNameConfigurationArgs{
			CertificateArn: certArn,
			EndpointType:   pulumi.String("REGIONAL"),
			SecurityPolicy: pulumi.String("TLS_1_2"),
		},
		Tags: tags,
	}, pulumi.DeleteBeforeReplace(true))
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("api domain %s: %w", d.API, err)
	}
	target := domain.DomainNameConfiguration
	if _, err := route53.NewRecord(ctx, "api-domain-alias", &route53.RecordArgs{
		ZoneId: pulumi.String(d.HostedZoneID),
		Name:   pulumi.String(d.API),
		Type:   pulumi.String("A"),
		Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{
			Name:                 target.TargetDomainName().Elem(),
			ZoneId:               target.HostedZoneId().Elem(),
			EvaluateTargetHealth: pulumi.Bool(false),
		}},
	}); err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("api domain %s: alias record: %w", d.API, err)
	}
	return domain.DomainName, nil
}

// certificate requests an ACM certificate of domain, validated by DNS: the CNAME ACM asks
// for, in the zone, and the validation, which completes when ACM has seen it. It returns the
// validated certificate's ARN, so that what uses the certificate waits for the validation.
// name prefixes the resources' names; opts give the certificate's provider (CloudFront's
// are in us-east-1), the record is global.
func certificate(ctx *pulumi.Context, name, domain, zoneID string, tags pulumi.StringMap, opts ...pulumi.ResourceOption) (pulumi.StringOutput, error) {
	cert, err := acm.NewCertificate(ctx, name+"-certificate", &acm.CertificateArgs{
		DomainName:       pulumi.String(domain),
		ValidationMethod: pulumi.String("DNS"),
		Tags:             tags,
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("certificate %s: %w", domain, err)
	}
	option := cert.DomainValidationOptions.Index(pulumi.Int(0))
	// ACM asks for the same record for every certificate of a name in an account: a
	// replacement certificate finds it there.
	record, err := route53.NewRecord(ctx, name+"-certificate-validation", &route53.RecordArgs{
		ZoneId:         pulumi.String(zoneID),
		Name:           option.ResourceRecordName().Elem(),
		Type:           option.ResourceRecordType().Elem(),
		Records:        pulumi.StringArray{option.ResourceRecordValue().Elem()},
		Ttl:            pulumi.Int(300),
		AllowOverwrite: pulumi.Bool(true),
	})
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("certificate %s: validation record: %w", domain, err)
	}
	validation, err := acm.NewCertificateValidation(ctx, name+"-certificate", &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: pulumi.StringArray{record.Fqdn},
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("certificate %s: validation: %w", domain, err)
	}
	return validation.CertificateArn, nil
}
