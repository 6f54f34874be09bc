// Package trustee is one trustee's side of an election: the key ceremony
// through the board, and the partial decryption of the tally (docs/SPEC.md
// §5, §7.5.2–§7.5.4, §7.5.10; docs/TRUSTEES.md).
//
// A Trustee decides what to post by looking at the public record (a
// tally.Replica, which checks every entry with the record's rules) and at
// its own state: Step returns the entries due in the current phase — its
// dealing, complaints against dealers whose shares to it fail, reveals
// answering complaints against it, and after the seal quorum its partial
// decryption of the aggregates. A Runner repeats that against a live board;
// the offline commands take the same Step against an exported record file.
//
// The state (the seed its polynomial is drawn from, its share of the
// election key, and the entries it made) lives in a file sealed under a
// passphrase (Argon2id and XChaCha20-Poly1305, Store). Entries are written
// there before they are posted, so a trustee that restarts posts the same
// entries again and never two different dealings or partials. No secret is
// logged or printed.
package trustee
