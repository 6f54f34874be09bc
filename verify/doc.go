// Package verify is the observer's verifier: it re-checks a whole election
// from its public record, with no secret and no trust in whoever ran it,
// and says check by check what holds (docs/VERIFY.md).
//
// The record's rules are not written here. Every entry goes through
// election.Record, the state machine that every board node runs before it
// stores an entry (checks C16–C49 of docs/SPEC.md §7.8, which include the
// cryptographic checks C1–C15), in batches (Record.ApplyBytesBatch: ballot
// proofs in one random linear combination, signatures on all cores). What
// only an observer can check is here (§9.2): that each node's signed
// checkpoint covers exactly the log that was read (C50), that every
// checkpoint and seal a node signed fits one growing log (C51), that no
// node holds evidence of another's equivocation (C52), and that every
// node's seal names the ballot set the quorum sealed (C53).
//
// The record is streamed: from a record directory (package record) or from
// live nodes, page by page, a batch at a time. The record runs in
// election.Record.StreamBallots mode: it keeps per-option sums and, per
// credential, the id and counter of its counted ballot, never the ballots'
// ciphertexts; the few ballots that revotes supersede are fetched again
// from the source when the seals are in. What grows with the record is
// what the rules need per entry (ids for duplicates and the ballot set
// hash, the credential list) and one leaf hash per entry, for the seals'
// checkpoints.
package verify
