package p2p

import (
	"context"
	"errors"
	"fmt"
	"sync"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/evote/evote/election"
)

// Result is a node's verdict on an entry received from a peer.
type Result int

const (
	// Accept: the entry passed the record check and is now part of the
	// node's record (durably, if the node acknowledges only durable
	// entries). Gossip forwards it and hands it to Handler.Deliver.
	Accept Result = iota + 1
	// Ignore: the node already holds the entry, or does not want it; it is
	// dropped without blame and not forwarded.
	Ignore
	// Reject: the entry is invalid; it is dropped, not forwarded, logged
	// and counted in Stats. A replication peer that sends one is faulty.
	Reject
	// Retry: the entry is too early (its phase has not begun, or an entry
	// it depends on is missing) and may be valid once other entries arrive.
	// It is not forwarded; the host keeps it and offers it again after it
	// accepts other entries.
	Retry
)

// String names the result for logs.
func (r Result) String() string {
	switch r {
	case Accept:
		return "accept"
	case Ignore:
		return "ignore"
	case Reject:
		return "reject"
	case Retry:
		return "retry"
	}
	return fmt.Sprintf("Result(%d)", int(r))
}

// Handler is what a node supplies when it joins an election: the one place
// where entries from peers, by gossip or by pull-sync, enter its record.
type Handler struct {
	// Validate runs the full record check on an entry that peer from sent
	// and, if it passes, adds the entry to the node's record before
	// returning Accept; checking and adding are one step so that two
	// entries that conflict cannot both pass. It returns Ignore for a
	// duplicate, Reject for an invalid entry and Retry for one that is too
	// early (election.ErrTooEarly). Any other value counts as Reject.
	// Validate is called concurrently, and must return when ctx is done.
	// Required.
	Validate func(ctx context.Context, from peer.ID, entry []byte) Result
	// Deliver, if set, is told of every entry from a peer that Validate
	// accepted, once Validate has returned. It is called concurrently and
	// must not block for long.
	Deliver func(from peer.ID, entry []byte)
}

// Topic is a host's membership of one election's gossip topic.
type Topic struct {
	h       *Host
	el      election.ID
	name    string
	handler Handler
	early   *earlySet
	wake    chan struct{} // signalled when an entry is accepted

	topic *pubsub.Topic
	sub   *pubsub.Subscription

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // the loops, and every SyncOnce in progress
	once   sync.Once

	mu     sync.Mutex
	closed bool
}

// Errors of Join.
var (
	ErrJoined    = errors.New("election already joined")
	ErrNoHandler = errors.New("handler has no Validate")
)

// Join subscribes the host to an election's topic, TopicName(el). From then
// on every entry a replication peer gossips or serves by pull-sync goes
// through hd.Validate, and the host pulls the election from every connected
// replication peer, at once and every Config.SyncInterval.
func (h *Host) Join(el election.ID, hd Handler) (*Topic, error) {
	if hd.Validate == nil {
		return nil, fmt.Errorf("p2p: joining election %s: %w", el, ErrNoHandler)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrClosed
	}
	if h.topics[el] != nil {
		return nil, fmt.Errorf("p2p: joining election %s: %w", el, ErrJoined)
	}
	t := &Topic{
		h:       h,
		el:      el,
		name:    TopicName(el),
		handler: hd,
		early:   newEarlySet(),
		wake:    make(chan struct{}, 1),
	}
	t.ctx, t.cancel = context.WithCancel(h.ctx)
	if err := t.subscribe(); err != nil {
		t.cancel()
		return nil, fmt.Errorf("p2p: joining election %s: %w", el, err)
	}
	h.topics[el] = t
	t.wg.Add(2)
	go t.readLoop()
	go t.retryLoop()
	if h.every > 0 {
		for _, p := range h.host.Network().Peers() {
			if h.isAllowed(p) {
				h.kickLocked(p)
			}
		}
	}
	return t, nil
}

// subscribe registers the validator, joins the pubsub topic and subscribes.
func (t *Topic) subscribe() error {
	ps := t.h.ps
	if err := ps.RegisterTopicValidator(t.name, t.validate); err != nil {
		return fmt.Errorf("registering validator: %w", err)
	}
	var err error
	if t.topic, err = ps.Join(t.name); err != nil {
		ps.UnregisterTopicValidator(t.name)
		return fmt.Errorf("joining topic: %w", err)
	}
	if t.sub, err = t.topic.Subscribe(pubsub.WithBufferSize(subscriptionBuffer)); err != nil {
		t.topic.Close()
		ps.UnregisterTopicValidator(t.name)
		return fmt.Errorf("subscribing: %w", err)
	}
	return nil
}

// Election returns the election the topic carries.
func (t *Topic) Election() election.ID { return t.el }

// Publish gossips an entry to the election's topic. Precondition: the node
// has already checked and stored the entry (the host does not call
// Handler.Validate on its own publications). Publishing an entry that
// gossip already delivered is a no-op.
func (t *Topic) Publish(ctx context.Context, entry []byte) error {
	if len(entry) == 0 || len(entry) > election.MaxEntrySize {
		return fmt.Errorf("p2p: publishing to election %s: entry of %d bytes, want 1..%d", t.el, len(entry), election.MaxEntrySize)
	}
	if err := t.topic.Publish(ctx, entry); err != nil {
		return fmt.Errorf("p2p: publishing to election %s: %w", t.el, err)
	}
	return nil
}

// Peers returns the peers the host knows to be subscribed to the topic.
func (t *Topic) Peers() []peer.ID { return t.topic.ListPeers() }

// Close leaves the topic and waits for its goroutines. The host stops
// pulling the election from peers.
func (t *Topic) Close() error {
	var err error
	t.once.Do(func() {
		t.h.mu.Lock()
		delete(t.h.topics, t.el)
		for k := range t.h.cursors {
			if k.el == t.el {
				delete(t.h.cursors, k)
			}
		}
		t.h.mu.Unlock()
		t.mu.Lock()
		t.closed = true
		t.mu.Unlock()
		t.sub.Cancel()
		err = errors.Join(t.topic.Close(), t.h.ps.UnregisterTopicValidator(t.name))
		if t.h.ctx.Err() != nil {
			// The context New was given is done, so gossipsub has
			// stopped and took the topic with it.
			err = nil
		}
		t.cancel()
		t.wg.Wait()
		if err != nil {
			err = fmt.Errorf("p2p: leaving election %s: %w", t.el, err)
		}
	})
	return err
}

// acquire reports whether the topic is open and, if so, makes Close wait
// for the matching release.
func (t *Topic) acquire() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.wg.Add(1)
	return true
}

func (t *Topic) release() { t.wg.Done() }

// topic returns the joined topic of el, or nil.
func (h *Host) topic(el election.ID) *Topic {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.topics[el]
}

// joined returns the elections the host has joined.
func (h *Host) joined() []election.ID {
	h.mu.Lock()
	defer h.mu.Unlock()
	els := make([]election.ID, 0, len(h.topics))
	for el := range h.topics {
		els = append(els, el)
	}
	return els
}

// validate is the topic's gossipsub validator.
func (t *Topic) validate(ctx context.Context, from peer.ID, m *pubsub.Message) pubsub.ValidationResult {
	if from == t.h.host.ID() {
		return pubsub.ValidationAccept // Publish: the node checked it already
	}
	c := &t.h.counts
	if !t.h.isAllowed(from) {
		c.gossipRejected.Add(1)
		return pubsub.ValidationReject
	}
	switch r := t.offer(ctx, from, m.Data); r {
	case Accept:
		c.gossipAccepted.Add(1)
		return pubsub.ValidationAccept
	case Ignore:
		c.gossipIgnored.Add(1)
		return pubsub.ValidationIgnore
	case Retry:
		c.gossipEarly.Add(1)
		t.early.add(from, m.Data)
		return pubsub.ValidationIgnore
	default:
		c.gossipRejected.Add(1)
		t.h.log.Warn("gossip: rejected entry", "election", t.el, "peer", from, "result", r)
		return pubsub.ValidationReject
	}
}

// offer runs Handler.Validate and, on Accept, wakes the retry loop, whose
// early entries may now pass.
func (t *Topic) offer(ctx context.Context, from peer.ID, entry []byte) Result {
	r := t.handler.Validate(ctx, from, entry)
	if r == Accept {
		select {
		case t.wake <- struct{}{}:
		default:
		}
	}
	return r
}

// deliver hands an accepted entry to Handler.Deliver.
func (t *Topic) deliver(from peer.ID, entry []byte) {
	if t.handler.Deliver != nil {
		t.handler.Deliver(from, entry)
	}
}

// readLoop drains the subscription, delivering what gossip accepted.
func (t *Topic) readLoop() {
	defer t.wg.Done()
	for {
		m, err := t.sub.Next(t.ctx)
		if err != nil {
			return
		}
		if !m.Local {
			t.deliver(m.ReceivedFrom, m.Data)
		}
	}
}

// retryLoop offers the early entries again each time an entry is accepted.
func (t *Topic) retryLoop() {
	defer t.wg.Done()
	for {
		select {
		case <-t.ctx.Done():
			return
		case <-t.wake:
			t.retryEarly()
		}
	}
}

// retryEarly offers every early entry until a pass accepts none.
func (t *Topic) retryEarly() {
	for progress := true; progress && t.ctx.Err() == nil; {
		progress = false
		for _, e := range t.early.all() {
			switch t.handler.Validate(t.ctx, e.from, e.entry) {
			case Retry:
				continue
			case Accept:
				progress = true
				t.deliver(e.from, e.entry)
			}
			t.early.remove(e)
		}
	}
}
