package platform

import (
	"fmt"
	"slices"

	awsiam "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kinesis"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/opensearch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/extensions/bucket"
	"github.com/stratum-platform/stratum/platform/iam"
)

// Settings of the optional log search domain.
const (
	searchEngine = "OpenSearch_2.17"
	// searchTLSPolicy refuses TLS before 1.2 on the domain's endpoint.
	searchTLSPolicy = "Policy-Min-TLS-1-2-2019-07"
	searchIndex     = "logs"
	// searchFailedPrefix is where the delivery stream keeps the documents OpenSearch refused.
	searchFailedPrefix = "search-failed/"
)

// logSearch is the optional OpenSearch destination of the log stream.
type logSearch struct {
	Role     *awsiam.Role
	Policy   *awsiam.RolePolicy
	Domain   *opensearch.Domain
	Delivery *kinesis.FirehoseDeliveryStream
}

// domainArn is the search domain's ARN, derived from its name: the delivery role names it
// before the domain exists.
func (e pipelineEnv) domainArn() string {
	return e.arn("es", "domain/"+e.sc.Name(domainKind(), logsName))
}

// searchRole creates the search delivery stream's role: what the archive's does, on its own
// prefix for refused documents, and writing documents into the domain.
func (e pipelineEnv) searchRole(ctx *pulumi.Context, stream *kinesis.Stream) (*logSearch, error) {
	domain := e.domainArn()
	role, policy, err := e.deliveryRole(searchDelivery, stream, "Lets Firehose copy the log stream into the log search domain.",
		[]string{searchFailedPrefix}, iam.Statements{
			{Sid: "DescribeTheDomain", Actions: []string{"es:DescribeDomain", "es:DescribeDomainConfig", "es:DescribeDomains"},
				Resources: []pulumi.StringInput{pulumi.String(domain), pulumi.String(domain + "/*")}},
			{Sid: "IndexIntoTheDomain", Actions: []string{"es:ESHttpGet", "es:ESHttpPost", "es:ESHttpPut"},
				Resources: []pulumi.StringInput{pulumi.String(domain + "/*")}},
		}).create(ctx, e.sc, e.boundary)
	if err != nil {
		return nil, fmt.Errorf("log search: %w", err)
	}
	return &logSearch{Role: role, Policy: policy}, nil
}

// search creates the OpenSearch domain and the delivery stream from the log stream into it.
// The domain: encrypted at rest with the platform key, TLS between nodes, HTTPS only with
// TLS 1.2 or later, fine-grained access control with stratum:logSearchAdminArn as its master
// user and no internal users, and an access policy for the administrator and the delivery
// role only (never Principal "*"). Production gets two nodes in two zones.
func (e pipelineEnv) search(ctx *pulumi.Context, stream *kinesis.Stream, archive *bucket.Bucket, s *logSearch) error {
	domain := e.domainArn()
	access, err := iam.Document(iam.Statements{{
		Sid: "AdministratorAndDelivery",
		Principals: []iam.Principal{{Type: iam.PrincipalAWS,
			Identifiers: []pulumi.StringInput{pulumi.String(e.cfg.Ops.LogSearchAdminArn), s.Role.Arn}}},
		Actions:   []string{"es:ESHttpDelete", "es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPatch", "es:ESHttpPost", "es:ESHttpPut"},
		Resources: []pulumi.StringInput{pulumi.String(domain + "/*")},
	}})
	if err != nil {
		return fmt.Errorf("log search: access policy: %w", err)
	}
	nodes := &opensearch.DomainClusterConfigArgs{InstanceType: pulumi.String("m6g.large.search"), InstanceCount: pulumi.Int(1)}
	if e.cfg.Protect {
		nodes.InstanceCount = pulumi.Int(2)
		nodes.ZoneAwarenessEnabled = pulumi.Bool(true)
		nodes.ZoneAwarenessConfig = &opensearch.DomainClusterConfigZoneAwarenessConfigArgs{AvailabilityZoneCount: pulumi.Int(2)}
	}
	if s.Domain, err = opensearch.NewDomain(ctx, logsName, &opensearch.DomainArgs{
		DomainName:    pulumi.String(e.sc.Name(domainKind(), logsName)),
		EngineVersion: pulumi.String(searchEngine),
		ClusterConfig: nodes,
		EbsOptions: &opensearch.DomainEbsOptionsArgs{EbsEnabled: pulumi.Bool(true), VolumeSize: pulumi.Int(20),
			VolumeType: pulumi.String("gp3")},
		EncryptAtRest:        &opensearch.DomainEncryptAtRestArgs{Enabled: pulumi.Bool(true), KmsKeyId: e.sc.KeyArn},
		NodeToNodeEncryption: &opensearch.DomainNodeToNodeEncryptionArgs{Enabled: pulumi.Bool(true)},
		DomainEndpointOptions: &opensearch.DomainDomainEndpointOptionsArgs{
			EnforceHttps: pulumi.Bool(true), TlsSecurityPolicy: pulumi.String(searchTLSPolicy),
		},
		AdvancedSecurityOptions: &opensearch.DomainAdvancedSecurityOptionsArgs{
			Enabled: pulumi.Bool(true), InternalUserDatabaseEnabled: pulumi.Bool(false), AnonymousAuthEnabled: pulumi.Bool(false),
			MasterUserOptions: &opensearch.DomainAdvancedSecurityOptionsMasterUserOptionsArgs{
				MasterUserArn: pulumi.String(e.cfg.Ops.LogSearchAdminArn),
			},
		},
		AccessPolicies: access,
		Tags:           e.sc.TagMap(),
	}, e.sc.Stateful()...); err != nil {
		return fmt.Errorf("log search domain: %w", err)
	}
	// Records arrive as CloudWatch Logs sends them (gzipped batches of events): Firehose
	// unpacks them into one document per log event.
	processors := kinesis.FirehoseDeliveryStreamOpensearchConfigurationProcessingConfigurationProcessorArray{
		processor("Decompression", "CompressionFormat", "GZIP"),
		processor("CloudWatchLogProcessing", "DataMessageExtraction", "true"),
	}
	if s.Delivery, err = kinesis.NewFirehoseDeliveryStream(ctx, searchDelivery, &kinesis.FirehoseDeliveryStreamArgs{
		Name:        pulumi.String(e.sc.Name(deliveryStreamKind(), searchDelivery)),
		Destination: pulumi.String("opensearch"),
		KinesisSourceConfiguration: &kinesis.FirehoseDeliveryStreamKinesisSourceConfigurationArgs{
			KinesisStreamArn: stream.Arn, RoleArn: s.Role.Arn,
		},
		OpensearchConfiguration: &kinesis.FirehoseDeliveryStreamOpensearchConfigurationArgs{
			DomainArn: s.Domain.Arn, IndexName: pulumi.String(searchIndex), IndexRotationPeriod: pulumi.String("OneDay"),
			RoleArn: s.Role.Arn, S3BackupMode: pulumi.String("FailedDocumentsOnly"),
			S3Configuration: &kinesis.FirehoseDeliveryStreamOpensearchConfigurationS3ConfigurationArgs{
				BucketArn: archive.Arn, RoleArn: s.Role.Arn, Prefix: pulumi.String(searchFailedPrefix),
				KmsKeyArn: e.sc.KeyArn, CompressionFormat: pulumi.String("GZIP"),
			},
			ProcessingConfiguration: &kinesis.FirehoseDeliveryStreamOpensearchConfigurationProcessingConfigurationArgs{
				Enabled: pulumi.Bool(true), Processors: processors,
			},
			CloudwatchLoggingOptions: &kinesis.FirehoseDeliveryStreamOpensearchConfigurationCloudwatchLoggingOptionsArgs{
				Enabled: pulumi.Bool(false),
			},
		},
		Tags: e.sc.TagMap(),
	}, pulumi.DependsOn(slices.Concat([]pulumi.Resource{s.Policy, archive.Policy}))); err != nil {
		return fmt.Errorf("log search delivery: %w", err)
	}
	return e.pipelineAlarms(ctx, stream, s.Delivery, searchDelivery, "DeliveryToAmazonOpenSearchService.DataFreshness")
}

// processor is one processor of the search delivery stream with one parameter.
func processor(typ, parameter, value string) kinesis.FirehoseDeliveryStreamOpensearchConfigurationProcessingConfigurationProcessorInput {
	return &kinesis.FirehoseDeliveryStreamOpensearchConfigurationProcessingConfigurationProcessorArgs{
		Type: pulumi.String(typ),
		Parameters: kinesis.FirehoseDeliveryStreamOpensearchConfigurationProcessingConfigurationProcessorParameterArray{
			&kinesis.FirehoseDeliveryStreamOpensearchConfigurationProcessingConfigurationProcessorParameterArgs{
				ParameterName: pulumi.String(parameter), ParameterValue: pulumi.String(value),
			},
		},
	}
}
