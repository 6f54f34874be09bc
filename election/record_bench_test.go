package election

import (
	"fmt"
	"testing"
)

func BenchmarkDecodeManifest(b *testing.B) {
	m, _ := fxBoardManifest(b)
	enc := m.Bytes()
	b.SetBytes(int64(len(enc)))
	for b.Loop() {
		if _, err := DecodeManifest(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkManifestValidate(b *testing.B) {
	m, _ := fxBoardManifest(b)
	for b.Loop() {
		if errs := m.Validate(); errs != nil {
			b.Fatal(errs)
		}
	}
}

// BenchmarkRecordCheckBallot measures what a board spends on one incoming
// ballot of the referendum: every check of Apply, without the commit (which
// would make the next iteration a duplicate).
func BenchmarkRecordCheckBallot(b *testing.B) {
	v := buildGoodRecord(b)
	r, errs := Replay(v.bytes()[:v.at["ballot/0"]])
	if len(errs) != 1 { // only C49: the prefix has no result
		b.Fatal(errs)
	}
	e := v.entry("ballot/0")
	id := e.ID()
	for b.Loop() {
		if _, err := r.check(e, id); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReplayGoodRecord replays the whole vector record, as an
// observer does.
func BenchmarkReplayGoodRecord(b *testing.B) {
	v := buildGoodRecord(b)
	entries := v.bytes()
	for b.Loop() {
		if _, errs := Replay(entries); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}

func BenchmarkBallotSetHash(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		ids := make([]ID, n)
		for i := range ids {
			ids[i] = sha256Sum(fmt.Appendf(nil, "%d", i))
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				BallotSetHash(ids)
			}
		})
	}
}
