// Package proof implements evote's non-interactive zero-knowledge proofs:
// Schnorr proofs of knowledge, Chaum–Pedersen proofs of equal discrete logs,
// and disjunctive (Cramer–Damgård–Schoenmakers) proofs that an ElGamal
// ciphertext encrypts one of a public list of values — 0 or 1 for an option,
// any count in [min, max] for a contest's sum.
//
// Every challenge comes from package transcript, bound to a proof-type domain
// tag, the protocol version, the election context and the caller's bindings
// (for ballots: the voter credential and the contest and option position),
// followed by the whole statement and all commitments. Verifiers always
// recompute it.
//
// Each proof turns into a Claim: its challenge check plus linear equations
// over the group. A Claim verifies alone, or many Claims verify at once in a
// Batch with one random linear combination and one multi-scalar
// multiplication; when a batch fails, bisection names exactly the bad items.
package proof
