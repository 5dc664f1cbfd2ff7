// Package existing checks the arguments of the components' Existing constructors, which
// refer to a resource another stack owns by its ARN, so that every component reports the
// same mistakes the same way.
package existing

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Check reports every problem with the name and ARN of an existing resource at once: an
// empty name (the grants' statement ids need it), a missing ARN, and a literal ARN that is
// not one of service's with a resource starting with resource ("function:", "table/", or ""
// for a name alone). A stack output is checked by AWS when it resolves.
func Check(name string, arn pulumi.StringInput, service, resource string) error {
	var errs []error
	if name == "" {
		errs = append(errs, errors.New("name: is required (the grants' statement ids name the resource)"))
	}
	switch lit, ok := arn.(pulumi.String); {
	case arn == nil:
		errs = append(errs, errors.New("Arn: is required (the resource's ARN, a literal or another stack's output)"))
	case ok && !valid(string(lit), service, resource):
		want := "arn:aws:" + service + ":<region>:<account>:" + resource + "<name>"
		errs = append(errs, fmt.Errorf("Arn: %q is not an ARN like %s", string(lit), want))
	}
	return errors.Join(errs...)
}

// CheckKey reports a literal key ARN that is not a KMS key's.
func CheckKey(key pulumi.StringInput) error {
	if lit, ok := key.(pulumi.String); ok && !valid(string(lit), "kms", "key/") {
		return fmt.Errorf("KeyArn: %q is not a KMS key ARN like arn:aws:kms:<region>:<account>:key/<id>", string(lit))
	}
	return nil
}

func valid(arn, service, resource string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[1] != "" && parts[2] == service &&
		parts[3] != "" && parts[4] != "" && strings.HasPrefix(parts[5], resource) &&
		len(parts[5]) > len(resource) && !strings.ContainsAny(arn, "*? ")
}
