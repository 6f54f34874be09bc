package cast

import (
	"context"
	"testing"

	"github.com/evote/evote/voter/internal/votertest"
)

// BenchmarkEncrypt is the voter device's work for one referendum ballot
// (1 contest, 2 options): encrypt, prove, sign, and check it as the board
// will.
func BenchmarkEncrypt(b *testing.B) {
	bd := votertest.Start(b, true)
	e, err := Fetch(context.Background(), bd.Client, bd.Election)
	if err != nil {
		b.Fatal(err)
	}
	v, err := e.VoterFromKey(votertest.Key("voter/0"))
	if err != nil {
		b.Fatal(err)
	}
	sel, err := e.Choose(v.Style, map[string][]string{"library": {"yes"}})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := e.EncryptCounter(v, sel, 0, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCastOneNode is cast-to-receipt against one in-process node
// (HTTP on loopback, the node's checks and group commit, receipt check).
// tests.BenchmarkCastToReceipt measures it against three node processes.
func BenchmarkCastOneNode(b *testing.B) {
	bd := votertest.Start(b, true)
	ctx := context.Background()
	e, err := Fetch(ctx, bd.Client, bd.Election)
	if err != nil {
		b.Fatal(err)
	}
	v, err := e.VoterFromKey(votertest.Key("voter/0"))
	if err != nil {
		b.Fatal(err)
	}
	sel, err := e.Choose(v.Style, map[string][]string{"library": {"yes"}})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		ballot, err := e.EncryptCounter(v, sel, uint32(i), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := e.Cast(ctx, ballot); err != nil {
			b.Fatal(err)
		}
	}
}
