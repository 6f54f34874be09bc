package synth

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"runtime"
	"sync"

	"github.com/evote/evote/crypto/threshold"
)

// derive returns 32 bytes for one key, from the seed and the key's label
// and index, so that every key of a synthetic election is reproducible.
func derive(seed, label string, i int) []byte {
	h := sha256.New()
	h.Write([]byte("evote/synth/v1\x00"))
	h.Write([]byte(seed))
	h.Write([]byte{0})
	h.Write([]byte(label))
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(i)))
	return h.Sum(nil)
}

// signingKey returns the Ed25519 key of a role.
func signingKey(seed, label string, i int) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(derive(seed, label, i))
}

// encryptionKey returns a trustee's X25519 key.
func encryptionKey(seed string, i int) (*threshold.EncryptionKey, error) {
	return threshold.GenerateEncryptionKey(newStream(derive(seed, "trustee-encryption", i)))
}

// voterKeys returns the credential keys of n voters, on all cores.
func voterKeys(seed string, n int) []ed25519.PrivateKey {
	keys := make([]ed25519.PrivateKey, n)
	parallel(n, func(i int) { keys[i] = signingKey(seed, "voter", i) })
	return keys
}

// parallel calls f(i) for every i in [0, n) on all cores.
func parallel(n int, f func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	per := (n + workers - 1) / workers
	for w := range workers {
		lo, hi := w*per, min((w+1)*per, n)
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// stream is a deterministic byte stream (SHA-256 in counter mode) for the
// generator's randomness: a synthetic record is the same for the same seed,
// apart from HPKE's own randomness in the dealings.
type stream struct {
	key []byte
	ctr uint64
	buf []byte
}

func newStream(key []byte) *stream { return &stream{key: key} }

func (s *stream) Read(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(s.buf) == 0 {
			h := sha256.New()
			h.Write(s.key)
			h.Write(binary.BigEndian.AppendUint64(nil, s.ctr))
			s.ctr++
			s.buf = h.Sum(nil)
		}
		k := copy(p, s.buf)
		p, s.buf = p[k:], s.buf[k:]
	}
	return n, nil
}
