package main

import (
	"fmt"

	"github.com/stratum-platform/stratum/platform/lambdakit/envelope"
	accounts "github.com/stratum-platform/stratum/stacks/accounts/contract"
	inventory "github.com/stratum-platform/stratum/stacks/inventory/contract"
)

// producerOf returns the source that publishes events of typ, as the producers' contracts
// declare it, and false for a type this function does not deliver.
func producerOf(typ string) (string, bool) {
	switch typ {
	case accounts.AccountConnectedType, accounts.AccountDisconnectedType:
		return accounts.Source, true
	case inventory.InventoryChangedType:
		return inventory.Source, true
	}
	return "", false
}

// checkProducer refuses an event that its type's producer did not send: anyone who may
// publish to a topic the queue is subscribed to could otherwise make the platform sign and
// deliver an event of their own making. The refusal is permanent, so the message ends in
// the dead-letter queue, where an operator sees it.
func checkProducer(e envelope.Envelope) error {
	want, ok := producerOf(e.Type)
	switch {
	case !ok:
		return fmt.Errorf("event %s: %w: type %q is not delivered", e.ID, errPermanent, e.Type)
	case e.Source != want:
		return fmt.Errorf("event %s: %w: source %q is not the producer of %s (%q)", e.ID, errPermanent, e.Source, e.Type, want)
	}
	return nil
}
