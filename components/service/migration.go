package service

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/function"
	"github.com/stratum-platform/stratum/components/table"
	"github.com/stratum-platform/stratum/platform/migration"
	"github.com/stratum-platform/stratum/platform/project"
	"github.com/stratum-platform/stratum/platform/tablelock"
)

// Settings of a migration's functions.
const (
	// replicatorTimeout covers a batch of stream records, each a conditional write or two.
	replicatorTimeout = time.Minute
	// backfillTimeout is Lambda's longest: the backfill stops starting pages
	// migration.DeadlineMargin before it and resumes from its checkpoints when invoked again.
	backfillTimeout = 15 * time.Minute
	// backfillSegments is the backfill's TotalSegments: as many as one invocation scans in
	// parallel.
	backfillSegments = migration.MaxParallelSegments
)

// declareMigration completes a table's declared migration from the context's
// tables.lock.json (generation From's keys, as locked) and from Args.TableGenerations (the
// generation in use).
func (s *Service) declareMigration(name string, args *table.Args) error {
	m := args.Migration
	if m == nil {
		return nil
	}
	c := *m
	if c.Serve == 0 {
		c.Serve = s.generations[name]
	}
	if c.FromHashKey.Name == "" {
		dir, err := project.Dir(s.ctx)
		if err != nil {
			return fmt.Errorf("table %q: migration: %w", name, err)
		}
		lock, err := tablelock.Read(tablelock.Path(dir))
		if err != nil {
			return fmt.Errorf("table %q: migration: %w", name, err)
		}
		locked, ok := lock.Generation(name, c.From)
		if !ok {
			return fmt.Errorf("table %q: Migration.From: %s locks no generation %d of the table; declare the generation "+
				"the lock has (`make golden` locks the tables of the program as it is)", name, tablelock.FileName, c.From)
		}
		c.FromHashKey = table.Key{Name: locked.HashKey.Name, Type: table.AttributeType(locked.HashKey.Type)}
		if locked.RangeKey != nil {
			c.FromRangeKey = table.Key{Name: locked.RangeKey.Name, Type: table.AttributeType(locked.RangeKey.Type)}
		}
	}
	args.Migration = &c
	return nil
}

// migrationFunctions creates the functions of a replication in progress: the replicator,
// consuming generation From's stream from its oldest record, and then the backfill, which
// must not start before the replicator's mapping exists (platform/migration).
func (s *Service) migrationFunctions(name string, t *table.Table) error {
	mg := t.Migrating
	if mg == nil || mg.Strategy != table.Replicate || mg.Complete {
		return nil
	}
	common := map[string]pulumi.StringInput{
		migration.EnvTargetTable:      mg.New.Name,
		migration.EnvTargetKey:        pulumi.String(strings.Join(mg.TargetKey, ",")),
		migration.EnvTransform:        pulumi.String(mg.Transform),
		migration.EnvCheckpointTable:  mg.Checkpoints.Name,
		migration.EnvCheckpointPrefix: pulumi.String(mg.CheckpointPrefix(name)),
	}
	source, err := s.migrationSource(name, "replicator")
	if err != nil {
		return err
	}
	replicator, err := s.Function(name+"-replicator", function.Args{
		Source:      source,
		Description: fmt.Sprintf("Replicates table %s's generation %d into generation %d, from its stream.", name, mg.From, mg.To),
		Timeout:     replicatorTimeout,
		Environment: common,
		Grants:      t.AllowReplicator(),
	})
	if err != nil {
		return err
	}
	consumer, err := s.StreamConsumer(name+"-replication", mg.Source, table.StreamConsumerArgs{Function: replicator})
	if err != nil {
		return err
	}
	if source, err = s.migrationSource(name, "backfill"); err != nil {
		return err
	}
	env := map[string]pulumi.StringInput{
		migration.EnvSourceTable: mg.Old.Name,
		migration.EnvSegments:    pulumi.String(strconv.Itoa(backfillSegments)),
	}
	for k, v := range common {
		env[k] = v
	}
	_, err = s.function(name+"-backfill", function.Args{
		Source: source,
		Description: fmt.Sprintf("Copies table %s's generation %d into generation %d; invoke it until its progress is done.",
			name, mg.From, mg.To),
		Timeout:     backfillTimeout,
		Environment: env,
		Grants:      t.AllowBackfill(),
	}, pulumi.DependsOn([]pulumi.Resource{consumer}))
	return err
}

// migrationSource is the main package of a migration function of table name: the context's
// own handlers/<table>-<kind> when it has one (a main calling migration.RunReplicator or
// RunBackfill with its transforms), else the platform's, which knows the identity transform.
func (s *Service) migrationSource(name, kind string) (string, error) {
	own := filepath.Join(s.handlers, name+"-"+kind)
	info, err := os.Stat(own)
	switch {
	case err == nil && info.IsDir():
		return own, nil
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return "", fmt.Errorf("table %q: %s: %w", name, kind, err)
	}
	return s.platformHandler(kind)
}
