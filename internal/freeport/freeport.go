// Package freeport picks loopback ports for processes that the caller
// starts later (board nodes in the demo and the tests), below the range
// the kernel hands out for outgoing connections, so that a client's
// connection made meanwhile cannot take a chosen port.
package freeport

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
)

// Range is where ports are picked: under Linux's default ephemeral range
// (32768–60999) and above the well-known and commonly registered ones.
const (
	Low  = 20000
	High = 32000
)

// Pick returns n distinct ports of network ("tcp" or "udp") on 127.0.0.1
// that were free when it looked.
func Pick(network string, n int) ([]int, error) {
	if network != "tcp" && network != "udp" {
		return nil, fmt.Errorf("freeport: unknown network %q", network)
	}
	seen := map[int]bool{}
	var ports []int
	for tries := 0; len(ports) < n; tries++ {
		if tries > 100*n {
			return nil, errors.New("freeport: no free port found")
		}
		p := Low + rand.IntN(High-Low)
		if seen[p] {
			continue
		}
		seen[p] = true
		if free(network, p) {
			ports = append(ports, p)
		}
	}
	return ports, nil
}

func free(network string, port int) bool {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if network == "tcp" {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return false
		}
		l.Close()
		return true
	}
	c, err := net.ListenPacket("udp", addr)
	if err != nil {
		return false
	}
	c.Close()
	return true
}
