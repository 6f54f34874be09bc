// Package tally counts an election from its public record: it takes the
// ballot set that a quorum of board nodes sealed, keeps the last ballot of
// each credential, adds up the ciphertexts of every option, checks the
// trustees' partial decryptions of those sums, combines any t valid ones and
// recovers each count with a bounded discrete-log search (docs/SPEC.md §5,
// §7.5.10, §7.5.11).
//
// Anyone can run a tally: it needs no secret except, to post the result
// entry, the commission's signing key. It trusts no board node: a Replica
// replays what a node serves through election.Record, the same rules the
// nodes and the verifier apply, so a node that serves an invalid or
// incomplete record is caught, not believed.
//
// The stages are separate functions so that each can be measured and
// tested alone: Aggregate (the homomorphic sums, on all cores), Decrypt (check
// every trustee's partial decryption and combine t valid ones per sum) and
// Solve (the bounded discrete logarithms). Run strings them together.
package tally
