package local

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

// replaceOnChangeJSON lists, per pulumi-aws type, the inputs AWS cannot update in place, read
// from the Terraform AWS provider (ForceNew) that pulumi-aws v6 bridges.
//
//go:embed aws-replace-on-change.json
var replaceOnChangeJSON []byte

// typeRules is one type's entry of aws-replace-on-change.json.
type typeRules struct {
	Terraform string `json:"terraform"`
	// ReplaceOnChange are the paths whose change replaces the resource.
	ReplaceOnChange []string `json:"replaceOnChange"`
	// ConditionalReplaceOnChange are the paths whose change replaces the resource when the new
	// value is not empty.
	ConditionalReplaceOnChange []string `json:"conditionalReplaceOnChange"`
	// Name is the property holding the physical name, nil when the type has none.
	Name  *string `json:"name"`
	Notes string  `json:"notes"`
}

// rules is the parsed aws-replace-on-change.json, by type token.
type rules map[string]typeRules

// loadRules parses the embedded replace-on-change file.
func loadRules() (rules, error) {
	var file struct {
		Types map[string]typeRules `json:"types"`
	}
	if err := json.Unmarshal(replaceOnChangeJSON, &file); err != nil {
		return nil, fmt.Errorf("local: aws-replace-on-change.json: %w", err)
	}
	if len(file.Types) == 0 {
		return nil, fmt.Errorf("local: aws-replace-on-change.json lists no types")
	}
	return file.Types, nil
}

// lookup returns the rules of typ, or an error naming an unknown type.
func (r rules) lookup(typ string) (typeRules, error) {
	t, ok := r[typ]
	if !ok {
		return typeRules{}, fmt.Errorf("local: unknown resource type %s (not in aws-replace-on-change.json)", typ)
	}
	return t, nil
}

// nameProperty is the property holding the physical name of the type, or "".
func (t typeRules) nameProperty() string {
	if t.Name == nil {
		return ""
	}
	return *t.Name
}

// scopeProperties lists, for types whose names AWS keeps unique only within a parent, the
// properties naming that parent: a role's inline policy is unique within its role, a stage
// within its API.
func scopeProperties(typ string) []string {
	switch typ {
	case "aws:iam/rolePolicy:RolePolicy":
		return []string{"role"}
	case "aws:lambda/alias:Alias":
		return []string{"functionName"}
	case "aws:lambda/permission:Permission":
		return []string{"function", "qualifier"}
	case "aws:apigatewayv2/stage:Stage", "aws:apigatewayv2/authorizer:Authorizer":
		return []string{"apiId"}
	case "aws:scheduler/schedule:Schedule":
		return []string{"groupName"}
	case "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter":
		return []string{"logGroup"}
	case "aws:cloudwatch/logMetricFilter:LogMetricFilter":
		return []string{"logGroupName"}
	case "aws:appautoscaling/policy:Policy":
		return []string{"serviceNamespace", "resourceId", "scalableDimension"}
	case "aws:codedeploy/deploymentGroup:DeploymentGroup":
		return []string{"appName"}
	case "aws:route53/record:Record":
		return []string{"zoneId", "type", "setIdentifier"}
	case "aws:s3/bucketObjectv2:BucketObjectv2", "aws:s3/bucketMetric:BucketMetric":
		return []string{"bucket"}
	}
	return nil
}

// uniqueNames reports whether AWS refuses a second resource of typ with the same name (in the
// same scope). API Gateway accepts any number of APIs with one name.
func uniqueNames(typ string) bool {
	return typ != "aws:apigatewayv2/api:Api"
}

// sharedID reports whether another resource may write the object of typ that a resource's
// id names: S3 keeps one policy per bucket and PutBucketPolicy overwrites it, so a second
// writer of a bucket's policy (awsx's Trail, then the bucket's own) is no conflict.
func sharedID(typ string) bool {
	return typ == "aws:s3/bucketPolicy:BucketPolicy"
}

// identity is how the account knows a resource: its physical name within a scope, and whether
// AWS refuses a second one with that name.
type identity struct {
	name, scope string
	unique      bool
}

// identify finds the physical name of a resource of typ: the type's name property in inputs
// or computed, the logical name when that property is `name` and absent (the offline answers'
// convention), else the id (then it is unique only by construction).
func (r rules) identify(typ, logical, id string, inputs, computed map[string]any) identity {
	prop := r[typ].nameProperty()
	name := ""
	if prop != "" {
		name, _ = inputs[prop].(string)
		if name == "" {
			name, _ = computed[prop].(string)
		}
		if name == "" && prop == "name" {
			name = logical
		}
	}
	if name == "" {
		return identity{name: id, scope: scopeOf(typ, inputs)}
	}
	return identity{name: name, scope: scopeOf(typ, inputs), unique: uniqueNames(typ)}
}

// scopeOf names the parent a resource of typ belongs to, from its inputs: "" for a type whose
// names are unique in the account.
func scopeOf(typ string, inputs map[string]any) string {
	var scope []string
	for _, p := range scopeProperties(typ) {
		v, _ := inputs[p].(string)
		if p == "groupName" && v == "" {
			v = "default"
		}
		scope = append(scope, p+"="+v)
	}
	return strings.Join(scope, ",")
}
