package api

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// from sends GET target to h as if from remote.
func from(h http.Handler, remote, target string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", target, nil)
	req.RemoteAddr = remote
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestRateLimit uses a rate so low that no token comes back during the
// test: a client gets Burst requests, then 429s, whatever the timing.
func TestRateLimit(t *testing.T) {
	f := newFixture(t, Options{RateLimit: 1e-6, Burst: 2})
	for i := range 2 {
		if rec := from(f.api, "192.0.2.1:1000", "/v1/elections"); rec.Code != http.StatusOK {
			t.Fatalf("request %d within the burst: status %d", i, rec.Code)
		}
	}
	rec := from(f.api, "192.0.2.1:2000", "/v1/elections") // another port, same client
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("request beyond the burst: status %d, want 429", rec.Code)
	}
	if e := decodeError(t, rec); e.Error == "" {
		t.Error("no message")
	}
	if s, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After %q, want whole seconds", rec.Header().Get("Retry-After"))
	}
	// A refused submission does not reach the Board.
	req := httptest.NewRequest("POST", "/v1/entries", nil)
	req.RemoteAddr = "192.0.2.1:3000"
	rec = httptest.NewRecorder()
	f.api.ServeHTTP(rec, req)
	if rec.Code != http.StatusTooManyRequests || f.board.Submits() != fixtureLen {
		t.Errorf("submission beyond the burst: status %d, Board saw %d submits", rec.Code, f.board.Submits()-fixtureLen)
	}

	if rec := from(f.api, "192.0.2.2:1000", "/v1/elections"); rec.Code != http.StatusOK {
		t.Errorf("another client: status %d", rec.Code)
	}
	for _, target := range []string{"/healthz", "/metrics"} {
		if rec := from(f.api, "192.0.2.1:1000", target); rec.Code != http.StatusOK {
			t.Errorf("%s is rate limited: status %d", target, rec.Code)
		}
	}
}

// TestRateLimitIPv6Prefix checks that one IPv6 /64 is one client, and
// that an IPv4-mapped address is its IPv4 address.
func TestRateLimitIPv6Prefix(t *testing.T) {
	f := newFixture(t, Options{RateLimit: 1e-6, Burst: 1})
	if rec := from(f.api, "[2001:db8:1:2::1]:1000", "/v1/elections"); rec.Code != http.StatusOK {
		t.Fatalf("first request: status %d", rec.Code)
	}
	if rec := from(f.api, "[2001:db8:1:2:ffff::9]:1000", "/v1/elections"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("same /64: status %d, want 429", rec.Code)
	}
	if rec := from(f.api, "[2001:db8:1:3::1]:1000", "/v1/elections"); rec.Code != http.StatusOK {
		t.Errorf("another /64: status %d", rec.Code)
	}
	if rec := from(f.api, "198.51.100.7:1", "/v1/elections"); rec.Code != http.StatusOK {
		t.Fatalf("IPv4: status %d", rec.Code)
	}
	if rec := from(f.api, "[::ffff:198.51.100.7]:2", "/v1/elections"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("IPv4-mapped: status %d, want 429", rec.Code)
	}
}

func TestClientKey(t *testing.T) {
	tests := []struct{ remote, key string }{
		{"192.0.2.1:80", "192.0.2.1"},
		{"[2001:db8::1]:80", "2001:db8::/64"},
		{"[fe80::1%eth0]:80", "fe80::/64"},
		{"[::ffff:192.0.2.1]:80", "192.0.2.1"},
		{"192.0.2.1", "192.0.2.1"},
		{"pipe", "unknown"},
		{"", "unknown"},
	}
	for _, tt := range tests {
		if got := clientKey(&http.Request{RemoteAddr: tt.remote}); got != tt.key {
			t.Errorf("clientKey(%q) = %q, want %q", tt.remote, got, tt.key)
		}
	}
}

// TestLimiterForgetsIdleClients drives the limiter's clock by hand: once a
// client's bucket has refilled it is forgotten at the next sweep, and a
// client still short of tokens is kept.
func TestLimiterForgetsIdleClients(t *testing.T) {
	l := newLimiter(1, 1)
	t0 := time.Unix(1_700_000_000, 0)
	for i := range minSweep {
		if ok, _ := l.allow(strconv.Itoa(i), t0); !ok {
			t.Fatalf("client %d refused its first request", i)
		}
	}
	later := t0.Add(2 * time.Second) // every bucket refilled
	if ok, _ := l.allow("busy", later); !ok {
		t.Fatal("new client refused")
	}
	if n := len(l.buckets); n != 1 {
		t.Fatalf("%d clients remembered after the sweep, want 1 (the new one)", n)
	}
	ok, wait := l.allow("busy", later)
	if ok || wait <= 0 || wait > time.Second {
		t.Errorf("second request at once: ok %v wait %v, want refused for ≤ 1 s", ok, wait)
	}
	if ok, _ := l.allow("busy", later.Add(time.Second)); !ok {
		t.Error("request after the refill refused")
	}
}

func TestDefaultBurst(t *testing.T) {
	for _, tt := range []struct {
		rate  float64
		burst int
	}{{0.5, 1}, {1, 1}, {2.5, 3}, {100, 100}} {
		if got := newLimiter(tt.rate, 0).burst; got != tt.burst {
			t.Errorf("rate %v: burst %d, want %d", tt.rate, got, tt.burst)
		}
	}
}
