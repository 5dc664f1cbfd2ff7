package env_test

import (
	"testing"

	"github.com/stratum-platform/stratum/stacks/accounts/handlers/internal/env"
)

func TestReader(t *testing.T) {
	vars := map[string]string{"TABLE_NAME": "accounts-dev", "BLANK": "  "}
	getenv := func(name string) string { return vars[name] }

	r := env.New(getenv)
	if got := r.Get("TABLE_NAME"); got != "accounts-dev" || r.Err() != nil {
		t.Fatalf("Get() = %q, Err() = %v; want accounts-dev, nil", got, r.Err())
	}

	r.Get("TOPIC_ARN")
	if err := r.Err(); err == nil || err.Error() != "missing environment variable TOPIC_ARN" {
		t.Errorf("Err() = %v, want TOPIC_ARN missing", err)
	}
	r.Get("BLANK")
	if err := r.Err(); err == nil || err.Error() != "missing environment variables TOPIC_ARN, BLANK" {
		t.Errorf("Err() = %v, want TOPIC_ARN and BLANK missing", err)
	}
}
