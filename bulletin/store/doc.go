// Package store keeps a bulletin-board node's elections on disk, in badger
// (github.com/dgraph-io/badger/v4): every election's entries in log order,
// found by log index, by entry id and by type, with the election's RFC 6962
// Merkle tree (bulletin/tlog) kept beside them.
//
// # Appending
//
// [Store.Append] writes a request's entries, their indexes, the tree's new
// node hashes and the election's new size and root in one badger
// transaction, and returns only once that transaction is synced to disk: an
// entry is acknowledged only when it is durable. A crash before the sync
// leaves the state before the transaction (badger replays only whole
// transactions), and [Open] after a crash finds every acknowledged entry.
//
// Durability is paid for once per batch, not per entry (group commit): one
// committer goroutine takes every request waiting when it is free, writes
// them in as few transactions as badger's size limits allow (one, in
// practice) and syncs each once. While it syncs, the next requests queue,
// so the more callers wait, the more entries share a sync. Append is safe
// for concurrent use; entries of one request get consecutive indexes, and
// requests keep the order in which they reached the committer.
//
// An entry whose id the election already holds is not stored twice:
// Append reports its existing index ([Appended.Existing]).
//
// # Reading
//
// Reads run in badger read transactions, so each sees one committed state:
// [Store.Entries] (by index from a cursor, optionally of one type),
// [Store.Entry] (by id), [Store.EntryAt], [Store.Head] (size and root),
// [Store.Root] at any size up to the current one, [Store.InclusionProof],
// [Store.ConsistencyProof] and [Store.Elections]. Unknown elections and
// entries give errors wrapping [ErrNotFound]; sizes and indexes beyond the
// log wrap [ErrOutOfRange].
//
// # Layout
//
// Keys start with one byte naming the table and the 32-byte election id:
//
//	'h' el                → u64 size ‖ 32 root             the election's head
//	'e' el u64 index      → u8 type ‖ 32 id ‖ entry bytes  the log
//	'i' el 32 id          → u64 index                      by id
//	't' el u8 type u64 i  → (empty)                        by type
//	'n' el u8 level u64 i → 32 hash                        tree nodes (bulletin/tlog)
//
// Integers are big-endian, so badger's key order is log order.
//
// # Memory
//
// [DefaultOptions] sizes badger for a node that holds elections of a
// million ballots (~3.5 KB each: 3.4 GB of value log, ~220 MB of tables
// for keys, ids and tree nodes). Entries of 512 bytes or more live in
// badger's value log, a memory-mapped append-only file whose pages are
// page cache (reclaimable, shown as RssFile) rather than heap, and the LSM
// tree holds only keys, value pointers and 32-byte hashes. Three memtables
// of 16 MiB (badger's default is five of 64 MiB) bound the write buffers;
// tables are not compressed (their contents are hashes and ids), so no
// block cache is needed, and table indexes and Bloom filters stay in
// memory. Measured loading a million 3.5 KB ballots (4 writers, 250 a
// request; 2m20s): Go heap in use 90–330 MB, anonymous RSS under 300 MB;
// after reopening, RSS 250 MB.
package store
