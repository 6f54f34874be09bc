package api

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/api/apitest"
	"github.com/evote/evote/election"
)

// ballotLike is the size of a small ballot entry's payload.
const ballotLike = 2048

// entryMaker returns distinct well-formed entries cheaply: one signed
// template whose payload carries a counter (apitest.Board does not check
// signatures), so the benchmark measures the API, not Ed25519.
func entryMaker(el election.ID) func(i int) []byte {
	tmpl := apitest.Entry(apitest.Key(1), el, election.TypeBallot, make([]byte, ballotLike))
	const payloadAt = 2 + 1 + 32 + 32 + 4
	return func(i int) []byte {
		e := append([]byte(nil), tmpl...)
		binary.BigEndian.PutUint64(e[payloadAt:], uint64(i))
		return e
	}
}

func BenchmarkSubmitOctetStream(b *testing.B) {
	f := newFixture(b, Options{})
	next := entryMaker(f.el)
	b.ReportAllocs()
	b.SetBytes(int64(len(next(0))))
	for i := 0; b.Loop(); i++ {
		if rec := do(f.api, "POST", "/v1/entries", octet, next(i)); rec.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

func BenchmarkSubmitJSON(b *testing.B) {
	f := newFixture(b, Options{})
	next := entryMaker(f.el)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		body := fmt.Appendf(nil, `{"entry":%q}`, base64.StdEncoding.EncodeToString(next(i)))
		if rec := do(f.api, "POST", "/v1/entries", jsonBody, body); rec.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

func BenchmarkEntriesPage100(b *testing.B) {
	f := newFixture(b, Options{})
	next := entryMaker(f.el)
	for i := range 100 {
		f.add(b, next(i))
	}
	target := "/v1/elections/" + f.el.String() + "/entries?type=ballot&from=4&limit=100"
	b.ReportAllocs()
	for b.Loop() {
		if rec := do(f.api, "GET", target, nil, nil); rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

func BenchmarkRateLimiter10kClients(b *testing.B) {
	f := newFixture(b, Options{RateLimit: 1e6})
	reqs := make([]*http.Request, 10_000)
	for i := range reqs {
		reqs[i], _ = http.NewRequest("GET", "/healthz", nil)
		reqs[i].RemoteAddr = fmt.Sprintf("10.%d.%d.1:1", i/256, i%256)
	}
	s := f.api.(*server)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r := reqs[i%len(reqs)]
		if ok, _ := s.limits.allow(clientKey(r), time.Now()); !ok {
			b.Fatal("refused")
		}
	}
}

// stubBoard accepts every entry at once with one fixed receipt, so that
// BenchmarkSubmitAPIOnly measures the API alone.
type stubBoard struct {
	plainBoard
	rc *bulletin.Receipt
}

func (s stubBoard) Submit(context.Context, []byte) (*bulletin.Receipt, error) { return s.rc, nil }

func BenchmarkSubmitAPIOnly(b *testing.B) {
	f := newFixture(b, Options{})
	rc, err := f.board.Submit(b.Context(), f.entries[1])
	if rc == nil {
		b.Fatal(err)
	}
	h := New(stubBoard{plainBoard{f.board}, rc}, Options{})
	entry := entryMaker(f.el)(0)
	b.ReportAllocs()
	b.SetBytes(int64(len(entry)))
	for b.Loop() {
		if rec := do(h, "POST", "/v1/entries", octet, entry); rec.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
