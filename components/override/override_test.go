package override_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stratum-platform/stratum/components/override"
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

func TestChainRunsHooksInOrderBeforeTheOwnedFields(t *testing.T) {
	caller := func(a *args) { a.Class = "caller"; a.Name = "caller" }
	wrapper := func(a *args) { a.Class += "+wrapper" }
	got := override.Apply(&args{}, override.Chain(caller, nil, wrapper), func(a *args) { a.Name = "owned" })
	assert.Equal(t, &args{Name: "owned", Class: "caller+wrapper"}, got)
	assert.Nil(t, override.Chain[args](nil, nil), "no hooks chain to no hook")
}
