package lambdakit

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequireEnv(t *testing.T) {
	getenv := func(name string) string {
		return map[string]string{"A": " a ", "B": " ", "D": "d"}[name]
	}
	got, err := requireEnv(getenv, "A", "D")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"A": "a", "D": "d"}, got)

	_, err = requireEnv(getenv, "A", "B", "C")
	assert.EqualError(t, err, "missing environment variable: B, C")
}
