package tags_test

import (
	"fmt"
	"maps"
	"slices"

	"github.com/stratum-platform/stratum/platform/naming"
	"github.com/stratum-platform/stratum/platform/tags"
)

func Example() {
	scope := naming.Scope{Org: "acme", Env: "prod", Context: "accounts"}
	all := tags.Merge(
		tags.Default(scope, "team-accounts", "cc-1234"),
		map[string]string{"data-class": "pii", tags.KeyOwner: "ignored: defaults cannot be overridden"},
	)
	if err := tags.Validate(all); err != nil {
		fmt.Println(err)
		return
	}
	for _, k := range slices.Sorted(maps.Keys(all)) {
		fmt.Printf("%s=%s\n", k, all[k])
	}
	// Output:
	// context=accounts
	// cost-centre=cc-1234
	// data-class=pii
	// env=prod
	// managed-by=stratum
	// org=acme
	// owner=team-accounts
}
