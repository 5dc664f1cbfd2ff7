package graph

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"

	"github.com/stratum-platform/stratum/platform/apidef"
	"github.com/stratum-platform/stratum/platform/iam"
	"github.com/stratum-platform/stratum/platform/plan"
)

// Kinds of link between members.
const (
	linkRoute        = "route"        // API route -> the function it integrates
	linkAccess       = "access"       // function -> what its role policy lets it use
	linkTrigger      = "trigger"      // queue (event source mapping) or schedule -> function
	linkSubscription = "subscription" // topic -> subscribed queue or function
	linkFailure      = "failure"      // function -> its asynchronous on-failure destination
)

// Kinds of access a role policy grants, in the order labels list them.
const (
	accessRead    = "read"
	accessWrite   = "write"
	accessPublish = "publish"
	accessSend    = "send"
	accessInvoke  = "invoke"
)

// eventTypeAttribute is the message attribute that subscription filter policies match event
// types on.
const eventTypeAttribute = "type"

// link connects two endpoints: a member's or a route's URN, or the normalised ARN of a
// resource that another stack owns.
type link struct {
	from, to string
	kind     string
	access   []string // linkAccess: the kinds of access, in label order
	events   []string // linkSubscription: the filter's event types; none means every event
}

// links returns every link of the plan, sorted.
func (m *model) links() []link {
	var out []link
	access := map[[2]string][]string{}
	failures := map[[2]string]bool{}
	for _, r := range m.plan.Resources {
		switch r.Type {
		case typeRoute:
			if fn, ok := m.routeTarget(r); ok {
				out = append(out, link{from: r.URN, to: fn, kind: linkRoute})
			}
		case typeAPI:
			for _, d := range definitionRoutes(r) {
				if fn, ok := m.resolveFunction(lambdaFromURI(d.Integration.URI)); ok && d.Integration.URI != "" {
					out = append(out, link{from: routeEndpoint(r.URN, d.Key), to: fn, kind: linkRoute})
				}
			}
		case typeESM:
			from, ok := m.resolve(r.String("eventSourceArn"))
			to, ok2 := m.resolveFunction(r.String("functionName"))
			if ok && ok2 {
				out = append(out, link{from: from, to: to, kind: linkTrigger})
			}
		case typeSchedule:
			target, _ := nested(r.Inputs, "target", "arn").(string)
			if to, ok := m.resolveFunction(target); ok && m.owner[r.URN] != "" {
				out = append(out, link{from: m.owner[r.URN], to: to, kind: linkTrigger})
			}
		case typeSubscription:
			protocol := r.String("protocol")
			if protocol != "sqs" && protocol != "lambda" {
				continue
			}
			from, ok := m.resolve(r.String("topic"))
			to, ok2 := m.resolve(r.String("endpoint"))
			if ok && ok2 {
				out = append(out, link{from: from, to: to, kind: linkSubscription,
					events: filterEvents(r.String("filterPolicy"))})
			}
		case typeInvokeConfig:
			dest, _ := nested(r.Inputs, "destinationConfig", "onFailure", "destination").(string)
			from := m.owner[r.URN]
			if to, ok := m.resolve(dest); ok && m.members[from] == kindFunction {
				out = append(out, link{from: from, to: to, kind: linkFailure})
				failures[[2]string{from, to}] = true
			}
		case typeRolePolicy:
			from := m.owner[r.URN]
			if m.members[from] != kindFunction {
				continue // a schedule's or subscription's own role: drawn as its trigger instead
			}
			m.grants(r.String("policy"), func(to, kind string) {
				key := [2]string{from, to}
				if !slices.Contains(access[key], kind) {
					access[key] = append(access[key], kind)
				}
			})
		}
	}
	for key, kinds := range access {
		if failures[key] {
			// The send or publish grant of a failure destination is drawn as "on failure".
			kinds = slices.DeleteFunc(kinds, func(k string) bool { return k == accessSend || k == accessPublish })
		}
		if len(kinds) > 0 {
			slices.SortFunc(kinds, func(a, b string) int { return cmp.Compare(accessRank(a), accessRank(b)) })
			out = append(out, link{from: key[0], to: key[1], kind: linkAccess, access: kinds})
		}
	}
	out = slices.DeleteFunc(out, func(l link) bool { return l.from == l.to })
	slices.SortFunc(out, compareLinks)
	return slices.CompactFunc(out, func(a, b link) bool { return compareLinks(a, b) == 0 })
}

func compareLinks(a, b link) int {
	return cmp.Or(
		cmp.Compare(a.from, b.from),
		cmp.Compare(a.to, b.to),
		cmp.Compare(a.kind, b.kind),
		slices.Compare(a.access, b.access),
		slices.Compare(a.events, b.events),
	)
}

// grants calls add for each endpoint an Allow statement of the policy document gives a kind
// of access to. Documents that do not parse (unknown or secret values) grant nothing drawn.
func (m *model) grants(doc string, add func(to, kind string)) {
	parsed, err := iam.Parse(doc)
	if err != nil {
		return
	}
	for _, st := range parsed.Statement {
		if st.Effect != string(iam.Allow) {
			continue
		}
		for _, action := range st.Action {
			kind := accessOf(action)
			if kind == "" {
				continue
			}
			service, _, _ := strings.Cut(action, ":")
			for _, res := range st.Resource {
				if !strings.HasPrefix(res, "arn:") || arnService(res) != strings.ToLower(service) {
					continue
				}
				if to, ok := m.resolve(res); ok {
					add(to, kind)
				}
			}
		}
	}
}

// accessOf returns the kind of access an action gives, or "" for actions not drawn
// (consuming a queue is drawn as its event source mapping; keys and logs are not drawn).
func accessOf(action string) string {
	service, name, _ := strings.Cut(strings.ToLower(action), ":")
	switch service {
	case "dynamodb":
		for _, p := range []string{"get", "batchget", "transactget", "query", "scan"} {
			if strings.HasPrefix(name, p) {
				return accessRead
			}
		}
		for _, p := range []string{"put", "update", "delete", "batchwrite", "transactwrite"} {
			if strings.HasPrefix(name, p) {
				return accessWrite
			}
		}
	case "sns":
		if name == "publish" {
			return accessPublish
		}
	case "sqs":
		if name == "sendmessage" || name == "sendmessagebatch" {
			return accessSend
		}
	case "lambda":
		if name == "invokefunction" || name == "invokeasync" {
			return accessInvoke
		}
	}
	return ""
}

func accessRank(kind string) int {
	return slices.Index([]string{accessRead, accessWrite, accessPublish, accessSend, accessInvoke}, kind)
}

func arnService(arn string) string {
	parts := strings.SplitN(arn, ":", 4)
	if len(parts) < 3 {
		return ""
	}
	return parts[2]
}

// routeTarget returns the function a route's integration proxies to: the integration the
// route depends on, or else the one its target names.
func (m *model) routeTarget(r plan.Resource) (string, bool) {
	for _, dep := range r.Dependencies {
		if d := m.byURN[dep]; d != nil && d.Type == typeIntegration {
			return m.resolveFunction(lambdaFromURI(d.String("integrationUri")))
		}
	}
	id, ok := strings.CutPrefix(r.String("target"), "integrations/")
	if !ok || id == "" {
		return "", false
	}
	for _, d := range m.plan.Resources {
		arn, _ := d.Outputs["arn"].(string)
		if d.Type == typeIntegration && (d.Outputs["id"] == id || strings.HasSuffix(arn, ":"+id)) {
			return m.resolveFunction(lambdaFromURI(d.String("integrationUri")))
		}
	}
	return "", false
}

// definitionRoutes returns the routes of the definition an API is created from; none for an
// API without a body, or with one the plan does not know or that cannot be read.
func definitionRoutes(api plan.Resource) []apidef.Route {
	d, err := apidef.Parse(api.String("body"))
	if err != nil {
		return nil
	}
	return d.Routes
}

// routeEndpoint is the endpoint of a route of an API's definition, which has no URN of its own.
func routeEndpoint(apiURN, key string) string { return apiURN + "#" + key }

// lambdaFromURI returns the function ARN of an integration URI, which is either that ARN or
// an API Gateway invocation URI wrapping it.
func lambdaFromURI(uri string) string {
	_, rest, ok := strings.Cut(uri, "/functions/")
	if !ok {
		return uri
	}
	return strings.TrimSuffix(rest, "/invocations")
}

// filterEvents returns the event types a subscription filter policy lets through, sorted;
// none when there is no filter on event types.
func filterEvents(policy string) []string {
	if policy == "" {
		return nil
	}
	var filter map[string]any
	if json.Unmarshal([]byte(policy), &filter) != nil {
		return nil
	}
	values, _ := filter[eventTypeAttribute].([]any)
	var out []string
	for _, v := range values {
		if s, ok := v.(string); ok && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// nested returns the value at a path of object keys, or nil.
func nested(v any, path ...string) any {
	for _, key := range path {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[key]
	}
	return v
}
