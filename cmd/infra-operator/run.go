package main

import (
	"context"
	"errors"
)

func runOperator(ctx context.Context, args []string) error {
	return errors.New("not built yet")
}
