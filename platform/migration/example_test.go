package migration_test

import (
	"fmt"
	"maps"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/stratum-platform/stratum/platform/migration"
)

// A context's replicator main registers its transform by name; the function's
// MIGRATION_TRANSFORM picks it. The main itself is one line:
//
//	func main() { migration.RunReplicator(migration.Transforms{"byTenant": byTenant}) }
func ExampleTransforms() {
	byTenant := func(old migration.Item) (migration.Item, error) {
		item := maps.Clone(old)
		item["tenantId"] = &types.AttributeValueMemberS{Value: "t-" + old["accountId"].(*types.AttributeValueMemberS).Value[:4]}
		return item, nil
	}
	ts := migration.Transforms{"byTenant": byTenant}
	t, err := ts.Lookup("byTenant")
	if err != nil {
		fmt.Println(err)
		return
	}
	item, _ := t(migration.Item{"accountId": &types.AttributeValueMemberS{Value: "aws-123456789012"}})
	fmt.Println(item["tenantId"].(*types.AttributeValueMemberS).Value)
	_, err = ts.Lookup("byTennant")
	fmt.Println(err)
	// Output:
	// t-aws-
	// migration: transform "byTennant" is not registered; registered: byTenant, identity
}
