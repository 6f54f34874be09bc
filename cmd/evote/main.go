// Command evote is the one binary of the evote election system: a command
// group per role (commission, board operator, trustee, voter, observer).
// It only parses flags, calls the library packages and prints; the work is
// done in those packages.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/urfave/cli/v2"
)

// version is set at link time by the Makefile:
// go build -ldflags "-X main.version=$(git describe --always --dirty)".
var version = "dev"

func main() {
	app := newApp(version, os.Stdout, os.Stderr)
	if err := app.Run(os.Args); err != nil {
		fmt.Fprintf(os.Stderr, "evote: %v\n", err)
		os.Exit(exitCode(err))
	}
}

// exitCode is the process status for an error returned by the app: the code
// an ExitCoder carries, else 1.
func exitCode(err error) int {
	var ec cli.ExitCoder
	if errors.As(err, &ec) && ec.ExitCode() != 0 {
		return ec.ExitCode()
	}
	return 1
}
