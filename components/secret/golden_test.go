package secret_test

import (
	"testing"

	"github.com/stratum-platform/stratum/platform/plan/plantest"
)

func TestGolden(t *testing.T) {
	plantest.Golden(t, "testdata/secret.plan.json", run(t, nil))
}
