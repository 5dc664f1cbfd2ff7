package httpapi

import (
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigatewayv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/platform/naming"
)

// mapping serves the stage on the platform's custom domain at the Domain's path, so that
// each major version of each context's API has its own prefix on one domain.
func (a *API) mapping(ctx *pulumi.Context, name string, s settings, parent pulumi.ResourceOption) error {
	args := override.Apply(&apigatewayv2.ApiMappingArgs{}, s.Overrides.Mapping, func(ma *apigatewayv2.ApiMappingArgs) {
		ma.ApiId = a.API.ID()
		ma.DomainName = pulumi.String(s.Domain.Name)
		ma.Stage = a.Stage.Name
		ma.ApiMappingKey = pulumi.String(s.Domain.Path)
	})
	// A mapping exists once per domain and path: a replacement must not coexist with it.
	var err error
	a.Mapping, err = apigatewayv2.NewApiMapping(ctx, naming.Child(name, "mapping"), args, parent,
		pulumi.DeleteBeforeReplace(true))
	if err != nil {
		return err
	}
	a.URL = pulumi.Sprintf("https://%s/%s", s.Domain.Name, s.Domain.Path)
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

// mappingPath reports whether path is an API mapping key API Gateway accepts: segments of
// letters, digits and . _ - ~, at most 300 characters, neither starting nor ending with /.
func mappingPath(path string) bool {
	if path == "" || len(path) > 300 {
		return false
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == "" || !literal(seg) {
			return false
		}
	}
	return true
}
