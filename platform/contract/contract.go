// Package contract holds the types that every context's contract package declares its
// outputs with. An output is bound to the project that declares it: a consumer reads it
// through the producer's declaration (a name the producer does not declare does not compile,
// and a bare string is not an output), and reading it from another project's stack, or
// exporting it from a project that is not its producer, fails the plan and the deployment.
// It imports nothing from Pulumi: contracts are shared with handlers.
package contract

// String is a string output of one project's stack.
type String struct{ project, name string }

// NewString declares the string output name of project; a contract package does this once
// per output.
func NewString(project, name string) String { return String{project: project, name: name} }

// Project is the project whose stack exports the output.
func (o String) Project() string { return o.project }

// Name is the output's name in the stack.
func (o String) Name() string { return o.name }

// StringList is a list-of-strings output of one project's stack.
type StringList struct{ project, name string }

// NewStringList declares the list-of-strings output name of project.
func NewStringList(project, name string) StringList {
	return StringList{project: project, name: name}
}

// Project is the project whose stack exports the output.
func (o StringList) Project() string { return o.project }

// Name is the output's name in the stack.
func (o StringList) Name() string { return o.name }
