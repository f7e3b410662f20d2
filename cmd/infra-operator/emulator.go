package main

import (
	"context"
	"errors"
)

func runEmulator(ctx context.Context, args []string) error {
	return errors.New("not built yet")
}
