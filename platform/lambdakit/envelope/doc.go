// Package envelope is the part of the Lambda kit that publishes and consumes domain events:
// every event travels between contexts as an Envelope (id, type, version, source, time,
// correlation id) around its own data, on SNS topics and the SQS queues subscribed to them.
// A producer makes one with New and publishes it with its MessageAttributes; a consumer
// reads one with FromSQS and its data with Decode. It is a package of its own because only
// producers and consumers of events need it, and a call such as envelope.FromSQS(msg) reads
// as what it does.
//
// Default settings:
//   - an event's type is a past-tense noun phrase in PascalCase (^[A-Z][A-Za-z]+$) and its
//     data a JSON object, so fields can be added later;
//   - time is UTC to the millisecond, which other languages read back equal;
//   - data is decoded tolerating unknown fields, so producers can add fields without a new
//     version.
package envelope
