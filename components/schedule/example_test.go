package schedule_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/schedule"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
)

// A product team runs its report handler every night at 03:00, Paris time.
func Example() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		// In a stack the service component hands every component its context's scope.
		s := scopetest.New()
		report, err := function.New(ctx, "report", &function.Args{Scope: s, Source: "./cmd/report"})
		if err != nil {
			return err
		}
		_, err = schedule.New(ctx, "nightly-report", &schedule.Args{
			Scope:      s,
			Function:   report,
			Expression: "cron(0 3 * * ? *)",
			TimeZone:   "Europe/Paris",
			Input:      `{"report":"daily-orders"}`,
		})
		return err
	})
}
