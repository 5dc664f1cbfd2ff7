package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/stratum-platform/stratum/platform/release"
)

// config is what the hook checks and how.
type config struct {
	checks  []release.Check
	baseURL string // without a trailing slash; empty when the checks do not go over HTTP
	invoke  bool
}

// lookupOptional reads an optional variable, which lambdakit.Main does not collect.
func lookupOptional(name string) string {
	return strings.TrimSpace(os.Getenv(name))
}

// loadConfig reads the configuration: required from the kit's checked environment,
// optional from the process's. It reports every problem at once.
func loadConfig(required, optional func(string) string) (config, error) {
	var problems []string
	checks, err := release.ParseChecks(required(release.EnvSmokeChecks))
	if err != nil {
		problems = append(problems, fmt.Sprintf("%s: %v", release.EnvSmokeChecks, err))
	}
	cfg := config{checks: checks}
	if raw := optional(release.EnvSmokeBaseURL); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" {
			problems = append(problems, fmt.Sprintf("%s: must be an http(s) URL without a query, got %q", release.EnvSmokeBaseURL, raw))
		}
		cfg.baseURL = strings.TrimSuffix(raw, "/")
	}
	switch v := optional(release.EnvSmokeInvoke); v {
	case "", "false":
	case "true":
		cfg.invoke = true
	default:
		problems = append(problems, fmt.Sprintf("%s: must be true or false, got %q", release.EnvSmokeInvoke, v))
	}
	if cfg.baseURL == "" && !cfg.invoke && len(problems) == 0 {
		problems = append(problems, fmt.Sprintf("%s or %s=true: one is required, or no check runs", release.EnvSmokeBaseURL, release.EnvSmokeInvoke))
	}
	if len(problems) > 0 {
		return config{}, errors.New("smoke: " + strings.Join(problems, "; "))
	}
	return cfg, nil
}
