//go:build race

package dlog

// raceEnabled skips the slowest tests under the race detector, which makes
// field arithmetic about 25 times slower; they test arithmetic, not
// concurrency.
const raceEnabled = true
