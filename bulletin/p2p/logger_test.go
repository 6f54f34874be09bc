package p2p

import (
	"log/slog"
	"os"
)

// testLogger returns a logger to stderr at debug level when P2P_DEBUG is
// set, and nil (discard) otherwise.
func testLogger() *slog.Logger {
	if os.Getenv("P2P_DEBUG") == "" {
		return nil
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
