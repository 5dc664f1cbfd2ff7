package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/plan"
)

func queueDeadLetter() Rule {
	return Rule{
		ID:       "queue-dead-letter",
		Severity: Error,
		Rationale: "Every SQS queue has a redrive policy with a dead-letter queue, unless it is itself a " +
			"dead-letter queue (the target of another queue's or a subscription's redrive policy, of a " +
			"schedule's dead-letter config, or of a function's on-failure destination). Without one, a " +
			"message its consumer cannot process is received again and again, costing an invocation each " +
			"time (and blocking its message group in a FIFO queue), and is deleted without trace when its " +
			"retention period ends. A dead-letter queue's redrive allow policy names its source queues " +
			"(byQueue): with allowAll any queue of the account could fill it and bury its own failures " +
			"among another consumer's.",
		Types: []string{typeQueue, typeRedriveAllowPolicy},
		Check: checkQueueDeadLetter,
	}
}

// deadLetterTargets returns the ARNs the plan sends failed messages and events to.
func deadLetterTargets(p *plan.Plan) map[string]bool {
	targets := map[string]bool{}
	add := func(arn string) {
		if arn != "" {
			targets[arn] = true
		}
	}
	for _, r := range p.Resources {
		switch r.Type {
		case typeQueue, typeSubscription:
			add(deadLetterTarget(input(r, "redrivePolicy")))
		case typeSchedule:
			add(inputString(r, "target", "deadLetterConfig", "arn"))
		case typeInvokeConfig:
			add(inputString(r, "destinationConfig", "onFailure", "destination"))
		case typeEventSourceMapping:
			add(inputString(r, "destinationConfig", "onFailure", "destinationArn"))
		case typeFunction:
			add(inputString(r, "deadLetterConfig", "targetArn"))
		}
	}
	return targets
}

func checkQueueDeadLetter(p *plan.Plan) []Violation {
	targets := deadLetterTargets(p)
	var out []Violation
	for _, r := range ofType(p, typeQueue) {
		if targets[outputString(r, "arn")] {
			continue
		}
		v := input(r, "redrivePolicy")
		switch {
		case v == nil:
			out = append(out, Violation{URN: r.URN, Message: "redrivePolicy is not set and no resource of the " +
				"plan uses the queue as a dead-letter queue: a message that keeps failing is retried until it " +
				"expires; add a dead-letter queue"})
		case deadLetterTarget(v) == "":
			out = append(out, Violation{URN: r.URN, Message: "redrivePolicy has no deadLetterTargetArn; " +
				"name the dead-letter queue"})
		}
	}
	for _, r := range ofType(p, typeRedriveAllowPolicy) {
		allow, _ := jsonObject(input(r, "redriveAllowPolicy"))
		if perm := asString(allow["redrivePermission"]); perm != "byQueue" || len(asStrings(allow["sourceQueueArns"])) == 0 {
			out = append(out, Violation{URN: r.URN, Message: fmt.Sprintf("redriveAllowPolicy has redrivePermission %q "+
				"and %d source queues; name the source queues with byQueue", perm, len(asStrings(allow["sourceQueueArns"])))})
		}
	}
	return out
}

func asyncDeadLetter() Rule {
	return Rule{
		ID:       "async-dead-letter",
		Severity: Error,
		Rationale: "Every asynchronous delivery the plan configures keeps what it could not deliver: " +
			"schedules have a dead-letter queue, SNS subscriptions to functions a redrive policy, and a " +
			"function that a schedule or a subscription of the plan invokes has an on-failure destination. " +
			"Schedules and SNS invoke functions asynchronously: their dead-letter queues only catch events " +
			"Lambda did not accept, and an event the function fails on every retry is dropped unless the " +
			"function's event invoke config sends it somewhere; then neither an alarm nor a redrive can " +
			"bring it back.",
		Types: []string{typeSchedule, typeSubscription, typeFunction},
		Check: checkAsyncDeadLetter,
	}
}

func checkAsyncDeadLetter(p *plan.Plan) []Violation {
	var out []Violation
	add := func(r plan.Resource, msg string) { out = append(out, Violation{URN: r.URN, Message: msg}) }
	invokers := map[string][]string{} // function name -> what invokes it asynchronously
	for _, r := range p.Resources {
		switch r.Type {
		case typeSchedule:
			if target := inputString(r, "target", "arn"); strings.Contains(target, ":function:") {
				invokers[functionNameOf(target)] = append(invokers[functionNameOf(target)], fmt.Sprintf("schedule %q", r.Name))
			}
			if inputString(r, "target", "deadLetterConfig", "arn") == "" {
				add(r, "target.deadLetterConfig.arn is not set: an invocation that fails every retry is "+
					"dropped; send it to a queue")
			}
		case typeSubscription:
			if inputString(r, "protocol") != "lambda" {
				continue
			}
			fn := functionNameOf(inputString(r, "endpoint"))
			invokers[fn] = append(invokers[fn], fmt.Sprintf("subscription %q", r.Name))
			if deadLetterTarget(input(r, "redrivePolicy")) == "" {
				add(r, "redrivePolicy has no deadLetterTargetArn: a message SNS cannot deliver to the "+
					"function is dropped after its retries; send it to a queue")
			}
		}
	}
	configured := onFailureConfigured(p)
	for _, r := range ofType(p, typeFunction) {
		if by := invokers[physicalName(r)]; len(by) > 0 && !configured[physicalName(r)] {
			slices.Sort(by)
			add(r, fmt.Sprintf("the function is invoked asynchronously by %s but has no on-failure "+
				"destination: an event it fails on every retry is dropped; set one in its event invoke config",
				strings.Join(by, ", ")))
		}
	}
	return out
}

// onFailureConfigured returns the names of the functions whose event invoke config has an
// on-failure destination.
func onFailureConfigured(p *plan.Plan) map[string]bool {
	configured := map[string]bool{}
	for _, r := range ofType(p, typeInvokeConfig) {
		if inputString(r, "destinationConfig", "onFailure", "destination") != "" {
			configured[functionNameOf(inputString(r, "functionName"))] = true
		}
	}
	return configured
}

// SynchronousFunctionTag is the tag (key and value) of a function its program declares
// invoked only synchronously (components/function's Args.Synchronous): function-on-failure
// asks it no on-failure destination; async-dead-letter still refuses the asynchronous
// invokers the plan shows.
const (
	SynchronousFunctionTag      = "invocation"
	SynchronousFunctionTagValue = "synchronous"
)

func functionOnFailure() Rule {
	return Rule{
		ID:       "function-on-failure",
		Severity: Warning,
		Rationale: "Every Lambda function has an event invoke config with an on-failure destination, so " +
			"an asynchronous invocation (from a schedule, a topic, an event bus or another function) that " +
			"fails every retry is kept for inspection and redrive. It is a warning because the plan " +
			"does not show every asynchronous caller (other stacks, event buses, the CLI) and a function " +
			"only invoked synchronously (behind an API, or by an event source mapping) does not need one; " +
			"its program says so with the tag " + SynchronousFunctionTag + "=" + SynchronousFunctionTagValue +
			", or a suppression records it. Functions the plan's own schedules and subscriptions invoke are " +
			"errors under async-dead-letter.",
		Types: []string{typeFunction, typeInvokeConfig},
		Check: checkFunctionOnFailure,
	}
}

func checkFunctionOnFailure(p *plan.Plan) []Violation {
	configured := onFailureConfigured(p)
	var out []Violation
	for _, r := range ofType(p, typeFunction) {
		if !configured[physicalName(r)] && inputString(r, "tags", SynchronousFunctionTag) != SynchronousFunctionTagValue {
			out = append(out, Violation{URN: r.URN, Message: "no event invoke config with an on-failure " +
				"destination: a failed asynchronous invocation is dropped after its retries; if nothing invokes " +
				"the function asynchronously, declare it (tag " + SynchronousFunctionTag + "=" + SynchronousFunctionTagValue +
				", function.Args.Synchronous) or suppress with the reason"})
		}
	}
	return out
}

func logRetention() Rule {
	return Rule{
		ID:       "log-retention",
		Severity: Error,
		Rationale: "Every CloudWatch log group has a retention period. Without one, logs (which may hold " +
			"personal data) are kept, and billed, forever; the platform's retention is set per environment " +
			"in config.",
		Types: []string{typeLogGroup},
		Check: checkLogRetention,
	}
}

func checkLogRetention(p *plan.Plan) []Violation {
	var out []Violation
	for _, r := range ofType(p, typeLogGroup) {
		if days, ok := asNumber(input(r, "retentionInDays")); !ok || days <= 0 {
			out = append(out, Violation{URN: r.URN, Message: "retentionInDays is not set: the log events are " +
				"kept forever; set the environment's log retention"})
		}
	}
	return out
}
