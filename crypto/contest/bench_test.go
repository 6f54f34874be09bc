package contest

import (
	"fmt"
	"github.com/evote/evote/crypto/elgamal"
	"testing"
)

// BenchmarkEncryptContest encrypts and proves one contest of 5 options,
// choose up to 2: the design target is ≤ 1.0 ms on 2 cores.
func BenchmarkEncryptContest(b *testing.B) {
	_, K := testKey(b)
	pk := elgamal.NewPublicKey(K) // once per election, outside the measurement
	sel := []uint64{0, 1, 0, 1, 0}
	for b.Loop() {
		if _, _, err := Encrypt(binding, spec5of2, pk, sel, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyContest verifies the same contest one at a time (batch=1) and
// in batches; ns/ballot compares them.
func BenchmarkVerifyContest(b *testing.B) {
	for _, n := range []int{1, 64, 1024} {
		b.Run(fmt.Sprintf("batch=%d", n), func(b *testing.B) {
			K, items := batchFixture(b, n)
			b.ResetTimer()
			for b.Loop() {
				if n == 1 {
					if err := items[0].Encrypted.Verify(items[0].Binding, spec5of2, K); err != nil {
						b.Fatal(err)
					}
					continue
				}
				if errs := VerifyBatch(spec5of2, K, items); errs != nil {
					b.Fatal(errs)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/ballot")
		})
	}
}

// BenchmarkDecodeContest measures strict decoding, which every verifier pays
// once per ballot before verification.
func BenchmarkDecodeContest(b *testing.B) {
	_, items := batchFixture(b, 1)
	enc := items[0].Encrypted.Bytes()
	for b.Loop() {
		if _, err := Decode(enc, spec5of2); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyContestUnbatched checks the same contest one equation at a
// time, with no random linear combination at all: the textbook verifier, for
// comparison with both rows above.
func BenchmarkVerifyContestUnbatched(b *testing.B) {
	K, items := batchFixture(b, 1)
	K = K.Encoded()
	for b.Loop() {
		for _, c := range items[0].Encrypted.Claims(items[0].Binding, spec5of2, K) {
			if err := c.Verify(); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/ballot")
}
