// Package tokens holds the Pulumi type tokens of the platform's components. The components
// define their TypeToken constants from these, and the readers of plans (platform/graph)
// recognise components by them, so a rename changes both at once instead of leaving a
// diagram that silently lost its nodes. platform may not import components, hence this
// package.
//
// A token is a public contract: it is part of every URN of the component and its children,
// so renaming one replaces every deployed resource unless the component declares an alias.
package tokens

// Prefix starts the type token of every Stratum component.
const Prefix = "stratum:"

// The type tokens of the components, "stratum:<package>:<type>".
const (
	Function             = "stratum:function:Function"
	HTTPAPI              = "stratum:httpapi:API"
	Key                  = "stratum:key:Key"
	Queue                = "stratum:queue:Queue"
	QueueConsumer        = "stratum:queue:Consumer"
	Schedule             = "stratum:schedule:Schedule"
	Secret               = "stratum:secret:Secret"
	Service              = "stratum:service:Service"
	Table                = "stratum:table:Table"
	TableStreamConsumer  = "stratum:table:StreamConsumer"
	Topic                = "stratum:topic:Topic"
	QueueSubscription    = "stratum:topic:QueueSubscription"
	FunctionSubscription = "stratum:topic:FunctionSubscription"
)
