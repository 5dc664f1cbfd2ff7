package table

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/migration"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/permission"
)

// Strategy is how a migration moves a table's items to its new generation.
type Strategy string

// The strategies of a Migration.
const (
	// Replicate applies the old generation's stream to the new one (a replicator function
	// from the stream's oldest record) and copies what was there before (a segmented,
	// checkpointed backfill function), passing every item through the Transform: the way to
	// change a key (platform/migration).
	Replicate Strategy = "replicate"
	// Restore creates the new generation by a point-in-time restore of the old one, as it is
	// at its latest restorable time: the way to rename a table whose key stays. Writes to
	// the old generation after the restore do not reach the new one.
	Restore Strategy = "restore"
)

// Migration declares generation From+1 of a table (named migration.GenerationName,
// "<name>-g2"), created beside generation From with Args's key and settings, and how its
// items get there. tables.lock.json must lock generation From; the lock check refuses a key
// or name change without a migration. Functions keep reading and writing generation Serve
// while the items move; switching Serve changes only their environment, because every grant
// of the table covers both generations until Complete.
type Migration struct {
	// From is the generation the items move from, as tables.lock.json locks it: 1 for a
	// table that was never migrated. Required.
	From int
	// Strategy is Replicate (a key change) or Restore (a rename). Default: Replicate.
	Strategy Strategy
	// Transform names the transform the migration functions apply to every item, registered
	// in their main (migration.Transforms). Default: "identity", the item as it is.
	Transform string
	// FromHashKey is generation From's hash key, as locked; the service fills it from
	// tables.lock.json. Required.
	FromHashKey Key
	// FromRangeKey is generation From's range key, as locked; the service fills it from
	// tables.lock.json. Default: none.
	FromRangeKey Key
	// Serve is the generation the table's Name and Arn name, From or From+1: the one its
	// functions read and write. Default: From, or From+1 once Complete.
	Serve int
	// Complete ends the migration: the new generation serves, the replicator, backfill and
	// checkpoint table go, and grants name the new generation only. The old generation
	// (and the checkpoint table) are retained where the scope protects stateful resources,
	// still protected and never deleted by Pulumi; elsewhere they are deleted. Default: false.
	Complete bool
}

// Migrating is what a Migration adds to a table.
type Migrating struct {
	// Old is generation From's table; nil once Complete in an unprotected scope.
	Old *dynamodb.Table
	// New is generation From+1's table.
	New *dynamodb.Table
	// Checkpoints holds the backfill's checkpoints and the replicator's tombstones; nil
	// for Restore, and once Complete in an unprotected scope.
	Checkpoints *dynamodb.Table
	// Source is generation From as a table of its own, for the replicator's stream consumer.
	Source *Table
	// Strategy, Transform and the generations are the declaration's, defaults applied.
	Strategy  Strategy
	Transform string
	From, To  int
	Complete  bool
	// TargetKey is the new generation's key: the hash key and, when it has one, the range key.
	TargetKey []string
}

// validate reports every problem of the migration at once.
func (m *Migration) validate(a *Args) []error {
	if m == nil {
		return nil
	}
	var errs []error
	if m.From < 1 {
		errs = append(errs, fmt.Errorf("Migration.From: %d is not a generation (1 or more)", m.From))
	}
	switch m.Strategy {
	case "", Replicate:
	case Restore:
		if m.FromHashKey != a.HashKey || m.FromRangeKey != a.RangeKey {
			errs = append(errs, fmt.Errorf("Migration.Strategy: restore copies generation %d as it is, with its key %s; "+
				"the table's key is %s: use Replicate to change a key", m.From, describe(m.FromHashKey, m.FromRangeKey), describe(a.HashKey, a.RangeKey)))
		}
		if m.Transform != "" {
			errs = append(errs, fmt.Errorf("Migration.Transform: %q is set, but restore copies items as they are", m.Transform))
		}
	default:
		errs = append(errs, fmt.Errorf("Migration.Strategy: %q is not %s or %s", m.Strategy, Replicate, Restore))
	}
	if m.FromHashKey.Name == "" || m.FromHashKey.Type == "" {
		errs = append(errs, errors.New("Migration.FromHashKey: is required (generation From's hash key, as tables.lock.json locks it)"))
	}
	if m.Serve != 0 && m.Serve != m.From && m.Serve != m.From+1 {
		errs = append(errs, fmt.Errorf("Migration.Serve: %d is neither generation %d nor %d", m.Serve, m.From, m.From+1))
	}
	if m.Complete && m.Serve == m.From && m.From > 0 {
		errs = append(errs, fmt.Errorf("Migration.Serve: a complete migration serves generation %d, not %d", m.From+1, m.From))
	}
	if strings.Contains(m.Transform, "#") {
		errs = append(errs, fmt.Errorf("Migration.Transform: %q must not contain #", m.Transform))
	}
	return errs
}

func describe(hash, rng Key) string {
	s := fmt.Sprintf("hash %s (%s)", hash.Name, hash.Type)
	if rng.Name != "" {
		s += fmt.Sprintf(", range %s (%s)", rng.Name, rng.Type)
	}
	return s
}

// create creates the table's generations: one without a migration; during one, generation
// From (its locked key, its stream on for replication, retained rather than deleted) and
// From+1, with the checkpoint table of a replication.
func (t *Table) create(ctx *pulumi.Context, name string, a *Args) error {
	m := a.Migration
	if m == nil {
		table, err := t.newGeneration(ctx, name, a, nil, a.Scope.Stateful()...)
		if err != nil {
			return err
		}
		t.Table, t.newestName, t.grantedArns = table, table.Name, []pulumi.StringInput{table.Arn}
		return nil
	}
	mg := &Migrating{Strategy: m.Strategy, Transform: m.Transform, From: m.From, To: m.From + 1, Complete: m.Complete}
	if mg.Strategy == "" {
		mg.Strategy = Replicate
	}
	if mg.Transform == "" {
		mg.Transform = migration.IdentityName
	}
	mg.TargetKey = []string{a.HashKey.Name}
	if a.RangeKey.Name != "" {
		mg.TargetKey = append(mg.TargetKey, a.RangeKey.Name)
	}
	keep := !m.Complete || a.Scope.Protect
	oldName, newName := migration.GenerationName(name, mg.From), migration.GenerationName(name, mg.To)
	var err error
	if keep {
		old := *a
		old.HashKey, old.RangeKey, old.Migration = m.FromHashKey, m.FromRangeKey, nil
		if mg.Strategy == Replicate {
			// A delete's new key comes from its old image.
			old.Stream = StreamNewAndOldImages
		}
		if mg.Old, err = t.newGeneration(ctx, oldName, &old, nil, a.Scope.Stateful()...); err != nil {
			return fmt.Errorf("generation %d: %w", mg.From, err)
		}
		mg.Source = &Table{name: oldName, keyArn: a.Scope.KeyArn, stream: old.Stream != "", scope: a.Scope,
			Table: mg.Old, Arn: mg.Old.Arn, Name: mg.Old.Name, StreamArn: mg.Old.StreamArn}
	}
	mg.New, err = t.newGeneration(ctx, newName, a, func(ta *dynamodb.TableArgs) {
		ta.Tags = withTag(ta.Tags, migration.TagMigration, migration.GenerationTag(string(mg.Strategy), mg.From))
		if mg.Strategy == Restore {
			ta.RestoreSourceName = pulumi.String(a.Scope.Name(naming.DynamoDBTable, oldName))
			ta.RestoreToLatestTime = pulumi.Bool(true)
		}
	}, a.Scope.Stateful()...)
	if err != nil {
		return fmt.Errorf("generation %d: %w", mg.To, err)
	}
	if mg.Strategy == Replicate && keep {
		if mg.Checkpoints, err = t.checkpoints(ctx, name, a); err != nil {
			return fmt.Errorf("checkpoint table: %w", err)
		}
	}
	t.Migrating, t.newestName = mg, mg.New.Name
	t.Table, t.grantedArns = mg.New, []pulumi.StringInput{mg.New.Arn}
	serve := m.Serve
	if serve == 0 && !m.Complete {
		serve = m.From
	}
	if serve == m.From && mg.Old != nil {
		t.Table = mg.Old
	}
	if !m.Complete {
		t.grantedArns = []pulumi.StringInput{mg.Old.Arn, mg.New.Arn}
	}
	return nil
}

// withTag adds one tag to a table's tags.
func withTag(tags pulumi.StringMapInput, key, value string) pulumi.StringMap {
	out := pulumi.StringMap{}
	if m, ok := tags.(pulumi.StringMap); ok {
		maps.Copy(out, m)
	}
	out[key] = pulumi.String(value)
	return out
}

// checkpoints creates the table of a replication's checkpoints and tombstones: a string hash
// key, time to live, on-demand, encrypted and recoverable like every table.
func (t *Table) checkpoints(ctx *pulumi.Context, name string, a *Args) (*dynamodb.Table, error) {
	c := Args{
		Scope:        a.Scope,
		HashKey:      Key{Name: migration.CheckpointKey, Type: String},
		TTLAttribute: migration.ExpiresAttribute,
	}
	logical := naming.Child(name, "checkpoints")
	return t.newGeneration(ctx, logical, &c, func(ta *dynamodb.TableArgs) {
		ta.Tags = withTag(ta.Tags, migration.TagMigration, migration.CheckpointsTag)
	}, a.Scope.Stateful()...)
}

// CheckpointPrefix sets this migration's checkpoints and tombstones apart in the checkpoint
// table: the new generation's name.
func (m *Migrating) CheckpointPrefix(table string) string {
	return migration.GenerationName(table, m.To)
}

// tableArns are the ARNs grants name: the generation in use, or both during a migration.
func (t *Table) tableArns() []pulumi.StringInput {
	if len(t.grantedArns) == 0 {
		return []pulumi.StringInput{t.Arn}
	}
	return t.grantedArns
}

// indexArns are the ARNs of every index of every granted generation.
func (t *Table) indexArns() []pulumi.StringInput {
	var out []pulumi.StringInput
	for _, arn := range t.tableArns() {
		for _, name := range t.indexes {
			out = append(out, pulumi.Sprintf("%s/index/%s", arn, name))
		}
	}
	return out
}

// AllowReplicator grants what a migration's replicator calls besides the stream its
// consumer reads (table.NewStreamConsumer grants that): exactly
// migration.ReplicatorPermissions() on the new generation and the checkpoint table, and the
// key's actions for writing.
func (t *Table) AllowReplicator() iam.Statements {
	return t.allowMigration("Replicator", migration.ReplicatorPermissions(), writeKeyActions())
}

// AllowBackfill grants what a migration's backfill calls: exactly
// migration.BackfillPermissions() on both generations and the checkpoint table, and the
// key's actions for reading and writing.
func (t *Table) AllowBackfill() iam.Statements {
	return t.allowMigration("Backfill", migration.BackfillPermissions(), writeKeyActions())
}

// allowMigration turns migration permissions into statements, one per resource.
func (t *Table) allowMigration(what string, perms []permission.Permission, keyActions []string) iam.Statements {
	mg := t.Migrating
	if mg == nil || mg.Checkpoints == nil || mg.Old == nil {
		return t.invalid(what, fmt.Errorf("table %q: Allow%s: the table has no replication in progress; "+
			"declare Args.Migration with Strategy Replicate", t.name, what))
	}
	// Streams are read through the stream consumer's own grant.
	perms = slices.DeleteFunc(slices.Clone(perms), func(p permission.Permission) bool { return p.On == migration.SourceStream })
	stmts, err := iam.FromPermissions(perms, map[permission.Resource][]pulumi.StringInput{
		migration.SourceTable: {mg.Old.Arn}, migration.TargetTable: {mg.New.Arn}, migration.CheckpointTable: {mg.Checkpoints.Arn},
	}, func(on string) string { return t.sid(what + on) })
	if err != nil {
		return t.invalid(what, fmt.Errorf("table %q: Allow%s: %w", t.name, what, err))
	}
	return append(stmts, t.key(what+"Key", keyActions)...)
}
