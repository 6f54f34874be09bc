// Package tests holds the multi-process tests: board nodes, trustees,
// voters and observers run as separate evote processes on loopback, driven
// through the CLI and the HTTP API as real operators and voters would.
package tests

import (
	"os"
	"testing"

	"github.com/evote/evote/tests/cluster"
)

func TestMain(m *testing.M) { os.Exit(cluster.Main(m)) }
