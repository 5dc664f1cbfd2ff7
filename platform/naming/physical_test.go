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

		// A name padded to the minimum length never starts with the hyphen before the hash.
		{name: "dynamodb minimum length", scope: Scope{}, kind: DynamoDBTable, want: "d8156bae"},
		{name: "unknown kind gets the strict fallback", scope: acme, kind: Builtin(0), in: "a.b", want: "acme-dev-accounts-a-b-fb57e572"},
		{name: "invalid rule gets the strict fallback", scope: acme, kind: Rule{Name: "x"}, in: "a.b", want: "acme-dev-accounts-a-b-fb57e572"},

		// A kind declared outside the package, with every feature a Rule has.
		{name: "declared kind keeps a valid name", scope: acme, kind: bucketLike(), in: "exports", want: "acme-dev-accounts-exports"},
		{name: "declared kind lowercases", scope: acme, kind: bucketLike(), in: "Exports", want: "acme-dev-accounts-exports-d985138c"},
		{name: "declared kind drops a reserved prefix ending in a hyphen", scope: Scope{Org: "xn--acme", Env: "dev", Context: "x"},
			kind: bucketLike(), want: "acme-dev-x-f4721e35"},
		{name: "declared kind breaks a reserved prefix", scope: Scope{Org: "aws/x", Env: "dev", Context: "x"},
			kind: bucketLike(), want: "aws-x-dev-x-d5036a18"},
		{name: "declared kind avoids a reserved suffix", scope: acme, kind: bucketLike(), in: "logs-s3alias",
			want: "acme-dev-accounts-logs-s3alias-7d07ccea"},
		{name: "declared kind starts with a letter or digit", scope: Scope{Org: "-.acme", Env: "dev", Context: "x"},
			kind: bucketLike(), want: "acme-dev-x-3b2d89c5"},
		{name: "declared kind ends with a letter or digit", scope: acme, kind: bucketLike(), in: "x.",
			want: "acme-dev-accounts-x-930a781d"},
		{name: "declared kind truncates", scope: acme, kind: bucketLike(), in: strings.Repeat("x", 60),
			want: "acme-dev-accounts-" + strings.Repeat("x", 36) + "-84eb54dd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.scope.Physical(tt.kind, tt.in)
			assert.Equal(t, tt.want, got)
			if tt.kind.Rule().Validate() == nil {
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
		{name: "unknown kind", kind: Builtin(0), in: "x",
			want: []string{`naming: unknown kind 0; use one of the Builtin constants or a Rule`}},
		{name: "nil kind", kind: nil, in: "x",
			want: []string{`naming: kind is nil; use one of the Builtin constants or a Rule`}},
		{name: "invalid rule", kind: Rule{Name: "thing", Min: 1, Max: 64}, in: "x",
			want: []string{`naming: kind "thing": Extra: "" must include "-", which replaces disallowed characters and precedes the hash`}},
		{name: "ok declared kind", kind: bucketLike(), in: "acme-dev-exports"},
		{name: "declared kind refuses uppercase", kind: bucketLike(), in: "Acme",
			want: []string{`naming: S3-like bucket name "Acme" has character 'A'; allowed are [a-z0-9.-]`}},
		{name: "declared kind refuses reserved parts and bad ends", kind: bucketLike(), in: "xn--acme-s3alias-",
			want: []string{
				`naming: S3-like bucket name "xn--acme-s3alias-" must not start with "xn--"; AWS reserves it`,
				`naming: S3-like bucket name "xn--acme-s3alias-" must start and end with a letter or digit`,
			}},
		{name: "declared kind refuses a reserved suffix", kind: bucketLike(), in: "acme--ol-s3",
			want: []string{`naming: S3-like bucket name "acme--ol-s3" must not end with "--ol-s3"; AWS reserves it`}},
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

// bucketLike is a kind like S3's buckets, with every feature a Rule has.
func bucketLike() Rule {
	return Rule{Name: "S3-like bucket", Min: 3, Max: 63, Extra: ".-", Case: CaseLower, AlphanumericEnds: true,
		ReservedPrefixes: []string{"xn--", "sthree-", "aws/"}, ReservedSuffixes: []string{"-s3alias", "--ol-s3"}}
}

// fuzzKinds are the kinds the fuzz test checks: every built-in one and declared ones.
func fuzzKinds() []Kind {
	return append(Kinds(), bucketLike(),
		Rule{Name: "prefixed", Min: 12, Max: 40, Extra: "-", Prefix: "pre/", Suffix: ".x", AlphanumericEnds: true,
			ReservedPrefixes: []string{"xb-", "q"}, ReservedSuffixes: []string{"-z"}, Case: CaseFolded})
}

func TestRuleValidate(t *testing.T) {
	for _, k := range fuzzKinds() {
		assert.NoError(t, k.Rule().Validate(), k.Rule().Name)
	}
	err := Rule{Min: 0, Max: 10, Extra: "a_", Case: 7, Prefix: "pre", ReservedPrefixes: []string{"ab-1"},
		ReservedSuffixes: []string{"-F0"}}.Validate()
	require.Error(t, err)
	assert.Equal(t, strings.Join([]string{
		`Name: is required (the kind's name in messages, such as "S3 bucket")`,
		`Min: 0 is less than 1`,
		`Max: 10 leaves 7 characters besides Prefix and Suffix; at least 9 are needed for a shortened name and its hash`,
		`Extra: "a_" must include "-", which replaces disallowed characters and precedes the hash`,
		`Extra: "a_" has 'a'; list only printable ASCII characters besides letters and digits`,
		`Case: 7 is not CaseKept, CaseFolded or CaseLower`,
		`ReservedPrefixes[0]: "ab-1" needs a character other than "-" and hex digits, or a hash could start it`,
		`ReservedSuffixes[0]: "-F0" needs a character other than "-" and hex digits, or a hash could end it`,
	}, "\n"), err.Error())
	err = Rule{Name: "x", Min: 20, Max: 10, Extra: "-"}.Validate()
	require.Error(t, err)
	assert.Equal(t, "Max: 10 is less than Min 20\nMin: 20 is more than 8, the shortest name Physical can pad to (Prefix, Suffix and a hash)", err.Error())
}

// FuzzPhysical checks the promises of Physical for any input, including scopes that
// Validate would refuse: the result is valid for every kind (built-in or declared), stable,
// and distinct for distinct names.
func FuzzPhysical(f *testing.F) {
	f.Add("acme", "dev", "accounts", "register", "Register")
	f.Add("aws/", "", "", "", "a")
	f.Add("acme", "prod", "orders", strings.Repeat("x", 300), strings.Repeat("x", 301))
	f.Fuzz(func(t *testing.T, org, env, context, a, b string) {
		s := Scope{Org: org, Env: env, Context: context}
		for _, k := range fuzzKinds() {
			pa := s.Physical(k, a)
			if err := Valid(k, pa); err != nil {
				t.Fatalf("%s: Physical(%q) = %q is not valid: %v", k.Rule().Name, a, pa, err)
			}
			if again := s.Physical(k, a); again != pa {
				t.Fatalf("%s: Physical(%q) gave %q, then %q", k.Rule().Name, a, pa, again)
			}
			if a == b {
				continue
			}
			pb := s.Physical(k, b)
			// IAM compares names without case, so a collision there is one in any case.
			if pa == pb || (k.Rule().Case != CaseKept && strings.EqualFold(pa, pb)) {
				t.Fatalf("%s: names %q and %q both give %q", k.Rule().Name, a, b, pa)
			}
		}
	})
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
