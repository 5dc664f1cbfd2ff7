package migration

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/permission"
)

func TestParseConfig(t *testing.T) {
	full := map[string]string{
		EnvSourceTable: "acme-dev-accounts-accounts", EnvTargetTable: "acme-dev-accounts-accounts-g2",
		EnvTargetKey: "tenantId, accountId", EnvTransform: "byTenant", EnvCheckpointTable: "acme-dev-accounts-migrations",
		EnvCheckpointPrefix: "accounts-g2", EnvSegments: "8", EnvPageSize: "200",
	}
	tests := []struct {
		name   string
		change map[string]string
		want   string
	}{
		{"valid", nil, ""},
		{"everything wrong", map[string]string{
			EnvTargetTable: "acme-dev-accounts-accounts", EnvTargetKey: "a,b,c", EnvCheckpointPrefix: "a#b",
			EnvSegments: "0", EnvPageSize: "many",
		}, `migration: MIGRATION_TARGET_KEY: must be a hash key attribute, optionally followed by a comma and a range key attribute, got "a,b,c"; ` +
			`MIGRATION_TARGET_TABLE: must differ from MIGRATION_SOURCE_TABLE, both are "acme-dev-accounts-accounts"; ` +
			`MIGRATION_CHECKPOINT_PREFIX: must not contain #, which separates the parts of a checkpoint key, got "a#b"; ` +
			`MIGRATION_SEGMENTS: must be a whole number from 1 to 1000, got "0"; ` +
			`MIGRATION_PAGE_SIZE: must be a whole number from 1 to 10000, got "many"`},
		{"same key twice", map[string]string{EnvTargetKey: "id,id"},
			`migration: MIGRATION_TARGET_KEY: must be a hash key attribute, optionally followed by a comma and a range key attribute, got "id,id"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range full {
				env[k] = v
			}
			for k, v := range tt.change {
				env[k] = v
			}
			cfg, err := ParseConfig(func(name string) string { return env[name] })
			if tt.want != "" {
				assert.EqualError(t, err, tt.want)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, Config{
				SourceTable: "acme-dev-accounts-accounts", TargetTable: "acme-dev-accounts-accounts-g2",
				TargetKey: []string{"tenantId", "accountId"}, Transform: "byTenant",
				CheckpointTable: "acme-dev-accounts-migrations", CheckpointPrefix: "accounts-g2", Segments: 8, PageSize: 200,
			}, cfg)
		})
	}
}

func TestEnv(t *testing.T) {
	assert.Equal(t, []string{"MIGRATION_TARGET_TABLE", "MIGRATION_TARGET_KEY", "MIGRATION_TRANSFORM",
		"MIGRATION_CHECKPOINT_TABLE", "MIGRATION_CHECKPOINT_PREFIX"}, ReplicatorEnv())
	assert.Equal(t, append([]string{"MIGRATION_SOURCE_TABLE"}, append(ReplicatorEnv(), "MIGRATION_SEGMENTS")...), BackfillEnv())
}

func TestLookup(t *testing.T) {
	ts := transforms()
	_, err := ts.Lookup("byTenant")
	assert.NoError(t, err)
	id, err := ts.Lookup(IdentityName)
	require.NoError(t, err)
	item := account(1, 0)
	got, err := id(item)
	require.NoError(t, err)
	assert.Equal(t, show(item), show(got))
	_, err = ts.Lookup("byTennant")
	assert.EqualError(t, err, `migration: transform "byTennant" is not registered; registered: byTenant, identity`)
	_, err = NewReplicator(nil, Config{Transform: "nope"}, nil)
	assert.EqualError(t, err, `migration: transform "nope" is not registered; registered: identity`)
}

func TestKeyOf(t *testing.T) {
	k, err := keyOf(Item{
		"h": &types.AttributeValueMemberS{Value: `a"],["S`}, "r": &types.AttributeValueMemberB{Value: []byte{1, 2}},
		"other": &types.AttributeValueMemberN{Value: "3"},
	}, []string{"h", "r"})
	require.NoError(t, err)
	assert.Equal(t, `[["S","a\"],[\"S"],["B","AQI="]]`, k.id, "values cannot make two keys look alike")
	assert.Len(t, k.attrs, 2)

	_, err = keyOf(Item{"h": &types.AttributeValueMemberS{Value: "x"}}, []string{"h", "r"})
	assert.EqualError(t, err, "item has no key attribute r")
	_, err = keyOf(Item{"h": &types.AttributeValueMemberBOOL{Value: true}}, []string{"h"})
	assert.EqualError(t, err, "key attribute h is a *types.AttributeValueMemberBOOL, not a string, number or binary")
}

func TestStreamVersion(t *testing.T) {
	v, err := streamVersion("4421584500000000017450439091")
	require.NoError(t, err)
	assert.Equal(t, "000000000000"+"4421584500000000017450439091", v)
	assert.Less(t, BackfillVersion, v)
	small, _ := streamVersion("999")
	assert.Less(t, small, v, "padded versions compare as numbers")
	for _, bad := range []string{"", "-1", "1e5", "12345678901234567890123456789012345678901"} {
		_, err := streamVersion(bad)
		assert.Error(t, err, bad)
	}
}

func TestBackfillRequestValidation(t *testing.T) {
	b, err := NewBackfill(nil, Config{Transform: "byTenant", TargetKey: targetKey(), Segments: 4}, transforms())
	require.NoError(t, err)
	_, err = b.Handle(quiet(t.Context()), BackfillRequest{Segments: []int{-1, 4, 1, 1}, MaxPages: -1})
	assert.EqualError(t, err, "invalid backfill request: maxPages: must be 0 (no limit) or more, got -1; "+
		"segments[0]: must be from 0 to 3, got -1; segments[1]: must be from 0 to 3, got 4; segments[3]: segment 1 is listed twice")
	_, ok := errors.AsType[*lambdakit.ValidationError](err)
	assert.True(t, ok)
	_, err = NewBackfill(nil, Config{Transform: IdentityName}, nil)
	assert.EqualError(t, err, "migration: backfill needs MIGRATION_SEGMENTS")
}

func TestBackfillErrorsWrapped(t *testing.T) {
	db := client(t)
	cfg := setupTables(t, db, 1)
	seed(t, db, cfg.SourceTable, 3)
	denied := errors.New("AccessDeniedException: not authorized")
	prefix := "backfill " + cfg.SourceTable + " -> " + cfg.TargetTable + ": segment 0: "
	tests := []struct{ op, want string }{
		{"Scan", prefix + "scan " + cfg.SourceTable + ": AccessDeniedException: not authorized"},
		{"GetItem", prefix + "checkpoint table " + cfg.CheckpointTable + ": read checkpoint: AccessDeniedException: not authorized"},
		{"BatchGetItem", prefix + "checkpoint table " + cfg.CheckpointTable + ": read tombstones: AccessDeniedException: not authorized"},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			f := &faultyDB{DB: db, fail: func(op string, _ any) error {
				if op == tt.op {
					return denied
				}
				return nil
			}}
			b, err := NewBackfill(f, cfg, transforms())
			require.NoError(t, err)
			_, err = b.Handle(quiet(t.Context()), BackfillRequest{})
			assert.EqualError(t, err, tt.want)
			assert.ErrorIs(t, err, denied)
		})
	}
}

func TestPermissions(t *testing.T) {
	arn := map[permission.Resource]string{
		SourceTable:     "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-accounts-accounts",
		SourceStream:    "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-accounts-accounts/stream/2026-01-01T00:00:00.000",
		TargetTable:     "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-accounts-accounts-g2",
		CheckpointTable: "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-dev-accounts-migrations",
	}
	arns := map[permission.Resource][]string{}
	for r, a := range arn {
		arns[r] = []string{a}
	}
	got, err := permission.Resolve(BackfillPermissions(), arns)
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{
		"dynamodb:Scan":         {arn[SourceTable]},
		"dynamodb:PutItem":      {arn[TargetTable], arn[CheckpointTable]},
		"dynamodb:DeleteItem":   {arn[TargetTable]},
		"dynamodb:GetItem":      {arn[CheckpointTable]},
		"dynamodb:BatchGetItem": {arn[CheckpointTable]},
	}, got)
	got, err = permission.Resolve(ReplicatorPermissions(), arns)
	require.NoError(t, err)
	assert.NotContains(t, got, "dynamodb:Scan", "the replicator never reads the old table")
	assert.Equal(t, []string{arn[SourceStream]}, got["dynamodb:GetRecords"])
}
