package naming

import "strconv"

// Kind is an AWS resource type as far as its names go: the Rule that Physical fits names to
// and Valid checks them against. The platform's own kinds are the Builtin constants; a
// package outside platform declares another as a Rule value, which is a Kind itself:
//
//	func BucketKind() naming.Rule {
//		return naming.Rule{Name: "S3 bucket", Min: 3, Max: 63, Extra: "-", Case: naming.CaseLower, ...}
//	}
type Kind interface {
	// Rule returns the naming rule of the kind.
	Rule() Rule
}

// Builtin is a kind of the platform's components, with its rule in this package.
type Builtin int

// The built-in kinds start at 1 so that a forgotten Builtin (the zero value) is reported
// by Valid instead of silently getting some other type's rules.
const (
	LambdaFunction Builtin = iota + 1 // 64, [A-Za-z0-9_-]
	IAMRole                           // 64, [A-Za-z0-9_+=,.@-], compared without case
	IAMPolicy                         // 128, [A-Za-z0-9_+=,.@-], compared without case
	SQSQueue                          // 80, [A-Za-z0-9_-]
	SQSFIFOQueue                      // 80 including the ".fifo" suffix
	SNSTopic                          // 256, [A-Za-z0-9_-]
	DynamoDBTable                     // 3..255, [A-Za-z0-9_.-]
	LogGroup                          // 512, [A-Za-z0-9._/#-], never starting with "aws/"
	APIGatewayAPI                     // 128, [A-Za-z0-9_.-] (AWS allows more)
	Schedule                          // EventBridge Scheduler schedule: 64, [A-Za-z0-9_.-]
	ScheduleGroup                     // 64, [A-Za-z0-9_.-]
	KMSAlias                          // "alias/" + [A-Za-z0-9/_-], total 256, never "alias/aws/"
	Alarm                             // CloudWatch alarm: 255, [A-Za-z0-9_.-] (AWS allows more)
	Dashboard                         // CloudWatch dashboard: 255, [A-Za-z0-9_-]
	Secret                            // Secrets Manager secret: 512, [A-Za-z0-9/_+=.@-]
	SNSFIFOTopic                      // 256 including the ".fifo" suffix

	builtinEnd // not a kind: the end of the list, so Kinds cannot miss a new one
)

// Kinds returns every Builtin kind, in declaration order.
func Kinds() []Kind {
	kinds := make([]Kind, 0, int(builtinEnd-LambdaFunction))
	for k := LambdaFunction; k < builtinEnd; k++ {
		kinds = append(kinds, k)
	}
	return kinds
}

// String returns the kind's name as it appears in messages, for example "Lambda function".
func (k Builtin) String() string {
	if k.known() {
		return k.Rule().Name
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

func (k Builtin) known() bool { return k >= LambdaFunction && k < builtinEnd }

// Rule returns the naming rule of the kind; an unknown Builtin has the zero Rule, which
// Physical replaces by its strict fallback and Valid reports. Where AWS allows almost
// anything (API names, alarm names) the rule is the conservative [A-Za-z0-9._-], because
// those names also appear in ARNs, URLs and dashboards.
func (k Builtin) Rule() Rule {
	switch k {
	case LambdaFunction:
		return Rule{Name: "Lambda function", Min: 1, Max: 64, Extra: "_-"}
	case IAMRole:
		return Rule{Name: "IAM role", Min: 1, Max: 64, Extra: "_+=,.@-", Case: CaseFolded}
	case IAMPolicy:
		return Rule{Name: "IAM policy", Min: 1, Max: 128, Extra: "_+=,.@-", Case: CaseFolded}
	case SQSQueue:
		return Rule{Name: "SQS queue", Min: 1, Max: 80, Extra: "_-"}
	case SQSFIFOQueue:
		return Rule{Name: "SQS FIFO queue", Min: 1, Max: 80, Extra: "_-", Suffix: ".fifo"}
	case SNSTopic:
		return Rule{Name: "SNS topic", Min: 1, Max: 256, Extra: "_-"}
	case DynamoDBTable:
		return Rule{Name: "DynamoDB table", Min: 3, Max: 255, Extra: "_.-"}
	case LogGroup:
		return Rule{Name: "log group", Min: 1, Max: 512, Extra: "._/#-", ReservedPrefixes: []string{"aws/"}}
	case APIGatewayAPI:
		return Rule{Name: "API Gateway API", Min: 1, Max: 128, Extra: "_.-"}
	case Schedule:
		return Rule{Name: "schedule", Min: 1, Max: 64, Extra: "_.-"}
	case ScheduleGroup:
		return Rule{Name: "schedule group", Min: 1, Max: 64, Extra: "_.-"}
	case KMSAlias:
		return Rule{Name: "KMS alias", Min: 1, Max: 256, Extra: "/_-", Prefix: "alias/", ReservedPrefixes: []string{"aws/"}}
	case Alarm:
		return Rule{Name: "alarm", Min: 1, Max: 255, Extra: "_.-"}
	case Dashboard:
		return Rule{Name: "dashboard", Min: 1, Max: 255, Extra: "_-"}
	case Secret:
		return Rule{Name: "secret", Min: 1, Max: 512, Extra: "/_+=.@-"}
	case SNSFIFOTopic:
		return Rule{Name: "SNS FIFO topic", Min: 1, Max: 256, Extra: "_-", Suffix: ".fifo"}
	}
	return Rule{}
}

// fallback is used by Physical for a kind whose rule is invalid: the strictest length
// limits and the characters every kind accepts, so the result is still a usable name.
// Valid reports the invalid kind; Physical has no error to return.
func fallback() Rule {
	return Rule{Name: "unknown kind", Min: 3, Max: 64, Extra: "_-"}
}
