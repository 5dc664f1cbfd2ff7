package iam

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Parsed is a policy document in normalised form: every list sorted, de-duplicated and a
// list, Principal "*" written as {"AWS": ["*"]}.
type Parsed struct {
	Version   string
	Statement []ParsedStatement
}

// ParsedStatement is one statement of a Parsed document. Empty lists and maps are nil.
type ParsedStatement struct {
	Sid       string
	Effect    string
	Principal map[string][]string // principal type -> identifiers
	Action    []string
	Resource  []string
	Condition map[string]map[string][]string // test -> variable -> values
}

// Actions returns the actions of every statement, sorted and de-duplicated.
func (p Parsed) Actions() []string {
	var all []string
	for _, st := range p.Statement {
		all = append(all, st.Action...)
	}
	return normalise(all)
}

func (st ParsedStatement) label(i int) string {
	if st.Sid == "" {
		return fmt.Sprintf("statement %d", i)
	}
	return fmt.Sprintf("statement %d (%q)", i, st.Sid)
}

// Parse reads a policy document in any form AWS accepts: Statement as an object or a
// list; Action, Resource and principal identifiers as a string or a list; Principal "*";
// condition values as strings, numbers or booleans, alone or in a list. Elements the
// normalised form cannot hold (NotAction, NotResource, NotPrincipal) are an error rather
// than dropped, because a rule reading the result would otherwise see a narrower policy.
func Parse(doc string) (Parsed, error) {
	var raw struct {
		Version   string
		ID        string `json:"Id"`
		Statement json.RawMessage
	}
	if err := decodeStrict([]byte(doc), &raw); err != nil {
		return Parsed{}, fmt.Errorf("iam: parse: %w", err)
	}
	var items []json.RawMessage
	switch trimmed := bytes.TrimSpace(raw.Statement); {
	case len(trimmed) == 0 || string(trimmed) == "null":
		return Parsed{}, errors.New("iam: parse: document has no Statement")
	case trimmed[0] == '[':
		if err := json.Unmarshal(trimmed, &items); err != nil {
			return Parsed{}, fmt.Errorf("iam: parse: Statement: %w", err)
		}
	default:
		items = []json.RawMessage{trimmed}
	}
	p := Parsed{Version: raw.Version, Statement: make([]ParsedStatement, 0, len(items))}
	var errs []error
	for i, item := range items {
		st, stErrs := parseStatement(item)
		for _, err := range stErrs {
			errs = append(errs, fmt.Errorf("iam: parse: statement %d: %w", i, err))
		}
		p.Statement = append(p.Statement, st)
	}
	if err := errors.Join(errs...); err != nil {
		return Parsed{}, err
	}
	return p, nil
}

// parseStatement returns every problem of one statement separately, so each gets the
// statement's label.
func parseStatement(data []byte) (ParsedStatement, []error) {
	var raw struct {
		Sid       string
		Effect    string
		Principal json.RawMessage
		Action    json.RawMessage
		Resource  json.RawMessage
		Condition map[string]map[string]json.RawMessage
	}
	if err := decodeStrict(data, &raw); err != nil {
		return ParsedStatement{}, []error{err}
	}
	if raw.Effect != string(Allow) && raw.Effect != string(Deny) {
		return ParsedStatement{}, []error{fmt.Errorf("effect %q is invalid; use Allow or Deny", raw.Effect)}
	}
	st := ParsedStatement{Sid: raw.Sid, Effect: raw.Effect}
	var errs []error
	var err error
	if st.Action, err = stringOrList(raw.Action); err != nil {
		errs = append(errs, fmt.Errorf("Action: %w", err))
	}
	if st.Resource, err = stringOrList(raw.Resource); err != nil {
		errs = append(errs, fmt.Errorf("Resource: %w", err))
	}
	if st.Principal, err = parsePrincipal(raw.Principal); err != nil {
		errs = append(errs, fmt.Errorf("Principal: %w", err))
	}
	if st.Condition, err = parseCondition(raw.Condition); err != nil {
		errs = append(errs, fmt.Errorf("Condition: %w", err))
	}
	return st, errs
}

func parsePrincipal(raw json.RawMessage) (map[string][]string, error) {
	if isNull(raw) {
		return nil, nil
	}
	var star string
	if json.Unmarshal(raw, &star) == nil {
		if star != "*" {
			return nil, fmt.Errorf("%q must be \"*\" or an object", star)
		}
		return map[string][]string{PrincipalAWS: {"*"}}, nil
	}
	var byType map[string]json.RawMessage
	if err := json.Unmarshal(raw, &byType); err != nil {
		return nil, errors.New("must be \"*\" or an object of principal type to identifiers")
	}
	if len(byType) == 0 {
		return nil, nil
	}
	out := make(map[string][]string, len(byType))
	for _, typ := range sortedKeys(byType) {
		ids, err := stringOrList(byType[typ])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", typ, err)
		}
		out[typ] = ids
	}
	return out, nil
}

func parseCondition(raw map[string]map[string]json.RawMessage) (map[string]map[string][]string, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	out := make(map[string]map[string][]string, len(raw))
	for _, test := range sortedKeys(raw) {
		if len(raw[test]) == 0 {
			return nil, fmt.Errorf("%s has no variables", test)
		}
		vars := make(map[string][]string, len(raw[test]))
		for _, v := range sortedKeys(raw[test]) {
			vals, err := scalarOrList(raw[test][v])
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", test, v, err)
			}
			vars[v] = vals
		}
		out[test] = vars
	}
	return out, nil
}

// stringOrList reads a string or a list of strings; absent and null give nil.
func stringOrList(raw json.RawMessage) ([]string, error) {
	if isNull(raw) {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, errors.New("must be a string or a list of strings")
	}
	return normalise(list), nil
}

// scalarOrList reads condition values, which AWS also accepts as numbers and booleans
// (for example "aws:SecureTransport": false). They are kept as their JSON text so that an
// account id written as a number keeps all its digits.
func scalarOrList(raw json.RawMessage) ([]string, error) {
	trimmed := bytes.TrimSpace(raw)
	var items []json.RawMessage
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if err := json.Unmarshal(trimmed, &items); err != nil {
			return nil, err
		}
	} else {
		items = []json.RawMessage{trimmed}
	}
	if len(items) == 0 {
		return nil, errors.New("has no values")
	}
	vals := make([]string, 0, len(items))
	for _, item := range items {
		var s string
		switch {
		case isNull(item):
			return nil, errors.New("values must not be null")
		case json.Unmarshal(item, &s) == nil:
			vals = append(vals, s)
		case isScalar(item):
			vals = append(vals, string(bytes.TrimSpace(item)))
		default:
			return nil, errors.New("values must be strings, numbers or booleans, alone or in a list")
		}
	}
	return normalise(vals), nil
}

func isScalar(raw json.RawMessage) bool {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return false
	}
	switch v.(type) {
	case bool, float64:
		return true
	}
	return false
}

func isNull(raw json.RawMessage) bool {
	trimmed := bytes.TrimSpace(raw)
	return len(trimmed) == 0 || string(trimmed) == "null"
}

// decodeStrict decodes exactly one JSON value and refuses fields v does not have, so that
// unsupported policy elements are reported instead of ignored.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the document")
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
