// Package store is how the inventory context's handlers read and write its two DynamoDB
// tables: the items of the accounts and resources tables, their keys, the paginated query,
// the batch write and the guarded transactions that several handlers need.
//
// Both tables are keyed by tenant, so that no read or write of one tenant's data can name
// another's. The accounts table (hash key tenantId, range key accountId, and the index
// byAccountId) holds one item per registration of an account that the accounts context
// announced, written from its events; the resources table (hash key accountKey, which is
// "<tenantId>#<accountId>", range key resourceArn) holds what the last scan found in the
// account for that tenant.
package store

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Attribute names of the items, for expressions.
const (
	AttrTenantID       = "tenantId"
	AttrAccountID      = "accountId"
	AttrGeneration     = "generation"
	AttrDisconnectedAt = "disconnectedAt"
	AttrAccountKey     = "accountKey"
	AttrResourceArn    = "resourceArn"
)

// IndexByAccountID is the index of the accounts table by accountId alone (keys only): it
// finds every tenant's item of one account.
const IndexByAccountID = "byAccountId"

// Account is an item of the accounts table: one tenant's registration of one account.
//
// A registration that was removed keeps a tombstone item, with DisconnectedAt set and no
// name, instead of being deleted: SQS may deliver AccountConnected after the
// AccountDisconnected that followed it, and with no item left to compare Generation with,
// the late event would bring the registration back. Readers treat a tombstone as no
// account. ExpiresAt lets a DynamoDB TTL on "expiresAt" remove tombstones once no late
// event can arrive any more.
type Account struct {
	TenantID  string `dynamodbav:"tenantId"`
	AccountID string `dynamodbav:"accountId"`
	Name      string `dynamodbav:"name,omitempty"`
	// ConnectedAt is when the account was registered, in RFC 3339 and UTC.
	ConnectedAt string `dynamodbav:"connectedAt,omitempty"`
	// Generation is the registration's (contract.AccountConnected.Generation): events of
	// an older one change nothing, and a scan writes only while it is the current one.
	Generation int64 `dynamodbav:"generation"`
	// Status is the registration's, pending or active, as its last event said.
	Status string `dynamodbav:"status,omitempty"`
	// DisconnectedAt is when the registration was removed, in RFC 3339 and UTC; it is set
	// only on tombstones.
	DisconnectedAt string `dynamodbav:"disconnectedAt,omitempty"`
	// ExpiresAt is when a tombstone may be deleted, in Unix seconds.
	ExpiresAt int64 `dynamodbav:"expiresAt,omitempty"`
}

// Disconnected reports whether a is a tombstone.
func (a Account) Disconnected() bool {
	return a.DisconnectedAt != ""
}

// Resource is an item of the resources table.
type Resource struct {
	// AccountKey is PartitionKey(TenantID, AccountID).
	AccountKey  string `dynamodbav:"accountKey"`
	TenantID    string `dynamodbav:"tenantId"`
	AccountID   string `dynamodbav:"accountId"`
	ResourceArn string `dynamodbav:"resourceArn"`
	// ResourceType is "service:type" from the ARN, such as "ec2:instance".
	ResourceType string            `dynamodbav:"resourceType"`
	Tags         map[string]string `dynamodbav:"tags"`
	// DiscoveredAt is when a scan first found the resource, in RFC 3339 and UTC.
	DiscoveredAt string `dynamodbav:"discoveredAt"`
}

// PartitionKey returns the hash key of tenant's resources of accountID. Account ids never
// hold "#" ("aws-" and 12 digits; ingest refuses others), so the last "#" separates the two
// and no two pairs share a key, whatever a tenant id holds.
func PartitionKey(tenant, accountID string) string {
	return tenant + "#" + accountID
}

// AccountKey returns the key of tenant's accounts item of accountID.
func AccountKey(tenant, accountID string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{AttrTenantID: str(tenant), AttrAccountID: str(accountID)}
}

// ResourceKey returns the key of the resources item of arn in tenant's accountID.
func ResourceKey(tenant, accountID, arn string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{AttrAccountKey: str(PartitionKey(tenant, accountID)), AttrResourceArn: str(arn)}
}

func str(s string) types.AttributeValue {
	return &types.AttributeValueMemberS{Value: s}
}

// Querier is the part of the DynamoDB client that Resources uses.
type Querier interface {
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// Resources returns every item of table for tenant's accountID, reading all pages with
// strongly consistent reads: a deletion that follows must see what a scan wrote a moment
// before.
func Resources(ctx context.Context, db Querier, table, tenant, accountID string) ([]Resource, error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		KeyConditionExpression:    aws.String(AttrAccountKey + " = :k"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":k": str(PartitionKey(tenant, accountID))},
		ConsistentRead:            aws.Bool(true),
	}
	var all []Resource
	for {
		out, err := db.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("query resources of %q for tenant %q: %w", accountID, tenant, err)
		}
		var page []Resource
		if err := attributevalue.UnmarshalListOfMaps(out.Items, &page); err != nil {
			return nil, fmt.Errorf("query resources of %q for tenant %q: decode: %w", accountID, tenant, err)
		}
		all = append(all, page...)
		if len(out.LastEvaluatedKey) == 0 {
			return all, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}
