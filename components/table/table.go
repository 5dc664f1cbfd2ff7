// Package table provides Table: a DynamoDB table with typed keys and global secondary
// indexes, encrypted with the context's KMS key, recoverable, protected where the scope
// says so, and alarmed.
//
// Default settings:
//   - on-demand capacity (PAY_PER_REQUEST); with Capacity set, provisioned capacity with
//     target-tracking auto scaling at 70% utilisation for reads and writes of the table and
//     of every index;
//   - point-in-time recovery on;
//   - server-side encryption with the scope's KMS key (never the AWS-owned key);
//   - table class STANDARD, no TTL, no stream;
//   - deletion protection, protect and retainOnDelete when the scope protects stateful
//     resources;
//   - attribute definitions derived from the table's and the indexes' keys;
//   - alarms to the scope's alarm topic: read and write throttle events of the table and of
//     each index (Sum > 0 over 5 minutes), system errors of each data operation (Sum > 0
//     over 5 minutes).
//
// NewStreamConsumer delivers a table's stream to a function (an event source mapping from
// the oldest record, retried until a record expires, with partial batch responses, an
// on-failure queue and an alarm on the iterator age).
package table

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/appautoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/override"
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// TypeToken is the Pulumi type of Table; renaming it needs an alias.
const TypeToken = tokens.Table

// AttributeType is the DynamoDB type of a key attribute.
type AttributeType string

// The attribute types a key may have.
const (
	String AttributeType = "S"
	Number AttributeType = "N"
	Binary AttributeType = "B"
)

// Key is a partition (hash) or sort (range) key: an attribute name and its type.
type Key struct {
	// Name is the attribute's name, 1 to 255 bytes. Required.
	Name string
	// Type is String, Number or Binary. Required.
	Type AttributeType
}

// Projection is what a global secondary index copies from the table.
type Projection string

// The projections an index may have.
const (
	ProjectAll      Projection = "ALL"
	ProjectKeysOnly Projection = "KEYS_ONLY"
	ProjectInclude  Projection = "INCLUDE"
)

// StreamView is what a DynamoDB stream record holds; the empty StreamView means no stream.
type StreamView string

// The stream views a table may have.
const (
	StreamNewImage        StreamView = "NEW_IMAGE"
	StreamOldImage        StreamView = "OLD_IMAGE"
	StreamNewAndOldImages StreamView = "NEW_AND_OLD_IMAGES"
	StreamKeysOnly        StreamView = "KEYS_ONLY"
)

// Index is a global secondary index.
type Index struct {
	// Name names the index: 3 to 255 characters of [A-Za-z0-9_.-], unique in the table.
	// Required.
	Name string
	// HashKey is the index's partition key. Required.
	HashKey Key
	// RangeKey is the index's sort key. Default: none.
	RangeKey Key
	// Projection is ProjectAll, ProjectKeysOnly or ProjectInclude. Default: ProjectAll.
	Projection Projection
	// NonKeyAttributes are the attributes ProjectInclude copies; only with ProjectInclude.
	// Default: none.
	NonKeyAttributes []string
}

// MinMax bounds the capacity units auto scaling may provision. Min is also the initial
// capacity.
type MinMax struct {
	// Min is the least capacity, at least 1. Required.
	Min int
	// Max is the most capacity, at least Min. Required.
	Max int
}

// Provisioned is provisioned capacity with auto scaling; every index gets the same bounds.
type Provisioned struct {
	// Read bounds the read capacity units. Required.
	Read MinMax
	// Write bounds the write capacity units. Required.
	Write MinMax
}

// Args configures a Table.
type Args struct {
	// Scope names the table and supplies its key, tags, alarm topic and protection. Required.
	Scope scope.Scope
	// HashKey is the table's partition key. Required.
	HashKey Key
	// RangeKey is the table's sort key; an empty Name means the table has none.
	// Default: none.
	RangeKey Key
	// Indexes are the global secondary indexes, at most 20. Their keys become attribute
	// definitions of the table. Default: none.
	Indexes []Index
	// TTLAttribute names the Number attribute holding each item's expiry time (epoch
	// seconds). Default: off.
	TTLAttribute string
	// Stream turns on a DynamoDB stream with the given view. Default: off.
	Stream StreamView
	// Capacity switches the table to provisioned capacity with auto scaling of the table and
	// every index between the bounds. Default: nil, on-demand (PAY_PER_REQUEST).
	Capacity *Provisioned
	// Migration declares a new generation of the table, for a change of its key or name
	// that DynamoDB can only make by replacing it (migration.go). Default: none.
	Migration *Migration
	// Overrides change the table's arguments before the component re-applies the fields it
	// owns (name, keys, attributes, indexes, capacity, encryption, recovery, stream, TTL,
	// deletion protection when the scope protects). Default: none.
	Overrides Overrides
}

// Overrides are hooks on the children's arguments.
type Overrides struct {
	// Table changes the dynamodb.TableArgs. What it sets beyond the owned fields is kept,
	// for example the table class, tags, an on-demand throughput cap, the recovery period,
	// local secondary indexes with their attribute definitions, or deletion protection for
	// an unprotected scope. Default: none.
	Table func(*dynamodb.TableArgs)
}

// Table is a DynamoDB table with its auto scaling and alarms.
type Table struct {
	pulumi.ResourceState

	// Table is the DynamoDB table: during a migration, the generation in use
	// (Migration.Serve).
	Table *dynamodb.Table
	// Migrating holds the generations and the checkpoint table of a migration; nil without
	// Args.Migration.
	Migrating *Migrating
	// ScalingTargets and ScalingPolicies are the auto scaling of provisioned capacity, read
	// then write, table then each index; empty for on-demand tables.
	ScalingTargets  []*appautoscaling.Target
	ScalingPolicies []*appautoscaling.Policy
	// Arn, Name and StreamArn are the table's ARN, physical name and stream ARN (empty
	// without a stream).
	Arn, Name, StreamArn pulumi.StringOutput

	name    string
	keyArn  pulumi.StringInput
	indexes []string
	stream  bool
	scope   scope.Scope // for the children of integrations, such as a StreamConsumer
	// grantedArns are the ARNs of the generations grants name: the one in use, or both
	// during a migration; nil for Existing, whose grants name Arn.
	grantedArns []pulumi.StringInput
	// newestName is the name of the newest generation, which the dashboard shows; nil for
	// Existing, whose dashboard shows Name.
	newestName pulumi.StringInput
}

// withDefaults returns the Args with every default filled in: each index projects all
// attributes unless it says otherwise.
func (a *Args) withDefaults() Args {
	d := *a
	d.Indexes = slices.Clone(d.Indexes)
	for i := range d.Indexes {
		if d.Indexes[i].Projection == "" {
			d.Indexes[i].Projection = ProjectAll
		}
	}
	return d
}

// New creates a Table.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Table, error) {
	if args == nil {
		args = &Args{}
	}
	if err := args.Validate(); err != nil {
		return nil, fmt.Errorf("table %q: %w", name, err)
	}
	a := args.withDefaults()

	t := &Table{name: name, keyArn: a.Scope.KeyArn, stream: a.Stream != "", scope: a.Scope}
	for _, idx := range a.Indexes {
		t.indexes = append(t.indexes, idx.Name)
	}
	if err := ctx.RegisterComponentResource(TypeToken, name, t, opts...); err != nil {
		return nil, fmt.Errorf("table %q: %w", name, err)
	}

	if err := t.create(ctx, name, &a); err != nil {
		return nil, fmt.Errorf("table %q: %w", name, err)
	}
	t.Arn, t.Name, t.StreamArn = t.Table.Arn, t.Table.Name, t.Table.StreamArn

	if err := ctx.RegisterResourceOutputs(t, pulumi.Map{
		"arn": t.Arn, "name": t.Name, "streamArn": t.StreamArn,
	}); err != nil {
		return nil, fmt.Errorf("table %q: %w", name, err)
	}
	return t, nil
}

// newGeneration creates the DynamoDB table of one generation, with logical name logical
// (migration.GenerationName) and the physical name derived from it.
// own sets what the component owns besides applyOwned's fields (a migration's restore
// source and tags), or is nil.
func (t *Table) newGeneration(ctx *pulumi.Context, logical string, a *Args, own func(*dynamodb.TableArgs),
	opts ...pulumi.ResourceOption,
) (*dynamodb.Table, error) {
	tableArgs := override.Apply(&dynamodb.TableArgs{
		TableClass: pulumi.String("STANDARD"),
		Tags:       a.Scope.TagMap(),
	}, a.Overrides.Table, func(ta *dynamodb.TableArgs) {
		applyOwned(ta, logical, a)
		if own != nil {
			own(ta)
		}
	})

	tableOpts := append([]pulumi.ResourceOption{pulumi.Parent(t)}, opts...)
	if a.Capacity != nil {
		// Auto scaling changes the provisioned capacity; the next deployment must not put it
		// back to the minimum.
		tableOpts = append(tableOpts, pulumi.IgnoreChanges([]string{
			"readCapacity", "writeCapacity",
			"globalSecondaryIndexes[*].readCapacity", "globalSecondaryIndexes[*].writeCapacity",
		}))
	}
	// No DeleteBeforeReplace although the name is fixed: replacing a table loses its data,
	// so a replacement must fail on the duplicate name instead of deleting the table first.
	table, err := dynamodb.NewTable(ctx, logical, tableArgs, tableOpts...)
	if err != nil {
		return nil, err
	}
	g := generation{logical: logical, table: table}
	if a.Capacity != nil {
		if err := t.autoscale(ctx, g, a); err != nil {
			return nil, fmt.Errorf("auto scaling: %w", err)
		}
	}
	if err := t.alarms(ctx, g, a); err != nil {
		return nil, err
	}
	return table, nil
}

// generation is one generation's table and the logical name its children derive from.
type generation struct {
	logical string
	table   *dynamodb.Table
}

// applyOwned sets the fields the component owns on the table's arguments, after the
// Overrides hook ran.
func applyOwned(ta *dynamodb.TableArgs, name string, a *Args) {
	ta.Name = pulumi.String(a.Scope.Name(naming.DynamoDBTable, name))
	ta.HashKey = pulumi.String(a.HashKey.Name)
	ta.RangeKey = nil
	if a.RangeKey.Name != "" {
		ta.RangeKey = pulumi.String(a.RangeKey.Name)
	}
	ta.Attributes = attributes(a, ta.Attributes)

	ta.GlobalSecondaryIndexes = nil
	if len(a.Indexes) > 0 {
		gsis := make(dynamodb.TableGlobalSecondaryIndexArray, 0, len(a.Indexes))
		for _, idx := range a.Indexes {
			gsis = append(gsis, gsi(idx, a.Capacity))
		}
		ta.GlobalSecondaryIndexes = gsis
	}

	ta.ReadCapacity, ta.WriteCapacity = nil, nil
	if a.Capacity == nil {
		// A hook's OnDemandThroughput (a cap on request units) is kept.
		ta.BillingMode = pulumi.String("PAY_PER_REQUEST")
	} else {
		ta.BillingMode = pulumi.String("PROVISIONED")
		ta.ReadCapacity = pulumi.Int(a.Capacity.Read.Min)
		ta.WriteCapacity = pulumi.Int(a.Capacity.Write.Min)
		ta.OnDemandThroughput = nil
	}

	// Recovery stays on; a recovery period chosen by the hook is kept.
	pitr := &dynamodb.TablePointInTimeRecoveryArgs{}
	if prev, ok := ta.PointInTimeRecovery.(*dynamodb.TablePointInTimeRecoveryArgs); ok && prev != nil {
		pitr.RecoveryPeriodInDays = prev.RecoveryPeriodInDays
	}
	pitr.Enabled = pulumi.Bool(true)
	ta.PointInTimeRecovery = pitr

	ta.ServerSideEncryption = &dynamodb.TableServerSideEncryptionArgs{
		Enabled:   pulumi.Bool(true),
		KmsKeyArn: a.Scope.KeyArn,
	}

	ta.StreamEnabled, ta.StreamViewType = nil, nil
	if a.Stream != "" {
		ta.StreamEnabled = pulumi.Bool(true)
		ta.StreamViewType = pulumi.String(string(a.Stream))
	}

	ta.Ttl = nil
	if a.TTLAttribute != "" {
		ta.Ttl = &dynamodb.TableTtlArgs{AttributeName: pulumi.String(a.TTLAttribute), Enabled: pulumi.Bool(true)}
	}

	// A hook may turn deletion protection on for an unprotected scope, never off for a
	// protected one.
	if a.Scope.Protect {
		ta.DeletionProtectionEnabled = pulumi.Bool(true)
	}
}

// attributes returns the attribute definitions of every key of the table and its indexes,
// in order of first use, followed by the definitions a hook added for other attributes
// (the sort keys of local secondary indexes, which only a hook can create).
func attributes(a *Args, extra dynamodb.TableAttributeArrayInput) dynamodb.TableAttributeArray {
	var out dynamodb.TableAttributeArray
	seen := map[string]bool{}
	add := func(k Key) {
		if k.Name == "" || seen[k.Name] {
			return
		}
		seen[k.Name] = true
		out = append(out, dynamodb.TableAttributeArgs{Name: pulumi.String(k.Name), Type: pulumi.String(string(k.Type))})
	}
	add(a.HashKey)
	add(a.RangeKey)
	for _, idx := range a.Indexes {
		add(idx.HashKey)
		add(idx.RangeKey)
	}
	if list, ok := extra.(dynamodb.TableAttributeArray); ok {
		for _, in := range list {
			attr, ok := in.(dynamodb.TableAttributeArgs)
			if !ok {
				continue
			}
			if lit, ok := attr.Name.(pulumi.String); ok && seen[string(lit)] {
				continue
			}
			out = append(out, attr)
		}
	}
	return out
}

// gsi returns the arguments of one global secondary index.
func gsi(idx Index, capacity *Provisioned) dynamodb.TableGlobalSecondaryIndexArgs {
	g := dynamodb.TableGlobalSecondaryIndexArgs{
		Name:           pulumi.String(idx.Name),
		HashKey:        pulumi.String(idx.HashKey.Name),
		ProjectionType: pulumi.String(string(idx.Projection)),
	}
	if idx.RangeKey.Name != "" {
		g.RangeKey = pulumi.String(idx.RangeKey.Name)
	}
	if len(idx.NonKeyAttributes) > 0 {
		g.NonKeyAttributes = pulumi.ToStringArray(idx.NonKeyAttributes)
	}
	if capacity != nil {
		g.ReadCapacity = pulumi.Int(capacity.Read.Min)
		g.WriteCapacity = pulumi.Int(capacity.Write.Min)
	}
	return g
}
