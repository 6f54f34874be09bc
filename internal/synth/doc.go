// Package synth generates large, valid, synthetic election records quickly,
// for the verifier's tests and benchmarks: a manifest with one contest,
// a credential list, a key ceremony, N ballots, revotes and spoiled ballots,
// the close, every node's seal, the trustees' partial decryptions and the
// result, written as a record directory (package record) with the first
// node's signed checkpoint over the whole log.
//
// Every key comes from a seed, so the generator knows the commission's,
// the trustees' and the nodes' keys and every credential.
//
// Speed comes from reuse, not from shortcuts in what is published: a small
// pool of template ballots is encrypted and proved honestly, and each voter's
// ballot reuses a template's ciphertexts and proof commitments. Proofs are
// bound to the voter's credential, so each reused proof is completed anew:
// the real branch's challenge and response are recomputed from the
// template's randomness (see rebind). Every published proof is therefore
// valid; the only artefact is that ciphertexts repeat across voters, which
// no check forbids and which costs the verifier exactly as much as distinct
// ones.
package synth
