package migration

import (
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/stratum-platform/stratum/platform/lambdakit"
)

// RunReplicator is the whole main of a replicator function with transforms: it starts the
// function with lambdakit.Main, requiring ReplicatorEnv, and serves Replicator.Handle.
func RunReplicator(transforms Transforms) {
	lambdakit.Main(ReplicatorEnv(), func(s lambdakit.Setup) (any, error) {
		cfg, err := ParseConfig(environment(s.Env))
		if err != nil {
			return nil, err
		}
		r, err := NewReplicator(dynamodb.NewFromConfig(s.AWS), cfg, transforms)
		if err != nil {
			return nil, err
		}
		return r.Handle, nil
	})
}

// RunBackfill is the whole main of a backfill function with transforms: it starts the
// function with lambdakit.Main, requiring BackfillEnv, and serves Backfill.Handle.
func RunBackfill(transforms Transforms) {
	lambdakit.Main(BackfillEnv(), func(s lambdakit.Setup) (any, error) {
		cfg, err := ParseConfig(environment(s.Env))
		if err != nil {
			return nil, err
		}
		b, err := NewBackfill(dynamodb.NewFromConfig(s.AWS), cfg, transforms)
		if err != nil {
			return nil, err
		}
		return b.Handle, nil
	})
}

// environment reads the required variables lambdakit.Main checked, and the optional ones
// from the process.
func environment(required map[string]string) func(string) string {
	return func(name string) string {
		if v, ok := required[name]; ok {
			return v
		}
		return strings.TrimSpace(os.Getenv(name))
	}
}
