package iam

import (
	"strings"
	"unicode"
)

// GrantSid returns the statement id of one statement of a grant: the granting component's
// type (the last part of its type token: "Table" for "stratum:table:Table"), the granting
// resource's logical name and what the statement grants, each in CamelCase with only the
// letters and digits statement ids allow. For example GrantSid("stratum:table:Table",
// "accounts", "ReadKey") is "TableAccountsReadKey".
//
// Every grant of every component names its statements this way, so one role can hold the
// grants of any number of resources: logical names are unique per type, and what a
// statement grants is unique within one grant. Two resources whose names differ only in
// punctuation or the case of a word's first letter ("my-table", "my_table", "myTable") get
// the same ids, which Validate reports as duplicates.
func GrantSid(typeToken, name, what string) string {
	typeName := typeToken[strings.LastIndex(typeToken, ":")+1:]
	return camel(typeName) + camel(name) + camel(what)
}

// camel keeps the ASCII letters and digits of s and upper-cases the first letter of each
// word; any other character separates words.
func camel(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		if !isAlnum(r) {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
		upper = false
	}
	return b.String()
}
