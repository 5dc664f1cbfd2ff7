package main

import (
	"context"
	"encoding/json"
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

	"github.com/stratum-platform/stratum/platform/lambdakit"
	"github.com/stratum-platform/stratum/platform/lambdakit/envelope"
	accounts "github.com/stratum-platform/stratum/stacks/accounts/contract"
	"github.com/stratum-platform/stratum/stacks/inventory/contract"
)

// The session of the assumed role: its name shows in the customer's CloudTrail, and 15
// minutes, the least STS allows, is also the longest a Lambda invocation runs.
const (
	roleSessionName     = "stratum-inventory-scan"
	roleSessionDuration = 900
)

// resourcesPerPage is the most resources that GetResources returns per call.
const resourcesPerPage = 100

// connection asks the accounts context's connection function how to reach accountID.
func (h *handler) connection(ctx context.Context, accountID string) (accounts.ConnectionResponse, error) {
	payload, err := json.Marshal(accounts.ConnectionRequest{AccountID: accountID})
	if err != nil {
		return accounts.ConnectionResponse{}, fmt.Errorf("connection request: %w", err)
	}
	out, err := h.functions.Invoke(ctx, &awslambda.InvokeInput{
		FunctionName:   aws.String(h.connectionFunction),
		InvocationType: lambdatypes.InvocationTypeRequestResponse,
		Payload:        payload,
	})
	if err != nil {
		return accounts.ConnectionResponse{}, fmt.Errorf("invoke connection function: %w", err)
	}
	if out.FunctionError != nil {
		return accounts.ConnectionResponse{}, fmt.Errorf("connection function failed (%s): %s", *out.FunctionError, excerpt(out.Payload))
	}
	var resp accounts.ConnectionResponse
	if err := json.Unmarshal(out.Payload, &resp); err != nil {
		return accounts.ConnectionResponse{}, fmt.Errorf("connection function response: %w", err)
	}
	if resp.Error != "" {
		return accounts.ConnectionResponse{}, fmt.Errorf("connection function: %s: %w", resp.Error, errNoConnection)
	}
	if !readerRole(resp.RoleArn) || resp.ExternalID == "" {
		// The grant allows only the reader role; say so rather than fail with
		// AccessDenied from STS.
		return accounts.ConnectionResponse{}, fmt.Errorf("connection function response: role %q and external id (%d characters): want arn:aws:iam::<12 digits>:role/%s and an external id",
			resp.RoleArn, len(resp.ExternalID), accounts.ReaderRoleName)
	}
	return resp, nil
}

// readerRole reports whether arn is the reader role of an account, the only role the
// function may assume.
func readerRole(arn string) bool {
	const prefix, suffix = "arn:aws:iam::", ":role/" + accounts.ReaderRoleName
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

// assume returns the credentials of the reader role of conn.
func (h *handler) assume(ctx context.Context, conn accounts.ConnectionResponse) (aws.CredentialsProvider, error) {
	out, err := h.sts.AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String(conn.RoleArn),
		RoleSessionName: aws.String(roleSessionName),
		ExternalId:      aws.String(conn.ExternalID),
		DurationSeconds: aws.Int32(roleSessionDuration),
	})
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
func (h *handler) publish(ctx context.Context, accountID string, d diff, scannedAt time.Time) error {
	e, err := envelope.New(ctx, contract.Source, contract.InventoryChangedType, contract.InventoryChangedVersion, contract.InventoryChanged{
		Version:   contract.InventoryChangedVersion,
		AccountID: accountID,
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
