package iam

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// FuzzParse checks that Parse never panics and that its normalised form is a fixed point:
// rendering a parsed document and parsing it again gives the same statements.
func FuzzParse(f *testing.F) {
	f.Add(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`)
	f.Add(`{"Statement":{"Effect":"Deny","Principal":"*","Action":["sqs:*"],"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false}}}}`)
	f.Fuzz(func(t *testing.T, doc string) {
		p, err := Parse(doc)
		if err != nil {
			return
		}
		out, err := render(p.Statement, true, nil)
		if err != nil {
			return // parsed, but refused by the platform's rules (for example an empty ARN)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(render(%q)) = %v; rendered %s", doc, err, out)
		}
		if !reflect.DeepEqual(p.Statement, again.Statement) {
			t.Fatalf("round trip changed the statements:\n%#v\n%#v", p.Statement, again.Statement)
		}
	})
}

// FuzzValidate checks the promises of Validate and render for one statement of literals:
// no panic; an accepted statement has no wildcard action; a rendered "*" resource only
// carries allow-listed actions; and what renders parses back with the same actions.
func FuzzValidate(f *testing.F) {
	f.Add("ReadTable", "", "dynamodb:GetItem", tableArn, "", "", "", "", "")
	f.Add("", "Allow", "xray:PutTraceSegments", "*", "", "", "", "", "")
	f.Add("", "Deny", "sqs:SendMessage", "arn:aws:sqs:eu-west-1:1:q", "AWS", "*", "Bool", "aws:SecureTransport", "false")
	f.Add("", "", "sts:AssumeRole", "", "Service", "lambda.amazonaws.com", "StringEquals", "aws:SourceAccount", "1")
	f.Fuzz(func(t *testing.T, sid, effect, action, res, ptype, principal, test, variable, value string) {
		st := Statement{Sid: sid, Effect: Effect(effect), Actions: strings.Split(action, ",")}
		if res != "" {
			st.Resources = strs(strings.Split(res, ",")...)
		}
		if ptype != "" {
			st.Principals = []Principal{{Type: ptype, Identifiers: strs(principal)}}
		}
		if test != "" {
			st.Conditions = []Condition{{Test: test, Variable: variable, Values: strs(value)}}
		}
		stmts := Statements{st}
		if stmts.Validate() != nil {
			return
		}
		for _, a := range st.Actions {
			if strings.ContainsAny(a, "*?") {
				t.Fatalf("Validate accepted wildcard action %q", a)
			}
		}
		vals := make([]string, 0)
		for _, in := range stmts.inputs() {
			vals = append(vals, string(in.(pulumi.String)))
		}
		out, err := render(stmts.resolve(vals), false, nil)
		if err != nil {
			return
		}
		if slices.Contains(st.Resources, pulumi.StringInput(pulumi.String("*"))) {
			for _, a := range st.Actions {
				if !WildcardResourceAllowed(a) {
					t.Fatalf("rendered Resource \"*\" for %q: %s", a, out)
				}
			}
		}
		p, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(%s) = %v", out, err)
		}
		if got, want := p.Actions(), normalise(st.Actions); !slices.Equal(got, want) {
			t.Fatalf("actions %v, want %v", got, want)
		}
	})
}
