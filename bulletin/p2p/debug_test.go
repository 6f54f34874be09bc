package p2p

import (
	"log/slog"
	"os"
)

func init() {
	if os.Getenv("P2P_DEBUG") != "" {
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	}
}
