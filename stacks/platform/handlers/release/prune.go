package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/stratum-platform/stratum/platform/release"
)

// prune deletes the published versions of the function beyond the newest req.Keep() besides
// the versions in keep (the alias's and those a deployment uses), never $LATEST, and returns
// the ones it deleted, oldest first. It goes on past a version that fails to delete (another
// alias or an event source mapping may still use it) and reports every failure.
func (h *handler) prune(ctx context.Context, req release.Request, keep []string) ([]string, error) {
	versions, err := h.versions(ctx, req.FunctionName)
	if err != nil {
		return nil, err
	}
	doomed := prunable(versions, keep, req.Keep())
	var deleted []string
	var errs []error
	for _, v := range doomed {
		_, err := h.lambda.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(req.FunctionName), Qualifier: aws.String(v)})
		if err != nil {
			errs = append(errs, fmt.Errorf("delete version %s: %w", v, err))
			continue
		}
		deleted = append(deleted, v)
	}
	return deleted, errors.Join(errs...)
}

// versions lists the function's published versions (not $LATEST).
func (h *handler) versions(ctx context.Context, fn string) ([]string, error) {
	var out []string
	in := &lambda.ListVersionsByFunctionInput{FunctionName: aws.String(fn)}
	for {
		page, err := h.lambda.ListVersionsByFunction(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list versions: %w", err)
		}
		for _, c := range page.Versions {
			if v := aws.ToString(c.Version); v != "" {
				out = append(out, v)
			}
		}
		if aws.ToString(page.NextMarker) == "" {
			return out, nil
		}
		in.Marker = page.NextMarker
	}
}

// prunable returns, oldest first, the published versions that are not in keep and not among
// the newest n of the others. Anything that is not a version number ($LATEST) is never pruned.
func prunable(versions, keep []string, n int) []string {
	type numbered struct {
		name string
		n    uint64
	}
	var nums []numbered
	for _, v := range versions {
		if n, ok := release.VersionNumber(v); ok && !slices.Contains(keep, v) {
			nums = append(nums, numbered{v, n})
		}
	}
	// Newest first, so that the first n are the ones kept by count.
	slices.SortFunc(nums, func(a, b numbered) int { return cmp.Compare(b.n, a.n) })
	var out []string
	for _, v := range nums[min(n, len(nums)):] {
		out = append(out, v.name)
	}
	slices.Reverse(out)
	return out
}
