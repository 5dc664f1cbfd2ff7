package service_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigatewayv2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/codedeploy"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	awsiam "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// rawContext builds the synthetic context from raw pulumi-aws resources, as a team without
// components would: the same resources and wiring, the same security-relevant inputs
// (names, tags, KMS, policies, alarms), no component parents.
type rawContext struct {
	ctx                   *pulumi.Context
	account, region       string
	prefix                string
	tags                  pulumi.StringMap
	keyArn, alarmTopicArn pulumi.StringOutput
	// application is the context's CodeDeploy application; releaser the platform's release
	// function (without its alias qualifier).
	application       pulumi.StringOutput
	releaser          string
	logDestinationArn pulumi.StringOutput
}

// raw is the baseline program of n functions.
func raw(n int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		zip, err := os.ReadFile(benchArchive)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(zip)
		codeHash := base64.StdEncoding.EncodeToString(sum[:])
		identity, err := aws.GetCallerIdentity(ctx, nil)
		if err != nil {
			return err
		}
		region, err := aws.GetRegion(ctx, nil)
		if err != nil {
			return err
		}
		platform, err := pulumi.NewStackReference(ctx, platformStack, nil)
		if err != nil {
			return err
		}
		r := &rawContext{ctx: ctx, account: identity.AccountId, region: region.Name, prefix: "acme-dev-orders",
			tags:              pulumi.ToStringMap(args().Tags),
			alarmTopicArn:     platform.GetStringOutput(pulumi.String("alarmTopicArn")),
			logDestinationArn: platform.GetStringOutput(pulumi.String("logDestinationArn"))}
		if err := r.key(); err != nil {
			return err
		}
		app, err := codedeploy.NewApplication(ctx, "releases", &codedeploy.ApplicationArgs{
			Name: pulumi.String(r.prefix + "-releases"), ComputePlatform: pulumi.String("Lambda"), Tags: r.tags})
		if err != nil {
			return err
		}
		r.application = app.Name
		r.releaser = strings.TrimSuffix(refs[platformStack]["releaseFunctionArn"].(string), ":live")
		tbl, err := r.table("items")
		if err != nil {
			return err
		}
		failures, err := r.queue("failures")
		if err != nil {
			return err
		}
		var fnNames, queueNames []any
		var fns []*lambda.Function
		var aliases []*lambda.Alias
		for i := range n {
			name := fmt.Sprintf("fn%d", i)
			fn, alias, role, err := r.function(name, codeHash, failures.Arn, tbl.Arn)
			if err != nil {
				return err
			}
			q, err := r.queue(fmt.Sprintf("q%d", i))
			if err != nil {
				return err
			}
			if err := r.consumer(fmt.Sprintf("q%d-%s", i, name), q, alias, role); err != nil {
				return err
			}
			fns, aliases = append(fns, fn), append(aliases, alias)
			fnNames, queueNames = append(fnNames, fn.Name), append(queueNames, q.Name)
		}
		api, err := r.api("api", platform, aliases)
		if err != nil {
			return err
		}
		for i, fn := range fns {
			if err := r.permission(fmt.Sprintf("api-items%d-permission", i), fmt.Sprintf("items%d", i), api, fn, aliases[i]); err != nil {
				return err
			}
		}
		return r.dashboard(tbl.Name, failures.Name, api.ID(), fnNames, queueNames)
	}
}

// doc renders a policy document whose statements are built from resolved values.
func doc(inputs []any, statements func(v []string) []map[string]any) pulumi.StringOutput {
	return pulumi.All(inputs...).ApplyT(func(v []any) (string, error) {
		s := make([]string, len(v))
		for i := range v {
			s[i], _ = v[i].(string)
		}
		b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements(s)})
		return string(b), err
	}).(pulumi.StringOutput)
}

func allow(actions []string, resources ...string) map[string]any {
	return map[string]any{"Effect": "Allow", "Action": actions, "Resource": resources}
}

func (r *rawContext) key() error {
	policy, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
		{"Sid": "Account", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::" + r.account + ":root"},
			"Action": []string{"kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
				"kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
				"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:TagResource", "kms:UntagResource"}, "Resource": "*"},
		{"Sid": "Logs", "Effect": "Allow", "Principal": map[string]any{"Service": "logs." + r.region + ".amazonaws.com"},
			"Action": []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}, "Resource": "*"},
		{"Sid": "SNS", "Effect": "Allow", "Principal": map[string]any{"Service": "sns.amazonaws.com"},
			"Action": []string{"kms:Decrypt", "kms:GenerateDataKey"}, "Resource": "*"},
	}})
	if err != nil {
		return err
	}
	k, err := kms.NewKey(r.ctx, "key", &kms.KeyArgs{
		Description: pulumi.String(r.prefix + " data"), EnableKeyRotation: pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(30), Policy: pulumi.String(string(policy)), Tags: r.tags,
	}, pulumi.Protect(true), pulumi.RetainOnDelete(true))
	if err != nil {
		return err
	}
	r.keyArn = k.Arn
	_, err = kms.NewAlias(r.ctx, "key-alias", &kms.AliasArgs{
		Name: pulumi.String("alias/" + r.prefix + "-key"), TargetKeyId: k.KeyId}, pulumi.DeleteBeforeReplace(true))
	return err
}

func (r *rawContext) alarm(name, namespace, metric, stat string, dims pulumi.StringMap, threshold float64) error {
	a := &cloudwatch.MetricAlarmArgs{
		Name: pulumi.String(r.prefix + "-" + name), AlarmDescription: pulumi.String(metric + " of " + name),
		Namespace: pulumi.String(namespace), MetricName: pulumi.String(metric), Dimensions: dims,
		Period: pulumi.Int(60), EvaluationPeriods: pulumi.Int(1), Threshold: pulumi.Float64(threshold),
		ComparisonOperator: pulumi.String("GreaterThanThreshold"), TreatMissingData: pulumi.String("notBreaching"),
		AlarmActions: pulumi.Array{r.alarmTopicArn}, OkActions: pulumi.Array{r.alarmTopicArn}, Tags: r.tags,
	}
	if strings.HasPrefix(stat, "p") {
		a.ExtendedStatistic = pulumi.String(stat)
	} else {
		a.Statistic = pulumi.String(stat)
	}
	_, err := cloudwatch.NewMetricAlarm(r.ctx, name+"-alarm", a)
	return err
}

func (r *rawContext) table(name string) (*dynamodb.Table, error) {
	t, err := dynamodb.NewTable(r.ctx, name, &dynamodb.TableArgs{
		Name: pulumi.String(r.prefix + "-" + name), HashKey: pulumi.String("id"), BillingMode: pulumi.String("PAY_PER_REQUEST"),
		Attributes:                dynamodb.TableAttributeArray{dynamodb.TableAttributeArgs{Name: pulumi.String("id"), Type: pulumi.String("S")}},
		PointInTimeRecovery:       &dynamodb.TablePointInTimeRecoveryArgs{Enabled: pulumi.Bool(true)},
		ServerSideEncryption:      &dynamodb.TableServerSideEncryptionArgs{Enabled: pulumi.Bool(true), KmsKeyArn: r.keyArn},
		DeletionProtectionEnabled: pulumi.Bool(true), Tags: r.tags,
	}, pulumi.Protect(true), pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, err
	}
	dims := pulumi.StringMap{"TableName": t.Name}
	for _, m := range []string{"ReadThrottleEvents", "WriteThrottleEvents"} {
		if err := r.alarm(name+"-"+strings.ToLower(m), "AWS/DynamoDB", m, "Sum", dims, 0); err != nil {
			return nil, err
		}
	}
	for _, op := range []string{"GetItem", "BatchGetItem", "Query", "Scan", "PutItem", "UpdateItem", "DeleteItem",
		"BatchWriteItem", "TransactGetItems", "TransactWriteItems"} {
		opDims := pulumi.StringMap{"TableName": t.Name, "Operation": pulumi.String(op)}
		if err := r.alarm(name+"-system-errors-"+strings.ToLower(op), "AWS/DynamoDB", "SystemErrors", "Sum", opDims, 0); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// queue is a queue with its dead-letter queue, redrive, TLS-only policies and alarms.
func (r *rawContext) queue(name string) (*sqs.Queue, error) {
	dlq, err := sqs.NewQueue(r.ctx, name+"-dlq", &sqs.QueueArgs{
		Name: pulumi.String(r.prefix + "-" + name + "-dlq"), KmsMasterKeyId: r.keyArn,
		KmsDataKeyReusePeriodSeconds: pulumi.Int(300), MessageRetentionSeconds: pulumi.Int(1209600), Tags: r.tags,
	}, pulumi.Protect(true), pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, err
	}
	redrive := dlq.Arn.ApplyT(func(arn string) string {
		return `{"deadLetterTargetArn":"` + arn + `","maxReceiveCount":5}`
	}).(pulumi.StringOutput)
	q, err := sqs.NewQueue(r.ctx, name, &sqs.QueueArgs{
		Name: pulumi.String(r.prefix + "-" + name), KmsMasterKeyId: r.keyArn, KmsDataKeyReusePeriodSeconds: pulumi.Int(300),
		VisibilityTimeoutSeconds: pulumi.Int(30), MessageRetentionSeconds: pulumi.Int(345600),
		RedrivePolicy: redrive, Tags: r.tags,
	}, pulumi.Protect(true), pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, err
	}
	if _, err := sqs.NewRedriveAllowPolicy(r.ctx, name+"-dlq-redrive-allow", &sqs.RedriveAllowPolicyArgs{
		QueueUrl: dlq.Url,
		RedriveAllowPolicy: q.Arn.ApplyT(func(arn string) string {
			return `{"redrivePermission":"byQueue","sourceQueueArns":["` + arn + `"]}`
		}).(pulumi.StringOutput),
	}); err != nil {
		return nil, err
	}
	for _, target := range []struct {
		logical string
		queue   *sqs.Queue
	}{{name + "-policy", q}, {name + "-dlq-policy", dlq}} {
		tlsOnly := doc([]any{target.queue.Arn}, func(v []string) []map[string]any {
			return []map[string]any{{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
				"Action": []string{"sqs:*"}, "Resource": v[0],
				"Condition": map[string]any{"Bool": map[string]string{"aws:SecureTransport": "false"}}}}
		})
		if _, err := sqs.NewQueuePolicy(r.ctx, target.logical, &sqs.QueuePolicyArgs{QueueUrl: target.queue.Url, Policy: tlsOnly}); err != nil {
			return nil, err
		}
	}
	if err := r.alarm(name+"-dlq-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum",
		pulumi.StringMap{"QueueName": dlq.Name}, 0); err != nil {
		return nil, err
	}
	return q, r.alarm(name+"-oldest-message-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum",
		pulumi.StringMap{"QueueName": q.Name}, 900)
}

// function is a function with its role, policy, log group, live alias, asynchronous
// invocation settings and alarms.
func (r *rawContext) function(name, codeHash string, failuresArn, tableArn pulumi.StringOutput) (*lambda.Function, *lambda.Alias, *awsiam.Role, error) {
	physical := r.prefix + "-" + name
	trust, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{{
		"Effect": "Allow", "Principal": map[string]any{"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole",
		"Condition": map[string]any{"StringEquals": map[string]string{"aws:SourceAccount": r.account}}}}})
	if err != nil {
		return nil, nil, nil, err
	}
	role, err := awsiam.NewRole(r.ctx, name+"-role", &awsiam.RoleArgs{
		Name: pulumi.String(physical), AssumeRolePolicy: pulumi.String(string(trust)), Tags: r.tags})
	if err != nil {
		return nil, nil, nil, err
	}
	logs, err := cloudwatch.NewLogGroup(r.ctx, name+"-logs", &cloudwatch.LogGroupArgs{
		Name: pulumi.String("/aws/lambda/" + physical), RetentionInDays: pulumi.Int(30), KmsKeyId: r.keyArn, Tags: r.tags,
	}, pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, nil, nil, err
	}
	if err := r.subscribe(name+"-logs-subscription", logs); err != nil {
		return nil, nil, nil, err
	}
	policy, err := awsiam.NewRolePolicy(r.ctx, name+"-policy", &awsiam.RolePolicyArgs{
		Name: pulumi.String("execution"), Role: role.Name,
		Policy: doc([]any{logs.Arn, r.keyArn, failuresArn, tableArn}, func(v []string) []map[string]any {
			return []map[string]any{
				allow([]string{"logs:CreateLogStream", "logs:PutLogEvents"}, v[0]+":*"),
				allow([]string{"xray:PutTelemetryRecords", "xray:PutTraceSegments"}, "*"),
				allow([]string{"kms:Decrypt", "kms:GenerateDataKey"}, v[1]),
				allow([]string{"sqs:SendMessage"}, v[2]),
				allow([]string{"dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable",
					"dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"}, v[3], v[3]+"/index/*"),
			}
		}),
	})
	if err != nil {
		return nil, nil, nil, err
	}
	fn, err := lambda.NewFunction(r.ctx, name, &lambda.FunctionArgs{
		Name: pulumi.String(physical), Runtime: pulumi.String("provided.al2023"), Handler: pulumi.String("bootstrap"),
		Architectures: pulumi.StringArray{pulumi.String("arm64")}, PackageType: pulumi.String("Zip"),
		Code: pulumi.NewFileArchive(benchArchive), SourceCodeHash: pulumi.String(codeHash),
		MemorySize: pulumi.Int(256), Timeout: pulumi.Int(10), Role: role.Arn, KmsKeyArn: r.keyArn, Publish: pulumi.Bool(true),
		Environment: &lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{
			"STRATUM_CONTEXT": pulumi.String("orders"), "STRATUM_FUNCTION": pulumi.String(name)}},
		LoggingConfig: &lambda.FunctionLoggingConfigArgs{LogFormat: pulumi.String("JSON"), LogGroup: logs.Name},
		TracingConfig: &lambda.FunctionTracingConfigArgs{Mode: pulumi.String("Active")},
		Tags:          r.tags,
	}, pulumi.DependsOn([]pulumi.Resource{logs, policy}))
	if err != nil {
		return nil, nil, nil, err
	}
	alias, err := lambda.NewAlias(r.ctx, name+"-alias", &lambda.AliasArgs{
		Name: pulumi.String("live"), FunctionName: fn.Name, FunctionVersion: fn.Version})
	if err != nil {
		return nil, nil, nil, err
	}
	if _, err := lambda.NewFunctionEventInvokeConfig(r.ctx, name+"-async", &lambda.FunctionEventInvokeConfigArgs{
		FunctionName: fn.Name, Qualifier: alias.Name, MaximumRetryAttempts: pulumi.Int(2),
		MaximumEventAgeInSeconds: pulumi.Int(21600),
		DestinationConfig: &lambda.FunctionEventInvokeConfigDestinationConfigArgs{
			OnFailure: &lambda.FunctionEventInvokeConfigDestinationConfigOnFailureArgs{Destination: failuresArn}},
	}, pulumi.DependsOn([]pulumi.Resource{policy})); err != nil {
		return nil, nil, nil, err
	}
	dims := pulumi.StringMap{"FunctionName": fn.Name}
	versionDims := pulumi.StringMap{"FunctionName": fn.Name, "Resource": pulumi.Sprintf("%s:live", fn.Name), "ExecutedVersion": fn.Version}
	var alarmNames pulumi.StringArray
	var alarmArns []string
	for _, a := range []struct {
		metric, stat string
		threshold    float64
	}{{"Errors", "Sum", 0}, {"Throttles", "Sum", 0}, {"Duration", "p99", 8000}} {
		for _, version := range []bool{false, true} {
			alarmName, d := name+"-"+strings.ToLower(a.metric), dims
			if version {
				alarmName, d = name+"-version-"+strings.ToLower(a.metric), versionDims
			}
			if err := r.alarm(alarmName, "AWS/Lambda", a.metric, a.stat, d, a.threshold); err != nil {
				return nil, nil, nil, err
			}
			alarmNames = append(alarmNames, pulumi.String(r.prefix+"-"+alarmName))
			alarmArns = append(alarmArns, "arn:aws:cloudwatch:"+r.region+":"+r.account+":alarm:"+r.prefix+"-"+alarmName)
		}
	}
	if err := r.release(name, fn, alias, alarmNames, alarmArns); err != nil {
		return nil, nil, nil, err
	}
	return fn, alias, role, nil
}

// release is CodeDeploy's deployment group of the function, its service role and the
// invocation of the platform's release function with the function's new version.
func (r *rawContext) release(name string, fn *lambda.Function, alias *lambda.Alias, alarmNames pulumi.StringArray, alarmArns []string) error {
	group := r.prefix + "-" + name
	groupArn := pulumi.Sprintf("arn:aws:codedeploy:%s:%s:deploymentgroup:%s/%s", r.region, r.account, r.application, group)
	trust := doc([]any{groupArn}, func(v []string) []map[string]any {
		return []map[string]any{{"Effect": "Allow", "Principal": map[string]any{"Service": "codedeploy.amazonaws.com"},
			"Action": "sts:AssumeRole", "Condition": map[string]any{
				"StringEquals": map[string]string{"aws:SourceAccount": r.account}, "ArnEquals": map[string]string{"aws:SourceArn": v[0]}}}}
	})
	role, err := awsiam.NewRole(r.ctx, name+"-release-role", &awsiam.RoleArgs{
		Name: pulumi.String(group + "-release"), AssumeRolePolicy: trust, Tags: r.tags})
	if err != nil {
		return err
	}
	if _, err := awsiam.NewRolePolicy(r.ctx, name+"-release-policy", &awsiam.RolePolicyArgs{
		Name: pulumi.String("release"), Role: role.Name,
		Policy: doc([]any{fn.Arn}, func(v []string) []map[string]any {
			return []map[string]any{
				allow([]string{"lambda:GetAlias", "lambda:UpdateAlias"}, v[0], v[0]+":*"),
				allow([]string{"lambda:GetProvisionedConcurrencyConfig"}, v[0]+":*"),
				allow([]string{"cloudwatch:DescribeAlarms"}, alarmArns...),
			}
		}),
	}); err != nil {
		return err
	}
	deployment, err := codedeploy.NewDeploymentGroup(r.ctx, name+"-release", &codedeploy.DeploymentGroupArgs{
		AppName: r.application, DeploymentGroupName: pulumi.String(group), ServiceRoleArn: role.Arn,
		DeploymentConfigName: pulumi.String("CodeDeployDefault.LambdaAllAtOnce"),
		DeploymentStyle: &codedeploy.DeploymentGroupDeploymentStyleArgs{
			DeploymentOption: pulumi.String("WITH_TRAFFIC_CONTROL"), DeploymentType: pulumi.String("BLUE_GREEN")},
		AutoRollbackConfiguration: &codedeploy.DeploymentGroupAutoRollbackConfigurationArgs{Enabled: pulumi.Bool(true),
			Events: pulumi.StringArray{pulumi.String("DEPLOYMENT_FAILURE"), pulumi.String("DEPLOYMENT_STOP_ON_ALARM")}},
		AlarmConfiguration: &codedeploy.DeploymentGroupAlarmConfigurationArgs{Enabled: pulumi.Bool(true), Alarms: alarmNames},
		Tags:               r.tags,
	})
	if err != nil {
		return err
	}
	input := pulumi.All(fn.Name, fn.Version, r.application).ApplyT(func(v []any) (string, error) {
		b, err := json.Marshal(map[string]any{"functionName": v[0], "alias": "live", "targetVersion": v[1],
			"application": v[2], "deploymentGroup": group})
		return string(b), err
	}).(pulumi.StringOutput)
	_, err = lambda.NewInvocation(r.ctx, name+"-release", &lambda.InvocationArgs{
		FunctionName: pulumi.String(r.releaser), Qualifier: pulumi.String("live"), Input: input,
		Triggers: pulumi.StringMap{"functionName": fn.Name, "targetVersion": fn.Version, "nonce": pulumi.String("")},
	}, pulumi.DependsOn([]pulumi.Resource{alias, deployment}))
	return err
}

// consumer is the consume grant and the event source mapping that waits for it.
func (r *rawContext) consumer(name string, q *sqs.Queue, alias *lambda.Alias, role *awsiam.Role) error {
	grant, err := awsiam.NewRolePolicy(r.ctx, name+"-consume", &awsiam.RolePolicyArgs{
		Name: pulumi.String(name + "-consume"), Role: role.Name,
		Policy: doc([]any{q.Arn, r.keyArn}, func(v []string) []map[string]any {
			return []map[string]any{
				allow([]string{"sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
					"sqs:ReceiveMessage"}, v[0]),
				allow([]string{"kms:Decrypt"}, v[1]),
			}
		}),
	})
	if err != nil {
		return err
	}
	_, err = lambda.NewEventSourceMapping(r.ctx, name, &lambda.EventSourceMappingArgs{
		EventSourceArn: q.Arn, FunctionName: alias.Arn, Enabled: pulumi.Bool(true), BatchSize: pulumi.Int(10),
		FunctionResponseTypes: pulumi.StringArray{pulumi.String("ReportBatchItemFailures")}, Tags: r.tags,
	}, pulumi.DependsOn([]pulumi.Resource{grant}))
	return err
}

// api is the HTTP API with its access logs, stage, JWT authorizer and alarms.
func (r *rawContext) api(name string, platform *pulumi.StackReference, aliases []*lambda.Alias) (*apigatewayv2.Api, error) {
	values := []any{platform.GetStringOutput(pulumi.String("jwtIssuer")), platform.GetOutput(pulumi.String("jwtAudiences"))}
	deps := make([]pulumi.Resource, 0, len(aliases))
	for _, a := range aliases {
		values, deps = append(values, a.InvokeArn), append(deps, a)
	}
	body := pulumi.All(values...).ApplyT(func(v []any) (string, error) {
		paths := map[string]any{}
		for i, uri := range v[2:] {
			paths[fmt.Sprintf("/items%d", i)] = map[string]any{"get": map[string]any{
				"operationId": fmt.Sprintf("items%d", i),
				"security":    []any{map[string]any{"jwt": []string{}}},
				"x-amazon-apigateway-integration": map[string]any{"type": "aws_proxy", "httpMethod": "POST",
					"uri": uri, "payloadFormatVersion": "2.0"},
			}}
		}
		b, err := json.Marshal(map[string]any{
			"openapi": "3.0.1", "info": map[string]any{"title": r.prefix + "-" + name, "version": "1.0.0"}, "paths": paths,
			"components": map[string]any{"securitySchemes": map[string]any{"jwt": map[string]any{
				"type": "oauth2", "flows": map[string]any{}, "x-amazon-apigateway-authorizer": map[string]any{
					"type": "jwt", "identitySource": "$request.header.Authorization",
					"jwtConfiguration": map[string]any{"issuer": v[0], "audience": v[1]}}}}},
		})
		return string(b), err
	}).(pulumi.StringOutput)
	api, err := apigatewayv2.NewApi(r.ctx, name, &apigatewayv2.ApiArgs{
		Name: pulumi.String(r.prefix + "-" + name), ProtocolType: pulumi.String("HTTP"), Body: body,
		FailOnWarnings: pulumi.Bool(true), DisableExecuteApiEndpoint: pulumi.Bool(false), Tags: r.tags},
		pulumi.DependsOn(deps))
	if err != nil {
		return nil, err
	}
	logs, err := cloudwatch.NewLogGroup(r.ctx, name+"-access-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String("/aws/apigateway/" + r.prefix + "-" + name + "/access"),
		RetentionInDays: pulumi.Int(30), KmsKeyId: r.keyArn, Tags: r.tags,
	}, pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, err
	}
	if _, err := cloudwatch.NewLogMetricFilter(r.ctx, name+"-callers", &cloudwatch.LogMetricFilterArgs{
		LogGroupName: logs.Name, Name: pulumi.String("requests-by-caller"), Pattern: pulumi.String("{ $.requestId = * }"),
		MetricTransformation: &cloudwatch.LogMetricFilterMetricTransformationArgs{
			Namespace: pulumi.String("Stratum/HttpApi"), Name: pulumi.String("Requests"), Value: pulumi.String("1"),
			Dimensions: pulumi.StringMap{"ApiId": pulumi.String("$.apiId"), "Caller": pulumi.String("$.clientId")}},
	}); err != nil {
		return nil, err
	}
	if err := r.subscribe(name+"-access-logs-subscription", logs); err != nil {
		return nil, err
	}
	if _, err := apigatewayv2.NewStage(r.ctx, name+"-stage", &apigatewayv2.StageArgs{
		ApiId: api.ID(), Name: pulumi.String("$default"), AutoDeploy: pulumi.Bool(true), Tags: r.tags,
		AccessLogSettings: &apigatewayv2.StageAccessLogSettingsArgs{DestinationArn: logs.Arn,
			Format: pulumi.String(`{"requestId":"$context.requestId","apiId":"$context.apiId","status":"$context.status","routeKey":"$context.routeKey"}`)},
		DefaultRouteSettings: &apigatewayv2.StageDefaultRouteSettingsArgs{
			ThrottlingBurstLimit: pulumi.Int(100), ThrottlingRateLimit: pulumi.Float64(50)},
	}); err != nil {
		return nil, err
	}
	dims := pulumi.StringMap{"ApiId": api.ID().ToStringOutput(), "Stage": pulumi.String("$default")}
	if err := r.alarm(name+"-5xx", "AWS/ApiGateway", "5xx", "Sum", dims, 5); err != nil {
		return nil, err
	}
	return api, r.alarm(name+"-latency", "AWS/ApiGateway", "Latency", "p99", dims, 3000)
}

// permission lets the API invoke fn's alias from "GET /<path>" only.
func (r *rawContext) permission(name, path string, api *apigatewayv2.Api, fn *lambda.Function, alias *lambda.Alias) error {
	_, err := lambda.NewPermission(r.ctx, name, &lambda.PermissionArgs{
		Action: pulumi.String("lambda:InvokeFunction"), Principal: pulumi.String("apigateway.amazonaws.com"),
		Function: fn.Name, Qualifier: pulumi.String("live"),
		SourceArn: pulumi.Sprintf("%s/*/GET/%s", api.ExecutionArn, path),
	}, pulumi.DependsOn([]pulumi.Resource{alias}))
	return err
}

// dashboard graphs the table, the queues, the functions and the API.
func (r *rawContext) dashboard(table, failures pulumi.StringOutput, apiID pulumi.IDOutput, fns, queues []any) error {
	values := append([]any{table, failures, apiID}, append(fns, queues...)...)
	body := pulumi.All(values...).ApplyT(func(v []any) (string, error) {
		widget := func(title, namespace, dim string, value any, metrics ...string) map[string]any {
			var ms [][]any
			for _, m := range metrics {
				ms = append(ms, []any{namespace, m, dim, value})
			}
			return map[string]any{"type": "metric", "width": 12, "height": 6,
				"properties": map[string]any{"title": title, "region": r.region, "metrics": ms}}
		}
		widgets := []map[string]any{
			widget("Table items", "AWS/DynamoDB", "TableName", v[0], "ConsumedReadCapacityUnits", "ReadThrottleEvents"),
			widget("Queue failures", "AWS/SQS", "QueueName", v[1], "NumberOfMessagesSent", "ApproximateAgeOfOldestMessage"),
			widget("API api", "AWS/ApiGateway", "ApiId", v[2], "Count", "5xx", "Latency"),
		}
		for i := range fns {
			widgets = append(widgets,
				widget(fmt.Sprint("Function ", v[3+i]), "AWS/Lambda", "FunctionName", v[3+i], "Invocations", "Errors", "Duration"),
				widget(fmt.Sprint("Queue ", v[3+len(fns)+i]), "AWS/SQS", "QueueName", v[3+len(fns)+i], "NumberOfMessagesSent"))
		}
		b, err := json.Marshal(map[string]any{"widgets": widgets})
		return string(b), err
	}).(pulumi.StringOutput)
	_, err := cloudwatch.NewDashboard(r.ctx, "orders-dashboard", &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(r.prefix), DashboardBody: body})
	return err
}

// subscribe sends a log group to the platform's log destination.
func (r *rawContext) subscribe(name string, logs *cloudwatch.LogGroup) error {
	_, err := cloudwatch.NewLogSubscriptionFilter(r.ctx, name, &cloudwatch.LogSubscriptionFilterArgs{
		Name: pulumi.String("platform-logs"), LogGroup: logs.Name, FilterPattern: pulumi.String(""),
		DestinationArn: r.logDestinationArn,
	}, pulumi.DeleteBeforeReplace(true))
	return err
}
