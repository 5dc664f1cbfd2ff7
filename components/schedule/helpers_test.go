package schedule_test

import "github.com/stratum-platform/stratum/components/function"

// fakeFunction is enough for Validate, which only checks that a function is given.
func fakeFunction() *function.Function {
	return &function.Function{}
}
