package credential

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"

	"github.com/evote/evote/election"
)

// Credential is one issued credential: the secret code and the public key
// it gives in its election.
type Credential struct {
	Code      Code
	PublicKey ed25519.PublicKey
}

// MaxCredentials bounds one issue; it is far above any electorate and keeps
// a typo in a count from filling the disk.
const MaxCredentials = 50_000_000

// Generate draws n fresh codes from rand (crypto/rand when nil) and derives
// their public keys for the election electionID. Requires 1 ≤ n ≤
// MaxCredentials. The public keys are all different (Generate fails in the
// astronomically unlikely case that two collide).
func Generate(electionID election.ID, n int, rand io.Reader) ([]Credential, error) {
	if n < 1 || n > MaxCredentials {
		return nil, fmt.Errorf("credentials: count %d, want 1 to %d", n, MaxCredentials)
	}
	if rand == nil {
		rand = cryptoRand
	}
	out := make([]Credential, n)
	for i := range out {
		c, err := NewCode(rand)
		if err != nil {
			return nil, fmt.Errorf("credential %d: %w", i+1, err)
		}
		out[i].Code = c
	}
	// The codes come from rand in order, so a fixed reader gives fixed
	// credentials; the keys, the slow part, are derived on all cores.
	parallel(n, runtime.GOMAXPROCS(0), func(i int) { out[i].PublicKey = out[i].Code.PublicKey(electionID) })
	return out, nil
}

// parallel calls f(0), …, f(n-1) in the given number of goroutines and
// returns when all are done.
func parallel(n, workers int, f func(i int)) {
	workers = max(1, min(workers, n))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				f(i)
			}
		})
	}
	wg.Wait()
}

var cryptoRand = rand.Reader

// PublicList returns the public credential list in parts of at most
// election.MaxCredentialsPerEntry keys: every key with its style, sorted by
// key, so that the order says nothing about the roll. creds and styles are
// parallel (styles[i] is the style of creds[i]). It fails if two keys are
// equal.
func PublicList(creds []Credential, styles []uint16) ([]*election.CredentialList, error) {
	if len(creds) != len(styles) || len(creds) == 0 {
		return nil, fmt.Errorf("credential list: %d credentials, %d styles", len(creds), len(styles))
	}
	all := make([]election.Credential, len(creds))
	for i, c := range creds {
		all[i] = election.Credential{Key: c.PublicKey, Style: styles[i]}
	}
	slices.SortFunc(all, func(a, b election.Credential) int { return bytes.Compare(a.Key, b.Key) })
	for i := 1; i < len(all); i++ {
		if bytes.Equal(all[i-1].Key, all[i].Key) {
			return nil, fmt.Errorf("credential list: two credentials have the same public key %x", all[i].Key)
		}
	}
	parts := (len(all) + election.MaxCredentialsPerEntry - 1) / election.MaxCredentialsPerEntry
	out := make([]*election.CredentialList, parts)
	for p := range out {
		end := min((p+1)*election.MaxCredentialsPerEntry, len(all))
		out[p] = &election.CredentialList{Part: uint32(p), Parts: uint32(parts), Credentials: all[p*election.MaxCredentialsPerEntry : end]}
	}
	return out, nil
}

// Entries signs each part of the credential list as a credentials entry of
// the election electionID with the commission's key.
func Entries(electionID election.ID, parts []*election.CredentialList, commission ed25519.PrivateKey) []*election.Entry {
	out := make([]*election.Entry, len(parts))
	for i, p := range parts {
		e := &election.Entry{
			Version:  election.ProtocolVersion,
			Type:     election.TypeCredentials,
			Election: electionID,
			Payload:  p.Bytes(),
		}
		e.Sign(commission)
		out[i] = e
	}
	return out
}
