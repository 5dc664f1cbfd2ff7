package main

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/stratum-platform/stratum/stacks/inventory/handlers/internal/store"
)

// diff is what a scan changes in the resources table of one account.
type diff struct {
	added, removed int
	// updated counts the resources still there whose tags changed. They are rewritten
	// but not announced: InventoryChanged counts only additions and removals.
	updated int
	// total is how many resources the account has now.
	total  int
	writes []types.WriteRequest
}

// compare returns the writes that turn stored into live, the tags of tenant's account's
// resources by ARN. A resource keeps the time it was first discovered.
func compare(tenant, accountID string, stored []store.Resource, live map[string]map[string]string, scannedAt time.Time) (diff, error) {
	d := diff{total: len(live)}
	known := make(map[string]store.Resource, len(stored))
	for _, r := range stored {
		known[r.ResourceArn] = r
	}
	// Sorted, so that the writes, and the batches they form, are the same on every run.
	for _, arn := range slices.Sorted(maps.Keys(live)) {
		typ, _ := resourceType(arn)
		r, ok := known[arn]
		switch {
		case !ok:
			r = store.Resource{AccountKey: store.PartitionKey(tenant, accountID), TenantID: tenant, AccountID: accountID,
				ResourceArn: arn, DiscoveredAt: scannedAt.Format(time.RFC3339)}
			d.added++
		case maps.Equal(r.Tags, live[arn]) && r.ResourceType == typ:
			continue
		default:
			d.updated++
		}
		r.ResourceType = typ
		r.Tags = live[arn]
		req, err := store.PutRequest(r)
		if err != nil {
			return diff{}, err
		}
		d.writes = append(d.writes, req)
	}
	for _, arn := range slices.Sorted(maps.Keys(known)) {
		if _, ok := live[arn]; !ok {
			d.writes = append(d.writes, store.DeleteRequest(store.ResourceKey(tenant, accountID, arn)))
			d.removed++
		}
	}
	return d, nil
}

// resourceType returns "service:type" for arn, such as "ec2:instance" for
// arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc, and false when arn is not an ARN.
// The type is what precedes the first "/" or ":" of the resource part. S3 buckets, SNS
// topics and SQS queues have ARNs that end in a bare name; their type is named here, and
// any other ARN without a type gives the service alone.
func resourceType(arn string) (string, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] == "" || parts[5] == "" {
		return "", false
	}
	service := parts[2]
	resource := strings.TrimPrefix(parts[5], "/") // API Gateway: arn:aws:apigateway:r::/restapis/id
	if i := strings.IndexAny(resource, "/:"); i > 0 {
		return service + ":" + resource[:i], true
	}
	switch service {
	case "s3":
		return "s3:bucket", true
	case "sns":
		return "sns:topic", true
	case "sqs":
		return "sqs:queue", true
	}
	return service, true
}
