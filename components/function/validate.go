package function

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/iam"
)

// Limits of the validated arguments.
const (
	minMemoryMB, maxMemoryMB = 128, 10240
	minTimeout, maxTimeout   = time.Second, 15 * time.Minute
	minEventAge, maxEventAge = time.Minute, 6 * time.Hour
	maxRetries               = 2
	maxDescription           = 256
)

// validEnvName reports whether name matches [a-zA-Z][a-zA-Z0-9_]+, what Lambda accepts.
func validEnvName(name string) bool {
	for i, c := range name {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || (c < '0' || c > '9') && c != '_') {
			return false
		}
	}
	return len(name) >= 2
}

// reservedEnv are the variables the Lambda runtime sets itself and refuses in a
// configuration.
func reservedEnv() []string {
	return []string{"AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION",
		"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
		"AWS_LAMBDA_RUNTIME_API", "AWS_REGION", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"LAMBDA_RUNTIME_DIR", "LAMBDA_TASK_ROOT"}
}

// Validate reports every problem with args at once. It reads the file system: Source must be
// a directory and Archive a zip holding `bootstrap`.
func (a *Args) Validate() error {
	errs := []error{a.Scope.Validate()}
	errs = append(errs, a.validateCode()...)
	if len(a.Description) > maxDescription {
		errs = append(errs, fmt.Errorf("Description: %d characters is more than %d", len(a.Description), maxDescription))
	}
	if a.MemoryMB != 0 && (a.MemoryMB < minMemoryMB || a.MemoryMB > maxMemoryMB) {
		errs = append(errs, fmt.Errorf("MemoryMB: %d is not between %d and %d", a.MemoryMB, minMemoryMB, maxMemoryMB))
	}
	if a.Timeout != 0 && !wholeSecondsBetween(a.Timeout, minTimeout, maxTimeout) {
		errs = append(errs, fmt.Errorf("Timeout: %s is not whole seconds between %s and %s", a.Timeout, minTimeout, maxTimeout))
	}
	if a.MaxEventAge != 0 && !wholeSecondsBetween(a.MaxEventAge, minEventAge, maxEventAge) {
		errs = append(errs, fmt.Errorf("MaxEventAge: %s is not whole seconds between %s and %s", a.MaxEventAge, minEventAge, maxEventAge))
	}
	if a.ReservedConcurrency != nil && *a.ReservedConcurrency < 0 {
		errs = append(errs, fmt.Errorf("ReservedConcurrency: %d is negative", *a.ReservedConcurrency))
	}
	if a.Retries != nil && (*a.Retries < 0 || *a.Retries > maxRetries) {
		errs = append(errs, fmt.Errorf("Retries: %d is not between 0 and %d", *a.Retries, maxRetries))
	}
	if lit, ok := a.OnFailure.(pulumi.String); ok {
		if _, err := destinationService(string(lit)); err != nil {
			errs = append(errs, fmt.Errorf("OnFailure: %w", err))
		}
	}
	if a.Synchronous && a.OnFailure != nil {
		errs = append(errs, errors.New("OnFailure: is set but Synchronous says nothing invokes the function asynchronously; set one or the other"))
	}
	errs = append(errs, a.validateEnvironment()...)
	errs = append(errs, a.Release.validate()...)
	if err := iam.ValidateWildcardActions(a.WildcardActions); err != nil {
		errs = append(errs, fmt.Errorf("WildcardActions: %w", err))
	}
	if len(a.Grants) > 0 {
		// Document also refuses literal "*" resources, which Validate alone does not see.
		if _, err := identityPolicy(a.Grants, a.WildcardActions); err != nil {
			errs = append(errs, fmt.Errorf("Grants: %w", err))
		}
	}
	return errors.Join(errs...)
}

func (a *Args) validateCode() []error {
	switch {
	case a.Source == "" && a.Archive == "":
		return []error{errors.New("Source: is required unless Archive is set")}
	case a.Source != "" && a.Archive != "":
		return []error{fmt.Errorf("Source: %q and Archive %q are both set; set one", a.Source, a.Archive)}
	case a.Source != "":
		if err := isDir(a.Source); err != nil {
			return []error{fmt.Errorf("Source: %w", err)}
		}
	default:
		if _, err := prebuilt(a.Archive); err != nil {
			return []error{fmt.Errorf("Archive: %w", err)}
		}
	}
	return nil
}

func (a *Args) validateEnvironment() []error {
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(a.Environment)) {
		switch {
		case !validEnvName(k):
			errs = append(errs, fmt.Errorf("Environment: %q is not a valid name; allowed [a-zA-Z][a-zA-Z0-9_]+", k))
		case slices.Contains(reservedEnv(), k):
			errs = append(errs, fmt.Errorf("Environment: %q is reserved by Lambda", k))
		case strings.HasPrefix(k, "STRATUM_"):
			errs = append(errs, fmt.Errorf("Environment: %q uses the reserved prefix STRATUM_", k))
		case a.Environment[k] == nil:
			errs = append(errs, fmt.Errorf("Environment: %q has a nil value", k))
		}
	}
	return errs
}

func wholeSecondsBetween(d, lo, hi time.Duration) bool {
	return d%time.Second == 0 && d >= lo && d <= hi
}
