package migration

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// VersionAttribute is the attribute of every item the migration writes to the new
// generation that orders its writes: a stream sequence number, or BackfillVersion.
const VersionAttribute = "_migrationVersion"

// versionDigits is the width versions are padded to: stream sequence numbers have 21 to 40
// digits, and padded strings compare in DynamoDB conditions as the numbers do.
const versionDigits = 40

// BackfillVersion is the version of an item the backfill wrote: older than any change the
// stream carries.
const BackfillVersion = "0000000000000000000000000000000000000000"

// streamVersion returns the version of a stream record with sequence number seq.
func streamVersion(seq string) (string, error) {
	if seq == "" || len(seq) > versionDigits || strings.Trim(seq, "0123456789") != "" {
		return "", fmt.Errorf("sequence number %q is not 1 to %d digits", seq, versionDigits)
	}
	return strings.Repeat("0", versionDigits-len(seq)) + seq, nil
}

// key is an item's key in the new generation: its attributes, and a string that identifies
// it in tombstones and messages.
type key struct {
	attrs Item
	id    string
}

// keyOf extracts the key attributes names from item. Key attributes can only be strings,
// numbers and binaries.
func keyOf(item Item, names []string) (key, error) {
	k := key{attrs: Item{}}
	parts := make([][2]string, 0, len(names))
	for _, name := range names {
		v, ok := item[name]
		if !ok {
			return key{}, fmt.Errorf("item has no key attribute %s", name)
		}
		var part [2]string
		switch v := v.(type) {
		case *types.AttributeValueMemberS:
			part = [2]string{"S", v.Value}
		case *types.AttributeValueMemberN:
			part = [2]string{"N", v.Value}
		case *types.AttributeValueMemberB:
			part = [2]string{"B", base64.StdEncoding.EncodeToString(v.Value)}
		default:
			return key{}, fmt.Errorf("key attribute %s is a %T, not a string, number or binary", name, v)
		}
		k.attrs[name] = v
		parts = append(parts, part)
	}
	// JSON of [type, value] pairs, because it cannot be ambiguous whatever the values hold.
	b, err := json.Marshal(parts)
	if err != nil {
		return key{}, fmt.Errorf("key: %w", err)
	}
	k.id = string(b)
	return k, nil
}
