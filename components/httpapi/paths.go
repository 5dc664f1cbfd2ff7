package httpapi

import (
	"fmt"
	"slices"
	"strings"
)

// methods are the methods a route may have; ANY (a route of every method) never comes from
// a spec, whose operations each name theirs.
func methods() []string {
	return []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"}
}

// isParam reports whether a segment is a {parameter}; greedy reports a {parameter+}.
func isParam(seg string) (name string, greedy, ok bool) {
	if !strings.HasPrefix(seg, "{") || !strings.HasSuffix(seg, "}") || len(seg) < 3 {
		return "", false, false
	}
	name = seg[1 : len(seg)-1]
	if strings.HasSuffix(name, "+") {
		name, greedy = strings.TrimSuffix(name, "+"), true
	}
	return name, greedy, true
}

// pathProblems returns every reason API Gateway would refuse path as a route's path: an
// OpenAPI path template is more lenient (a parameter inside a segment, "{id}.json").
func pathProblems(method, path string) []string {
	var problems []string
	if !slices.Contains(methods(), method) {
		problems = append(problems, fmt.Sprintf("method %q is not allowed; allowed %s", method, strings.Join(methods(), ", ")))
	}
	if path == "/" {
		return problems
	}
	segments := strings.Split(strings.TrimPrefix(path, "/"), "/")
	params := map[string]bool{}
	for i, seg := range segments {
		name, greedy, isP := isParam(seg)
		switch {
		case seg == "":
			problems = append(problems, fmt.Sprintf("path %q has an empty segment", path))
		case !isP && !literal(seg):
			problems = append(problems, fmt.Sprintf(
				"segment %q is neither a literal of [A-Za-z0-9._~-] nor a {parameter}", seg))
		case isP && !paramName(name):
			problems = append(problems, fmt.Sprintf("parameter %q is not a name of [A-Za-z0-9_]", seg))
		case isP && greedy && i != len(segments)-1:
			problems = append(problems, fmt.Sprintf("greedy parameter %q must be the last segment", seg))
		case isP && params[name]:
			problems = append(problems, fmt.Sprintf("parameter %q appears twice", name))
		case isP:
			params[name] = true
		}
	}
	return problems
}

// shape is the route as API Gateway matches it: parameter names do not matter, so
// "GET /a/{id}" and "GET /a/{x}" are the same route.
func shape(method, path string) string {
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		if _, greedy, ok := isParam(seg); ok {
			segs[i] = map[bool]string{false: "{}", true: "{+}"}[greedy]
		}
	}
	return method + " " + strings.Join(segs, "/")
}

func literal(seg string) bool {
	for _, c := range seg {
		if !isAlnum(c) && !strings.ContainsRune("._~-", c) {
			return false
		}
	}
	return seg != ""
}

func paramName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		if !isAlnum(c) && c != '_' {
			return false
		}
	}
	return true
}

func isAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
