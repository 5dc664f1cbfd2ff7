package release

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stratum-platform/stratum/platform/naming"
)

// Shift is how CodeDeploy moves the live alias's traffic to a new version.
type Shift string

// The shifts of a Lambda deployment.
const (
	// AllAtOnce moves all traffic at once, then runs the after-traffic hook and watches the
	// alarms until the deployment ends.
	AllAtOnce Shift = "allAtOnce"
	// Canary moves Percent of the traffic, waits Interval, then moves the rest.
	Canary Shift = "canary"
	// Linear moves Percent more of the traffic every Interval.
	Linear Shift = "linear"
)

// Traffic is how a release shifts traffic: one of CodeDeploy's predefined Lambda deployment
// configurations (CodeDeployDefault.Lambda*), so that no deployment configuration has to be
// created and kept per stack. The zero Traffic is AllAtOnce.
type Traffic struct {
	// Shift is AllAtOnce, Canary or Linear. Default: AllAtOnce.
	Shift Shift
	// Percent is the share of traffic a canary or linear step moves: 10, the only share the
	// predefined configurations have. Required with Canary and Linear.
	Percent int
	// Interval is a canary's wait before the rest (5, 10, 15 or 30 minutes) or the time
	// between linear steps (1, 2, 3 or 10 minutes). Required with Canary and Linear.
	Interval time.Duration
}

// Canary10Percent5Minutes is the production default: a tenth of the traffic for five
// minutes, long enough for the errors, throttles and duration alarms (one-minute periods)
// to see the new version, short enough for a deploy to wait for.
func Canary10Percent5Minutes() Traffic {
	return Traffic{Shift: Canary, Percent: 10, Interval: 5 * time.Minute}
}

// predefinedPercent is the share every predefined canary and linear configuration moves.
const predefinedPercent = 10

// intervals are the minutes of the predefined configurations of a shift.
func intervals(s Shift) []int {
	switch s {
	case Canary:
		return []int{5, 10, 15, 30}
	case Linear:
		return []int{1, 2, 3, 10}
	}
	return nil
}

// Traffics returns every Traffic the predefined configurations offer, in the order messages
// list them.
func Traffics() []Traffic {
	out := []Traffic{{Shift: AllAtOnce}}
	for _, s := range []Shift{Canary, Linear} {
		for _, m := range intervals(s) {
			out = append(out, Traffic{Shift: s, Percent: predefinedPercent, Interval: time.Duration(m) * time.Minute})
		}
	}
	return out
}

// Validate reports what is wrong with t, naming the predefined configurations.
func (t Traffic) Validate() error {
	switch t.Shift {
	case "", AllAtOnce:
		if t.Percent != 0 || t.Interval != 0 {
			return fmt.Errorf("all at once shifts no percentage and waits no interval, got %d%% and %s", t.Percent, t.Interval)
		}
		return nil
	case Canary, Linear:
		minutes := int(t.Interval / time.Minute)
		if t.Percent == predefinedPercent && t.Interval%time.Minute == 0 && slices.Contains(intervals(t.Shift), minutes) {
			return nil
		}
		return fmt.Errorf("%s of %d%% every %s is not a predefined CodeDeploy configuration; allowed: %s",
			t.Shift, t.Percent, t.Interval, allowedTraffic())
	}
	return fmt.Errorf("shift %q is not %s, %s or %s", t.Shift, AllAtOnce, Canary, Linear)
}

// String is t's name in configuration: allAtOnce, canary10Percent5Minutes or
// linear10PercentEvery1Minute.
func (t Traffic) String() string {
	switch t.Shift {
	case "", AllAtOnce:
		return string(AllAtOnce)
	case Linear:
		return fmt.Sprintf("linear%dPercentEvery%s", t.Percent, minutes(t.Interval))
	}
	return fmt.Sprintf("%s%dPercent%s", t.Shift, t.Percent, minutes(t.Interval))
}

// minutes writes an interval as CodeDeploy's configuration names do: 1Minute, 5Minutes.
func minutes(d time.Duration) string {
	n := int(d / time.Minute)
	if n == 1 {
		return "1Minute"
	}
	return fmt.Sprintf("%dMinutes", n)
}

// ConfigName is the name of t's predefined deployment configuration, such as
// CodeDeployDefault.LambdaCanary10Percent5Minutes.
func (t Traffic) ConfigName() string {
	s := t.String()
	return "CodeDeployDefault.Lambda" + strings.ToUpper(s[:1]) + s[1:]
}

// ParseTraffic reads a Traffic from its String form, naming every allowed value when s is
// none of them.
func ParseTraffic(s string) (Traffic, error) {
	for _, t := range Traffics() {
		if t.String() == s {
			return t, nil
		}
	}
	return Traffic{}, fmt.Errorf("%q is not a traffic shift; allowed: %s", s, allowedTraffic())
}

func allowedTraffic() string {
	var names []string
	for _, t := range Traffics() {
		names = append(names, t.String())
	}
	return strings.Join(names, ", ")
}

// ConfigNames lists the predefined configurations a release may use, which the release
// function reads (codedeploy:GetDeploymentConfig) when it creates a deployment.
func ConfigNames() []string {
	var out []string
	for _, t := range Traffics() {
		out = append(out, t.ConfigName())
	}
	return out
}

// ApplicationKind is the naming rule of a CodeDeploy application: up to 100 characters;
// CodeDeploy allows more characters than these, which also appear in ARNs.
func ApplicationKind() naming.Rule {
	return naming.Rule{Name: "CodeDeploy application", Min: 1, Max: 100, Extra: "_.-"}
}

// DeploymentGroupKind is the naming rule of a CodeDeploy deployment group, like an
// application's.
func DeploymentGroupKind() naming.Rule {
	return naming.Rule{Name: "CodeDeploy deployment group", Min: 1, Max: 100, Extra: "_.-"}
}
