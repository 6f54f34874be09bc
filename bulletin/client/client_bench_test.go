package client

import (
	"encoding/binary"
	"testing"

	"github.com/evote/evote/bulletin/api"
	"github.com/evote/evote/bulletin/api/apitest"
	"github.com/evote/evote/election"
)

// BenchmarkSubmitLoopback submits 2 KiB entries over a loopback HTTP
// connection to the API over the in-memory board: the client's and the
// API's cost per entry, without the record check or the disk.
func BenchmarkSubmitLoopback(b *testing.B) {
	n := &node{board: apitest.NewBoard(1)}
	el := electionOn(b, n.board)
	srv := newServer(b, api.New(n.board, api.Options{}))
	c, err := New([]string{srv}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	tmpl := apitest.Entry(apitest.Key(1), el, election.TypeBallot, make([]byte, 2048))
	const payloadAt = 2 + 1 + 32 + 32 + 4
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		e := append([]byte(nil), tmpl...)
		binary.BigEndian.PutUint64(e[payloadAt:], uint64(i))
		if _, err := c.Submit(b.Context(), e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAll1000 lists 1000 ballots page by page over loopback.
func BenchmarkAll1000(b *testing.B) {
	board := apitest.NewBoard(1)
	el := electionOn(b, board)
	tmpl := apitest.Entry(apitest.Key(1), el, election.TypeBallot, make([]byte, 2048))
	for i := range 1000 {
		e := append([]byte(nil), tmpl...)
		binary.BigEndian.PutUint64(e[2+1+32+32+4:], uint64(i))
		if _, err := board.Submit(b.Context(), e); err != nil {
			b.Fatal(err)
		}
	}
	c, err := New([]string{newServer(b, api.New(board, api.Options{MaxPage: 250}))}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range c.All(b.Context(), el, election.TypeBallot) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 1000 {
			b.Fatalf("%d entries", n)
		}
	}
}
