//go:build !unix

package local

// lockFile is a no-op where flock does not exist: there only the provider's own mutex
// guards the account, so one engine at a time may use it.
func lockFile(string) (func(), error) {
	return func() {}, nil
}
