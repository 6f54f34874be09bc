package p2p

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"regexp"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	pb "github.com/libp2p/go-libp2p-pubsub/pb"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/evote/evote/election"
)

// TopicName returns the gossipsub topic of an election:
// "evote/election/<election id in hex>/v1".
func TopicName(el election.ID) string { return fmt.Sprintf("evote/election/%x/v1", el[:]) }

// topicPattern matches every name TopicName returns; peers' subscriptions
// to anything else are ignored.
var topicPattern = regexp.MustCompile(`^evote/election/[0-9a-f]{64}/v1$`)

const (
	// maxTopics bounds how many topics one peer may announce, so that a
	// peer cannot make this node track an unbounded number of topics.
	maxTopics = 4096
	// maxGossipMessage leaves room around an entry of the largest size for
	// the gossipsub RPC that carries it.
	maxGossipMessage = election.MaxEntrySize + 64<<10
	// validateQueue is how many received messages may wait for a
	// validation goroutine; gossipsub drops messages beyond it, which
	// pull-sync repairs.
	validateQueue = 4096
	// outboundQueue is how many RPCs may wait to be sent to one peer;
	// gossipsub drops RPCs beyond it (its default of 32 loses entries
	// when a node ingests thousands a second), and pull-sync repairs
	// what is dropped.
	outboundQueue = 4096
	// subscriptionBuffer is how many accepted entries may wait for
	// Handler.Deliver; beyond it gossipsub skips the delivery (the entry
	// is stored all the same).
	subscriptionBuffer = 4096
)

// messageID is SHA-256 of the entry, which is the entry's id: gossipsub then
// drops a second copy of an entry however it was published.
func messageID(m *pb.Message) string {
	id := sha256.Sum256(m.Data)
	return string(id[:])
}

// newPubSub starts gossipsub on h. Messages carry no author, sequence
// number or signature: an entry is signed by its own author and checked in
// full by the node, and its id is its hash. Only replication peers are
// sent messages (the peer filter) and heard at all (the RPC inspector).
func newPubSub(ctx context.Context, h host.Host, allowed func(peer.ID) bool, counts *counters, log *slog.Logger) (*pubsub.PubSub, error) {
	return pubsub.NewGossipSub(ctx, h,
		pubsub.WithMessageSignaturePolicy(pubsub.StrictNoSign),
		pubsub.WithNoAuthor(),
		pubsub.WithMessageIdFn(messageID),
		// A board has a handful of nodes: the one that stores an entry
		// sends it to every peer on the topic, not only to its mesh, which
		// may not have formed yet.
		pubsub.WithFloodPublish(true),
		pubsub.WithPeerFilter(func(p peer.ID, _ string) bool { return allowed(p) }),
		pubsub.WithAppSpecificRpcInspector(func(p peer.ID, _ *pubsub.RPC) error {
			if !allowed(p) {
				counts.outsiderRPCs.Add(1)
				return fmt.Errorf("peer %s is not a replication peer", p)
			}
			return nil
		}),
		pubsub.WithSubscriptionFilter(pubsub.WrapLimitSubscriptionFilter(
			pubsub.NewRegexpSubscriptionFilter(topicPattern), maxTopics)),
		pubsub.WithMaxMessageSize(maxGossipMessage),
		pubsub.WithValidateQueueSize(validateQueue),
		pubsub.WithPeerOutboundQueueSize(outboundQueue),
		pubsub.WithLogger(log.With("component", "gossipsub")),
	)
}
