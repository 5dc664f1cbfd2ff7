// Package override is the one way a component applies its caller's Overrides hooks to a
// child's arguments: the hook runs on the arguments the component built, then the component
// re-applies the fields it owns. A hook can therefore add to a child (tags, settings the
// component leaves open) but never change what the component guarantees (names,
// encryption, policies, wiring). The anatomy check (components/anatomy) requires every hook
// to go through Apply. It is exported so that a component declared outside components/ (an
// extension) follows the same rule, and a wrapper chains its caller's hooks (Chain).
package override

// Apply runs hook on args when the caller set one, then own, which re-applies the fields the
// component owns, and returns args.
func Apply[T any](args *T, hook func(*T), own func(*T)) *T {
	if hook != nil {
		hook(args)
	}
	own(args)
	return args
}

// Keyed adapts a hook that also receives the key of the child it changes (an HTTP API
// route's key, say) to the hook of the child with that key; nil stays nil.
func Keyed[T any](hook func(key string, args *T), key string) func(*T) {
	if hook == nil {
		return nil
	}
	return func(args *T) { hook(key, args) }
}

// Chain returns a hook that runs hooks in order on the same arguments, skipping nil ones;
// nil when every hook is nil. A wrapper of a component passes its caller's hook and then
// its own: both run before the component re-applies the fields it owns, so the wrapper's
// defaults win over its caller's and the component's guarantees over both.
func Chain[T any](hooks ...func(*T)) func(*T) {
	var set []func(*T)
	for _, h := range hooks {
		if h != nil {
			set = append(set, h)
		}
	}
	if len(set) == 0 {
		return nil
	}
	return func(args *T) {
		for _, h := range set {
			h(args)
		}
	}
}
