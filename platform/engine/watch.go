package engine

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/sig"

	"github.com/stratum-platform/stratum/platform/plan"
)

// watcher follows one engine operation's events: it prints a line per resource step and
// keeps what the run reports and checks.
type watcher struct {
	progress io.Writer
	project  string
	ch       chan events.EngineEvent
	done     chan struct{}

	mu       sync.Mutex
	steps    map[string]apitype.StepEventMetadata // by URN, the last step the engine announced
	errors   []string
	replaced []string
	deleted  []string
}

func newWatcher(progress io.Writer, project string) *watcher {
	w := &watcher{progress: progress, project: project, ch: make(chan events.EngineEvent),
		done: make(chan struct{}), steps: map[string]apitype.StepEventMetadata{}}
	go w.consume()
	return w
}

// events is the channel to give the engine; the Automation API closes it when done.
func (w *watcher) events() chan<- events.EngineEvent { return w.ch }

// wait blocks until the engine has closed the channel and every event is handled.
func (w *watcher) wait() { <-w.done }

func (w *watcher) consume() {
	defer close(w.done)
	for e := range w.ch {
		w.handle(e)
	}
}

func (w *watcher) handle(e events.EngineEvent) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case e.ResourcePreEvent != nil:
		m := e.ResourcePreEvent.Metadata
		w.steps[m.URN] = m
		if internalType(m.Type) {
			return
		}
		switch m.Op {
		case apitype.OpReplace, apitype.OpCreateReplacement:
			if !slices.Contains(w.replaced, m.URN) {
				w.replaced = append(w.replaced, m.URN)
			}
		case apitype.OpDelete:
			w.deleted = append(w.deleted, m.URN)
		}
		if m.Op != apitype.OpSame && m.Op != apitype.OpRead {
			fmt.Fprintf(w.progress, "  %-14s %-18s %s %s\n", w.project, m.Op, m.Type, resource.URN(m.URN).Name())
		}
	case e.ResOpFailedEvent != nil:
		m := e.ResOpFailedEvent.Metadata
		fmt.Fprintf(w.progress, "  %-14s %-18s %s %s\n", w.project, "failed: "+string(m.Op), m.Type, resource.URN(m.URN).Name())
	case e.DiagnosticEvent != nil:
		d := e.DiagnosticEvent
		if d.Severity == "error" {
			msg := strings.TrimSpace(d.Message)
			if d.URN != "" {
				msg = resource.URN(d.URN).Name() + ": " + msg
			}
			w.errors = append(w.errors, msg)
		}
	}
}

// internalType reports the engine's own resources, which plans do not hold.
func internalType(typ string) bool {
	return typ == "pulumi:pulumi:Stack" || strings.HasPrefix(typ, "pulumi:providers:")
}

// count sets the step counts, the changed resources and the replaced and deleted ones of
// res, over the program's resources (not the engine's own stack and providers).
func (w *watcher) count(res *Result) {
	w.mu.Lock()
	defer w.mu.Unlock()
	res.Changed = map[string]string{}
	res.Creates, res.Updates, res.Replaces, res.Deletes, res.Unchanged = 0, 0, 0, 0, 0
	for urn, m := range w.steps {
		if internalType(m.Type) || m.Op == apitype.OpRead {
			continue
		}
		op := m.Op
		if slices.Contains(w.replaced, urn) {
			op = apitype.OpReplace
		}
		switch op {
		case apitype.OpSame:
			res.Unchanged++
			continue
		case apitype.OpCreate:
			res.Creates++
		case apitype.OpUpdate:
			res.Updates++
		case apitype.OpReplace:
			res.Replaces++
		case apitype.OpDelete:
			res.Deletes++
		}
		res.Changed[urn] = string(op)
	}
	res.Replaced, res.Deleted = slices.Sorted(slices.Values(w.replaced)), slices.Sorted(slices.Values(w.deleted))
}

// failure is the engine's own error messages when it gave any (the Automation API's error
// carries the whole command output), else err.
func (w *watcher) failure(err error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.errors) == 0 {
		return err
	}
	var errs []error
	for _, e := range w.errors {
		errs = append(errs, errors.New(e))
	}
	return errors.Join(errs...)
}

// plan is what the engine is about to do, as a plan the policy rules read: every resource
// the program registered that stays or is created, with the inputs and outputs the engine
// reported and their options. A value the engine cannot know yet is taken from offline, the
// offline plan of the same program, where that has the resource.
func (w *watcher) plan(project, stack string, offline *plan.Plan) *plan.Plan {
	w.mu.Lock()
	defer w.mu.Unlock()
	known := map[string]plan.Resource{}
	p := &plan.Plan{Version: plan.Version, Project: project, Stack: stack, Outputs: map[string]any{}, Findings: []plan.Finding{}}
	if offline != nil {
		for _, r := range offline.Resources {
			known[r.URN] = r
		}
		p.Outputs = offline.Outputs
	}
	for urn, m := range w.steps {
		if m.New == nil || internalType(m.Type) || m.Op == apitype.OpDelete || m.Op == apitype.OpDeleteReplaced {
			continue
		}
		n := m.New
		parent := n.Parent
		if internalType(resource.URN(parent).Type().String()) {
			parent = ""
		}
		was := known[urn]
		p.Resources = append(p.Resources, plan.Resource{
			URN: urn, Type: n.Type, Name: resource.URN(urn).Name(), Parent: parent, Custom: n.Custom,
			Inputs:  fill(n.Inputs, was.Inputs),
			Outputs: withMissing(fill(n.Outputs, was.Outputs), was.Outputs),
			Protect: n.Protect, RetainOnDelete: n.RetainOnDelete,
			DeleteBeforeReplace: was.DeleteBeforeReplace, Dependencies: was.Dependencies,
		})
	}
	slices.SortFunc(p.Resources, func(a, b plan.Resource) int { return strings.Compare(a.URN, b.URN) })
	return p
}

// fill returns values with every value the engine does not know yet replaced by the value at
// the same place in offline, or plan.Unknown when offline has none.
func fill(values, offline map[string]any) map[string]any {
	out := make(map[string]any, len(values))
	for k, v := range values {
		var o any
		if offline != nil {
			o = offline[k]
		}
		out[k] = fillValue(v, o)
	}
	return out
}

// withMissing adds the offline outputs the engine does not report: before a resource exists
// the engine knows none of the attributes AWS will assign it.
func withMissing(values, offline map[string]any) map[string]any {
	for k, v := range offline {
		if _, ok := values[k]; !ok {
			values[k] = v
		}
	}
	return values
}

func fillValue(v, offline any) any {
	switch t := v.(type) {
	case string:
		if t == sig.UnknownStringValue {
			if offline != nil {
				return offline
			}
			return plan.Unknown
		}
		return t
	case map[string]any:
		o, _ := offline.(map[string]any)
		return fill(t, o)
	case []any:
		o, _ := offline.([]any)
		out := make([]any, len(t))
		for i, e := range t {
			var oe any
			if i < len(o) {
				oe = o[i]
			}
			out[i] = fillValue(e, oe)
		}
		return out
	}
	return v
}
