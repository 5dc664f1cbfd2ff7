package policy

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/plan"
)

// validateRules reports every problem of a rule set at once: a rule without an ID, a
// check, a severity or a rationale, an ID used twice or taken by the coverage warning, and
// a type that is not a Pulumi type token.
func validateRules(rules []Rule) error {
	if len(rules) == 0 {
		return errors.New("policy: no rules; evaluate with policy.Builtin() at least")
	}
	id := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	token := regexp.MustCompile(`^[a-zA-Z0-9-]+:[a-zA-Z0-9/._-]+:[A-Za-z0-9._-]+$`)
	seen := map[string]int{}
	var errs []error
	for i, r := range rules {
		fail := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("policy: rule %d (%q): %s", i, r.ID, fmt.Sprintf(format, args...)))
		}
		if !id.MatchString(r.ID) {
			fail("ID must be lowercase words separated by dashes")
		}
		if r.ID == Coverage {
			fail("ID is the coverage warning's")
		}
		if first, dup := seen[r.ID]; dup {
			fail("ID is also rule %d's; IDs are unique", first)
		} else {
			seen[r.ID] = i
		}
		if r.Severity != Error && r.Severity != Warning {
			fail("severity %q is not %q or %q", r.Severity, Error, Warning)
		}
		if strings.TrimSpace(r.Rationale) == "" {
			fail("rationale is required: say what the rule protects against")
		}
		if r.Check == nil {
			fail("check is nil")
		}
		for j, t := range r.Types {
			if !token.MatchString(t) {
				fail("types[%d]: %q is not a type token such as aws:s3/bucketV2:BucketV2", j, t)
			}
		}
	}
	return errors.Join(errs...)
}

// uncovered returns a policy-coverage warning for every AWS type of p that no rule covers,
// on the first resource of that type in plan order.
func uncovered(p *plan.Plan, rules []Rule) []plan.Finding {
	covered := map[string]bool{}
	for _, r := range rules {
		for _, t := range r.Types {
			covered[t] = true
		}
	}
	first := map[string]string{}
	count := map[string]int{}
	var types []string
	for _, r := range p.Resources {
		if !r.Custom || !strings.HasPrefix(r.Type, "aws:") || covered[r.Type] {
			continue
		}
		if count[r.Type] == 0 {
			first[r.Type] = r.URN
			types = append(types, r.Type)
		}
		count[r.Type]++
	}
	slices.Sort(types)
	out := make([]plan.Finding, 0, len(types))
	for _, t := range types {
		out = append(out, plan.Finding{Rule: Coverage, Severity: string(Warning), URN: first[t],
			Message: fmt.Sprintf("no policy rule covers %s (%d in this plan), so nothing checks its settings; "+
				"add a rule that lists it in Types, or policy.Reviewed with why it needs none", t, count[t])})
	}
	return out
}

func reviewedTypes() Rule {
	return Reviewed("reviewed-types", "These AWS types hold no setting a rule could check: a KMS alias and a "+
		"Lambda alias are names that point at a key and a function version, an API mapping maps a path of a "+
		"custom domain to a stage, an HTTP API integration names the function a route invokes (who may "+
		"invoke it is lambda-permission-source's), a dashboard only draws metrics, and an auto-scaling "+
		"target and policy only change a table's capacity, a log metric filter only counts log events "+
		"into a metric, a DNS record only points a name (the domain and certificate it points at are "+
		"custom-domain-tls's), a certificate validation only waits for ACM to issue the certificate, and a "+
		"WAF IP set and web ACL state who may read the developer portal, a decision the platform's config "+
		"makes (stratum:portalAllowedCidrs or stratum:portalPublic) and its tests check, and a CloudFront "+
		"public key and key group only hold the key that verifies the portal's signed cookies (that the "+
		"distribution trusts them is portal-distribution's). Listing them here, with this review, keeps the "+
		"policy-coverage warning for the types nobody has looked at.",
		"aws:kms/alias:Alias", "aws:lambda/alias:Alias", "aws:apigatewayv2/apiMapping:ApiMapping",
		typeIntegration, "aws:cloudwatch/dashboard:Dashboard", "aws:appautoscaling/target:Target",
		"aws:appautoscaling/policy:Policy", "aws:cloudwatch/logMetricFilter:LogMetricFilter",
		"aws:route53/record:Record", "aws:acm/certificateValidation:CertificateValidation",
		"aws:wafv2/ipSet:IpSet", "aws:wafv2/webAcl:WebAcl", "aws:cloudfront/publicKey:PublicKey",
		"aws:cloudfront/keyGroup:KeyGroup")
}
