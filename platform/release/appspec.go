package release

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// AppSpec is the AppSpec of a Lambda deployment: which alias of which function moves from
// which version to which, and the hook functions CodeDeploy invokes around the traffic shift.
type AppSpec struct {
	// Function is the function's name.
	Function string
	// Alias is the alias CodeDeploy shifts.
	Alias string
	// CurrentVersion is the version the alias points at before the deployment.
	CurrentVersion string
	// TargetVersion is the version the alias points at after it.
	TargetVersion string
	// BeforeAllowTraffic and AfterAllowTraffic name the hook functions, or are empty.
	BeforeAllowTraffic, AfterAllowTraffic string
}

// appSpecJSON is the AppSpec file's structure for the Lambda compute platform.
type appSpecJSON struct {
	// Version is json.RawMessage so that it is written 0.0, as CodeDeploy documents it.
	Version   json.RawMessage              `json:"version"`
	Resources []map[string]appSpecResource `json:"Resources"`
	Hooks     []map[string]string          `json:"Hooks,omitempty"`
}

type appSpecResource struct {
	Type       string            `json:"Type"`
	Properties appSpecProperties `json:"Properties"`
}

type appSpecProperties struct {
	Name           string `json:"Name"`
	Alias          string `json:"Alias"`
	CurrentVersion string `json:"CurrentVersion"`
	TargetVersion  string `json:"TargetVersion"`
}

// lambdaFunctionType is the AppSpec resource type of a Lambda function.
const lambdaFunctionType = "AWS::Lambda::Function"

// Content returns the AppSpec as the JSON string of a CodeDeploy revision, and its SHA-256 in
// hex, which CodeDeploy checks the content against.
func (a AppSpec) Content() (content, sha string) {
	spec := appSpecJSON{
		Version: json.RawMessage("0.0"),
		Resources: []map[string]appSpecResource{{
			logicalID(a.Function): {
				Type: lambdaFunctionType,
				Properties: appSpecProperties{
					Name: a.Function, Alias: a.Alias, CurrentVersion: a.CurrentVersion, TargetVersion: a.TargetVersion,
				},
			},
		}},
	}
	// Hooks run in the order CodeDeploy defines, whatever the order here; this order reads as
	// it happens.
	if a.BeforeAllowTraffic != "" {
		spec.Hooks = append(spec.Hooks, map[string]string{"BeforeAllowTraffic": a.BeforeAllowTraffic})
	}
	if a.AfterAllowTraffic != "" {
		spec.Hooks = append(spec.Hooks, map[string]string{"AfterAllowTraffic": a.AfterAllowTraffic})
	}
	b, err := json.Marshal(spec)
	if err != nil {
		// Only strings and a constant number: marshalling cannot fail.
		return "", ""
	}
	sum := sha256.Sum256(b)
	return string(b), hex.EncodeToString(sum[:])
}

// logicalID is the AppSpec's name for the function resource: letters and digits of the
// function's name, because CodeDeploy's examples use an identifier there.
func logicalID(function string) string {
	var b strings.Builder
	for _, c := range function {
		if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 {
		return "function"
	}
	return b.String()
}

// ParseAppSpec reads AppSpec content in JSON, as Content writes it, to learn what an existing
// deployment releases. It fails on YAML content and on an AppSpec that is not one Lambda
// function.
func ParseAppSpec(content string) (AppSpec, error) {
	var spec struct {
		Resources []map[string]appSpecResource `json:"Resources"`
		Hooks     []map[string]string          `json:"Hooks"`
	}
	if err := json.Unmarshal([]byte(content), &spec); err != nil {
		return AppSpec{}, fmt.Errorf("appspec: not JSON: %w", err)
	}
	if len(spec.Resources) != 1 || len(spec.Resources[0]) != 1 {
		return AppSpec{}, errors.New("appspec: must name exactly one resource")
	}
	var res appSpecResource
	for _, r := range spec.Resources[0] {
		res = r
	}
	if res.Type != lambdaFunctionType {
		return AppSpec{}, fmt.Errorf("appspec: resource type is %q, not %s", res.Type, lambdaFunctionType)
	}
	a := AppSpec{
		Function:       res.Properties.Name,
		Alias:          res.Properties.Alias,
		CurrentVersion: res.Properties.CurrentVersion,
		TargetVersion:  res.Properties.TargetVersion,
	}
	for _, h := range spec.Hooks {
		if fn, ok := h["BeforeAllowTraffic"]; ok {
			a.BeforeAllowTraffic = fn
		}
		if fn, ok := h["AfterAllowTraffic"]; ok {
			a.AfterAllowTraffic = fn
		}
	}
	return a, nil
}
