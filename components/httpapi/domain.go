package httpapi

import (
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigatewayv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/platform/naming"
)

// domain serves the stage on the custom domain: a regional domain name that accepts TLS 1.2
// and above, mapped at its root.
func (a *API) domain(ctx *pulumi.Context, name string, s settings, parent pulumi.ResourceOption) error {
	args := override.Apply(&apigatewayv2.DomainNameArgs{Tags: s.Scope.TagMap()}, s.Overrides.DomainName, func(da *apigatewayv2.DomainNameArgs) {
		da.DomainName = pulumi.String(s.Domain.Name)
		da.DomainNameConfiguration = &apigatewayv2.DomainNameDomainNameConfigurationArgs{
			CertificateArn: s.Domain.CertificateArn,
			EndpointType:   pulumi.String("REGIONAL"),
			SecurityPolicy: pulumi.String("TLS_1_2"),
		}
	})
	// A domain name exists once per region and account, and a mapping once per domain and
	// path: replacements must not coexist with the originals.
	var err error
	a.DomainName, err = apigatewayv2.NewDomainName(ctx, naming.Child(name, "domain"), args, parent,
		pulumi.DeleteBeforeReplace(true))
	if err != nil {
		return err
	}
	a.Mapping, err = apigatewayv2.NewApiMapping(ctx, naming.Child(name, "domain-mapping"), &apigatewayv2.ApiMappingArgs{
		ApiId:      a.API.ID(),
		DomainName: a.DomainName.ID(),
		Stage:      a.Stage.Name,
	}, parent, pulumi.DeleteBeforeReplace(true))
	if err != nil {
		return err
	}
	a.URL = pulumi.Sprintf("https://%s", a.DomainName.DomainName)
	return nil
}

// domainName reports whether name is a fully qualified, lowercase DNS name.
func domainName(name string) bool {
	labels := strings.Split(name, ".")
	if len(name) > 253 || len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range l {
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
				return false
			}
		}
	}
	return true
}
