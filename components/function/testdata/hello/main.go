// Command hello is the smallest handler the build tests compile.
package main

import "os"

func main() {
	os.Exit(0)
}
