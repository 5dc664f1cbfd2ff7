package httpapi

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigatewayv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// corsConfiguration returns the API's CORS settings, or nil without CORS.
func corsConfiguration(s settings) apigatewayv2.ApiCorsConfigurationPtrInput {
	c := s.CORS
	if c == nil {
		return nil
	}
	methods := c.AllowMethods
	if len(methods) == 0 {
		methods = routeMethods(s.spec)
	}
	headers := c.AllowHeaders
	if len(headers) == 0 {
		headers = []string{"Authorization", "Content-Type"}
	}
	cfg := &apigatewayv2.ApiCorsConfigurationArgs{
		AllowOrigins:     pulumi.ToStringArray(c.AllowOrigins),
		AllowMethods:     pulumi.ToStringArray(methods),
		AllowHeaders:     pulumi.ToStringArray(headers),
		AllowCredentials: pulumi.Bool(c.AllowCredentials),
	}
	if len(c.ExposeHeaders) > 0 {
		cfg.ExposeHeaders = pulumi.ToStringArray(c.ExposeHeaders)
	}
	if c.MaxAge > 0 {
		cfg.MaxAge = pulumi.Int(int(c.MaxAge / time.Second))
	}
	return cfg
}

func (c *CORS) validate() []error {
	var errs []error
	fail := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("CORS."+field+": "+format, args...))
	}
	if len(c.AllowOrigins) == 0 {
		fail("AllowOrigins", "at least one origin is required")
	}
	for i, o := range c.AllowOrigins {
		switch {
		case o == "*" && c.AllowCredentials:
			fail(fmt.Sprintf("AllowOrigins[%d]", i), `"*" is not allowed with AllowCredentials; list the origins`)
		case o == "*":
		case !origin(o):
			fail(fmt.Sprintf("AllowOrigins[%d]", i),
				`%q is not an origin; allowed "*", https://host[:port] or http://localhost[:port], without a path`, o)
		}
	}
	all := methods()
	allowed := append(all[:len(all)-1], "*") // "ANY" is a route key's word; CORS says "*"
	for i, m := range c.AllowMethods {
		if !slices.Contains(allowed, m) {
			fail(fmt.Sprintf("AllowMethods[%d]", i), "%q is not a method; allowed %s", m, strings.Join(allowed, ", "))
		}
	}
	for _, headers := range []struct {
		field string
		list  []string
	}{{"AllowHeaders", c.AllowHeaders}, {"ExposeHeaders", c.ExposeHeaders}} {
		for i, h := range headers.list {
			if h != "*" && !headerName(h) {
				fail(fmt.Sprintf("%s[%d]", headers.field, i), "%q is not a header name", h)
			}
		}
	}
	if c.MaxAge < 0 || c.MaxAge > maxCORSMaxAge || c.MaxAge%time.Second != 0 {
		fail("MaxAge", "%s is not whole seconds between 0s and %s", c.MaxAge, maxCORSMaxAge)
	}
	return errs
}

// origin reports whether o is scheme://host[:port] with https, or http for local
// development.
func origin(o string) bool {
	u, err := url.Parse(o)
	if err != nil || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return false
	}
	switch u.Scheme {
	case "https":
		return true
	case "http":
		h := u.Hostname()
		return h == "localhost" || h == "127.0.0.1"
	}
	return false
}

func headerName(h string) bool {
	if h == "" {
		return false
	}
	for _, c := range h {
		if !isAlnum(c) && !strings.ContainsRune("!#$%&'*+-.^_`|~", c) {
			return false
		}
	}
	return true
}
