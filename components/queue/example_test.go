package queue_test

import (
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/queue"
	"github.com/stratum-platform/stratum/components/scope/scopetest"
)

// An API function sends jobs to a queue that a worker function consumes.
func Example() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		s := scopetest.New() // the context's scope, from the service component

		jobs, err := queue.New(ctx, "jobs", &queue.Args{
			Scope: s,
			// At least the worker's timeout; AWS recommends 6x.
			VisibilityTimeout: 3 * time.Minute,
		})
		if err != nil {
			return err
		}
		worker, err := function.New(ctx, "worker", &function.Args{
			Scope: s, Source: "./cmd/worker", Timeout: 30 * time.Second,
		})
		if err != nil {
			return err
		}
		if _, err := queue.NewConsumer(ctx, "jobs-worker", jobs, &queue.ConsumerArgs{
			Function: worker, BatchSize: 100, BatchWindow: 5 * time.Second,
		}); err != nil {
			return err
		}
		_, err = function.New(ctx, "api", &function.Args{
			Scope: s, Source: "./cmd/api", Grants: jobs.AllowSend(),
			Environment: map[string]pulumi.StringInput{"JOBS_QUEUE_URL": jobs.URL},
		})
		return err
	})
}
