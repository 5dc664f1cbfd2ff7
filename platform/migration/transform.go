package migration

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Item is a DynamoDB item.
type Item = map[string]types.AttributeValue

// Transform turns an item of the old generation into its item in the new one. It must be a
// pure function of its input: the replicator and the backfill call it for the same item at
// different times, and a replay calls it again. It may change the key; distinct old keys
// must give distinct new keys.
type Transform func(old Item) (Item, error)

// Transforms are the transforms a handler's main registers, by name.
type Transforms map[string]Transform

// IdentityName is the name under which Identity is always registered.
const IdentityName = "identity"

// Identity keeps the item as it is: for a migration that only renames the table or changes
// what the key attributes' indexes are, not the items.
func Identity(old Item) (Item, error) {
	return maps.Clone(old), nil
}

// Lookup returns the transform registered as name, Identity for IdentityName unless ts
// registers its own.
func (ts Transforms) Lookup(name string) (Transform, error) {
	if t, ok := ts[name]; ok && t != nil {
		return t, nil
	}
	if name == IdentityName {
		return Identity, nil
	}
	names := append(slices.Sorted(maps.Keys(ts)), IdentityName)
	slices.Sort(names)
	return nil, fmt.Errorf("migration: transform %q is not registered; registered: %s", name, strings.Join(slices.Compact(names), ", "))
}
