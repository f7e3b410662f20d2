package gateway

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// WalkPages follows a list operation to its last page, whichever token the
// family names it by (v1 position, v2 nextToken; neither SDK has paginators
// for all of them). page fetches the page a token names (nil: the first)
// and returns its items and the next token.
func WalkPages[T any](ctx context.Context, page func(ctx context.Context, token *string) ([]T, *string, error)) ([]T, error) {
	var all []T
	var token *string
	for {
		items, next, err := page(ctx, token)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if aws.ToString(next) == "" {
			return all, nil
		}
		token = next
	}
}

// convert maps every item of a page to the package's model.
func convert[S, T any](items []S, to func(S) T) []T {
	out := make([]T, len(items))
	for i, item := range items {
		out[i] = to(item)
	}
	return out
}
