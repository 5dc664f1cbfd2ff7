package lambdakit

import (
	"fmt"
	"strings"
)

// requireEnv returns the values of the environment variables names, read with getenv,
// trimmed. It fails naming every variable that is unset or empty, so that a function
// deployed without its configuration says all that is missing in one cold start rather than
// failing on its first request.
func requireEnv(getenv func(string) string, names ...string) (map[string]string, error) {
	values := make(map[string]string, len(names))
	var missing []string
	for _, name := range names {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			missing = append(missing, name)
			continue
		}
		values[name] = v
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing environment variable: %s", strings.Join(missing, ", "))
	}
	return values, nil
}
