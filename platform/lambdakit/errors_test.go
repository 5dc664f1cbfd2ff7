package lambdakit

import "testing"

func TestValidationErrorMessage(t *testing.T) {
	tests := []struct {
		fields map[string]string
		want   string
	}{
		{nil, "invalid input"},
		{map[string]string{"a": "is required"}, "a: is required"},
		{map[string]string{"b": "x", "a": "y", "c": "z"}, "a: y; b: x; c: z"},
	}
	for _, tt := range tests {
		if got := (&ValidationError{Fields: tt.fields}).Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}
