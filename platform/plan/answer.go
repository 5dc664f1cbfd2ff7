package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// MissingPropertyError reports the required properties a resource was registered without.
type MissingPropertyError struct {
	// Type is the resource's type token and Name its logical name.
	Type, Name string
	// Properties are the missing properties, in the order Required lists them.
	Properties []string
}

// Error names the type, the resource and every missing property.
func (e *MissingPropertyError) Error() string {
	noun := "property"
	if len(e.Properties) > 1 {
		noun = "properties"
	}
	return fmt.Sprintf("%s %q: missing required %s %s", e.Type, e.Name, noun, strings.Join(e.Properties, ", "))
}

// Required lists the properties a resource of type typ must be given, as AWS requires them;
// a type it does not list is not checked.
func Required(typ string) []string {
	switch typ {
	case "aws:lambda/function:Function":
		return []string{"role", "code"}
	case "aws:lambda/alias:Alias":
		return []string{"functionName", "functionVersion"}
	case "aws:iam/rolePolicy:RolePolicy":
		return []string{"role", "policy"}
	case "aws:sns/topicPolicy:TopicPolicy":
		return []string{"arn", "policy"}
	case "aws:sqs/queuePolicy:QueuePolicy":
		return []string{"queueUrl", "policy"}
	case "aws:sns/topicSubscription:TopicSubscription":
		return []string{"topic", "protocol", "endpoint"}
	case "aws:lambda/permission:Permission":
		return []string{"action", "function", "principal"}
	case "aws:iam/role:Role":
		return []string{"assumeRolePolicy"}
	case "aws:iam/policy:Policy":
		return []string{"policy"}
	case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
		return []string{"url", "clientIdLists"}
	case "aws:dynamodb/table:Table":
		return []string{"hashKey", "attributes"}
	case "aws:cloudwatch/metricAlarm:MetricAlarm":
		return []string{"comparisonOperator", "evaluationPeriods"}
	case "aws:apigatewayv2/integration:Integration":
		return []string{"apiId", "integrationType"}
	case "aws:apigatewayv2/route:Route":
		return []string{"apiId", "routeKey"}
	case "aws:apigatewayv2/stage:Stage":
		return []string{"apiId"}
	case "aws:apigatewayv2/authorizer:Authorizer":
		return []string{"apiId", "authorizerType"}
	case "aws:scheduler/schedule:Schedule":
		return []string{"scheduleExpression", "flexibleTimeWindow", "target"}
	case "aws:kms/alias:Alias":
		return []string{"targetKeyId"}
	case "aws:cloudwatch/dashboard:Dashboard":
		return []string{"dashboardName", "dashboardBody"}
	case "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "aws:lambda/eventSourceMapping:EventSourceMapping":
		return []string{"functionName"}
	case "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig":
		return []string{"functionName", "provisionedConcurrentExecutions", "qualifier"}
	case "aws:secretsmanager/secretPolicy:SecretPolicy":
		return []string{"secretArn", "policy"}
	case "aws:secretsmanager/secretRotation:SecretRotation":
		return []string{"secretId"}
	}
	if r := requiredStorage(typ); r != nil {
		return r
	}
	return requiredRelease(typ)
}

// Missing returns the required properties of typ that inputs lack (absent or null). A value
// not known until deployment counts as present.
func Missing(typ string, inputs map[string]any) []string {
	var missing []string
	for _, k := range Required(typ) {
		if inputs[k] == nil {
			missing = append(missing, k)
		}
	}
	return missing
}

// Answer returns the id and the attributes AWS computes for a resource of type typ, with
// logical name logical and URN urn, created in region and account from inputs (plain values:
// strings, numbers, booleans, lists and maps). The same arguments always give the same answer;
// ids AWS generates are derived from urn. Without a name input the logical name is the physical
// name. A missing required property is a *MissingPropertyError.
func Answer(typ, logical, urn string, inputs map[string]any, region, account string) (string, map[string]any, error) {
	if missing := Missing(typ, inputs); len(missing) > 0 {
		return "", nil, &MissingPropertyError{Type: typ, Name: logical, Properties: missing}
	}
	r, a, in := region, account, inputs
	name, _ := in["name"].(string)
	if name == "" {
		name = logical
	}
	short := hash(urn, 8)
	str := func(k string) string { s, _ := in[k].(string); return s }
	switch typ {
	case "aws:kms/key:Key":
		id := uuid(urn)
		return id, map[string]any{"arn": "arn:aws:kms:" + r + ":" + a + ":key/" + id, "keyId": id}, nil
	case "aws:kms/alias:Alias":
		return name, map[string]any{"arn": "arn:aws:kms:" + r + ":" + a + ":" + name, "targetKeyArn": str("targetKeyId")}, nil
	case "aws:sns/topic:Topic":
		arn := "arn:aws:sns:" + r + ":" + a + ":" + name
		return arn, map[string]any{"arn": arn, "name": name, "owner": a}, nil
	case "aws:sns/topicSubscription:TopicSubscription":
		arn := str("topic") + ":" + uuid(urn)
		return arn, map[string]any{"arn": arn}, nil
	case "aws:sqs/queue:Queue":
		url := "https://sqs." + r + ".amazonaws.com/" + a + "/" + name
		return url, map[string]any{"arn": "arn:aws:sqs:" + r + ":" + a + ":" + name, "url": url, "name": name}, nil
	case "aws:lambda/function:Function":
		arn := "arn:aws:lambda:" + r + ":" + a + ":function:" + name
		return name, map[string]any{"arn": arn, "name": name, "invokeArn": InvokeArn(r, arn),
			"qualifiedArn": arn + ":1", "qualifiedInvokeArn": InvokeArn(r, arn+":1"), "version": "1"}, nil
	case "aws:lambda/functionUrl:FunctionUrl":
		fn := str("functionName")
		urlID := hash(urn, 32)
		return fn + "/" + str("qualifier"), map[string]any{"functionUrl": "https://" + urlID + ".lambda-url." + r + ".on.aws/",
			"urlId": urlID, "functionArn": "arn:aws:lambda:" + r + ":" + a + ":function:" + fn}, nil
	case "aws:lambda/alias:Alias":
		fn := str("functionName")
		if !strings.HasPrefix(fn, "arn:") {
			fn = "arn:aws:lambda:" + r + ":" + a + ":function:" + fn
		}
		arn := fn + ":" + name
		return arn, map[string]any{"arn": arn, "invokeArn": InvokeArn(r, arn)}, nil
	case "aws:iam/role:Role":
		return name, map[string]any{"arn": "arn:aws:iam::" + a + ":role/" + name, "name": name, "uniqueId": "AROA" + strings.ToUpper(short)}, nil
	case "aws:iam/policy:Policy":
		arn := "arn:aws:iam::" + a + ":policy/" + name
		return arn, map[string]any{"arn": arn, "name": name, "policyId": "ANPA" + strings.ToUpper(short)}, nil
	case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
		// The provider is named by its URL's host and path; AWS fills in the thumbprint of
		// the issuer's certificate when none is given.
		host := strings.TrimPrefix(str("url"), "https://")
		arn := "arn:aws:iam::" + a + ":oidc-provider/" + host
		return arn, map[string]any{"arn": arn, "thumbprintLists": []any{hash(host, 40)}}, nil
	case "aws:cloudwatch/logGroup:LogGroup":
		return name, map[string]any{"arn": "arn:aws:logs:" + r + ":" + a + ":log-group:" + name, "name": name}, nil
	case "aws:cloudwatch/metricAlarm:MetricAlarm":
		return name, map[string]any{"arn": "arn:aws:cloudwatch:" + r + ":" + a + ":alarm:" + name, "name": name}, nil
	case "aws:cloudwatch/dashboard:Dashboard":
		n := str("dashboardName")
		return n, map[string]any{"dashboardArn": "arn:aws:cloudwatch::" + a + ":dashboard/" + n}, nil
	case "aws:dynamodb/table:Table":
		arn := "arn:aws:dynamodb:" + r + ":" + a + ":table/" + name
		out := map[string]any{"arn": arn, "name": name}
		if in["streamEnabled"] == true {
			out["streamArn"] = arn + "/stream/2026-01-01T00:00:00.000"
			out["streamLabel"] = "2026-01-01T00:00:00.000"
		}
		return name, out, nil
	}
	return answerMore(typ, name, urn, in, r, a)
}

// answerMore answers the API Gateway, Scheduler, Secrets Manager, provisioned concurrency,
// S3, audit, log and billing types, and any other type generically.
func answerMore(typ, name, urn string, in map[string]any, r, a string) (string, map[string]any, error) {
	str := func(k string) string { s, _ := in[k].(string); return s }
	switch typ {
	case "aws:apigatewayv2/api:Api":
		id := hash(urn, 10)
		return id, map[string]any{"apiEndpoint": "https://" + id + ".execute-api." + r + ".amazonaws.com",
			"executionArn": "arn:aws:execute-api:" + r + ":" + a + ":" + id,
			"arn":          "arn:aws:apigateway:" + r + "::/apis/" + id}, nil
	case "aws:apigatewayv2/stage:Stage":
		api := str("apiId")
		// The $default stage is served at the API's root.
		path := name
		if name == "$default" {
			path = ""
		}
		return name, map[string]any{"invokeUrl": "https://" + api + ".execute-api." + r + ".amazonaws.com/" + path,
			"executionArn": "arn:aws:execute-api:" + r + ":" + a + ":" + api + "/" + name,
			"arn":          "arn:aws:apigateway:" + r + "::/apis/" + api + "/stages/" + name}, nil
	case "aws:scheduler/schedule:Schedule":
		group := str("groupName")
		if group == "" {
			group = "default"
		}
		arn := "arn:aws:scheduler:" + r + ":" + a + ":schedule/" + group + "/" + name
		return group + "/" + name, map[string]any{"arn": arn, "name": name}, nil
	case "aws:scheduler/scheduleGroup:ScheduleGroup":
		return name, map[string]any{"arn": "arn:aws:scheduler:" + r + ":" + a + ":schedule-group/" + name, "name": name}, nil
	case "aws:secretsmanager/secret:Secret":
		arn := "arn:aws:secretsmanager:" + r + ":" + a + ":secret:" + name + "-" + hash(urn, 6)
		return arn, map[string]any{"arn": arn, "name": name}, nil
	case "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig":
		// The provider's id since its state schema version 1.
		return str("functionName") + "," + str("qualifier"), map[string]any{}, nil
	}
	if id, out, ok := answerEdge(typ, hash(urn, 16), in, r, a); ok {
		return id, out, nil
	}
	if id, out, ok := answerStorage(typ, name, in, r); ok {
		return id, out, nil
	}
	if id, out, ok := answerRelease(typ, name, urn, in, r, a); ok {
		return id, out, nil
	}
	if id, out, ok := answerObservability(typ, name, urn, in, r, a); ok {
		return id, out, nil
	}
	return generic(typ, name, hash(urn, 8), r, a)
}

// generic gives any other type an id and an ARN in AWS's usual shape.
func generic(typ, name, short, region, account string) (string, map[string]any, error) {
	id := name + "-" + short
	service := "unknown"
	if parts := strings.SplitN(typ, ":", 3); len(parts) == 3 {
		service = strings.SplitN(parts[1], "/", 2)[0]
		if parts[0] != "aws" {
			return id, map[string]any{}, nil
		}
	}
	return id, map[string]any{"arn": "arn:aws:" + service + ":" + region + ":" + account + ":" + id}, nil
}

// InvokeArn is the URI API Gateway invokes a Lambda function (or a qualified version or alias)
// through.
func InvokeArn(region, fnArn string) string {
	return "arn:aws:apigateway:" + region + ":lambda:path/2015-03-31/functions/" + fnArn + "/invocations"
}

// Invoke answers the data sources Stratum programs call, in region and account: the caller
// identity, the region and the partition. Any other token is an error rather than a silent
// zero value.
func Invoke(token, region, account string) (map[string]any, error) {
	r, a := region, account
	switch token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return map[string]any{
			"accountId": a, "arn": "arn:aws:iam::" + a + ":user/stratum-plan", "userId": "AIDAPLAN", "id": a,
		}, nil
	case "aws:index/getRegion:getRegion":
		return map[string]any{
			"name": r, "region": r, "id": r, "endpoint": "ec2." + r + ".amazonaws.com", "description": r,
		}, nil
	case "aws:index/getPartition:getPartition":
		return map[string]any{
			"partition": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws", "id": "aws",
		}, nil
	}
	return nil, fmt.Errorf("no offline answer for invoke %s", token)
}

// hash is a stable lowercase hex digest of s, n characters long.
func hash(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:n]
}

// uuid is a stable UUID-shaped id derived from s.
func uuid(s string) string {
	h := hash(s, 32)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
