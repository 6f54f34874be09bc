package p2p

import (
	"fmt"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/network"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
)

// The resource manager's budget. Fixed numbers rather than libp2p's
// auto-scaling from the machine's memory, so that a node behaves the same on
// every machine: a board has a handful of replication peers, each of which
// may send entries of up to election.MaxEntrySize.
const (
	limitMemory = 1 << 30 // bytes, all of libp2p together
	limitFDs    = 1024
)

// newResourceManager returns a resource manager with libp2p's default
// limits scaled to the fixed budget, and tighter per-peer limits on the
// board's own protocols: one peer may not hold more than a few sync or
// checkpoint streams open at once.
func newResourceManager() (network.ResourceManager, error) {
	limits := rcmgr.DefaultLimits
	libp2p.SetDefaultServiceLimits(&limits)
	limits.AddProtocolLimit(SyncProtocol,
		rcmgr.BaseLimit{StreamsInbound: 64, StreamsOutbound: 64, Streams: 128, Memory: 256 << 20},
		rcmgr.BaseLimitIncrease{})
	limits.AddProtocolPeerLimit(SyncProtocol,
		rcmgr.BaseLimit{StreamsInbound: 8, StreamsOutbound: 8, Streams: 16, Memory: 128 << 20},
		rcmgr.BaseLimitIncrease{})
	limits.AddProtocolLimit(CheckpointProtocol,
		rcmgr.BaseLimit{StreamsInbound: 64, StreamsOutbound: 64, Streams: 128, Memory: 16 << 20},
		rcmgr.BaseLimitIncrease{})
	limits.AddProtocolPeerLimit(CheckpointProtocol,
		rcmgr.BaseLimit{StreamsInbound: 4, StreamsOutbound: 4, Streams: 8, Memory: 1 << 20},
		rcmgr.BaseLimitIncrease{})
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(limits.Scale(limitMemory, limitFDs)))
	if err != nil {
		return nil, fmt.Errorf("p2p: resource manager: %w", err)
	}
	return rm, nil
}
