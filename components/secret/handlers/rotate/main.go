// Command rotate is the rotation function of components/secret: Secrets Manager invokes it
// with each of the four steps of a rotation (createSecret, setSecret, testSecret,
// finishSecret) and it replaces the secret's key by 32 random bytes, keeping the old key as
// AWSPREVIOUS (platform/lambdakit/secret.Rotator).
//
// Environment: ROTATION_SECRET_ARN, the one secret it rotates; an event for another secret
// is refused.
//
// IAM: exactly secret.RotationActions() on that secret, and kms:Decrypt and
// kms:GenerateDataKey on its key through Secrets Manager.
package main

import (
	"crypto/rand"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/secret"
)

func main() {
	lambdakit.Main([]string{"ROTATION_SECRET_ARN"}, func(s lambdakit.Setup) (any, error) {
		r := &secret.Rotator{
			Client:    secretsmanager.NewFromConfig(s.AWS),
			SecretArn: s.Env["ROTATION_SECRET_ARN"],
			Random:    rand.Reader,
		}
		return r.Handle, nil
	})
}
