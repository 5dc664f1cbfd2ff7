package lambdakit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// Setup is what a function's wiring builds its handler from.
type Setup struct {
	// Env maps each environment variable that Main was told the function requires to its
	// value, trimmed and never empty.
	Env map[string]string
	// AWS is the AWS SDK's default configuration in Lambda: the region, and the
	// credentials of the function's role. Clients made from it (dynamodb.NewFromConfig and
	// the like) open no connection until they are called, so wiring stays cheap.
	AWS aws.Config
}

// Main is the whole start-up of a Lambda function; a handler's main calls it and nothing
// else. It stores a JSON logger on standard output in the context (see Logger), reads the
// environment variables required, loads the AWS SDK's default configuration, and calls wire
// with both to build the handler: any function that aws-lambda-go's lambda.Start accepts,
// typically a method value such as h.Handle. It then starts the Lambda runtime, whose every
// invocation gets a context derived from the one holding the logger, and never returns.
//
// When a variable is missing (Main names every one), the configuration does not load or wire
// fails, Main writes one error record, "cannot start" with the reason, and exits with status
// 1 before serving anything: Lambda reports the failed start, and the next invocation starts
// the function again.
//
// Wiring only connects clients to the handler's fields; what the handler does stays a
// method of a struct whose fields are small interfaces, which tests fill with fakes.
func Main(required []string, wire func(Setup) (any, error)) {
	os.Exit(run(process{
		stdout:  os.Stdout,
		getenv:  os.Getenv,
		loadAWS: loadDefaultConfig,
		start:   startLambda,
	}, required, wire))
}

// process is what Main takes from the process and from the Lambda runtime, passed in so
// that tests can run the whole start-up without either.
type process struct {
	stdout  io.Writer
	getenv  func(string) string
	loadAWS func(context.Context) (aws.Config, error)
	// start serves invocations with handler; in Lambda it never returns.
	start func(ctx context.Context, handler any)
}

// loadDefaultConfig loads the SDK's configuration from the environment that Lambda gives a
// function: AWS_REGION and the role's credentials.
func loadDefaultConfig(ctx context.Context) (aws.Config, error) {
	return config.LoadDefaultConfig(ctx)
}

// startLambda serves invocations with handler until the function is shut down. The
// invocations' contexts derive from ctx, so that Logger finds the logger Main stored.
func startLambda(ctx context.Context, handler any) {
	lambda.StartWithOptions(handler, lambda.WithContext(ctx))
}

// run is Main without its exit: it returns the process's exit status.
func run(p process, required []string, wire func(Setup) (any, error)) int {
	ctx := WithLogger(context.Background(), newLogger(p.stdout, p.getenv))
	handler, err := setup(ctx, p, required, wire)
	if err != nil {
		Logger(ctx).Error("cannot start", LogKeyError, err)
		return 1
	}
	p.start(ctx, handler)
	return 0
}

// setup returns the handler that wire builds from the environment and the AWS
// configuration. The environment is checked first because it is the likelier mistake, and
// naming it beats an AWS error that a missing variable would cause later.
func setup(ctx context.Context, p process, required []string, wire func(Setup) (any, error)) (any, error) {
	env, err := requireEnv(p.getenv, required...)
	if err != nil {
		return nil, err
	}
	cfg, err := p.loadAWS(ctx)
	if err != nil {
		return nil, fmt.Errorf("load aws config: %w", err)
	}
	handler, err := wire(Setup{Env: env, AWS: cfg})
	if err != nil {
		return nil, err
	}
	if handler == nil {
		// lambda.Start would accept it and then fail every invocation instead.
		return nil, errors.New("wire returned no handler")
	}
	return handler, nil
}
