package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/envelope"
	accounts "github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/inventory/contract"
	"github.com/stratum-platform/stratum/stacks/inventory/handlers/internal/store"
)

// roleSessionDuration is the length of the assumed role's session: 15 minutes, the least
// STS allows, is also the longest a Lambda invocation runs.
const roleSessionDuration = 900

// sessionPolicy is the session policy of the assumed role: whatever the customer's role
// allows, the session may only make the one call the scan makes.
const sessionPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["tag:GetResources"],"Resource":"*"}]}`

// resourcesPerPage is the most resources that GetResources returns per call.
const resourcesPerPage = 100

// invoke calls the accounts context's function fn with req and decodes its answer into
// resp.
func (h *handler) invoke(ctx context.Context, fn string, req, resp any) error {
	payload, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	out, err := h.functions.Invoke(ctx, &awslambda.InvokeInput{
		FunctionName:   aws.String(fn),
		InvocationType: lambdatypes.InvocationTypeRequestResponse,
		Payload:        payload,
	})
	if err != nil {
		return fmt.Errorf("invoke %s: %w", fn, err)
	}
	if out.FunctionError != nil {
		return fmt.Errorf("%s failed (%s): %s", fn, *out.FunctionError, excerpt(out.Payload))
	}
	if err := json.Unmarshal(out.Payload, resp); err != nil {
		return fmt.Errorf("%s response: %w", fn, err)
	}
	return nil
}

// connection asks the accounts context how to reach the job's account for its tenant. An
// answer without details (no such registration, or another tenant holds the account) is
// errSkip: a retry would not change it.
func (h *handler) connection(ctx context.Context, job store.Job) (accounts.ConnectionResponse, error) {
	var resp accounts.ConnectionResponse
	if err := h.invoke(ctx, h.connectionFunction, accounts.ConnectionRequest{TenantID: job.TenantID, AccountID: job.AccountID}, &resp); err != nil {
		return accounts.ConnectionResponse{}, fmt.Errorf("connection: %w", err)
	}
	if resp.Error != "" {
		return accounts.ConnectionResponse{}, fmt.Errorf("connection function: %s: %w", resp.Error, errSkip)
	}
	if !h.isReaderRole(resp.RoleArn) || resp.ExternalID == "" {
		// The grant allows only the reader role; say so rather than fail with
		// AccessDenied from STS.
		return accounts.ConnectionResponse{}, fmt.Errorf("connection function response: role %q and external id (%d characters): want arn:aws:iam::<12 digits>:role/%s and an external id",
			resp.RoleArn, len(resp.ExternalID), h.readerRole)
	}
	return resp, nil
}

// claim makes the job's pending registration the account's active one, now that its
// external id worked. A refusal (another registration holds the account, or this one
// changed) is errSkip.
func (h *handler) claim(ctx context.Context, job store.Job) error {
	var resp accounts.ClaimResponse
	req := accounts.ClaimRequest{TenantID: job.TenantID, AccountID: job.AccountID, Generation: job.Generation}
	if err := h.invoke(ctx, h.claimFunction, req, &resp); err != nil {
		return fmt.Errorf("claim: %w", err)
	}
	if resp.Error != "" {
		return fmt.Errorf("claim function: %s", resp.Error)
	}
	if !resp.Claimed {
		return fmt.Errorf("claim refused: %w", errSkip)
	}
	return nil
}

// isReaderRole reports whether arn is the reader role of an account, the only role the
// function may assume.
func (h *handler) isReaderRole(arn string) bool {
	prefix, suffix := "arn:aws:iam::", ":role/"+h.readerRole
	if len(arn) != len(prefix)+12+len(suffix) || arn[:len(prefix)] != prefix || arn[len(prefix)+12:] != suffix {
		return false
	}
	for _, c := range arn[len(prefix) : len(prefix)+12] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// excerpt returns the start of a payload for an error message: enough to identify the
// error, not so much that one failure floods the logs.
func excerpt(payload []byte) string {
	const limit = 512
	if len(payload) > limit {
		return string(payload[:limit]) + "..."
	}
	return string(payload)
}

// assume returns the credentials of the reader role of conn, for a session that may only
// list resources and that the customer's CloudTrail shows as the job's tenant and the
// environment. A pending registration whose role refuses it (the customer has not made the
// role, or not with this registration's external id) is errSkip: it stays pending.
func (h *handler) assume(ctx context.Context, job store.Job, conn accounts.ConnectionResponse) (aws.CredentialsProvider, error) {
	identity := sessionIdentity(h.env, job.TenantID)
	out, err := h.sts.AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String(conn.RoleArn),
		RoleSessionName: aws.String(identity),
		SourceIdentity:  aws.String(identity),
		ExternalId:      aws.String(conn.ExternalID),
		DurationSeconds: aws.Int32(roleSessionDuration),
		Policy:          aws.String(sessionPolicy),
	})
	if apiErr, ok := errors.AsType[smithy.APIError](err); ok && apiErr.ErrorCode() == "AccessDenied" && conn.Status != accounts.StatusActive {
		return nil, fmt.Errorf("assume %s: not allowed yet: %w", conn.RoleArn, errSkip)
	}
	if err != nil {
		return nil, fmt.Errorf("assume %s: %w", conn.RoleArn, err)
	}
	c := out.Credentials
	if c == nil || c.AccessKeyId == nil || c.SecretAccessKey == nil || c.SessionToken == nil {
		return nil, fmt.Errorf("assume %s: no credentials in the response", conn.RoleArn)
	}
	return credentials.NewStaticCredentialsProvider(*c.AccessKeyId, *c.SecretAccessKey, *c.SessionToken), nil
}

// listResources returns the tags of every resource that the Resource Groups Tagging API
// lists with creds, by ARN. Entries whose ARN cannot be read are logged and left out.
func (h *handler) listResources(ctx context.Context, creds aws.CredentialsProvider) (map[string]map[string]string, error) {
	withCreds := func(o *resourcegroupstaggingapi.Options) { o.Credentials = creds }
	in := &resourcegroupstaggingapi.GetResourcesInput{ResourcesPerPage: aws.Int32(resourcesPerPage)}
	live := map[string]map[string]string{}
	for {
		out, err := h.tagging.GetResources(ctx, in, withCreds)
		if err != nil {
			return nil, fmt.Errorf("get resources: %w", err)
		}
		for _, m := range out.ResourceTagMappingList {
			arn := aws.ToString(m.ResourceARN)
			if _, ok := resourceType(arn); !ok {
				lambdakit.Logger(ctx).Warn("resource skipped: unreadable arn", "arn", arn)
				continue
			}
			tags := make(map[string]string, len(m.Tags))
			for _, t := range m.Tags {
				tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
			}
			live[arn] = tags
		}
		if aws.ToString(out.PaginationToken) == "" {
			return live, nil
		}
		in.PaginationToken = out.PaginationToken
	}
}

// publish publishes InventoryChanged for d.
func (h *handler) publish(ctx context.Context, job store.Job, d diff, scannedAt time.Time) error {
	e, err := envelope.New(ctx, contract.Source, contract.InventoryChangedType, contract.InventoryChangedVersion, contract.InventoryChanged{
		Version:   contract.InventoryChangedVersion,
		TenantID:  job.TenantID,
		AccountID: job.AccountID,
		Added:     d.added,
		Removed:   d.removed,
		Total:     d.total,
		ScannedAt: scannedAt,
	})
	if err != nil {
		return err
	}
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("event %q: %w", e.Type, err)
	}
	attrs := map[string]snstypes.MessageAttributeValue{}
	for name, value := range e.MessageAttributes() {
		attrs[name] = snstypes.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(value)}
	}
	if _, err := h.topic.Publish(ctx, &sns.PublishInput{
		TopicArn:          aws.String(h.topicArn),
		Message:           aws.String(string(body)),
		MessageAttributes: attrs,
	}); err != nil {
		return fmt.Errorf("publish %s %s: %w", e.Type, e.ID, err)
	}
	return nil
}
