package platform

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	awsiam "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kinesis"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/alarm"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/extensions/bucket"
	"github.com/stratum-platform/stratum/platform/config"
	"github.com/stratum-platform/stratum/platform/iam"
)

// firehoseService is Firehose's service principal.
const firehoseService iam.Service = "firehose.amazonaws.com"

// Where the archive's delivery stream writes in the bucket, partitioned by day (UTC).
const (
	archivePrefix      = "logs/!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/"
	archiveErrorPrefix = "errors/!{firehose:error-output-type}/!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/"
)

// logPipeline is the environment's log aggregation. Every log group of every context
// subscribes to Destination, whose role puts the events on Stream (on demand, so that
// nobody plans shards, encrypted with the platform key); a Firehose delivery stream copies
// the stream to Archive (the raw CloudWatch Logs records, gzipped as they come), and, with
// stratum:logSearch, another one to an OpenSearch domain.
type logPipeline struct {
	Stream      *kinesis.Stream
	Destination *cloudwatch.LogDestination
	Archive     *bucket.Bucket
	Delivery    *kinesis.FirehoseDeliveryStream
	Search      *logSearch
}

// pipelineEnv is what the log pipeline's parts are built from.
type pipelineEnv struct {
	cfg             *config.Config
	sc              scope.Scope
	boundary        pulumi.StringInput
	region, account string
}

// arn is the ARN of resource of service in the environment's region and account.
func (e pipelineEnv) arn(service, resource string) string {
	return "arn:aws:" + service + ":" + e.region + ":" + e.account + ":" + resource
}

// sourceAccounts are the accounts whose log groups may subscribe: this one, then those of
// stratum:logSourceAccounts.
func (e pipelineEnv) sourceAccounts() []string {
	return slices.Compact(append([]string{e.account}, e.cfg.Ops.LogSourceAccounts...))
}

// logs creates the log pipeline.
func logs(ctx *pulumi.Context, e pipelineEnv) (*logPipeline, error) {
	p := &logPipeline{}
	var err error
	if p.Stream, err = kinesis.NewStream(ctx, logsName, &kinesis.StreamArgs{
		Name:              pulumi.String(e.sc.Name(streamKind(), logsName)),
		StreamModeDetails: &kinesis.StreamStreamModeDetailsArgs{StreamMode: pulumi.String("ON_DEMAND")},
		EncryptionType:    pulumi.String("KMS"),
		KmsKeyId:          e.sc.KeyArn,
		// A day is enough for the delivery streams to catch up after an outage; their
		// freshness alarm fires long before.
		RetentionPeriod: pulumi.Int(24),
		Tags:            e.sc.TagMap(),
	}, e.sc.Stateful()...); err != nil {
		return nil, fmt.Errorf("log stream: %w", err)
	}
	if p.Destination, err = e.destination(ctx, p.Stream); err != nil {
		return nil, err
	}
	// The search stream writes the documents OpenSearch refused to the archive, so its role
	// exists before the archive's policy names it.
	if e.cfg.Ops.LogSearch {
		if p.Search, err = e.searchRole(ctx, p.Stream); err != nil {
			return nil, err
		}
	}
	archiveRole, archivePolicy, err := e.readerRole(ctx, archiveDelivery, p.Stream,
		"Lets Firehose copy the log stream into the log archive.", "logs/", "errors/")
	if err != nil {
		return nil, err
	}
	writers := []pulumi.StringInput{archiveRole.Arn}
	if p.Search != nil {
		writers = append(writers, p.Search.Role.Arn)
	}
	if p.Archive, err = bucket.New(ctx, archiveName, &bucket.Args{
		Scope: e.sc,
		Lifecycle: bucket.Lifecycle{
			GlacierAfter: days(e.cfg.Ops.LogArchiveGlacierDays),
			ExpireAfter:  days(e.cfg.Ops.LogArchiveExpireDays),
		},
		Statements: func(arn pulumi.StringInput) iam.Statements { return archiveStatements(arn, writers) },
	}); err != nil {
		return nil, fmt.Errorf("log archive: %w", err)
	}
	if p.Delivery, err = kinesis.NewFirehoseDeliveryStream(ctx, archiveDelivery, &kinesis.FirehoseDeliveryStreamArgs{
		Name:        pulumi.String(e.sc.Name(deliveryStreamKind(), archiveDelivery)),
		Destination: pulumi.String("extended_s3"),
		KinesisSourceConfiguration: &kinesis.FirehoseDeliveryStreamKinesisSourceConfigurationArgs{
			KinesisStreamArn: p.Stream.Arn, RoleArn: archiveRole.Arn,
		},
		ExtendedS3Configuration: &kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationArgs{
			BucketArn: p.Archive.Arn, RoleArn: archiveRole.Arn,
			Prefix: pulumi.String(archivePrefix), ErrorOutputPrefix: pulumi.String(archiveErrorPrefix),
			BufferingInterval: pulumi.Int(300), BufferingSize: pulumi.Int(64),
			// CloudWatch Logs already gzips every record it puts on the stream.
			CompressionFormat: pulumi.String("UNCOMPRESSED"),
			KmsKeyArn:         e.sc.KeyArn,
			// Its own errors would be a log group subscribed to the stream it reads from; the
			// freshness alarm watches it instead.
			CloudwatchLoggingOptions: &kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationCloudwatchLoggingOptionsArgs{
				Enabled: pulumi.Bool(false),
			},
		},
		Tags: e.sc.TagMap(),
	}, pulumi.DependsOn([]pulumi.Resource{archivePolicy, p.Archive.Policy})); err != nil {
		return nil, fmt.Errorf("log archive delivery: %w", err)
	}
	if err := e.pipelineAlarms(ctx, p.Stream, p.Delivery, archiveDelivery, "DeliveryToS3.DataFreshness"); err != nil {
		return nil, err
	}
	if p.Search != nil {
		if err := e.search(ctx, p.Stream, p.Archive, p.Search); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// destination creates the CloudWatch Logs destination in front of stream, its role and its
// policy. The role is what CloudWatch Logs assumes to put a subscribed group's events on the
// stream, for the log groups of the source accounts only; the policy is who may subscribe a
// log group to the destination: the same accounts, nobody else.
func (e pipelineEnv) destination(ctx *pulumi.Context, stream *kinesis.Stream) (*cloudwatch.LogDestination, error) {
	var sources []string
	for _, a := range e.sourceAccounts() {
		sources = append(sources, "arn:aws:logs:"+e.region+":"+a+":*")
	}
	role, policy, err := serviceRole{
		name: "logs-destination", description: "Lets CloudWatch Logs put subscribed log groups' events on the log stream.",
		service: iam.LogsService(e.region), sources: sources, accounts: e.sourceAccounts(),
		statements: iam.Statements{
			{Sid: "PutOnTheLogStream", Actions: []string{"kinesis:PutRecord", "kinesis:PutRecords"},
				Resources: []pulumi.StringInput{stream.Arn}},
			{Sid: "EncryptTheLogStream", Actions: []string{"kms:GenerateDataKey"}, Resources: []pulumi.StringInput{e.sc.KeyArn},
				Conditions: []iam.Condition{viaService("kinesis", e.region)}},
		},
	}.create(ctx, e.sc, e.boundary)
	if err != nil {
		return nil, fmt.Errorf("log destination: %w", err)
	}
	// CloudWatch Logs checks that it can assume the role and put on the stream.
	dest, err := cloudwatch.NewLogDestination(ctx, logsName, &cloudwatch.LogDestinationArgs{
		Name: pulumi.String(e.sc.Name(destinationKind(), logsName)), RoleArn: role.Arn, TargetArn: stream.Arn,
		Tags: e.sc.TagMap(),
	}, pulumi.DependsOn([]pulumi.Resource{policy}))
	if err != nil {
		return nil, fmt.Errorf("log destination: %w", err)
	}
	access, err := iam.Document(iam.Statements{{
		Sid:        "SubscribeFromTheSourceAccounts",
		Principals: []iam.Principal{{Type: iam.PrincipalAWS, Identifiers: pulumi.ToStringArray(e.sourceAccounts())}},
		Actions:    []string{"logs:PutSubscriptionFilter"},
		Resources:  []pulumi.StringInput{dest.Arn},
	}})
	if err != nil {
		return nil, fmt.Errorf("log destination policy: %w", err)
	}
	if _, err := cloudwatch.NewLogDestinationPolicy(ctx, logsName, &cloudwatch.LogDestinationPolicyArgs{
		DestinationName: dest.Name, AccessPolicy: access,
	}); err != nil {
		return nil, fmt.Errorf("log destination policy: %w", err)
	}
	return dest, nil
}

// readerRole creates the role of the Firehose delivery stream name, which reads stream and
// writes its objects under prefixes of the archive.
func (e pipelineEnv) readerRole(ctx *pulumi.Context, name string, stream *kinesis.Stream, description string,
	prefixes ...string,
) (*awsiam.Role, *awsiam.RolePolicy, error) {
	return e.deliveryRole(name, stream, description, prefixes, nil).create(ctx, e.sc, e.boundary)
}

// deliveryRole is the role of the Firehose delivery stream name: it reads stream, writes
// under prefixes of the archive (both through the platform key) and does what extra says.
func (e pipelineEnv) deliveryRole(name string, stream *kinesis.Stream, description string, prefixes []string,
	extra iam.Statements,
) serviceRole {
	archive := "arn:aws:s3:::" + archiveBucket(e.sc.Naming, e.account, e.region)
	objects := make([]pulumi.StringInput, len(prefixes))
	for i, p := range prefixes {
		objects[i] = pulumi.String(archive + "/" + p + "*")
	}
	return serviceRole{
		name: name, description: description, service: firehoseService,
		sources:  []string{e.arn("firehose", "deliverystream/"+e.sc.Name(deliveryStreamKind(), name))},
		accounts: []string{e.account},
		statements: append(iam.Statements{
			{Sid: "ReadTheLogStream", Actions: []string{"kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
				"kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"}, Resources: []pulumi.StringInput{stream.Arn}},
			{Sid: "DecryptTheLogStream", Actions: []string{"kms:Decrypt"}, Resources: []pulumi.StringInput{e.sc.KeyArn},
				Conditions: []iam.Condition{viaService("kinesis", e.region)}},
			{Sid: "FindTheArchive", Actions: []string{"s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"},
				Resources: []pulumi.StringInput{pulumi.String(archive)}},
			{Sid: "WriteTheArchive", Actions: []string{"s3:AbortMultipartUpload", "s3:PutObject"}, Resources: objects},
			{Sid: "EncryptTheArchive", Actions: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resources: []pulumi.StringInput{e.sc.KeyArn},
				Conditions: []iam.Condition{viaService("s3", e.region), {Test: "StringLike", Variable: "kms:EncryptionContext:aws:s3:arn",
					Values: []pulumi.StringInput{pulumi.String(archive), pulumi.String(archive + "/*")}}}},
		}, extra...),
	}
}

// archiveStatements are the log archive's delivery statements: the delivery streams' roles
// may write it, and nobody else may put an object in it, so that the archive holds only
// what the log stream carried (a deploy role or a function cannot plant a record).
func archiveStatements(arn pulumi.StringInput, writers []pulumi.StringInput) iam.Statements {
	return iam.Statements{
		{
			Sid:        "FirehoseDelivery",
			Principals: []iam.Principal{{Type: iam.PrincipalAWS, Identifiers: writers}},
			Actions: []string{"s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:ListBucket",
				"s3:ListBucketMultipartUploads", "s3:PutObject"},
			Resources: []pulumi.StringInput{arn, pulumi.Sprintf("%s/*", arn)},
		},
		{
			Sid:        "DenyWritesButFirehose",
			Effect:     iam.Deny,
			Principals: []iam.Principal{{Type: iam.PrincipalAWS, Identifiers: []pulumi.StringInput{pulumi.String("*")}}},
			Actions:    []string{"s3:PutObject"},
			Resources:  []pulumi.StringInput{pulumi.Sprintf("%s/*", arn)},
			Conditions: []iam.Condition{{Test: "ArnNotEquals", Variable: "aws:PrincipalArn", Values: writers}},
		},
	}
}

// pipelineAlarms alarm when the delivery stream name falls behind (its oldest record not
// delivered in 15 minutes, three buffering intervals) and when the log stream refuses
// writes (CloudWatch Logs retries, but an on-demand stream throttles a sudden doubling).
func (e pipelineEnv) pipelineAlarms(ctx *pulumi.Context, stream *kinesis.Stream, delivery *kinesis.FirehoseDeliveryStream,
	name, freshness string,
) error {
	if _, err := alarm.New(ctx, name, e.sc, alarm.Spec{
		Name: "freshness", Description: "The oldest log record is not delivered after 15 minutes: look at the " +
			"delivery stream's errors (its error output in the archive) and at its role.",
		Namespace: "AWS/Firehose", Metric: freshness,
		Dimensions: pulumi.StringMap{"DeliveryStreamName": delivery.Name},
		Statistic:  "Maximum", PeriodSeconds: 300, Threshold: pulumi.Float64(900),
	}, nil); err != nil {
		return err
	}
	if name != archiveDelivery {
		return nil
	}
	_, err := alarm.New(ctx, logsName, e.sc, alarm.Spec{
		Name: "throttles", Description: "The log stream refused writes: CloudWatch Logs retries them, but a lasting " +
			"throttle delays the archive; look for a log group that suddenly logs much more.",
		Namespace: "AWS/Kinesis", Metric: "WriteProvisionedThroughputExceeded",
		Dimensions: pulumi.StringMap{"StreamName": stream.Name},
		Statistic:  "Sum", PeriodSeconds: 300, Threshold: pulumi.Float64(0),
	}, nil)
	return err
}

// viaService limits a KMS grant to requests that service makes in region on the caller's
// behalf.
func viaService(service, region string) iam.Condition {
	return iam.Condition{Test: "StringEquals", Variable: "kms:ViaService",
		Values: []pulumi.StringInput{pulumi.String(service + "." + region + ".amazonaws.com")}}
}
