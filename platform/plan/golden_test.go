package plan_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/platform/plan"
)

const policy = `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["dynamodb:GetItem"],"Resource":["arn:aws:dynamodb:eu-west-1:111111111111:table/t"]}]}`

// tricky holds values the encoding must give back exactly, by what they test.
var tricky = map[string]any{
	"policy":          policy,
	"keyOrder":        `{"b":1,"a":{"d":[],"c":{}}}`,
	"numbers":         `[1.0,1e3,-0,12345678901234567890]`,
	"escapes":         `{"html":"<a&b>","unicode":"\u00e9\u2028","quote":"\"","raw":"é"}`,
	"array":           `[{"x":1},"y"]`,
	"empty":           `{}`,
	"notCompact":      `{"a": 1}`,
	"indented":        "{\n  \"a\": 1\n}",
	"scalarJSON":      `5`,
	"stringJSON":      `"x"`,
	"invalid":         `{"a":`,
	"bracketed":       plan.Secret,
	"text":            "plain text with <html> & \"quotes\"",
	"list":            []any{policy, "x", 1.5, true, nil},
	"markerShaped":    map[string]any{plan.JSONMarker: "{}"},
	"literalShaped":   map[string]any{plan.LiteralMarker: map[string]any{plan.JSONMarker: []any{}}},
	"notMarkerShaped": map[string]any{plan.JSONMarker: "x", "other": policy},
	"nestedMaps":      map[string]any{"format": `{"requestId":"$context.requestId"}`},
}

func trickyPlan() *plan.Plan {
	return &plan.Plan{Version: plan.Version, Project: "p", Stack: "dev", Findings: []plan.Finding{},
		Outputs: map[string]any{"doc": policy, "arn": "arn:aws:sns:eu-west-1:111111111111:t"},
		Resources: []plan.Resource{
			{URN: "urn:a", Type: "aws:iam/rolePolicy:RolePolicy", Name: "a", Custom: true, Inputs: tricky,
				Outputs: map[string]any{"policy": policy}},
			{URN: "urn:b", Type: "stratum:x:X", Name: "b", Inputs: map[string]any{plan.JSONMarker: policy}},
			{URN: "urn:c", Type: "stratum:x:X", Name: "c"},
		}}
}

func TestGoldenReadsBackTheSamePlan(t *testing.T) {
	p := trickyPlan()
	want, err := p.JSON()
	require.NoError(t, err)
	golden, err := p.GoldenJSON()
	require.NoError(t, err)
	back, err := plan.ParseGolden(golden)
	require.NoError(t, err)
	got, err := back.JSON()
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
	assert.Equal(t, tricky, back.Resources[0].Inputs)

	// Plan JSON with no marker-shaped object reads as a golden file.
	unmarked, err := (&plan.Plan{Version: plan.Version, Resources: []plan.Resource{{Inputs: map[string]any{"policy": policy}}}}).JSON()
	require.NoError(t, err)
	plain, err := plan.ParseGolden(unmarked)
	require.NoError(t, err)
	assert.Equal(t, policy, plain.Resources[0].Inputs["policy"])
}

func TestGoldenNestsJSONStrings(t *testing.T) {
	golden, err := trickyPlan().GoldenJSON()
	require.NoError(t, err)
	text := string(golden)
	assert.Contains(t, text, `
        "policy": {
          "$json": {
            "Version": "2012-10-17",
            "Statement": [
              {
                "Sid": "Read",
                "Effect": "Allow",
                "Action": [
                  "dynamodb:GetItem"
                ],`, "a policy reads a line per element, in its own key order")
	for _, kept := range []string{
		`"notCompact": "{\"a\": 1}"`, `"indented": "{\n  \"a\": 1\n}"`, `"scalarJSON": "5"`,
		`"stringJSON": "\"x\""`, `"invalid": "{\"a\":"`, `"bracketed": "[secret]"`,
	} {
		assert.Contains(t, text, kept, "a string that is not compact JSON stays a string")
	}
	assert.Contains(t, text, `"numbers": {
          "$json": [
            1.0,
            1e3,
            -0,
            12345678901234567890
          ]`, "number literals are kept as written")
	assert.Contains(t, text, `"markerShaped": {
          "$literal": {
            "$json": {
              "$json": {}`, "an object of the plan shaped like a marker is wrapped")
	assert.Contains(t, text, `"inputs": {
        "$literal": {
          "$json": {`, "inputs that are a marker-shaped object are wrapped too")
	assert.Contains(t, text, `"doc": {
      "$json": {`, "stack outputs are nested")
	for i, line := range strings.Split(text, "\n") {
		assert.Less(t, len(line), 120, "line %d: %s", i+1, line)
	}
}

func TestParseGoldenRejectsBadMarkers(t *testing.T) {
	for _, tc := range []struct{ name, inputs, want string }{
		{"json marker holding a string", `{"p": {"$json": "x"}}`, `inputs: p: the value of "$json" is not an object or an array`},
		{"json marker holding a number", `{"p": {"$json": 1}}`, `inputs: p: the value of "$json" is not an object or an array`},
		{"literal marker holding a list", `{"p": {"$literal": []}}`, `inputs: p: the value of "$literal" is not an object`},
		{"literal marker holding null", `{"p": {"$literal": null}}`, `inputs: p: the value of "$literal" is not an object`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := `{"version": 1, "project": "p", "stack": "dev", "resources": [{"urn": "u", "inputs": ` + tc.inputs + `}]}`
			_, err := plan.ParseGolden([]byte(doc))
			assert.EqualError(t, err, "plan: parsing golden JSON: resources: [0]: "+tc.want)
		})
	}
	_, err := plan.ParseGolden([]byte(`{"version": 2}`))
	assert.EqualError(t, err, "plan: version 2 is not supported (want 1)")
	_, err = plan.ParseGolden([]byte(`{"version": `))
	assert.ErrorContains(t, err, "plan: parsing golden JSON: ")
}

func TestReadGolden(t *testing.T) {
	dir := t.TempDir()
	golden, err := trickyPlan().GoldenJSON()
	require.NoError(t, err)
	path := filepath.Join(dir, "dev.plan.json")
	require.NoError(t, os.WriteFile(path, golden, 0o644))
	p, err := plan.ReadGolden(path)
	require.NoError(t, err)
	assert.Equal(t, policy, p.Outputs["doc"])

	require.NoError(t, os.WriteFile(path, []byte(`{"version": 1, "resources": {}}`), 0o644))
	_, err = plan.ReadGolden(path)
	assert.ErrorContains(t, err, path+": plan: parsing JSON: ")
	_, err = plan.ReadGolden(filepath.Join(dir, "missing.plan.json"))
	assert.ErrorContains(t, err, "plan: open "+filepath.Join(dir, "missing.plan.json"))
}
