// Package threshold implements the trustees' cryptography for a t-of-n
// threshold election key: a Feldman/Pedersen-style distributed key
// generation and threshold decryption of exponential ElGamal ciphertexts.
//
// Every function here is pure: deterministic given its inputs and the
// randomness it is handed, with no transport and no state. The key ceremony
// itself runs through the bulletin board elsewhere; a trustee and an
// observer's verifier call the same functions on the same public data and so
// reach the same qualified set, joint key and verification keys.
//
// Trustees are numbered 1..n and any t of them decrypt (Params). The
// ceremony, for dealer i:
//
//  1. NewDealing draws a secret polynomial f_i of degree t−1 and publishes
//     Commitments C_ik = a_ik·G, k = 0..t−1, each with a Schnorr proof of
//     knowledge bound to the election, i and k. Everyone checks them with
//     VerifyCommitments.
//  2. For every other trustee j, EncryptShare seals s_ij = f_i(j) to j's
//     EncryptionKey with HPKE, bound to the election, i and j. Trustee j
//     opens it with DecryptShare and checks it with VerifyShare.
//  3. A trustee whose share fails to decrypt or to verify posts a Complaint;
//     the accused dealer answers with a Reveal of s_ij in the clear, which
//     anyone checks with CheckReveal.
//  4. Qualify computes, from the public record alone, the qualified set QUAL,
//     the joint key K = Σ_{i∈QUAL} C_i0 and each trustee's verification key
//     V_j = Σ_{i∈QUAL} f_i(j)·G. CombineShares gives trustee j its share
//     s_j = Σ_{i∈QUAL} s_ij of the joint secret, with s_j·G = V_j.
//
// To decrypt a ciphertext (A, B), trustee j posts PartialDecrypt's
// D_j = s_j·A with a Chaum–Pedersen proof that log_G V_j = log_A D_j;
// VerifyPartial checks it, and Combine interpolates any t shares at 0 to get
// M = B − x·A, the plaintext m·G. Decrypt does both, excluding each invalid
// share with a named reason.
//
// Secrets (polynomial coefficients, shares, s_j) only meet constant-time
// operations; functions that run in variable time say so and see only public
// values.
package threshold
