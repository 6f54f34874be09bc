// Package record is an election record as files: the layout of a record
// directory (docs/SPEC.md §9.1), a streaming reader and writer of its record
// file (the §7.9 container), and the export of one node's log into such a
// directory, with the node's signed checkpoint, so that a record can be
// archived and verified offline.
//
// Nothing here judges entries: election.Record does, in package verify.
// The reader only refuses a container that is malformed, so that a record
// of a million ballots is read one entry at a time, in bounded memory.
package record
