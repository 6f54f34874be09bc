package freeport

import (
	"net"
	"strconv"
	"testing"
)

// Picked ports are distinct, in range, and can be listened on; a port in
// use is never picked.
func TestPick(t *testing.T) {
	for _, network := range []string{"tcp", "udp"} {
		ports, err := Pick(network, 20)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		for _, p := range ports {
			if p < Low || p >= High || seen[p] {
				t.Fatalf("%s: port %d repeated or out of range", network, p)
			}
			seen[p] = true
			if !free(network, p) {
				t.Errorf("%s: port %d is not free", network, p)
			}
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	p, _ := strconv.Atoi(port)
	if free("tcp", p) {
		t.Fatalf("port %d in use looks free", p)
	}
	if _, err := Pick("sctp", 1); err == nil {
		t.Fatal("an unknown network was accepted")
	}
}
