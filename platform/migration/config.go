package migration

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The environment variables of the replicator and backfill functions.
const (
	EnvSourceTable      = "MIGRATION_SOURCE_TABLE"      // the old generation's table name
	EnvTargetTable      = "MIGRATION_TARGET_TABLE"      // the new generation's table name
	EnvTargetKey        = "MIGRATION_TARGET_KEY"        // the new generation's key: "hash" or "hash,range"
	EnvTransform        = "MIGRATION_TRANSFORM"         // the registered name of the transform
	EnvCheckpointTable  = "MIGRATION_CHECKPOINT_TABLE"  // the table holding checkpoints and tombstones
	EnvCheckpointPrefix = "MIGRATION_CHECKPOINT_PREFIX" // what sets this migration's items apart in it
	EnvSegments         = "MIGRATION_SEGMENTS"          // the backfill's TotalSegments
	EnvPageSize         = "MIGRATION_PAGE_SIZE"         // the backfill's Scan Limit; optional
)

// MaxSegments is the most segments a backfill may split a table into. DynamoDB allows a
// million; past a few hundred, the checkpoints cost more than the parallelism gives.
const MaxSegments = 1000

// Config is what a replicator or a backfill migrates, from where to where.
type Config struct {
	SourceTable string
	TargetTable string
	// TargetKey is the new generation's hash key and, when it has one, range key.
	TargetKey []string
	// Transform names the registered transform.
	Transform        string
	CheckpointTable  string
	CheckpointPrefix string
	// Segments is the backfill's TotalSegments; 0 for the replicator.
	Segments int
	// PageSize is the backfill's Scan Limit; 0 means DynamoDB's 1 MB pages.
	PageSize int
}

// ReplicatorEnv lists the environment variables the replicator requires.
func ReplicatorEnv() []string {
	return []string{EnvTargetTable, EnvTargetKey, EnvTransform, EnvCheckpointTable, EnvCheckpointPrefix}
}

// BackfillEnv lists the environment variables the backfill requires.
func BackfillEnv() []string {
	return []string{EnvSourceTable, EnvTargetTable, EnvTargetKey, EnvTransform, EnvCheckpointTable, EnvCheckpointPrefix, EnvSegments}
}

// ParseConfig reads a Config with getenv, reporting every invalid value at once. It checks
// the values that are set; lambdakit.Main has checked that the required ones are.
func ParseConfig(getenv func(string) string) (Config, error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	cfg := Config{
		SourceTable:      get(EnvSourceTable),
		TargetTable:      get(EnvTargetTable),
		Transform:        get(EnvTransform),
		CheckpointTable:  get(EnvCheckpointTable),
		CheckpointPrefix: get(EnvCheckpointPrefix),
	}
	var problems []string
	if key := get(EnvTargetKey); key != "" {
		cfg.TargetKey = strings.Split(key, ",")
		for i := range cfg.TargetKey {
			cfg.TargetKey[i] = strings.TrimSpace(cfg.TargetKey[i])
		}
		if len(cfg.TargetKey) > 2 || cfg.TargetKey[0] == "" || (len(cfg.TargetKey) == 2 && (cfg.TargetKey[1] == "" || cfg.TargetKey[1] == cfg.TargetKey[0])) {
			problems = append(problems, fmt.Sprintf("%s: must be a hash key attribute, optionally followed by a comma and a range key attribute, got %q", EnvTargetKey, key))
		}
	}
	if cfg.SourceTable != "" && cfg.SourceTable == cfg.TargetTable {
		problems = append(problems, fmt.Sprintf("%s: must differ from %s, both are %q", EnvTargetTable, EnvSourceTable, cfg.TargetTable))
	}
	if strings.Contains(cfg.CheckpointPrefix, "#") {
		problems = append(problems, fmt.Sprintf("%s: must not contain #, which separates the parts of a checkpoint key, got %q", EnvCheckpointPrefix, cfg.CheckpointPrefix))
	}
	number := func(name string, lo, hi int) int {
		s := get(name)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			problems = append(problems, fmt.Sprintf("%s: must be a whole number from %d to %d, got %q", name, lo, hi, s))
			return 0
		}
		return n
	}
	cfg.Segments = number(EnvSegments, 1, MaxSegments)
	cfg.PageSize = number(EnvPageSize, 1, 10000)
	if len(problems) > 0 {
		return Config{}, errors.New("migration: " + strings.Join(problems, "; "))
	}
	return cfg, nil
}
