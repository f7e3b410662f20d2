package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator"
)

// runEmulator serves the emulator until ctx is cancelled (SIGINT/SIGTERM).
func runEmulator(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("emulator", flag.ContinueOnError)
	listen := flags.String("listen", "127.0.0.1:4566", "address to listen on (port 0 picks one)")
	var credentials credentialFlags
	flags.Var(&credentials, "credentials", "KEY:SECRET[:ACCOUNT] accepted for SigV4 (repeatable); any turns signature checks on")
	var opts emulator.Options
	flags.BoolVar(&opts.Quotas, "quotas", false, "enforce AWS's control-plane rate limits")
	flags.Float64Var(&opts.QuotaTimeScale, "quota-time-scale", 1, "speed every quota up by this factor")
	flags.Float64Var(&opts.FaultRate, "fault-rate", 0, "fraction of control-plane calls answered with an injected 500/503")
	flags.DurationVar(&opts.Latency, "latency", 0, "latency added to every control-plane call")
	flags.StringVar(&opts.StateFile, "state-file", "", "persist state to this file (read at start, written after every change)")
	flags.StringVar(&opts.DefaultAccount, "default-account", "000000000000", "account of callers with unknown access keys")
	var functions lambdaFunctionFlags
	flags.Var(&functions, "lambda-function", "[ACCOUNT:REGION:]NAME[:ALIAS[,ALIAS...]][@TIMEOUT][=ENDPOINT|=exec:PATH]: a Lambda function that exists (repeatable); "+
		"without ACCOUNT:REGION, the default account's in every region (REGION * is every region too); TIMEOUT in seconds (default 3); "+
		"exec:PATH runs the executable PATH as the function through the Lambda Runtime API (an aws-lambda-go binary, a provided.al2023 bootstrap), "+
		"its output on stderr; an http(s) ENDPOINT is POSTed the payload instead")
	accessLog := flags.String("access-log", "", `write one line per invoke request to this file ("-" for stderr); empty: no access log`)
	if err := flags.Parse(args); err != nil {
		return err
	}
	opts.Credentials = credentials
	opts.LambdaFunctions = functions
	opts.LambdaLogs = os.Stderr
	logFile, err := openAccessLog(*accessLog)
	if err != nil {
		return err
	}
	if logFile != nil {
		defer logFile.Close()
		opts.AccessLog = logFile
	}

	server, url, err := emulator.Start(opts, *listen)
	if err != nil {
		return err
	}
	fmt.Printf("emulator listening on %s\n", url)
	<-ctx.Done()
	return server.Close()
}

// openAccessLog opens --access-log's destination: nil for none, stderr for
// "-", else the file, appended to.
func openAccessLog(path string) (io.WriteCloser, error) {
	switch path {
	case "":
		return nil, nil
	case "-":
		return nopCloser{os.Stderr}, nil
	}
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening the access log: %w", err)
	}
	return file, nil
}

// nopCloser keeps stderr open when the emulator stops.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// credentialFlags collects repeated --credentials KEY:SECRET[:ACCOUNT].
type credentialFlags []emulator.Credential

func (c *credentialFlags) String() string { return fmt.Sprintf("%d credentials", len(*c)) }

func (c *credentialFlags) Set(value string) error {
	parts := strings.Split(value, ":")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
		return fmt.Errorf("want KEY:SECRET[:ACCOUNT], got %q", value)
	}
	credential := emulator.Credential{AccessKeyID: parts[0], SecretAccessKey: parts[1]}
	if len(parts) == 3 {
		credential.Account = parts[2]
	}
	*c = append(*c, credential)
	return nil
}

// lambdaFunctionFlags collects repeated --lambda-function values.
type lambdaFunctionFlags []emulator.LambdaFunction

func (f *lambdaFunctionFlags) String() string { return fmt.Sprintf("%d functions", len(*f)) }

func (f *lambdaFunctionFlags) Set(value string) error {
	function, err := emulator.ParseLambdaFunction(value)
	if err != nil {
		return err
	}
	*f = append(*f, function)
	return nil
}
