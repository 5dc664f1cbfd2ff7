package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/stratum-platform/stratum/stacks/inventory/handlers/internal/store"
)

// deleteResources deletes every resource stored for tenant's accountID and returns how
// many. It reads after the tombstone is written, consistently, so that what a scan wrote
// before the tombstone is deleted too, and a scan cannot write after it (see
// store.WriteIfCurrent).
func (h *handler) deleteResources(ctx context.Context, tenant, accountID string) (int, error) {
	resources, err := store.Resources(ctx, h.db, h.resourcesTable, tenant, accountID)
	if err != nil {
		return 0, err
	}
	reqs := make([]types.WriteRequest, 0, len(resources))
	for _, r := range resources {
		reqs = append(reqs, store.DeleteRequest(store.ResourceKey(tenant, accountID, r.ResourceArn)))
	}
	batch := store.Batch{DB: h.db, Table: h.resourcesTable, Sleep: h.sleep}
	if err := batch.Write(ctx, reqs); err != nil {
		return 0, err
	}
	return len(reqs), nil
}

// deleteOtherTenants deletes the resources of accountID that every tenant but tenant has,
// found through the accounts table's index by account, and returns how many.
func (h *handler) deleteOtherTenants(ctx context.Context, tenant, accountID string) (int, error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(h.accountsTable),
		IndexName:                 aws.String(store.IndexByAccountID),
		KeyConditionExpression:    aws.String(store.AttrAccountID + " = :a"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":a": &types.AttributeValueMemberS{Value: accountID}},
	}
	removed := 0
	for {
		out, err := h.db.Query(ctx, in)
		if err != nil {
			return removed, fmt.Errorf("query %s index %s: %w", h.accountsTable, store.IndexByAccountID, err)
		}
		var page []store.Account
		if err := attributevalue.UnmarshalListOfMaps(out.Items, &page); err != nil {
			return removed, fmt.Errorf("query %s index %s: decode: %w", h.accountsTable, store.IndexByAccountID, err)
		}
		for _, other := range page {
			if other.TenantID == tenant {
				continue
			}
			n, err := h.deleteResources(ctx, other.TenantID, accountID)
			removed += n
			if err != nil {
				return removed, err
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			return removed, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}
