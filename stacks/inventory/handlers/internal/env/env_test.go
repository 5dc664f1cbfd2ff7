package env

import (
	"testing"
)

func TestRequire(t *testing.T) {
	getenv := func(name string) string {
		return map[string]string{"A": "a", "B": " ", "D": "d"}[name]
	}
	got, err := Require(getenv, "A", "D")
	if err != nil || got["A"] != "a" || got["D"] != "d" {
		t.Fatalf("Require(A, D) = %v, %v", got, err)
	}
	_, err = Require(getenv, "A", "B", "C")
	if err == nil || err.Error() != "missing environment variable: B, C" {
		t.Fatalf("Require(A, B, C) error = %v, want both B and C named", err)
	}
}
