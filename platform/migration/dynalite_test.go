package migration

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// The tests that need DynamoDB run against dynalite (an implementation of DynamoDB on
// LevelDB, from npm), which TestMain installs with npm ci from testdata/dynalite (pinned by
// its lockfile) into the user's cache directory, once per lockfile, and starts on a free
// port. Without Node.js, npm or the registry they skip on a developer machine and fail in
// CI (CI=true). STRATUM_DYNALITE_DIR names a directory where dynalite is already installed
// (it holds node_modules/dynalite), to use instead.

// dynaliteVersionDir is the directory of the pinned package.json and package-lock.json.
const dynaliteVersionDir = "testdata/dynalite"

// dynalite is the server the tests share: its URL, or why there is none. Only TestMain sets
// it, before any test runs.
var dynalite struct {
	url, skip string
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if testing.Short() {
		dynalite.skip = "-short: dynalite is not started"
		return m.Run()
	}
	url, stop, err := startDynalite()
	if err != nil {
		if os.Getenv("CI") == "true" {
			fmt.Fprintf(os.Stderr, "platform/migration: dynalite is required in CI: %v\n", err)
			return 1
		}
		dynalite.skip = "dynalite unavailable: " + err.Error()
		return m.Run()
	}
	defer stop()
	dynalite.url = url
	return m.Run()
}

// client returns a DynamoDB client of the shared dynalite server, or skips t.
func client(t *testing.T) *dynamodb.Client {
	t.Helper()
	if dynalite.url == "" {
		t.Skip(dynalite.skip)
	}
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(dynalite.url) })
}

// startDynalite installs dynalite when needed and starts it; stop kills it.
func startDynalite() (url string, stop func(), err error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return "", nil, fmt.Errorf("node (Node.js 20) is not on PATH: %w", err)
	}
	dir, err := installDynalite()
	if err != nil {
		return "", nil, err
	}
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(node, filepath.Join(dir, "node_modules", "dynalite", "cli.js"), "--host", "127.0.0.1",
		"--port", port, "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, fmt.Errorf("dynalite: %w", err)
	}
	cmd.Stderr = cmd.Stdout // one pipe: what the server says when it fails is read below
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("dynalite: start: %w", err)
	}
	stop = func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	ready := make(chan error, 1)
	go func() {
		r := bufio.NewReader(out)
		line, err := r.ReadString('\n')
		if err == nil && strings.HasPrefix(line, "Dynalite listening") {
			ready <- nil
			// Keep reading so that a chatty server never blocks on a full pipe.
			_, _ = io.Copy(io.Discard, r)
			return
		}
		if err == nil {
			err = errors.New("unexpected output")
		}
		rest, _ := io.ReadAll(io.LimitReader(r, 4<<10))
		ready <- fmt.Errorf("did not start: %w: %s%s", err, line, rest)
	}()
	select {
	case err := <-ready:
		if err != nil {
			stop()
			return "", nil, fmt.Errorf("dynalite: %w", err)
		}
	case <-time.After(30 * time.Second):
		stop()
		return "", nil, errors.New("dynalite: not listening after 30s")
	}
	return "http://127.0.0.1:" + port, stop, nil
}

// installDynalite returns a directory holding node_modules/dynalite at the pinned version.
// The directory is named after the lockfile's hash, so a change of the pin installs afresh,
// and is filled in a temporary directory renamed at the end, so that an interrupted install
// is never mistaken for a complete one.
func installDynalite() (string, error) {
	if dir := os.Getenv("STRATUM_DYNALITE_DIR"); dir != "" {
		return dir, nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("npm is not on PATH: %w", err)
	}
	pkg, err := os.ReadFile(filepath.Join(dynaliteVersionDir, "package.json"))
	if err != nil {
		return "", err
	}
	lock, err := os.ReadFile(filepath.Join(dynaliteVersionDir, "package-lock.json"))
	if err != nil {
		return "", err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for dynalite: %w", err)
	}
	sum := sha256.Sum256(append(pkg, lock...))
	dir := filepath.Join(cache, "stratum", "dynalite-"+hex.EncodeToString(sum[:6]))
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "dynalite", "cli.js")); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "dynalite-install-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	for name, data := range map[string][]byte{"package.json": pkg, "package-lock.json": lock} {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return "", err
		}
	}
	// --ignore-scripts: dynalite runs in memory and needs no native build.
	cmd := exec.Command(npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("npm ci dynalite: %w: %s", err, out)
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another test binary may have finished the same install first.
		if _, statErr := os.Stat(filepath.Join(dir, "node_modules", "dynalite", "cli.js")); statErr == nil {
			return dir, nil
		}
		return "", fmt.Errorf("install dynalite: %w", err)
	}
	return dir, nil
}

// freePort asks the system for a port nobody listens on; dynalite cannot be told to pick one.
func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	_, port, err := net.SplitHostPort(l.Addr().String())
	return port, err
}
