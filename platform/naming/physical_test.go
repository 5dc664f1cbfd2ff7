package naming

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPhysical(t *testing.T) {
	acme := Scope{Org: "acme", Env: "dev", Context: "accounts"}
	x37 := strings.Repeat("x", 37)
	tests := []struct {
		name  string
		scope Scope
		kind  Kind
		in    string
		want  string
	}{
		{name: "short", scope: acme, kind: LambdaFunction, in: "register", want: "acme-dev-accounts-register"},
		{name: "empty name", scope: acme, kind: SNSTopic, in: "", want: "acme-dev-accounts"},
		{name: "fifo suffix", scope: acme, kind: SQSFIFOQueue, in: "events", want: "acme-dev-accounts-events.fifo"},
		{name: "alias prefix", scope: acme, kind: KMSAlias, in: "", want: "alias/acme-dev-accounts"},
		{name: "exactly at the limit", scope: acme, kind: LambdaFunction, in: strings.Repeat("x", 46),
			want: "acme-dev-accounts-" + strings.Repeat("x", 46)},

		// Truncated names keep the limit exactly and end in the hash of the full name.
		{name: "truncated lambda", scope: acme, kind: LambdaFunction, in: strings.Repeat("x", 60),
			want: "acme-dev-accounts-" + x37 + "-84eb54dd"},
		{name: "truncated role", scope: acme, kind: IAMRole, in: strings.Repeat("x", 60),
			want: "acme-dev-accounts-" + x37 + "-84eb54dd"},
		{name: "truncated schedule", scope: acme, kind: Schedule, in: strings.Repeat("x", 60),
			want: "acme-dev-accounts-" + x37 + "-84eb54dd"},
		{name: "truncated fifo keeps suffix", scope: acme, kind: SQSFIFOQueue, in: strings.Repeat("y", 100),
			want: "acme-dev-accounts-" + strings.Repeat("y", 48) + "-5f8d316f.fifo"},
		{name: "truncated alarm", scope: acme, kind: Alarm, in: strings.Repeat("y", 300),
			want: "acme-dev-accounts-" + strings.Repeat("y", 228) + "-c0774f05"},
		{name: "fits a longer limit", scope: acme, kind: SQSQueue, in: strings.Repeat("x", 60),
			want: "acme-dev-accounts-" + strings.Repeat("x", 60)},
		{name: "no double hyphen before the hash", scope: acme, kind: LambdaFunction,
			in:   strings.Repeat("x", 36) + "-rest-of-a-long-name",
			want: "acme-dev-accounts-" + strings.Repeat("x", 36) + "-43d060d5"},

		// Replaced characters make the name lossy, so it gets a hash too.
		{name: "replaced characters", scope: acme, kind: LambdaFunction, in: "a.b c", want: "acme-dev-accounts-a-b-c-67aa655a"},
		{name: "kind allows dots", scope: acme, kind: DynamoDBTable, in: "a.b c", want: "acme-dev-accounts-a.b-c-67aa655a"},
		{name: "fifo body has no dots", scope: acme, kind: SQSFIFOQueue, in: "a.b c", want: "acme-dev-accounts-a-b-c-67aa655a.fifo"},
		{name: "fifo topic suffix", scope: acme, kind: SNSFIFOTopic, in: "events", want: "acme-dev-accounts-events.fifo"},
		{name: "alias allows slashes", scope: acme, kind: KMSAlias, in: "keys/main", want: "alias/acme-dev-accounts-keys/main"},
		{name: "non-ascii", scope: acme, kind: SNSTopic, in: "café", want: "acme-dev-accounts-caf-067fd765"},
		{name: "iam lowercases", scope: acme, kind: IAMRole, in: "Register", want: "acme-dev-accounts-register-3233ff5f"},
		{name: "lambda keeps case", scope: acme, kind: LambdaFunction, in: "Register", want: "acme-dev-accounts-Register"},

		// Prefixes AWS reserves are broken rather than produced.
		{name: "reserved alias", scope: Scope{Org: "aws/", Env: "dev", Context: "x"}, kind: KMSAlias, want: "alias/aws--dev-x-66c8f0b2"},
		{name: "reserved log group", scope: Scope{Org: "aws/", Env: "dev", Context: "x"}, kind: LogGroup, want: "aws--dev-x-66c8f0b2"},
		{name: "aws without slash is fine", scope: Scope{Org: "aws", Env: "dev", Context: "x"}, kind: KMSAlias, want: "alias/aws-dev-x"},

		{name: "dynamodb minimum length", scope: Scope{}, kind: DynamoDBTable, want: "-d8156bae"},
		{name: "unknown kind gets the strict fallback", scope: acme, kind: Kind(0), in: "a.b", want: "acme-dev-accounts-a-b-fb57e572"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.scope.Physical(tt.kind, tt.in)
			assert.Equal(t, tt.want, got)
			if tt.kind != Kind(0) {
				assert.NoError(t, Valid(tt.kind, got))
			}
		})
	}
}

func TestLambdaLogGroup(t *testing.T) {
	fn := Scope{Org: "acme", Env: "dev", Context: "accounts"}.Physical(LambdaFunction, strings.Repeat("x", 60))
	got := LambdaLogGroup(fn)
	assert.Equal(t, "/aws/lambda/acme-dev-accounts-"+strings.Repeat("x", 37)+"-84eb54dd", got)
	assert.NoError(t, Valid(LogGroup, got))
}

func TestValid(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		in   string
		want []string
	}{
		{name: "ok", kind: LambdaFunction, in: "acme-dev-accounts-register"},
		{name: "ok fifo", kind: SQSFIFOQueue, in: "q.fifo"},
		{name: "ok alias with slashes", kind: KMSAlias, in: "alias/acme/dev"},
		{name: "empty", kind: LambdaFunction, in: "",
			want: []string{`naming: Lambda function name "" is 0 characters; at least 1 required`}},
		{name: "too long", kind: LambdaFunction, in: strings.Repeat("a", 65),
			want: []string{`naming: Lambda function name "` + strings.Repeat("a", 65) + `" is 65 characters; at most 64 allowed`}},
		{name: "too short", kind: DynamoDBTable, in: "ab",
			want: []string{`naming: DynamoDB table name "ab" is 2 characters; at least 3 required`}},
		{name: "bad character", kind: SQSQueue, in: "a.b",
			want: []string{`naming: SQS queue name "a.b" has character '.'; allowed are [A-Za-z0-9_-]`}},
		{name: "non-ascii", kind: SNSTopic, in: "café",
			want: []string{`naming: SNS topic name "café" has character 'é'; allowed are [A-Za-z0-9_-]`}},
		{name: "fifo without suffix", kind: SQSFIFOQueue, in: "orders",
			want: []string{`naming: SQS FIFO queue name "orders" must end with ".fifo"`}},
		{name: "fifo with a dot in the body", kind: SQSFIFOQueue, in: "a.b.fifo",
			want: []string{`naming: SQS FIFO queue name "a.b.fifo" has character '.'; allowed are [A-Za-z0-9_-]`}},
		{name: "fifo suffix alone", kind: SQSFIFOQueue, in: ".fifo",
			want: []string{`naming: SQS FIFO queue name ".fifo" has nothing besides ".fifo"`}},
		{name: "alias without prefix", kind: KMSAlias, in: "main",
			want: []string{`naming: KMS alias name "main" must start with "alias/"`}},
		{name: "reserved alias", kind: KMSAlias, in: "alias/aws/s3",
			want: []string{`naming: KMS alias name "alias/aws/s3" must not start with "alias/aws/"; AWS reserves it`}},
		{name: "reserved alias in any case", kind: KMSAlias, in: "alias/AWS/s3",
			want: []string{`naming: KMS alias name "alias/AWS/s3" must not start with "alias/aws/"; AWS reserves it`}},
		{name: "reserved log group", kind: LogGroup, in: "aws/x",
			want: []string{`naming: log group name "aws/x" must not start with "aws/"; AWS reserves it`}},
		{name: "several problems at once", kind: SQSFIFOQueue, in: strings.Repeat("q", 80) + " ",
			want: []string{
				`naming: SQS FIFO queue name "` + strings.Repeat("q", 80) + ` " is 81 characters; at most 80 allowed`,
				`naming: SQS FIFO queue name "` + strings.Repeat("q", 80) + ` " must end with ".fifo"`,
				`naming: SQS FIFO queue name "` + strings.Repeat("q", 80) + ` " has character ' '; allowed are [A-Za-z0-9_-]`,
			}},
		{name: "unknown kind", kind: Kind(0), in: "x",
			want: []string{`naming: unknown kind 0; use one of the Kind constants`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Valid(tt.kind, tt.in)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, strings.Join(tt.want, "\n"), err.Error())
		})
	}
}

// FuzzPhysical checks the promises of Physical for any input, including scopes that
// Validate would refuse: the result is valid for every kind, stable, and distinct for
// distinct names.
func FuzzPhysical(f *testing.F) {
	f.Add("acme", "dev", "accounts", "register", "Register")
	f.Add("aws/", "", "", "", "a")
	f.Add("acme", "prod", "orders", strings.Repeat("x", 300), strings.Repeat("x", 301))
	f.Fuzz(func(t *testing.T, org, env, context, a, b string) {
		s := Scope{Org: org, Env: env, Context: context}
		for _, k := range Kinds() {
			pa := s.Physical(k, a)
			if err := Valid(k, pa); err != nil {
				t.Fatalf("%s: Physical(%q) = %q is not valid: %v", k, a, pa, err)
			}
			if again := s.Physical(k, a); again != pa {
				t.Fatalf("%s: Physical(%q) gave %q, then %q", k, a, pa, again)
			}
			if a == b {
				continue
			}
			pb := s.Physical(k, b)
			// IAM compares names without case, so a collision there is one in any case.
			if pa == pb || (k.mustFold() && strings.EqualFold(pa, pb)) {
				t.Fatalf("%s: names %q and %q both give %q", k, a, b, pa)
			}
		}
	})
}

func (k Kind) mustFold() bool {
	r, _ := k.rule()
	return r.fold
}

func BenchmarkPhysical(b *testing.B) {
	s := Scope{Org: "acme", Env: "prod", Context: "order-history"}
	for _, bc := range []struct{ name, in string }{
		{"short", "register"},
		{"truncated", strings.Repeat("very-long-name-", 10)},
		{"replaced", "a name with spaces"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				_ = s.Physical(LambdaFunction, bc.in)
			}
		})
	}
}
