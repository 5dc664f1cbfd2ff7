package bucket_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratum-platform/stratum/components/anatomy"
)

// The bucket keeps the anatomy of every component (docs/design.md section 4), with its type
// token declared here, and documents the default of every Args field.
func TestAnatomy(t *testing.T) {
	problems, err := anatomy.Check(".", anatomy.Extension())
	require.NoError(t, err)
	assert.Empty(t, problems)
	problems, checked, err := anatomy.CheckDocs(".")
	require.NoError(t, err)
	assert.Empty(t, problems)
	assert.Greater(t, checked, 15)
}
