package key

import (
	"fmt"
	"slices"

	"github.com/stratum-platform/stratum/platform/iam"
)

// validateStatements reports every statement of Args.Statements that cannot join the key
// policy: one without a Sid (the policy names its statements), without principals (KMS
// rejects it), or allowing an AWS service for any account's resources (the confused deputy
// problem). A Sid that one of the key's own statements has fails New, where the whole
// policy is built.
func validateStatements(stmts iam.Statements) []error {
	if len(stmts) == 0 {
		return nil
	}
	var errs []error
	if err := stmts.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("Statements: %w", err))
	}
	for i, st := range stmts {
		label := fmt.Sprintf("Statements[%d] (%q)", i, st.Sid)
		if st.Err != nil {
			continue // Validate reported it
		}
		if st.Sid == "" {
			errs = append(errs, fmt.Errorf("Statements[%d]: Sid is required; the key policy names every statement", i))
		}
		if len(st.Principals) == 0 {
			errs = append(errs, fmt.Errorf("%s: has no principals; every key policy statement says who it applies to", label))
		}
		service := slices.ContainsFunc(st.Principals, func(p iam.Principal) bool { return p.Type == iam.PrincipalService })
		source := slices.ContainsFunc(st.Conditions, func(c iam.Condition) bool {
			return c.Variable == "aws:SourceArn" || c.Variable == "aws:SourceAccount"
		})
		if st.Effect != iam.Deny && service && !source {
			errs = append(errs, fmt.Errorf("%s: allows an AWS service without an aws:SourceArn or aws:SourceAccount condition; "+
				"any account's resources could make it use the key", label))
		}
	}
	return errs
}
