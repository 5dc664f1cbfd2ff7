// Package graph draws Mermaid flowcharts from offline plans, so that the architecture a
// reviewer reads is computed from what will be deployed rather than drawn by hand.
//
//   - Stack draws one project: its component-level members (functions, tables, queues, topics,
//     HTTP APIs with their routes, schedules) and how they connect, with the resources of
//     other stacks it uses as dashed nodes.
//   - Platform draws the context map of many projects: who publishes which events to whom,
//     who invokes or uses whose resources, whose outputs each stack reads, and the deploy order.
//   - Order returns the deploy order that stack references imply.
//
// Everything is read from the plan JSON of docs/design.md section 5: resources are
// recognised by their type tokens, matched by their ARNs (outputs["arn"]) and physical names,
// and connected through the inputs that wire them (integration URIs, event source mappings,
// subscriptions, schedule targets, failure destinations, role policies). Output is sorted and
// deterministic.
package graph

import (
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/plan"
	"github.com/stratum-platform/stratum/platform/tokens"
)

// Kinds of the members a diagram shows.
const (
	kindAPI      = "api"
	kindFunction = "function"
	kindQueue    = "queue"
	kindSchedule = "schedule"
	kindTable    = "table"
	kindTopic    = "topic"
)

// Type tokens of the AWS resources that wire members together.
const (
	typeAPI          = "aws:apigatewayv2/api:Api"
	typeESM          = "aws:lambda/eventSourceMapping:EventSourceMapping"
	typeIntegration  = "aws:apigatewayv2/integration:Integration"
	typeInvokeConfig = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"
	typeRolePolicy   = "aws:iam/rolePolicy:RolePolicy"
	typeRoute        = "aws:apigatewayv2/route:Route"
	typeSchedule     = "aws:scheduler/schedule:Schedule"
	typeStackRef     = "pulumi:pulumi:StackReference"
	typeSubscription = "aws:sns/topicSubscription:TopicSubscription"
)

// componentKind returns the kind of a Stratum component type, or "".
func componentKind(typ string) string {
	switch typ {
	case tokens.Function:
		return kindFunction
	case tokens.Table:
		return kindTable
	case tokens.Queue:
		return kindQueue
	case tokens.Topic:
		return kindTopic
	case tokens.HTTPAPI:
		return kindAPI
	case tokens.Schedule:
		return kindSchedule
	}
	return ""
}

// rawKind returns the kind of a plain AWS resource type, which is a member of its own when no
// component holds it (the platform project's alarm topic, for example), or "".
func rawKind(typ string) string {
	switch typ {
	case "aws:lambda/function:Function":
		return kindFunction
	case "aws:dynamodb/table:Table":
		return kindTable
	case "aws:sqs/queue:Queue":
		return kindQueue
	case "aws:sns/topic:Topic":
		return kindTopic
	case typeAPI:
		return kindAPI
	case typeSchedule:
		return kindSchedule
	}
	return ""
}

// model indexes one plan: which member each resource belongs to, and which member each ARN
// and physical name designates.
type model struct {
	plan    *plan.Plan
	byURN   map[string]*plan.Resource
	owner   map[string]string // resource URN -> member URN
	members map[string]string // member URN -> kind
	arns    map[string]string // normalised ARN -> member URN
	local   map[string]bool   // normalised ARNs of every resource of the plan
	names   map[string]string // function physical name -> member URN
}

func newModel(p *plan.Plan) *model {
	m := &model{
		plan:    p,
		byURN:   map[string]*plan.Resource{},
		owner:   map[string]string{},
		members: map[string]string{},
		arns:    map[string]string{},
		local:   map[string]bool{},
		names:   map[string]string{},
	}
	for i := range p.Resources {
		m.byURN[p.Resources[i].URN] = &p.Resources[i]
	}
	for _, r := range p.Resources {
		member := m.memberOf(r)
		norm, hasARN := "", false
		if arn, ok := r.Outputs["arn"].(string); ok && r.Custom {
			if norm, hasARN = normaliseARN(arn); hasARN {
				m.local[norm] = true
			}
		}
		if member == "" {
			continue
		}
		m.owner[r.URN] = member
		if hasARN {
			m.arns[norm] = member
		}
		if name, ok := r.Outputs["name"].(string); ok && name != "" && rawKind(r.Type) == kindFunction {
			m.names[name] = member
		}
	}
	return m
}

// memberOf returns the URN of the member r belongs to: its nearest ancestor (or itself) that
// is a Stratum component of a drawn kind; else r itself when it is a drawn AWS type that no
// component but the service holds (a component's other children, such as a subscription's
// dead-letter queue, are details of that component).
func (m *model) memberOf(r plan.Resource) string {
	seen := map[string]bool{}
	held := false
	for cur := &r; cur != nil && !seen[cur.URN]; cur = m.byURN[cur.Parent] {
		seen[cur.URN] = true
		if kind := componentKind(cur.Type); kind != "" {
			m.members[cur.URN] = kind
			return cur.URN
		}
		if cur != &r && strings.HasPrefix(cur.Type, tokens.Prefix) && cur.Type != tokens.Service {
			held = true
		}
	}
	if kind := rawKind(r.Type); kind != "" && !held {
		m.members[r.URN] = kind
		return r.URN
	}
	return ""
}

// resolve returns the member an ARN designates, or the normalised ARN itself when it is a
// function, table, queue or topic that this plan does not own. A resource of the plan that
// belongs to no member (a subscription's dead-letter queue, say) is not drawn.
func (m *model) resolve(arn string) (string, bool) {
	norm, ok := normaliseARN(arn)
	if !ok {
		return "", false
	}
	if member, ok := m.arns[norm]; ok {
		return member, true
	}
	if m.local[norm] || arnKind(norm) == "" || strings.Contains(norm, "*") {
		return "", false
	}
	return norm, true
}

// resolveFunction resolves a function given as an ARN or a physical name.
func (m *model) resolveFunction(ref string) (string, bool) {
	if strings.HasPrefix(ref, "arn:") {
		return m.resolve(ref)
	}
	member, ok := m.names[ref]
	return member, ok
}

// References returns the projects whose stacks the plan references, sorted and distinct: the
// projects that deploy before it.
func References(p *plan.Plan) []string {
	var out []string
	for _, r := range p.Resources {
		if r.Type != typeStackRef {
			continue
		}
		if project := referencedProject(r); project != "" && !slices.Contains(out, project) {
			out = append(out, project)
		}
	}
	slices.Sort(out)
	return out
}

// referencedProject returns the project of a stack reference named "<org>/<project>/<env>".
func referencedProject(r plan.Resource) string {
	name := r.String("name")
	if name == "" {
		name = r.Name
	}
	parts := strings.Split(name, "/")
	if len(parts) < 2 {
		return ""
	}
	return parts[len(parts)-2]
}

// normaliseARN drops what varies between references to one resource: a function's
// qualifier (version or alias) and what follows a table's name (indexes, streams).
func normaliseARN(arn string) (string, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return "", false
	}
	switch parts[2] {
	case "lambda":
		if fn := strings.SplitN(parts[5], ":", 3); len(fn) >= 2 && fn[0] == "function" {
			parts[5] = fn[0] + ":" + fn[1]
		}
	case "dynamodb":
		if tbl := strings.SplitN(parts[5], "/", 3); len(tbl) >= 2 && tbl[0] == "table" {
			parts[5] = tbl[0] + "/" + tbl[1]
		}
	}
	return strings.Join(parts, ":"), true
}

// arnKind returns the kind of member a normalised ARN names, or "" for other resources.
func arnKind(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return ""
	}
	switch parts[2] {
	case "lambda":
		if strings.HasPrefix(parts[5], "function:") {
			return kindFunction
		}
	case "dynamodb":
		if strings.HasPrefix(parts[5], "table/") {
			return kindTable
		}
	case "sqs":
		return kindQueue
	case "sns":
		return kindTopic
	}
	return ""
}

// arnName returns the physical name in a normalised ARN of a kind arnKind knows.
func arnName(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return arn
	}
	res := parts[5]
	if i := strings.IndexAny(res, ":/"); i >= 0 && (parts[2] == "lambda" || parts[2] == "dynamodb") {
		return res[i+1:]
	}
	return res
}
