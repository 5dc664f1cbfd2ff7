package openapi

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// The extensions a deprecated operation announces its end with. x-sunset is the one oasdiff
// reads (a published sunset date is a promise it holds later versions of the spec to);
// x-deprecated-since has no standard name, and is the date the Deprecation header carries.
const (
	ExtensionSunset          = "x-sunset"
	ExtensionDeprecatedSince = "x-deprecated-since"
)

// Deprecation is what a deprecated operation with a sunset date tells every caller: Wrap adds
// it to each response as the Deprecation (RFC 9745), Sunset (RFC 8594) and Link headers.
type Deprecation struct {
	// Since is when the operation was deprecated (x-deprecated-since).
	Since time.Time
	// Sunset is when the operation stops being served (x-sunset).
	Sunset time.Time
	// Link is the migration guide (the operation's externalDocs.url), the target of the
	// "deprecation" and "sunset" links.
	Link string
}

// Headers returns the response headers of d: Deprecation as a structured-field date,
// Sunset as an HTTP-date, and one Link header with both relations.
func (d *Deprecation) Headers() map[string]string {
	return map[string]string{
		"Deprecation": "@" + strconv.FormatInt(d.Since.Unix(), 10),
		"Sunset":      d.Sunset.UTC().Format(http.TimeFormat),
		"Link": fmt.Sprintf(`<%s>; rel="deprecation"; type="text/html", <%s>; rel="sunset"; type="text/html"`,
			d.Link, d.Link),
	}
}

// addHeaders adds the deprecation headers of d to resp, keeping any the handler set.
func (d *Deprecation) addHeaders(resp events.APIGatewayV2HTTPResponse) events.APIGatewayV2HTTPResponse {
	headers := make(map[string]string, len(resp.Headers)+3)
	for k, v := range d.Headers() {
		headers[k] = v
	}
	for k, v := range resp.Headers {
		headers[http.CanonicalHeaderKey(k)] = v
	}
	resp.Headers = headers
	return resp
}

// deprecation reads the sunset of o, and reports every problem with it: a sunset on an
// operation that is not deprecated, dates that do not parse or come in the wrong order, and a
// sunset without the deprecation date or the link the headers need.
func (o *Operation) deprecation() (*Deprecation, []error) {
	op := o.route.Operation
	rawSunset, hasSunset := op.Extensions[ExtensionSunset]
	rawSince, hasSince := op.Extensions[ExtensionDeprecatedSince]
	if !hasSunset {
		if hasSince {
			return nil, []error{fmt.Errorf("%s: %s without %s: give the date the operation stops being served",
				o.RouteKey(), ExtensionDeprecatedSince, ExtensionSunset)}
		}
		return nil, nil
	}
	var problems []error
	fail := func(format string, args ...any) {
		problems = append(problems, fmt.Errorf("%s: "+format, append([]any{o.RouteKey()}, args...)...))
	}
	if !op.Deprecated {
		fail("%s is set, but the operation is not deprecated: mark it deprecated: true", ExtensionSunset)
	}
	d := &Deprecation{}
	var err error
	if d.Sunset, err = date(rawSunset); err != nil {
		fail("%s: %v", ExtensionSunset, err)
	}
	switch {
	case !hasSince:
		fail("%s is required with %s: it is the date of the Deprecation header (RFC 9745)", ExtensionDeprecatedSince, ExtensionSunset)
	default:
		if d.Since, err = date(rawSince); err != nil {
			fail("%s: %v", ExtensionDeprecatedSince, err)
		}
	}
	if !d.Since.IsZero() && !d.Sunset.IsZero() && !d.Since.Before(d.Sunset) {
		fail("%s %s is not before %s %s", ExtensionDeprecatedSince, d.Since.Format(time.DateOnly),
			ExtensionSunset, d.Sunset.Format(time.DateOnly))
	}
	if op.ExternalDocs == nil || !absoluteURL(op.ExternalDocs.URL) {
		fail("externalDocs.url (an absolute URL) is required with %s: the Link header points callers to it", ExtensionSunset)
	} else {
		d.Link = op.ExternalDocs.URL
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return d, nil
}

// date reads an extension's date: YYYY-MM-DD (as oasdiff reads x-sunset), or an RFC 3339
// time. A date is midnight UTC.
func date(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("%v is not a date such as \"2027-03-31\" (quote it in YAML)", v)
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, errors.New(quote(s) + ` is not a date such as "2027-03-31"`)
	}
	return t.UTC(), nil
}

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
