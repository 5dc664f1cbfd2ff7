package naming_test

import (
	"fmt"

	"github.com/stratum-platform/stratum/platform/naming"
)

func Example() {
	scope := naming.Scope{Org: "acme", Env: "dev", Context: "accounts"}
	if err := scope.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(naming.Child("register", "role"))
	fmt.Println(scope.Physical(naming.LambdaFunction, "register"))
	fmt.Println(scope.Physical(naming.SQSFIFOQueue, "events"))
	fmt.Println(scope.Physical(naming.KMSAlias, ""))
	fmt.Println(scope.Physical(naming.IAMRole, "register-handler-with-a-rather-very-long-name-indeed"))
	// Output:
	// register-role
	// acme-dev-accounts-register
	// acme-dev-accounts-events.fifo
	// alias/acme-dev-accounts
	// acme-dev-accounts-register-handler-with-a-rather-very-l-661830e9
}
