package local

import (
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// ReplacingChanges compares the inputs of a resource of the pulumi-aws type typ, as plain
// values (what a plan records), and returns the paths of the changes that AWS can only make
// by replacing the resource, written as aws-replace-on-change.json writes them
// ("hashKey", "localSecondaryIndexes[].rangeKey"), sorted. It is the same decision the
// provider makes in Diff, for checks that run before any engine, such as the table lock.
// It fails on a type the file does not list.
func ReplacingChanges(typ string, oldInputs, newInputs map[string]any) ([]string, error) {
	r, err := loadRules()
	if err != nil {
		return nil, err
	}
	t, err := r.lookup(typ)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, l := range diffInputs(resource.NewPropertyMapFromMap(oldInputs), nil, resource.NewPropertyMapFromMap(newInputs)) {
		if t.replaces(l) {
			paths = append(paths, rulePath(l.path))
		}
	}
	slices.Sort(paths)
	return slices.Compact(paths), nil
}
