package edsig

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"testing"

	"filippo.io/edwards25519"
)

type sigCase struct {
	name          string
	pub, msg, sig []byte
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// cases returns valid signatures and every kind of bad or odd one whose
// treatment crypto/ed25519 fixes.
func cases(t testing.TB) []sigCase {
	var out []sigCase
	add := func(name string, pub, msg, sig []byte) {
		out = append(out, sigCase{name, bytes.Clone(pub), bytes.Clone(msg), bytes.Clone(sig)})
	}
	for i := range 40 {
		pub, priv, _ := ed25519.GenerateKey(rand.Reader)
		msg := make([]byte, i*37)
		rand.Read(msg)
		sig := ed25519.Sign(priv, msg)
		add("valid", pub, msg, sig)
		flip := func(b []byte, bit int) []byte { c := bytes.Clone(b); c[bit/8] ^= 1 << (bit % 8); return c }
		add("R bit flipped", pub, msg, flip(sig, i*7%256))
		add("S bit flipped", pub, msg, flip(sig, 256+i*5%250))
		if len(msg) > 0 {
			add("message changed", pub, flip(msg, i%len(msg)*8), sig)
		}
		add("another key", flip(pub, 3), msg, sig)
		add("short signature", pub, msg, sig[:63])
		add("short key", pub[:31], msg, sig)
		// S + ℓ: the same equation, but S not canonical.
		s, _ := edwards25519.NewScalar().SetCanonicalBytes(sig[32:])
		sPlusL := addL(s.Bytes())
		if sPlusL != nil {
			add("S + ℓ", pub, msg, append(bytes.Clone(sig[:32]), sPlusL...))
		}
	}
	// RFC 8032 §7.1 test 1 and 2.
	add("RFC 8032 test 1", mustHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"), nil,
		mustHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"))
	add("RFC 8032 test 2", mustHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"), []byte{0x72},
		mustHex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"))
	// The identity as public key (small order) with S = 0 and R the
	// identity: [0]B − [k]·O = O, so crypto/ed25519 accepts it for any
	// message.
	identity := edwards25519.NewIdentityPoint().Bytes()
	add("identity key, identity R, S = 0", identity, []byte("any"), append(bytes.Clone(identity), make([]byte, 32)...))
	// A non-canonical encoding of the identity key (y = p + 1), which
	// crypto/ed25519 decodes.
	nonCanonical := mustHex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
	add("non-canonical identity key", nonCanonical, []byte("any"), append(bytes.Clone(identity), make([]byte, 32)...))
	// A key with a torsion component: a valid key plus a point of order 8.
	torsion := mustHex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05")
	for i := range 8 {
		_, priv, _ := ed25519.GenerateKey(rand.Reader)
		A, _ := new(edwards25519.Point).SetBytes(priv.Public().(ed25519.PublicKey))
		T, err := new(edwards25519.Point).SetBytes(torsion)
		if err != nil {
			t.Fatal(err)
		}
		mixed := new(edwards25519.Point).Add(A, T).Bytes()
		msg := []byte(fmt.Sprint("torsion ", i))
		sig := ed25519.Sign(priv, msg)
		add("key with torsion", mixed, msg, sig)
		// R with torsion: R' = R + T, S unchanged, does not verify.
		R, _ := new(edwards25519.Point).SetBytes(sig[:32])
		add("R with torsion", priv.Public().(ed25519.PublicKey), msg, append(new(edwards25519.Point).Add(R, T).Bytes(), sig[32:]...))
	}
	// Garbage keys (most are not points) and high bits in S.
	for range 16 {
		g := make([]byte, 96)
		rand.Read(g)
		add("random bytes", g[:32], []byte("m"), g[32:])
		g[95] &= 0x0f
		add("random R and small S", g[:32], []byte("m"), g[32:])
	}
	return out
}

// addL returns s + ℓ as 32 bytes, or nil if it does not fit in 253 bits.
func addL(s []byte) []byte {
	l := mustHex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")
	out := make([]byte, 32)
	carry := 0
	for i := range 32 {
		v := int(s[i]) + int(l[i]) + carry
		out[i], carry = byte(v), v>>8
	}
	if carry != 0 || out[31]&224 != 0 {
		return nil
	}
	return out
}

func TestVerifyMatchesCryptoEd25519(t *testing.T) {
	cs := cases(t)
	pubs, msgs, sigs := make([][]byte, len(cs)), make([][]byte, len(cs)), make([][]byte, len(cs))
	for i, c := range cs {
		pubs[i], msgs[i], sigs[i] = c.pub, c.msg, c.sig
	}
	accepted, rejected := 0, 0
	for _, vector := range []bool{true, false} {
		if vector && !useVector {
			t.Log("no AVX-512 IFMA: only the fallback runs")
			continue
		}
		saved := useVector
		useVector = vector
		// Whole, and in every offset so that each case lands in each lane.
		for off := range 8 {
			got := Verify(pubs[off:], msgs[off:], sigs[off:])
			for k, ok := range got {
				c := cs[off+k]
				want := len(c.pub) == ed25519.PublicKeySize && ed25519.Verify(c.pub, c.msg, c.sig)
				if ok != want {
					t.Fatalf("vector=%v %s (#%d): Verify = %v, crypto/ed25519 = %v", vector, c.name, off+k, ok, want)
				}
				if want {
					accepted++
				} else {
					rejected++
				}
			}
		}
		useVector = saved
	}
	if accepted == 0 || rejected == 0 {
		t.Fatalf("accepted %d, rejected %d: the cases check only one side", accepted, rejected)
	}
}

func BenchmarkVerify(b *testing.B) {
	const n = 64
	pubs, msgs, sigs := make([][]byte, n), make([][]byte, n), make([][]byte, n)
	for i := range n {
		pub, priv, _ := ed25519.GenerateKey(rand.Reader)
		msg := make([]byte, 1800) // about a 5-option ballot entry
		rand.Read(msg)
		pubs[i], msgs[i], sigs[i] = pub, msg, ed25519.Sign(priv, msg)
	}
	b.Run("edsig", func(b *testing.B) {
		for b.Loop() {
			for _, ok := range Verify(pubs, msgs, sigs) {
				if !ok {
					b.Fatal("refused")
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/signature")
	})
	b.Run("crypto-ed25519", func(b *testing.B) {
		for b.Loop() {
			for i := range n {
				if !ed25519.Verify(pubs[i], msgs[i], sigs[i]) {
					b.Fatal("refused")
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/signature")
	})
}
