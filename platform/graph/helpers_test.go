package graph

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// fixture builds a plan by hand, in the shape the offline engine records: components
// (custom false) holding AWS resources (custom true) whose outputs carry their ARNs.
type fixture struct {
	t       *testing.T
	p       *plan.Plan
	service string
}

const region, account = "eu-west-1", "111111111111"

func newFixture(t *testing.T, project string) *fixture {
	f := &fixture{t: t, p: &plan.Plan{Version: plan.Version, Project: project, Stack: "dev", Outputs: map[string]any{}}}
	f.service = f.add(tokens.Service, project, "", false, nil, nil)
	return f
}

// add records a resource and returns its URN.
func (f *fixture) add(typ, name, parent string, custom bool, inputs, outputs map[string]any, deps ...string) string {
	urn := "urn:pulumi:dev::" + f.p.Project + "::" + typ + "::" + name
	f.p.Resources = append(f.p.Resources, plan.Resource{URN: urn, Type: typ, Name: name, Parent: parent,
		Custom: custom, Inputs: inputs, Outputs: outputs, Dependencies: deps})
	return urn
}

// arn returns the ARN of a resource of this project's physical naming in service.
func (f *fixture) arn(service, resource string) string {
	return "arn:aws:" + service + ":" + region + ":" + account + ":" + resource
}

func (f *fixture) physical(name string) string { return "acme-dev-" + f.p.Project + "-" + name }

// function adds a function component with its Lambda function, live alias and role, and
// returns the alias ARN.
func (f *fixture) function(name string) string {
	c := f.add(tokens.Function, name, f.service, false, nil, nil)
	fn := f.arn("lambda", "function:"+f.physical(name))
	f.add("aws:lambda/function:Function", name, c, true, map[string]any{"name": f.physical(name)},
		map[string]any{"arn": fn, "name": f.physical(name), "qualifiedArn": fn + ":1"})
	f.add("aws:lambda/alias:Alias", name+"-alias", c, true, map[string]any{"name": "live"}, map[string]any{"arn": fn + ":live"})
	f.add("aws:iam/role:Role", name+"-role", c, true, nil,
		map[string]any{"arn": "arn:aws:iam::" + account + ":role/" + f.physical(name), "name": f.physical(name)})
	return fn + ":live"
}

// policy adds a role policy to the function component name.
func (f *fixture) policy(function, name string, statements ...map[string]any) {
	doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	if err != nil {
		f.t.Fatal(err)
	}
	f.add(typeRolePolicy, function+"-"+name, f.urn(tokens.Function, function), true,
		map[string]any{"policy": string(doc), "role": f.physical(function)}, map[string]any{})
}

func allow(actions []string, resources ...string) map[string]any {
	return map[string]any{"Effect": "Allow", "Action": actions, "Resource": resources}
}

func (f *fixture) table(name string) string {
	c := f.add(tokens.Table, name, f.service, false, nil, nil)
	arn := f.arn("dynamodb", "table/"+f.physical(name))
	f.add("aws:dynamodb/table:Table", name, c, true, nil, map[string]any{"arn": arn, "name": f.physical(name)})
	return arn
}

func (f *fixture) queue(name string) string {
	c := f.add(tokens.Queue, name, f.service, false, nil, nil)
	arn := f.arn("sqs", f.physical(name))
	f.add("aws:sqs/queue:Queue", name, c, true, nil, map[string]any{"arn": arn})
	f.add("aws:sqs/queue:Queue", name+"-dlq", c, true, nil, map[string]any{"arn": arn + "-dlq"})
	return arn
}

func (f *fixture) topic(name string) string {
	c := f.add(tokens.Topic, name, f.service, false, nil, nil)
	arn := f.arn("sns", f.physical(name))
	f.add("aws:sns/topic:Topic", name, c, true, nil, map[string]any{"arn": arn})
	return arn
}

// subscribe subscribes a queue to a topic, filtered on event types when there are any.
func (f *fixture) subscribe(name, topicArn, queueArn string, events ...string) {
	c := f.add(tokens.QueueSubscription, name, f.service, false, nil, nil)
	inputs := map[string]any{"protocol": "sqs", "topic": topicArn, "endpoint": queueArn}
	if len(events) > 0 {
		filter, _ := json.Marshal(map[string][]string{"type": events})
		inputs["filterPolicy"] = string(filter)
	}
	f.add(typeSubscription, name, c, true, inputs, map[string]any{"arn": topicArn + ":" + name})
}

// consume adds an event source mapping from a queue to a function given by ARN or name.
func (f *fixture) consume(name, queueArn, function string) {
	c := f.add(tokens.QueueConsumer, name, f.service, false, nil, nil)
	f.add(typeESM, name, c, true, map[string]any{"eventSourceArn": queueArn, "functionName": function},
		map[string]any{"arn": f.arn("lambda", name)})
}

// reference adds a stack reference to project with the given outputs.
func (f *fixture) reference(project string, outputs map[string]any) {
	name := "acme/" + project + "/dev"
	f.add(typeStackRef, name, f.service, false, map[string]any{"name": name},
		map[string]any{"name": name, "outputs": outputs})
}

func (f *fixture) urn(typ, name string) string {
	return "urn:pulumi:dev::" + f.p.Project + "::" + typ + "::" + name
}

// diff reports the first differing line of two diagrams, with both in full.
func diff(t *testing.T, got, want string) {
	t.Helper()
	if got == want {
		return
	}
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Errorf("line %d:\n got %q\nwant %q\n\ngot:\n%s\nwant:\n%s", i+1, gl, wl, got, want)
			return
		}
	}
}
