// Package tlog is an election's append-only log as an RFC 6962 Merkle tree:
// the tree's growth, its roots and proofs, and the node's signed checkpoints.
//
// The tree is over the entries' canonical bytes in log order; leaf i is
// entry i, hashed as RFC 6962 says (SHA-256(0x00 ‖ entry)), so standard
// transparency tooling (github.com/transparency-dev/merkle) checks our
// proofs.
//
// # Server side: pure logic over stored node hashes
//
// tlog keeps no storage of its own. A log keeps the hash of every node that
// roots a perfect subtree (every leaf, every complete pair, …) under its
// compact.NodeID; [Tree.Append] reports each new one to a visitor so that the
// caller writes them in the same transaction as the entries, and
// [RootAt], [InclusionProof] and [ConsistencyProof] read them back through a
// [NodeReader]. A [Tree] is the log's right border in memory (a compact
// range, at most 64 hashes), enough to append and to compute the newest root
// without reading anything.
//
// # Client side
//
// [VerifyInclusion] and [VerifyConsistency] check proofs with
// transparency-dev/merkle's verifier, after checking the proof's length
// themselves, and fail with errors that carry the evidence
// ([*ProofLengthError], [*RootMismatchError]).
//
// # Checkpoints
//
// A checkpoint is a C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint)
// in the signed-note format of golang.org/x/mod/sumdb/note:
//
//	evote/<election id, 64 lowercase hex digits>
//	<tree size, decimal>
//	<root hash, standard base64>
//
//	— <key name> <base64 of key hash ‖ Ed25519 signature>
//
// The origin line names the election, so a node's checkpoints for two
// elections can never be confused. The key is the node's Ed25519 signing
// key — the one the manifest lists for it — and the key name is the node's
// libp2p peer id ("12D3KooW…", [KeyName]), which the manifest lists beside
// the key and which contains neither space nor '+', as note requires. A
// verifier is built from the public key alone ([NewVerifier]).
//
// # Equivocation
//
// Two checkpoints that one node signed for one election must describe one
// growing log. [CheckConsistent] turns a pair that does not — equal sizes
// with different roots, or a consistency proof between them that fails —
// into [Evidence] that anyone holding the node's public key re-checks with
// [Evidence.Verify].
package tlog
