// Package contract holds the types that every context's contract package declares its
// outputs with. A consumer reads an output through the producer's declaration, so an output
// the producer does not declare is a compile error, and the declared type decides how it is
// read. It imports nothing from Pulumi: contracts are shared with handlers.
package contract

// String is the name of a string output of a project's stack.
type String string

// StringList is the name of a list-of-strings output of a project's stack.
type StringList string
