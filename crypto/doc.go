// Package crypto holds evote's cryptography, one small package per job:
// group (ristretto255 and strict decoding), transcript (Fiat–Shamir),
// elgamal, proof (Schnorr, Chaum–Pedersen, disjunctive and range proofs, batch
// verification), contest (a contest's encrypted selections), dlog (bounded
// discrete logarithms) and threshold (the trustees' key generation and
// decryption). It knows nothing of elections, boards or transport.
//
// This package itself only carries the known-answer vectors in testdata/,
// which the tests in vectors_test.go check, so that another implementation can
// be checked against the same bytes.
package crypto
