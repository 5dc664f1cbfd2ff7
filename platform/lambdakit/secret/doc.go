// Package secret is how handlers use the platform's secrets (components/secret): shared keys
// kept in Secrets Manager, such as the key that signs HTTP requests with HMAC-SHA256. It runs
// inside Lambda handlers and imports nothing from Pulumi.
//
// A secret's value is its SecretString; its bytes are the key. The rotation function
// (Rotator, the four steps Secrets Manager calls) writes a new key of KeyBytes random bytes,
// base64url-encoded, so that the value is text a receiver can copy, and a value shorter than
// MinBytes is refused wherever it is read: a key an attacker could guess is never used.
//
// Rotation keeps two keys valid. A new key is written as AWSPENDING, then becomes AWSCURRENT;
// the key it replaces becomes AWSPREVIOUS and stays valid until the next rotation. A signer
// signs with AWSCURRENT (Cache.Current); a verifier accepts AWSCURRENT and AWSPREVIOUS
// (Cache.Verify), so a signer that still holds the old key in its cache is not refused. A
// signer whose signature is refused reads the secret again (Cache.Refresh) and retries once:
// the verifier may have rotated first. A verifier that refuses a signature with its cached keys
// reads them again once before it refuses, for the same reason.
//
// Default settings:
//   - a version is cached for DefaultTTL (5 minutes): a rotation reaches every warm function
//     within minutes, and Secrets Manager is called a few times an hour, not once per event;
//   - Refresh and Verify read the secret again at most once per MinRefreshInterval (10
//     seconds), so that a flood of requests with bad signatures cannot turn into a flood of
//     Secrets Manager calls (throttling every function of the account, and billed);
//   - a SecretString shorter than MinBytes is an error for AWSCURRENT and is ignored for
//     AWSPREVIOUS (a weak key from before the first rotation never verifies);
//   - the rotation function acts only on the secret it was deployed for (ROTATION_SECRET_ARN),
//     generates keys with crypto/rand and never logs a value.
package secret
