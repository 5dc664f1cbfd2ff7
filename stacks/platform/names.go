package platform

import (
	"github.com/stratum-platform/stratum/extensions/bucket"
	"github.com/stratum-platform/stratum/platform/naming"
)

// The naming rules of the AWS types only the platform stack creates, declared here as any
// package outside platform/naming declares its kinds. Where AWS allows more characters than
// a rule lists, the rule keeps to [A-Za-z0-9._-], because the names also appear in ARNs,
// policies and dashboards.

// trailKind is CloudTrail's: 3 to 128 characters, letters, digits, '.', '_' and '-',
// starting and ending with a letter or digit.
func trailKind() naming.Rule {
	return naming.Rule{Name: "CloudTrail trail", Min: 3, Max: 128, Extra: "._-", AlphanumericEnds: true}
}

// streamKind is Kinesis Data Streams': 1 to 128 characters of letters, digits, '.', '_' and '-'.
func streamKind() naming.Rule {
	return naming.Rule{Name: "Kinesis stream", Min: 1, Max: 128, Extra: "._-"}
}

// deliveryStreamKind is Firehose's: 1 to 64 characters of letters, digits, '.', '_' and '-'.
func deliveryStreamKind() naming.Rule {
	return naming.Rule{Name: "Firehose delivery stream", Min: 1, Max: 64, Extra: "._-"}
}

// destinationKind is a CloudWatch Logs destination's: up to 512 characters, no ':' or '*'.
func destinationKind() naming.Rule {
	return naming.Rule{Name: "CloudWatch Logs destination", Min: 1, Max: 512, Extra: "._-"}
}

// domainKind is OpenSearch Service's: 3 to 28 characters of lowercase letters, digits and
// '-', starting with a letter (every name starts with the org, which naming.Scope requires
// to start with a letter).
func domainKind() naming.Rule {
	return naming.Rule{Name: "OpenSearch domain", Min: 3, Max: 28, Extra: "-", Case: naming.CaseLower, AlphanumericEnds: true}
}

// budgetKind is AWS Budgets': up to 100 characters, no ':' or '\'.
func budgetKind() naming.Rule {
	return naming.Rule{Name: "budget", Min: 1, Max: 100, Extra: "._-"}
}

// Logical names of the platform's audit, log and billing resources, which are also the
// names their physical names are made from.
const (
	auditName       = "audit"
	logsName        = "logs"
	archiveName     = "log-archive"
	archiveDelivery = "logs-archive"
	searchDelivery  = "logs-search"
	budgetName      = "monthly"
)

// archiveBucket is the log archive's physical name, as extensions/bucket derives it: the
// CI identity's boundary names it before the bucket exists.
func archiveBucket(names naming.Scope, account, region string) string {
	return names.Physical(bucket.Kind(), archiveName+"-"+account+"-"+region)
}
