package main

import (
	"context"
	"errors"
)

func runLocal(ctx context.Context, args []string) error {
	return errors.New("not built yet")
}
