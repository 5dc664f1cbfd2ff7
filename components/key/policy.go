package key

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/contract"
	"github.com/stratum-platform/stratum/platform/iam"
)

// Service is an AWS service that may use the key on this account's behalf, and for which
// of the account's resources.
type Service struct {
	// Principal is the service principal, for example sns.amazonaws.com, or
	// iam.LogsService(region) for CloudWatch Logs. Required.
	Principal iam.Service
	// SourceArns are the resources the service may use the key for, as ARNs or ArnLike
	// patterns: for CloudWatch Logs, the log groups whose data it encrypts
	// (kms:EncryptionContext:aws:logs:arn); for any other service, the resources on whose
	// behalf it calls (aws:SourceArn, with aws:SourceAccount), such as the topics that deliver
	// to encrypted queues. Without them any resource of any account could make the service
	// use the key. Required.
	SourceArns []pulumi.StringInput
}

// The services through which administrators use the key, for what a deploy writes itself
// and never the data the key protects: a function's environment (Lambda) and a secret's
// value that an operator puts (Secrets Manager) are encrypted on their behalf; a table's
// (DynamoDB) and a function's (Lambda) grant are created on their behalf.
func deployEncryptServices() []string { return []string{"lambda", "secretsmanager"} }

func grantServices() []string { return []string{"dynamodb", "lambda"} }

// policyArgs is what the key policy is built from, all resolved but SourceArns.
type policyArgs struct {
	account, region string
	// admins are role ARNs; users is the ArnLike pattern of the scope's roles, ciRoles the
	// pattern of the environment's CI roles, which never use a key.
	admins         []string
	users, ciRoles string
	services       []Service
}

// defaultAdministrators is the environment's CI deploy role in account.
func defaultAdministrators(account, org, env string) []string {
	return []string{fmt.Sprintf("arn:aws:iam::%s:role/%s", account, contract.DeployRoleName(org, env))}
}

// checkAdministrators reports administrators outside the key's account: the key policy's
// principal is the account, so their requests would never match.
func checkAdministrators(admins []string, account string) error {
	var bad []string
	for i, arn := range admins {
		if parts := strings.SplitN(arn, ":", 6); len(parts) == 6 && parts[4] != account {
			bad = append(bad, fmt.Sprintf("Administrators[%d]: %q is in account %s, not in the key's account %s",
				i, arn, parts[4], account))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s: the key policy names this account's principals only", strings.Join(bad, "; "))
	}
	return nil
}

// keyStatements is the key policy. Every statement about principals of the account names
// the account as its principal and the principals by aws:PrincipalArn: the account as
// principal lets IAM policies narrow further, the condition keeps IAM from widening.
func keyStatements(a policyArgs) iam.Statements {
	account := pulumi.Sprintf("arn:aws:iam::%s:root", a.account)
	principals := []iam.Principal{{Type: iam.PrincipalAWS, Identifiers: []pulumi.StringInput{account}}}
	strs := func(values ...string) []pulumi.StringInput { return pulumi.ToStringArray(values) }
	via := func(services ...string) iam.Condition {
		endpoints := make([]string, len(services))
		for i, s := range services {
			endpoints[i] = iam.ServiceEndpoint(s, a.region)
		}
		return iam.Condition{Test: "StringEquals", Variable: "kms:ViaService", Values: strs(endpoints...)}
	}
	admins := iam.Condition{Test: "ArnEquals", Variable: "aws:PrincipalArn", Values: strs(a.admins...)}
	stmts := iam.Statements{
		{
			// The account's root user is an administrator too: when every role is gone, it can
			// still repair the key instead of asking AWS Support.
			Sid:        "Administration",
			Principals: principals,
			Actions:    iam.KMSAdministrativeActions(),
			Resources:  strs("*"),
			Conditions: []iam.Condition{{Test: "ArnEquals", Variable: "aws:PrincipalArn",
				Values: strs(append(slices.Clone(a.admins), fmt.Sprintf("arn:aws:iam::%s:root", a.account))...)}},
		},
		{
			Sid:        "AdministratorsEncryptThroughDeployedServices",
			Principals: principals,
			Actions:    []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"},
			Resources:  strs("*"),
			Conditions: []iam.Condition{admins, via(deployEncryptServices()...)},
		},
		{
			Sid:        "AdministratorsGrantToAWSResources",
			Principals: principals,
			Actions:    []string{"kms:CreateGrant"},
			Resources:  strs("*"),
			Conditions: []iam.Condition{admins, via(grantServices()...),
				{Test: "Bool", Variable: "kms:GrantIsForAWSResource", Values: strs("true")}},
		},
		usersStatement(a, principals),
	}
	sorted := slices.Clone(a.services)
	slices.SortStableFunc(sorted, func(x, y Service) int { return strings.Compare(string(x.Principal), string(y.Principal)) })
	for _, svc := range sorted {
		stmts = append(stmts, serviceStatement(svc, a.account, a.region))
	}
	return stmts
}

// usersStatement lets the scope's roles use the key, except the administrators and the CI
// roles whose names fall under the same prefix (the platform's CI deploy and preview roles,
// `<org>-<env>-platform-ci-*`, under the platform key's `<org>-<env>-platform-*`).
func usersStatement(a policyArgs, principals []iam.Principal) iam.Statement {
	conditions := []iam.Condition{{Test: "ArnLike", Variable: "aws:PrincipalArn", Values: []pulumi.StringInput{pulumi.String(a.users)}}}
	var excluded []string
	if iam.ArnLike(a.users, a.ciRoles) {
		excluded = append(excluded, a.ciRoles)
	}
	for _, admin := range a.admins {
		if iam.ArnLike(a.users, admin) && !iam.ArnLike(a.ciRoles, admin) {
			excluded = append(excluded, admin)
		}
	}
	if len(excluded) > 0 {
		conditions = append(conditions, iam.Condition{Test: "ArnNotLike", Variable: "aws:PrincipalArn",
			Values: pulumi.ToStringArray(excluded)})
	}
	return iam.Statement{
		Sid:        "ScopeRolesUse",
		Principals: principals,
		Actions:    iam.KMSCryptographicActions(),
		Resources:  []pulumi.StringInput{pulumi.String("*")},
		Conditions: conditions,
	}
}

// serviceStatement lets a service principal use the key for its SourceArns only.
// CloudWatch Logs encrypts log data and binds each use to a log group through the
// encryption context; other services generate and read data keys for a source resource.
func serviceStatement(svc Service, account, region string) iam.Statement {
	s := iam.Statement{
		Sid:        "Service" + sidSafe(string(svc.Principal)),
		Principals: []iam.Principal{{Type: iam.PrincipalService, Identifiers: []pulumi.StringInput{pulumi.String(string(svc.Principal))}}},
		Actions:    []string{"kms:Decrypt", "kms:GenerateDataKey"},
		Resources:  []pulumi.StringInput{pulumi.String("*")},
		Conditions: []iam.Condition{
			{Test: "StringEquals", Variable: "aws:SourceAccount", Values: []pulumi.StringInput{pulumi.String(account)}},
			{Test: "ArnLike", Variable: "aws:SourceArn", Values: svc.SourceArns},
		},
	}
	if svc.Principal == iam.LogsService(region) {
		s.Actions = []string{"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey",
			"kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"}
		s.Conditions = []iam.Condition{{Test: "ArnLike", Variable: "kms:EncryptionContext:aws:logs:arn", Values: svc.SourceArns}}
	}
	return s
}

// sidSafe keeps the letters and digits of s: statement ids allow nothing else.
func sidSafe(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			out = append(out, r)
		}
	}
	return string(out)
}

// validateAdministrators checks what can be checked before the account is known: role
// ARNs, exact (ArnEquals would match a pattern literally), each once.
func validateAdministrators(admins []string) []error {
	var errs []error
	for i, arn := range admins {
		parts := strings.SplitN(arn, ":", 6)
		switch {
		case len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || len(parts[4]) != 12 ||
			!strings.HasPrefix(parts[5], "role/") || len(parts[5]) == len("role/"):
			errs = append(errs, fmt.Errorf("Administrators[%d]: %q is not a role ARN (arn:aws:iam::<account>:role/<name>)", i, arn))
		case strings.ContainsAny(arn, "*?"):
			errs = append(errs, fmt.Errorf("Administrators[%d]: %q has a wildcard; name each role exactly", i, arn))
		case slices.Index(admins, arn) < i:
			errs = append(errs, fmt.Errorf("Administrators[%d]: %q is also Administrators[%d]", i, arn, slices.Index(admins, arn)))
		}
	}
	return errs
}
