package affected_test

import (
	"fmt"

	"github.com/stratum-platform/stratum/platform/affected"
)

// Example lists the projects that a branch changes compared with main, uncommitted changes
// included, as CI does before planning and deploying only those.
func Example() {
	projects := []affected.Project{
		{Name: "platform", Dir: "."},
		{Name: "accounts", Dir: "stacks/accounts"},
	}
	changed, err := affected.Changed(".", "origin/main")
	if err != nil {
		fmt.Println(err)
		return
	}
	names, err := affected.Affected(".", projects, changed)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range names {
		fmt.Println(name)
	}
}
