package platform

import (
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/naming"
)

// The CI identity's part of the audit, log and billing resources: what the roles of the log
// pipeline may do at most (the boundary), and what a deploy needs beyond the other groups
// (passing those roles, the search domain, the billing alarm topic of us-east-1).

// logBoundaryGrants extend the permissions boundary with what the log pipeline's roles do,
// on the platform's own log stream, archive and search domain only: the destination's role
// puts on the stream, the delivery streams' roles read it and write the archive and the
// domain. Keys are the boundary's UseEnvironmentKeys.
func (s ciScope) logBoundaryGrants() []grant {
	stream := s.arn("kinesis", "stream/"+s.names.Physical(streamKind(), logsName))
	archive := "arn:aws:s3:::" + archiveBucket(s.names, s.account, s.region)
	domain := s.arn("es", "domain/"+s.names.Physical(domainKind(), logsName))
	return []grant{
		{sid: "PutOnTheLogStream", read: []string{"kinesis:PutRecord", "kinesis:PutRecords"}, resources: []string{stream}},
		{
			sid: "ReadTheLogStream", read: []string{"kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
				"kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"},
			resources: []string{stream},
		},
		{
			sid: "WriteTheLogArchive", read: []string{"s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:ListBucket",
				"s3:ListBucketMultipartUploads", "s3:PutObject"},
			resources: []string{archive, archive + "/*"},
		},
		{
			sid: "IndexTheLogSearch", read: []string{"es:DescribeDomain", "es:DescribeDomainConfig", "es:DescribeDomains",
				"es:ESHttpGet", "es:ESHttpPost", "es:ESHttpPut"},
			resources: []string{domain, domain + "/*"},
		},
	}
}

// pipelineGrants let a deploy pass the log pipeline's roles to the services that assume
// them, manage the log search domain, and, outside us-east-1, the billing alarm topic there.
func (s ciScope) pipelineGrants() []grant {
	role := func(name string) string { return s.global("iam", "role/"+s.names.Physical(naming.IAMRole, name)) }
	domain := s.arn("es", "domain/"+s.names.Physical(domainKind(), logsName))
	grants := []grant{
		{
			sid: "PassTheLogDestinationRole", write: []string{"iam:PassRole"}, resources: []string{role("logs-destination")},
			conditions: []iam.Condition{cond("StringEquals", "iam:PassedToService", string(iam.ServiceLogs))},
		},
		{
			sid: "PassTheLogDeliveryRoles", write: []string{"iam:PassRole"},
			resources:  []string{role(archiveDelivery), role(searchDelivery)},
			conditions: []iam.Condition{cond("StringEquals", "iam:PassedToService", string(firehoseService))},
		},
		{
			sid:       "LogSearchDomain",
			read:      []string{"es:DescribeDomain", "es:DescribeDomainConfig", "es:ListTags"},
			write:     []string{"es:AddTags", "es:CreateDomain", "es:DeleteDomain", "es:RemoveTags", "es:UpdateDomainConfig"},
			resources: []string{domain},
		},
	}
	if s.region == billingRegion {
		return grants
	}
	// The billing alarm topic, its webhook's queues and its key, in us-east-1.
	arn := func(service, resource string) string {
		return "arn:aws:" + service + ":" + billingRegion + ":" + s.account + ":" + resource
	}
	topic := s.names.Physical(naming.SNSTopic, billingTopicName)
	keys := []string{arn("kms", "key/*")}
	return append(grants,
		grant{
			sid: "BillingAlarmTopic",
			read: []string{"sns:GetSubscriptionAttributes", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic",
				"sns:ListTagsForResource"},
			write: []string{"sns:CreateTopic", "sns:DeleteTopic", "sns:SetSubscriptionAttributes", "sns:SetTopicAttributes",
				"sns:Subscribe", "sns:TagResource", "sns:Unsubscribe", "sns:UntagResource"},
			resources: []string{arn("sns", topic), arn("sns", topic+":*")},
		},
		grant{
			sid:  "BillingAlarmQueues",
			read: []string{"sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags"},
			write: []string{"sqs:CreateQueue", "sqs:DeleteQueue", "sqs:SetQueueAttributes", "sqs:TagQueue",
				"sqs:UntagQueue"},
			resources: []string{arn("sqs", topic+"-*")},
		},
		grant{
			sid: "TagNewBillingKeys", write: []string{"kms:TagResource"}, resources: keys,
			conditions: append(s.ownTags("StringEquals", "aws:RequestTag/"), s.ownTags("StringEqualsIfExists", "aws:ResourceTag/")...),
		},
		grant{
			sid:  "BillingKeys",
			read: []string{"kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"},
			write: []string{"kms:CreateAlias", "kms:DeleteAlias", "kms:EnableKeyRotation", "kms:PutKeyPolicy",
				"kms:ScheduleKeyDeletion", "kms:UpdateAlias", "kms:UpdateKeyDescription"},
			resources: keys, conditions: s.ownTags("StringEquals", "aws:ResourceTag/"),
		},
		grant{
			sid: "BillingKeyAliases", write: []string{"kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"},
			resources: []string{arn("kms", s.names.Physical(naming.KMSAlias, billingTopicName))},
		},
	)
}
