// Command infra-operator is the whole product in one binary:
//
//	infra-operator run       the operator (kubeconfig or in-cluster)
//	infra-operator emulator  the local AWS API Gateway emulator
//	infra-operator local     both, with an embedded Kubernetes API server
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

type subcommand struct {
	summary string
	run     func(ctx context.Context, args []string) error
}

var subcommands = map[string]subcommand{
	"run":      {"run the operator against a Kubernetes cluster", runOperator},
	"emulator": {"serve the local AWS API Gateway emulator", runEmulator},
	"local":    {"run everything locally: API server, emulator, operator", runLocal},
}

func main() {
	if len(os.Args) < 2 || subcommands[os.Args[1]].run == nil {
		usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := subcommands[os.Args[1]].run(ctx, os.Args[2:])
	stop() // not deferred: os.Exit would skip it
	if err != nil {
		fmt.Fprintf(os.Stderr, "infra-operator %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: infra-operator <command> [flags]\n\ncommands:")
	for _, name := range []string{"run", "emulator", "local"} {
		fmt.Fprintf(os.Stderr, "  %-9s %s\n", name, subcommands[name].summary)
	}
	fmt.Fprintln(os.Stderr, "\nRun 'infra-operator <command> -h' for the flags of a command.")
}
