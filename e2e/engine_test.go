package e2e

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/engine"
	"github.com/stratum-platform/stratum/platform/local"
	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/stacks/notifications"
)

const typeTable = "aws:dynamodb/table:Table"

// TestDev deploys every project of dev on the real engine, once through an injected fault
// and once cleanly, then checks what only the engine decides. The stacks are shared by the
// steps, which run in order.
func TestDev(t *testing.T) {
	root := repo(t)
	projects := ordered(t, root, "dev")
	opts := options(t, root, "dev")

	t.Run("a fault in inventory stops the stacks that depend on it", func(t *testing.T) {
		table, err := find(t, projects, "inventory").Offline.Get(typeTable, "tenant-resources")
		require.NoError(t, err)
		faulty := opts
		faulty.Environment = map[string]string{local.EnvFaults: local.FaultsValue(map[string]string{table.URN: "the table is refused"})}
		results, err := run(t, engine.Up, projects, faulty)
		require.Error(t, err)
		got := byProject(results)
		assert.Equal(t, engine.Succeeded, got["platform"].Status)
		assert.Equal(t, engine.Succeeded, got["accounts"].Status)
		assert.Equal(t, engine.Failed, got["inventory"].Status)
		assert.ErrorContains(t, got["inventory"].Err, "the table is refused")
		assert.Equal(t, engine.Skipped, got["notifications"].Status)
		assert.EqualError(t, got["notifications"].Err, "not attempted: inventory did not succeed")
		assert.Contains(t, engine.Text(engine.Up, "dev", results), "skipped")
	})

	var outputs map[string]map[string]any
	t.Run("up of every project in order succeeds", func(t *testing.T) {
		results, err := run(t, engine.Up, projects, opts)
		require.NoError(t, err)
		outputs = map[string]map[string]any{}
		for _, r := range results {
			require.Equal(t, engine.Succeeded, r.Status, r.Project)
			outputs[r.Project] = r.Outputs
		}
		assert.Equal(t, []string{"platform", "accounts", "inventory", "notifications"}, slices.Collect(func(yield func(string) bool) {
			for _, r := range results {
				if !yield(r.Project) {
					return
				}
			}
		}))
		for _, p := range projects {
			assert.ElementsMatch(t, slices.Collect(maps.Keys(p.Offline.Outputs)), slices.Collect(maps.Keys(outputs[p.Name])),
				"%s exports every output its offline plan does", p.Name)
		}
	})

	t.Run("every stack reference read its producer's real outputs", func(t *testing.T) {
		require.NotNil(t, outputs)
		refs := 0
		for _, p := range projects {
			for _, r := range state(t, p, opts) {
				if r.Type != "pulumi:pulumi:StackReference" {
					continue
				}
				refs++
				producer := projectOf(r.ID)
				assert.Equal(t, outputs[producer], r.Outputs["outputs"], "%s reads %s", p.Name, r.ID)
			}
		}
		assert.Equal(t, 6, refs, "every context reads the platform; notifications also reads accounts and inventory")
	})

	t.Run("the engine's state holds exactly the offline plan's resources", func(t *testing.T) {
		for _, p := range projects {
			golden := goldenPlan(t, root, p, "dev")
			want := map[string]string{}
			for _, r := range golden.Resources {
				want[r.URN] = r.Type
			}
			got := map[string]string{}
			for _, r := range state(t, p, opts) {
				got[r.URN] = r.Type
			}
			assert.Equal(t, want, got, "%s: engine state and golden plan differ", p.Name)
		}
	})

	t.Run("a second up changes nothing", func(t *testing.T) {
		results, err := run(t, engine.Up, projects, opts)
		require.NoError(t, err)
		for _, r := range results {
			assert.Zero(t, r.Creates+r.Updates+r.Replaces+r.Deletes, "%s: %+v", r.Project, r.Changed)
			assert.Positive(t, r.Unchanged, r.Project)
		}
	})

	t.Run("an edited handler previews as its function's new version and its release, nothing else", func(t *testing.T) {
		copied := copyRepo(t, root)
		addCode(t, filepath.Join(copied, "stacks/accounts/handlers/get"))
		accounts := find(t, projects, "accounts")
		accounts.DependsOn = nil
		edited := opts
		edited.Root, edited.PulumiRoot = copied, root
		results, err := run(t, engine.Preview, []engine.Project{accounts}, edited)
		require.NoError(t, err)
		fn := find(t, projects, "accounts").Offline
		// CodeDeploy, not Pulumi, moves the alias: the new version goes to the release function
		// (a new invocation), and the alarms on the released version follow it.
		want := map[string]string{
			urnOf(t, fn, "aws:lambda/function:Function", "get"):                                   "update",
			urnOf(t, fn, "aws:lambda/invocation:Invocation", "get-release"):                       "replace",
			urnOf(t, fn, "aws:cloudwatch/metricAlarm:MetricAlarm", "get-alarm-version-errors"):    "update",
			urnOf(t, fn, "aws:cloudwatch/metricAlarm:MetricAlarm", "get-alarm-version-throttles"): "update",
			urnOf(t, fn, "aws:cloudwatch/metricAlarm:MetricAlarm", "get-alarm-version-duration"):  "update",
		}
		assert.Equal(t, want, results[0].Changed)
	})

	t.Run("a policy error fails the preview and the up before any change", func(t *testing.T) {
		base := find(t, projects, "notifications")
		broken := variant(t, root, "dev", base, func(ctx *pulumi.Context) error {
			if err := notifications.Program(ctx); err != nil {
				return err
			}
			_, err := sqs.NewQueue(ctx, "unencrypted", &sqs.QueueArgs{Name: pulumi.String("acme-dev-notifications-unencrypted")})
			return err
		})
		for _, op := range []engine.Op{engine.Preview, engine.Up} {
			results, err := run(t, op, []engine.Project{broken}, opts)
			require.Error(t, err)
			assert.Equal(t, engine.Refused, results[0].Status)
			assert.ErrorContains(t, results[0].Err, "encryption-at-rest")
			assert.ErrorContains(t, results[0].Err, "unencrypted")
		}
		account := loadAccount(t, opts)
		_, exists := account.Lookup("aws:sqs/queue:Queue", "acme-dev-notifications-unencrypted")
		assert.False(t, exists, "nothing was created")
	})
}

// TestProd shows protection as the engine enforces it: a protected stack cannot be
// destroyed, and a change that replaces a protected table fails, leaving the table in place.
func TestProd(t *testing.T) {
	root := repo(t)
	projects := ordered(t, root, "prod", "platform", "accounts")
	opts := options(t, root, "prod")
	_, err := run(t, engine.Up, projects, opts)
	require.NoError(t, err)
	accounts := find(t, projects, "accounts")
	table, err := accounts.Offline.Get(typeTable, "accounts")
	require.NoError(t, err)
	tableName := table.String("name")

	t.Run("destroy is refused by protection and names the protected resources", func(t *testing.T) {
		results, err := run(t, engine.Destroy, projects, opts)
		require.Error(t, err)
		got := byProject(results)
		assert.Equal(t, engine.Failed, got["accounts"].Status)
		protected := 0
		for _, r := range accounts.Offline.Resources {
			if r.Protect {
				protected++
				assert.ErrorContains(t, got["accounts"].Err, "\n  "+r.URN)
			}
		}
		assert.ErrorContains(t, got["accounts"].Err, fmt.Sprintf("%d resources are protected, so the stack cannot be destroyed", protected))
		assert.Zero(t, got["accounts"].Deletes, "nothing was deleted")
		assert.Equal(t, engine.Skipped, got["platform"].Status, "the platform stays while accounts reads it")
		_, exists := loadAccount(t, opts).Lookup(typeTable, tableName)
		assert.True(t, exists)
	})

	t.Run("a hash key change is a replacement that protection stops", func(t *testing.T) {
		swapped := accounts
		swapped.Program = func(ctx *pulumi.Context) error {
			if err := ctx.RegisterResourceTransform(swapKeys); err != nil {
				return err
			}
			return accounts.Program(ctx)
		}
		swapped.DependsOn = nil
		for _, op := range []engine.Op{engine.Preview, engine.Up} {
			results, err := run(t, op, []engine.Project{swapped}, opts)
			require.Error(t, err)
			assert.Contains(t, results[0].Replaced, table.URN, "%s: the engine plans to replace the table (and what reads its stream)", op)
			assert.Equal(t, engine.Failed, results[0].Status)
			assert.ErrorContains(t, results[0].Err, "unable to replace resource \""+table.URN+"\"\nas it is currently marked for protection")
		}
		kept, exists := loadAccount(t, opts).Lookup(typeTable, tableName)
		require.True(t, exists)
		assert.Equal(t, "tenantId", kept.Outputs["hashKey"], "the table keeps its key")
	})
}

// swapKeys swaps the hash and range keys of every table: a change AWS can only make by
// replacing the table.
func swapKeys(_ context.Context, args *pulumi.ResourceTransformArgs) *pulumi.ResourceTransformResult {
	// The registrations table: the claims table has no range key to swap with.
	if args.Type != typeTable || args.Name != "accounts" {
		return nil
	}
	props := args.Props
	props["hashKey"], props["rangeKey"] = props["rangeKey"], props["hashKey"]
	return &pulumi.ResourceTransformResult{Props: props, Opts: args.Opts}
}

func urnOf(t *testing.T, p *plan.Plan, typ, name string) string {
	t.Helper()
	r, err := p.Get(typ, name)
	require.NoError(t, err)
	return r.URN
}

func state(t *testing.T, p engine.Project, opts engine.Options) []engine.StateResource {
	t.Helper()
	resources, err := engine.State(t.Context(), p, opts)
	require.NoError(t, err)
	return resources
}

func goldenPlan(t *testing.T, root string, p engine.Project, env string) *plan.Plan {
	t.Helper()
	dir := p.Dir
	if dir == "." {
		dir = filepath.Join("stacks", "platform")
	}
	golden, err := plan.ReadGolden(filepath.Join(root, dir, "testdata", env+".plan.json"))
	require.NoError(t, err)
	return golden
}

func loadAccount(t *testing.T, opts engine.Options) *local.Account {
	t.Helper()
	a, err := local.LoadAccount(filepath.Join(opts.WorkDir, "account.json"))
	require.NoError(t, err)
	return a
}

// projectOf is the project of a stack named "<org>/<project>/<env>".
func projectOf(stack string) string {
	parts := strings.Split(stack, "/")
	return parts[len(parts)-2]
}
