package iam

import (
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/permission"
)

// FromPermissions turns permissions into statements: one per resource and suffix, in the
// order perms first use them, on every ARN arns has for the resource, with the statement's
// actions sorted. sid names each statement from what it is on: the resource in CamelCase,
// followed by "Qualified" when the permissions have a suffix ("DeploymentGroup",
// "FunctionQualified"). It names every resource the permissions need and arns lacks.
func FromPermissions(perms []permission.Permission, arns map[permission.Resource][]pulumi.StringInput,
	sid func(what string) string,
) (Statements, error) {
	if err := permission.Missing(perms, func(r permission.Resource) bool { return len(arns[r]) > 0 }); err != nil {
		return nil, err
	}
	var out Statements
	index := map[string]int{}
	for _, p := range perms {
		what := camel(string(p.On))
		if p.Suffix != "" {
			what += "Qualified"
		}
		i, ok := index[what]
		if !ok {
			var resources []pulumi.StringInput
			for _, arn := range arns[p.On] {
				resources = append(resources, pulumi.Sprintf("%s%s", arn, p.Suffix))
			}
			out = append(out, Statement{Sid: sid(what), Resources: resources})
			i = len(out) - 1
			index[what] = i
		}
		out[i].Actions = append(out[i].Actions, p.Action)
	}
	for i := range out {
		slices.Sort(out[i].Actions)
		out[i].Actions = slices.Compact(out[i].Actions)
	}
	return out, nil
}
