// Command broken does not compile: the build tests check that the compiler's message is
// reported.
package main

func main() {
	var n int = "not a number"
	_ = n
}
