package plan

import "strings"

// requiredRelease lists the properties the CodeDeploy types and a Lambda invocation must be
// given, as AWS requires them.
func requiredRelease(typ string) []string {
	switch typ {
	case "aws:codedeploy/deploymentGroup:DeploymentGroup":
		return []string{"appName", "deploymentGroupName", "serviceRoleArn"}
	case "aws:lambda/invocation:Invocation":
		return []string{"functionName", "input"}
	}
	return nil
}

// InvocationResult is the offline answer of a Lambda invocation: the JSON of an empty
// answer, because the function does not run offline.
const InvocationResult = "{}"

// answerRelease answers the CodeDeploy types and Lambda invocations, with the ids the
// provider gives them: an application by "<id>:<name>", a deployment group by its id, an
// invocation by the function, the qualifier and a digest of the input.
func answerRelease(typ, name, urn string, in map[string]any, r, a string) (string, map[string]any, bool) {
	str := func(k string) string { s, _ := in[k].(string); return s }
	switch typ {
	case "aws:codedeploy/application:Application":
		id := uuid(urn)
		return id + ":" + name, map[string]any{"applicationId": id, "name": name,
			"arn": "arn:aws:codedeploy:" + r + ":" + a + ":application:" + name, "linkedToGithub": false}, true
	case "aws:codedeploy/deploymentGroup:DeploymentGroup":
		id := uuid(urn)
		arn := "arn:aws:codedeploy:" + r + ":" + a + ":deploymentgroup:" + str("appName") + "/" + str("deploymentGroupName")
		return id, map[string]any{"arn": arn, "deploymentGroupId": id, "computePlatform": "Lambda"}, true
	case "aws:lambda/invocation:Invocation":
		fn := str("functionName")
		if i := strings.LastIndex(fn, ":function:"); i >= 0 {
			fn = fn[i+len(":function:"):]
		}
		qualifier := str("qualifier")
		if qualifier == "" {
			qualifier = "$LATEST"
		}
		return fn + "_" + qualifier + "_" + hash(str("input"), 32), map[string]any{"result": InvocationResult}, true
	}
	return "", nil, false
}
