package function

import (
	"github.com/stratum-platform/stratum/components/scope"
	"github.com/stratum-platform/stratum/platform/naming"
)

// RoleName returns the name of the execution role of function name in scope, known before
// the function exists: a resource policy that names the function's role (a secret's) can be
// written before the function is created.
func RoleName(s scope.Scope, name string) string {
	return s.Name(naming.IAMRole, name)
}
