package naming

import "strconv"

// Kind is an AWS resource type with its own naming rules.
type Kind int

// The kinds start at 1 so that a forgotten Kind (the zero value) is reported by Valid
// instead of silently getting some other type's rules.
const (
	LambdaFunction Kind = iota + 1 // 64, [A-Za-z0-9_-]
	IAMRole                        // 64, [A-Za-z0-9_+=,.@-], compared without case
	IAMPolicy                      // 128, [A-Za-z0-9_+=,.@-], compared without case
	SQSQueue                       // 80, [A-Za-z0-9_-]
	SQSFIFOQueue                   // 80 including the ".fifo" suffix
	SNSTopic                       // 256, [A-Za-z0-9_-]
	DynamoDBTable                  // 3..255, [A-Za-z0-9_.-]
	LogGroup                       // 512, [A-Za-z0-9._/#-], never starting with "aws/"
	APIGatewayAPI                  // 128, [A-Za-z0-9_.-] (AWS allows more)
	Schedule                       // EventBridge Scheduler schedule: 64, [A-Za-z0-9_.-]
	ScheduleGroup                  // 64, [A-Za-z0-9_.-]
	KMSAlias                       // "alias/" + [A-Za-z0-9/_-], total 256, never "alias/aws/"
	Alarm                          // CloudWatch alarm: 255, [A-Za-z0-9_.-] (AWS allows more)
	Dashboard                      // CloudWatch dashboard: 255, [A-Za-z0-9_-]
	Secret                         // Secrets Manager secret: 512, [A-Za-z0-9/_+=.@-]
	SNSFIFOTopic                   // 256 including the ".fifo" suffix

	kindEnd // not a kind: the end of the list, so Kinds cannot miss a new one
)

// Kinds returns every Kind, in declaration order.
func Kinds() []Kind {
	kinds := make([]Kind, 0, int(kindEnd-LambdaFunction))
	for k := LambdaFunction; k < kindEnd; k++ {
		kinds = append(kinds, k)
	}
	return kinds
}

// String returns the kind's name as it appears in messages, for example "Lambda function".
func (k Kind) String() string {
	if r, ok := k.rule(); ok {
		return r.name
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// rule is the naming rule of one Kind. ASCII letters and digits are always allowed; extra
// lists the other allowed characters.
type rule struct {
	name     string
	min, max int    // length limits of the whole physical name, prefix and suffix included
	extra    string // allowed characters besides [A-Za-z0-9]
	prefix   string // fixed start of every name
	suffix   string // fixed end of every name
	reserved string // forbidden start of the part after prefix (any case), owned by AWS
	fold     bool   // AWS compares names without case, so Physical lowercases them
}

// rule is the constant table of naming rules. Where AWS allows almost anything (API names,
// alarm names) the rule is the conservative [A-Za-z0-9._-], because those names also appear
// in ARNs, URLs and dashboards.
func (k Kind) rule() (rule, bool) {
	switch k {
	case LambdaFunction:
		return rule{name: "Lambda function", min: 1, max: 64, extra: "_-"}, true
	case IAMRole:
		return rule{name: "IAM role", min: 1, max: 64, extra: "_+=,.@-", fold: true}, true
	case IAMPolicy:
		return rule{name: "IAM policy", min: 1, max: 128, extra: "_+=,.@-", fold: true}, true
	case SQSQueue:
		return rule{name: "SQS queue", min: 1, max: 80, extra: "_-"}, true
	case SQSFIFOQueue:
		return rule{name: "SQS FIFO queue", min: 1, max: 80, extra: "_-", suffix: ".fifo"}, true
	case SNSTopic:
		return rule{name: "SNS topic", min: 1, max: 256, extra: "_-"}, true
	case DynamoDBTable:
		return rule{name: "DynamoDB table", min: 3, max: 255, extra: "_.-"}, true
	case LogGroup:
		return rule{name: "log group", min: 1, max: 512, extra: "._/#-", reserved: "aws/"}, true
	case APIGatewayAPI:
		return rule{name: "API Gateway API", min: 1, max: 128, extra: "_.-"}, true
	case Schedule:
		return rule{name: "schedule", min: 1, max: 64, extra: "_.-"}, true
	case ScheduleGroup:
		return rule{name: "schedule group", min: 1, max: 64, extra: "_.-"}, true
	case KMSAlias:
		return rule{name: "KMS alias", min: 1, max: 256, extra: "/_-", prefix: "alias/", reserved: "aws/"}, true
	case Alarm:
		return rule{name: "alarm", min: 1, max: 255, extra: "_.-"}, true
	case Dashboard:
		return rule{name: "dashboard", min: 1, max: 255, extra: "_-"}, true
	case Secret:
		return rule{name: "secret", min: 1, max: 512, extra: "/_+=.@-"}, true
	case SNSFIFOTopic:
		return rule{name: "SNS FIFO topic", min: 1, max: 256, extra: "_-", suffix: ".fifo"}, true
	}
	return rule{}, false
}

// fallback is used by Physical for an unknown Kind: the strictest length limits and the
// characters every kind accepts, so the result is still a usable name. Valid reports the
// unknown kind; Physical has no error to return.
func fallback() rule {
	return rule{name: "unknown kind", min: 3, max: 64, extra: "_-"}
}

func (r rule) allows(c rune) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	case c < 0x80:
		for i := 0; i < len(r.extra); i++ {
			if rune(r.extra[i]) == c {
				return true
			}
		}
	}
	return false
}

// charset describes the allowed characters for messages, for example "[A-Za-z0-9-_]".
func (r rule) charset() string {
	return "[A-Za-z0-9" + r.extra + "]"
}
