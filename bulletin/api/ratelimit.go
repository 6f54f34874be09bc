package api

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter is a token bucket per client. A client whose bucket is full
// again is forgotten at the next sweep, since a new bucket is the same;
// so the map holds only the clients active within the time one bucket
// takes to refill.
type limiter struct {
	rate  rate.Limit
	burst int

	mu        sync.Mutex
	buckets   map[string]*rate.Limiter
	sweepFrom int // sweep when the map reaches this size
}

const minSweep = 1024

func newLimiter(perSecond float64, burst int) *limiter {
	if burst <= 0 {
		burst = max(1, int(math.Ceil(perSecond)))
	}
	return &limiter{rate: rate.Limit(perSecond), burst: burst, buckets: make(map[string]*rate.Limiter), sweepFrom: minSweep}
}

// allow takes a token from client's bucket; when there is none it returns
// how long until there is.
func (l *limiter) allow(client string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[client]
	if !ok {
		if len(l.buckets) >= l.sweepFrom {
			l.sweep(now)
		}
		b = rate.NewLimiter(l.rate, l.burst)
		l.buckets[client] = b
	}
	res := b.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// sweep forgets the clients whose buckets are full, and sets the next
// sweep for when the map has doubled, so sweeping costs O(1) per client.
func (l *limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
	l.sweepFrom = max(minSweep, 2*len(l.buckets))
}

// clientKey names the client of r for the limiter: its IPv4 address, or
// its IPv6 /64, since one host commonly holds a whole /64.
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return "unknown"
	}
	addr = addr.Unmap()
	if addr.Is4() {
		return addr.String()
	}
	p, _ := addr.WithZone("").Prefix(64)
	return p.String()
}

// rateLimited refuses requests beyond the client's rate with 429 and a
// Retry-After in whole seconds.
func (s *server) rateLimited(next http.Handler) http.Handler {
	if s.limits == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, wait := s.limits.allow(clientKey(r), time.Now())
		if !ok {
			secs := max(1, int(math.Ceil(wait.Seconds())))
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			writeJSON(w, http.StatusTooManyRequests, errorBody{
				Error: "rate limit: too many requests from this address; retry after " + strconv.Itoa(secs) + " s"})
			return
		}
		next.ServeHTTP(w, r)
	})
}
