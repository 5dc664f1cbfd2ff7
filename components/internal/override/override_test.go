package override_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/components/internal/override"
)

type args struct{ Name, Class string }

func TestApplyReappliesOwnedFieldsAfterTheHook(t *testing.T) {
	own := func(a *args) { a.Name = "owned" }
	hook := func(a *args) { a.Name, a.Class = "hooked", "STANDARD_IA" }
	got := override.Apply(&args{Class: "STANDARD"}, hook, own)
	assert.Equal(t, &args{Name: "owned", Class: "STANDARD_IA"}, got, "the hook adds, the component owns")
	assert.Equal(t, &args{Name: "owned", Class: "STANDARD"}, override.Apply(&args{Class: "STANDARD"}, nil, own))
}

func TestKeyed(t *testing.T) {
	var seen []string
	hook := override.Keyed(func(key string, a *args) { seen = append(seen, key); a.Class = key }, "GET /")
	got := override.Apply(&args{}, hook, func(*args) {})
	assert.Equal(t, "GET /", got.Class)
	assert.Equal(t, []string{"GET /"}, seen)
	assert.Nil(t, override.Keyed[args](nil, "GET /"), "no hook stays no hook")
}
