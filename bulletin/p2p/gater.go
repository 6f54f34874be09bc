package p2p

import (
	"github.com/libp2p/go-libp2p/core/connmgr"
	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/multiformats/go-multiaddr"
)

// gater is the host's connection gater. It dials only replication peers and
// accepts only them, unless readers are let in; an inbound connection is
// judged once Noise has authenticated the peer, since only then is its id
// known. Gossip and sync check the peer again on every message and stream,
// so a reader that is let in still cannot replicate.
type gater struct {
	allowed func(peer.ID) bool
	readers bool
}

var _ connmgr.ConnectionGater = (*gater)(nil)

// InterceptPeerDial lets the host dial only replication peers.
func (g *gater) InterceptPeerDial(p peer.ID) bool { return g.allowed(p) }

// InterceptAddrDial allows every address of a peer that passed
// InterceptPeerDial.
func (g *gater) InterceptAddrDial(peer.ID, multiaddr.Multiaddr) bool { return true }

// InterceptAccept allows every inbound connection until it is secured: the
// peer is anonymous before that.
func (g *gater) InterceptAccept(network.ConnMultiaddrs) bool { return true }

// InterceptSecured admits a replication peer, or anyone when readers are
// let in.
func (g *gater) InterceptSecured(_ network.Direction, p peer.ID, _ network.ConnMultiaddrs) bool {
	return g.readers || g.allowed(p)
}

// InterceptUpgraded allows every connection that was secured.
func (g *gater) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) { return true, 0 }
