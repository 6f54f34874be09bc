package p2p_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/evote/evote/bulletin/p2p"
	"github.com/evote/evote/election"
)

// memLog stands in for a node's store and record: Validate is where the
// real node runs election.Record's check and stores the entry.
type memLog struct {
	mu      sync.Mutex
	entries [][]byte
	held    map[[32]byte]bool
	got     chan []byte
}

func (l *memLog) Validate(_ context.Context, _ peer.ID, e []byte) p2p.Result {
	l.mu.Lock()
	defer l.mu.Unlock()
	id := sha256.Sum256(e)
	if l.held[id] {
		return p2p.Ignore // election.ErrDuplicate
	}
	l.held[id] = true
	l.entries = append(l.entries, e)
	return p2p.Accept
}

func (l *memLog) Size(election.ID) uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return uint64(len(l.entries))
}

func (l *memLog) EntriesFrom(_ context.Context, _ election.ID, from uint64, limit int) ([][]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if from >= uint64(len(l.entries)) {
		return nil, nil
	}
	return l.entries[from:min(uint64(len(l.entries)), from+uint64(limit))], nil
}

func startNode(el election.ID, allowed func(peer.ID) bool) (*p2p.Host, *p2p.Topic, *memLog) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	log := &memLog{held: make(map[[32]byte]bool), got: make(chan []byte, 1)}
	h, err := p2p.New(context.Background(), p2p.Config{
		Key:         key,
		ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"},
		Allowed:     allowed,
		Source:      log,
	})
	if err != nil {
		panic(err)
	}
	topic, err := h.Join(el, p2p.Handler{
		Validate: log.Validate,
		Deliver:  func(_ peer.ID, e []byte) { log.got <- e },
	})
	if err != nil {
		panic(err)
	}
	return h, topic, log
}

// Two board nodes of one election: entries reach the other node by
// pull-sync and by gossip, through its Validate.
func Example() {
	el := election.ID{0x01}
	everyone := func(peer.ID) bool { return true } // a node uses the manifest's peer ids
	a, topicA, logA := startNode(el, everyone)
	defer a.Close()
	b, _, logB := startNode(el, everyone)
	defer b.Close()

	// Entries a already holds reach b by pull-sync when they connect.
	logA.Validate(context.Background(), a.ID(), []byte("entry stored before b came"))
	if err := b.Connect(context.Background(), a.AddrInfo()); err != nil {
		panic(err)
	}
	fmt.Printf("b synced: %s\n", <-logB.got)

	// A submission: the node checks and stores it, then publishes it.
	entry := []byte("a ballot entry")
	logA.Validate(context.Background(), a.ID(), entry)
	// Gossip needs a to know that b subscribed; until then the entry
	// would still reach b, by pull-sync within Config.SyncInterval.
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for len(topicA.Peers()) == 0 {
		<-tick.C
	}
	if err := topicA.Publish(context.Background(), entry); err != nil {
		panic(err)
	}
	fmt.Printf("b received: %s\n", <-logB.got)
	// Output:
	// b synced: entry stored before b came
	// b received: a ballot entry
}
