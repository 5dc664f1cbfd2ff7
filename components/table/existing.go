package table

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/internal/existing"
)

// ExistingArgs identify a table another stack owns.
type ExistingArgs struct {
	// Arn is the table's ARN, a literal or its owner's stack output. Required.
	Arn pulumi.StringInput
	// KeyArn is the KMS key the table is encrypted with (a Stratum table's is its context's
	// key): the grants then include its use. Default: none (the grants have no key
	// statement, which is right only for a table encrypted with an AWS owned key).
	KeyArn pulumi.StringInput
	// Indexes are the names of the table's global secondary indexes, which reading grants
	// and QueryIndex/ScanIndex cover. Default: none.
	Indexes []string
	// StreamArn is the table's stream, which AllowStreamRead grants. Default: none
	// (AllowStreamRead is invalid).
	StreamArn pulumi.StringInput
}

// Existing refers to a table another stack owns, by its ARN, so that this stack's functions
// can be granted exactly the operations they call (Allow, AllowRead, AllowWrite, ...).
// Nothing is created: the returned Table is no resource of this stack and has no children;
// it has Arn, Name and StreamArn. name is this stack's name for it, which the grants'
// statement ids use.
func Existing(name string, args ExistingArgs) (*Table, error) {
	errs := []error{existing.Check(name, args.Arn, "dynamodb", "table/"), existing.CheckKey(args.KeyArn)}
	for i, idx := range args.Indexes {
		if !validIndexName(idx) {
			errs = append(errs, fmt.Errorf("Indexes[%d]: %q is not an index name (3 to 255 of [A-Za-z0-9_.-])", i, idx))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("table %q: %w", name, err)
	}
	arn := args.Arn.ToStringOutput()
	t := &Table{
		Arn:     arn,
		Name:    arn.ApplyT(func(a string) string { return a[strings.LastIndex(a, "/")+1:] }).(pulumi.StringOutput),
		name:    name,
		keyArn:  args.KeyArn,
		indexes: append([]string(nil), args.Indexes...),
		stream:  args.StreamArn != nil,
	}
	if args.StreamArn != nil {
		t.StreamArn = args.StreamArn.ToStringOutput()
	}
	return t, nil
}
