package service

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/stratum-platform/stratum/components/secret"
)

// Secret creates a secret of the context, rotated by the platform's rotation function.
// Scope is filled in; Administrators default to the platform's deploy role (the role that
// deploys the context), OnFailure to the context's failures queue. Name the functions that
// read it in args.Readers and give each the secret's AllowRead. opts are added to the
// secret's (an alias of a secret it adopts, say).
func (s *Service) Secret(name string, args secret.Args, opts ...pulumi.ResourceOption) (*secret.Secret, error) {
	args.Scope = s.Scope
	if len(args.Administrators) == 0 {
		args.Administrators = []pulumi.StringInput{s.DeployRoleArn}
	}
	if args.OnFailure == nil {
		q, err := s.failures()
		if err != nil {
			return nil, err
		}
		args.OnFailure = q.Arn
	}
	sec, err := secret.New(s.ctx, name, &args, append([]pulumi.ResourceOption{pulumi.Parent(s)}, opts...)...)
	if err != nil {
		return nil, s.wrap(err)
	}
	s.members = append(s.members, sec)
	return sec, nil
}
