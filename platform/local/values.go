package local

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/stratum-platform/stratum/platform/plan"
)

// plainMap turns a property map into the plain values plan.Answer reads: secrets by their
// value, unknowns as plan.Unknown, archives and assets as a marker, references by id or URN.
// Nulls are left out.
func plainMap(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if p := plainValue(v); p != nil {
			out[string(k)] = p
		}
	}
	return out
}

func plainValue(v resource.PropertyValue) any {
	v = unwrap(v)
	switch {
	case v.IsNull():
		return nil
	case v.IsComputed():
		return plan.Unknown
	case v.IsResourceReference():
		ref := v.ResourceReferenceValue()
		if id, ok := ref.IDString(); ok && id != "" {
			return id
		}
		return string(ref.URN)
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, 0, len(arr))
		for _, e := range arr {
			out = append(out, plainValue(e))
		}
		return out
	case v.IsObject():
		return plainMap(v.ObjectValue())
	case v.IsArchive():
		return "[archive]"
	case v.IsAsset():
		return "[asset]"
	}
	return v.V
}

// unwrap returns the value inside secrets and known outputs; an unknown output is computed.
func unwrap(v resource.PropertyValue) resource.PropertyValue {
	for {
		switch {
		case v.IsSecret():
			v = v.SecretValue().Element
		case v.IsOutput():
			o := v.OutputValue()
			if !o.Known {
				return resource.MakeComputed(resource.NewStringProperty(""))
			}
			v = o.Element
		default:
			return v
		}
	}
}

// storeOptions keep every kind of value, so that a stored state restores exactly.
func storeOptions(label string) plugin.MarshalOptions {
	return plugin.MarshalOptions{Label: label, KeepUnknowns: true, KeepSecrets: true, KeepResources: true,
		KeepOutputValues: true}
}

// encodeState turns a state into JSON-friendly values in Pulumi's wire form: plain values stay
// plain, secrets, archives and assets become signed objects that decodeState restores.
func encodeState(state resource.PropertyMap) (map[string]any, error) {
	s, err := plugin.MarshalProperties(state, storeOptions("store"))
	if err != nil {
		return nil, fmt.Errorf("local: encoding state: %w", err)
	}
	return s.AsMap(), nil
}

// decodeState restores a state encodeState produced.
func decodeState(m map[string]any) (resource.PropertyMap, error) {
	s, err := structpb.NewStruct(m)
	if err != nil {
		return nil, fmt.Errorf("local: decoding state: %w", err)
	}
	state, err := plugin.UnmarshalProperties(s, storeOptions("restore"))
	if err != nil {
		return nil, fmt.Errorf("local: decoding state: %w", err)
	}
	return state, nil
}

// sameJSON reports whether two strings are the same JSON document written differently (key
// order, spacing), as the Terraform provider treats policies and other JSON bodies.
func sameJSON(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if a == "" || b == "" || (a[0] != '{' && a[0] != '[') || (b[0] != '{' && b[0] != '[') {
		return false
	}
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
