// Package store is how the inventory context's handlers read and write its two DynamoDB
// tables: the items of the accounts and resources tables, their keys, and the paginated
// query and batch write that several handlers need.
//
// The accounts table (hash key accountId) holds one item per account that the accounts
// context connected, written from its events; the resources table (hash key accountId,
// range key resourceArn) holds what the last scan found in each account.
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
	AttrAccountID      = "accountId"
	AttrTenantID       = "tenantId"
	AttrLastEventAt    = "lastEventAt"
	AttrDisconnectedAt = "disconnectedAt"
	AttrResourceArn    = "resourceArn"
)

// Account is an item of the accounts table.
//
// An account that was disconnected keeps a tombstone item, with DisconnectedAt set and
// no name, instead of being deleted: SQS may deliver AccountConnected after the
// AccountDisconnected that followed it, and with no item left to compare LastEventAt
// with, the late event would bring the account back. Readers treat a tombstone as no
// account. ExpiresAt lets a DynamoDB TTL on "expiresAt" remove tombstones once no late
// event can arrive any more.
type Account struct {
	AccountID string `dynamodbav:"accountId"`
	TenantID  string `dynamodbav:"tenantId"`
	Name      string `dynamodbav:"name,omitempty"`
	// ConnectedAt is when the account was connected, in RFC 3339 and UTC.
	ConnectedAt string `dynamodbav:"connectedAt,omitempty"`
	// LastEventAt is the time of the last event applied to the item, in Unix
	// milliseconds: a number, so that conditions compare it as one.
	LastEventAt int64 `dynamodbav:"lastEventAt"`
	// DisconnectedAt is when the account was disconnected, in RFC 3339 and UTC; it is
	// set only on tombstones.
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
	AccountID   string `dynamodbav:"accountId"`
	ResourceArn string `dynamodbav:"resourceArn"`
	// ResourceType is "service:type" from the ARN, such as "ec2:instance".
	ResourceType string            `dynamodbav:"resourceType"`
	Tags         map[string]string `dynamodbav:"tags"`
	// DiscoveredAt is when a scan first found the resource, in RFC 3339 and UTC.
	DiscoveredAt string `dynamodbav:"discoveredAt"`
}

// AccountKey returns the key of the accounts item of accountID.
func AccountKey(accountID string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{AttrAccountID: &types.AttributeValueMemberS{Value: accountID}}
}

// ResourceKey returns the key of the resources item of arn in accountID.
func ResourceKey(accountID, arn string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		AttrAccountID:   &types.AttributeValueMemberS{Value: accountID},
		AttrResourceArn: &types.AttributeValueMemberS{Value: arn},
	}
}

// Querier is the part of the DynamoDB client that Resources uses.
type Querier interface {
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// Resources returns every item of table for accountID, reading all pages.
func Resources(ctx context.Context, db Querier, table, accountID string) ([]Resource, error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		KeyConditionExpression:    aws.String(AttrAccountID + " = :a"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":a": &types.AttributeValueMemberS{Value: accountID}},
	}
	var all []Resource
	for {
		out, err := db.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("query resources of %q: %w", accountID, err)
		}
		var page []Resource
		if err := attributevalue.UnmarshalListOfMaps(out.Items, &page); err != nil {
			return nil, fmt.Errorf("query resources of %q: decode: %w", accountID, err)
		}
		all = append(all, page...)
		if len(out.LastEvaluatedKey) == 0 {
			return all, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}
