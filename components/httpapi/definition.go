package httpapi

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/platform/apidef"
	"github.com/stratum-platform/stratum/platform/lambdakit/openapi"
	"github.com/stratum-platform/stratum/platform/naming"
)

// definition renders the API's definition once the functions' invoke ARNs and the
// authorizer's settings are known: at plan time from the offline answers, at deploy time from
// the real resources.
func definition(s settings, title string) pulumi.StringOutput {
	ids := slices.Sorted(maps.Keys(s.Operations))
	inputs := make([]any, 0, len(ids)+2)
	for _, id := range ids {
		inputs = append(inputs, s.Operations[id].AliasInvokeArn)
	}
	var issuer pulumi.StringInput = pulumi.String("")
	var audiences pulumi.StringArrayInput = pulumi.StringArray{}
	if s.Authorizer != nil {
		issuer, audiences = s.Authorizer.Issuer, s.Authorizer.Audiences
	}
	inputs = append(inputs, issuer, audiences)
	return pulumi.All(inputs...).ApplyT(func(values []any) (string, error) {
		in := apidef.Input{Title: title, Integrations: map[string]string{}}
		for i, id := range ids {
			in.Integrations[id], _ = values[i].(string)
		}
		if s.Authorizer != nil {
			aud, _ := values[len(ids)+1].([]string)
			iss, _ := values[len(ids)].(string)
			in.Authorizer = &apidef.JWT{Issuer: iss, Audiences: aud}
		}
		return apidef.Render(s.spec, in)
	}).(pulumi.StringOutput)
}

// aliases are the functions' live aliases, which the definition's integrations name: the API
// is created after them.
func aliases(s settings) []pulumi.Resource {
	var out []pulumi.Resource
	for _, id := range slices.Sorted(maps.Keys(s.Operations)) {
		if fn := s.Operations[id]; fn != nil && fn.Alias != nil {
			out = append(out, fn.Alias)
		}
	}
	return out
}

// permissions lets API Gateway invoke each operation's function through its live alias, from
// that operation's route only.
func (a *API) permissions(ctx *pulumi.Context, name string, s settings) (map[string]*lambda.Permission, error) {
	out := map[string]*lambda.Permission{}
	for _, op := range s.spec.Operations() {
		fn := s.Operations[op.ID]
		deps := []pulumi.Resource{}
		if fn.Alias != nil {
			deps = append(deps, fn.Alias)
		}
		perm, err := lambda.NewPermission(ctx, naming.Child(name, op.ID+"-permission"), &lambda.PermissionArgs{
			Action:    pulumi.String("lambda:InvokeFunction"),
			Principal: pulumi.String("apigateway.amazonaws.com"),
			Function:  fn.Name,
			Qualifier: pulumi.String(function.AliasName),
			SourceArn: pulumi.Sprintf("%s/*/%s", a.API.ExecutionArn, apidef.SourcePath(op.RouteKey())),
		}, pulumi.Parent(a), pulumi.DependsOn(deps))
		if err != nil {
			return nil, fmt.Errorf("operation %q: permission: %w", op.ID, err)
		}
		out[op.ID] = perm
	}
	return out, nil
}

// majorVersion reads the major version of the spec's info.version ("2.1.0" is 2): the API's
// path on the custom domain.
func majorVersion(spec *openapi.Spec) (int, error) {
	if spec == nil {
		return 0, fmt.Errorf("no spec")
	}
	v := spec.Document().Info.Version
	digits, _, _ := strings.Cut(strings.TrimPrefix(v, "v"), ".")
	n, err := strconv.Atoi(digits)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("info.version %q does not start with a major version of 1 or more, as 2.0.0", v)
	}
	return n, nil
}

// routeMethods are the methods of the operations, for CORS.
func routeMethods(spec *openapi.Spec) []string {
	var out []string
	for _, op := range spec.Operations() {
		out = append(out, op.Method)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
