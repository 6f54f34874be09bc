// Package cast is the voter's device: it fetches an election from the board
// and checks it, encrypts the voter's choices locally, casts the ballot or
// challenges it (a Benaloh challenge), audits a challenged ballot from any
// other device, and checks later that a cast ballot is on the board and in the
// sealed ballot set. `evote vote` and the polling-place kiosk (voter/kiosk)
// are both front ends of it; docs/VOTERS.md is the voter's guide.
//
// # Trust
//
// The device trusts no board node. The manifest is the entry whose hash is
// the election id; the joint election key is not taken from the open entry
// on its word but by replaying the whole key ceremony on the record
// (election.Record, the rules every node and the verifier apply), so a node
// cannot hand the voter a key of its own. Receipts are checked against the
// manifest's node keys, checkpoints against the key of the node that signed
// them, and inclusion proofs against those checkpoints.
//
// # Secrets
//
// The credential's signing key and a ballot's opening (its randomness) are
// the only secrets. Neither is logged or written anywhere; Voter.Forget and
// Ballot.Forget clear what Go lets a program clear.
package cast
