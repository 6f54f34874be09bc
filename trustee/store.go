package trustee

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/evote/evote/internal/atomicfile"
)

// The state file is
//
//	magic ‖ 16 salt ‖ u32 time ‖ u32 memory (KiB) ‖ u8 threads ‖ 24 nonce ‖ sealed state
//
// where the key is Argon2id(passphrase, salt, time, memory, threads) and
// the state (encodeState) is sealed with XChaCha20-Poly1305 under that key,
// with everything before it as additional data, so that no header field can
// be changed without the file failing to open.
const (
	stateMagic = "evote-trustee-state v1\n"
	saltSize   = 16
	headerSize = len(stateMagic) + saltSize + 4 + 4 + 1 + chacha20poly1305.NonceSizeX
	// maxStateFile bounds what Open reads: the state holds a dealing and a
	// partial entry, each at most an entry's size.
	maxStateFile = 64 << 20
)

// Errors of the state file; test with errors.Is.
var (
	// ErrPassphrase: the file does not open with this passphrase, or it was
	// changed.
	ErrPassphrase = errors.New("wrong passphrase, or the state file was altered")
	// ErrStateFormat: the file is not a trustee state file.
	ErrStateFormat = errors.New("not a trustee state file")
)

// KDF holds the Argon2id cost of deriving the state key from a passphrase.
type KDF struct {
	Time    uint32 // passes
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultKDF is RFC 9106's second recommended setting: 3 passes over 64 MiB
// with 4 lanes, about a quarter of a second here.
var DefaultKDF = KDF{Time: 3, Memory: 64 << 10, Threads: 4}

// validate bounds the cost that a file may ask for, so that a damaged or
// hostile file cannot make opening it take hours or all memory.
func (k KDF) validate() error {
	if k.Time < 1 || k.Time > 16 || k.Memory < 8 || k.Memory > 4<<20 || k.Threads < 1 {
		return fmt.Errorf("%w: key derivation cost time=%d memory=%d KiB threads=%d out of bounds", ErrStateFormat, k.Time, k.Memory, k.Threads)
	}
	return nil
}

// Store is a trustee's state file, open: the state and the key that seals
// it, so that saving does not derive the key again.
type Store struct {
	path  string
	salt  [saltSize]byte
	kdf   KDF
	key   []byte
	State *State
}

// Create writes a new state file at path, sealed under passphrase with the
// cost kdf, and returns it open. It refuses to replace an existing file: a
// trustee's state holds the secret its dealing was made from, and losing it
// loses the trustee's part in the election.
func Create(path string, passphrase []byte, kdf KDF, st *State) (*Store, error) {
	if len(passphrase) == 0 {
		return nil, errors.New("empty passphrase")
	}
	if err := kdf.validate(); err != nil {
		return nil, err
	}
	s := &Store{path: path, kdf: kdf, State: st}
	if _, err := rand.Read(s.salt[:]); err != nil {
		return nil, err
	}
	s.key = argon2.IDKey(passphrase, s.salt[:], kdf.Time, kdf.Memory, kdf.Threads, chacha20poly1305.KeySize)
	return s, s.write(false)
}

// Open reads the state file at path and opens it with passphrase.
func Open(path string, passphrase []byte) (*Store, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > maxStateFile {
		return nil, fmt.Errorf("%s: %w: %d bytes", path, ErrStateFormat, fi.Size())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := open(b, passphrase)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s.path = path
	return s, nil
}

// open parses and decrypts a state file's contents.
func open(b, passphrase []byte) (*Store, error) {
	if len(b) < headerSize+chacha20poly1305.Overhead || !bytes.HasPrefix(b, []byte(stateMagic)) {
		return nil, ErrStateFormat
	}
	s := &Store{}
	p := b[len(stateMagic):]
	copy(s.salt[:], p)
	p = p[saltSize:]
	s.kdf = KDF{Time: binary.BigEndian.Uint32(p), Memory: binary.BigEndian.Uint32(p[4:]), Threads: p[8]}
	if err := s.kdf.validate(); err != nil {
		return nil, err
	}
	s.key = argon2.IDKey(passphrase, s.salt[:], s.kdf.Time, s.kdf.Memory, s.kdf.Threads, chacha20poly1305.KeySize)
	aead, err := chacha20poly1305.NewX(s.key)
	if err != nil {
		return nil, err
	}
	nonce := b[headerSize-chacha20poly1305.NonceSizeX : headerSize]
	plain, err := aead.Open(nil, nonce, b[headerSize:], b[:headerSize])
	if err != nil {
		return nil, ErrPassphrase
	}
	defer clear(plain)
	if s.State, err = decodeState(plain); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStateFormat, err)
	}
	return s, nil
}

// Save writes the state back, sealed under the same passphrase with a fresh
// nonce, atomically: a crash leaves the old file or the new one.
func (s *Store) Save() error { return s.write(true) }

// Path returns where the state file is.
func (s *Store) Path() string { return s.path }

// write seals the state and writes the file.
func (s *Store) write(replace bool) error {
	b, err := s.seal()
	if err != nil {
		return err
	}
	if err := atomicfile.Write(s.path, b, 0o600, replace); err != nil {
		if errors.Is(err, fs.ErrExist) || errors.Is(err, atomicfile.ErrExists) {
			return fmt.Errorf("%s exists: a trustee state file is never replaced by a new one; remove it yourself only if the election it is for is over: %w", s.path, err)
		}
		return err
	}
	return nil
}

// seal returns the file's contents for the current state.
func (s *Store) seal() ([]byte, error) {
	aead, err := chacha20poly1305.NewX(s.key)
	if err != nil {
		return nil, err
	}
	hdr := make([]byte, 0, headerSize)
	hdr = append(hdr, stateMagic...)
	hdr = append(hdr, s.salt[:]...)
	hdr = binary.BigEndian.AppendUint32(hdr, s.kdf.Time)
	hdr = binary.BigEndian.AppendUint32(hdr, s.kdf.Memory)
	hdr = append(hdr, s.kdf.Threads)
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	hdr = append(hdr, nonce...)
	plain := encodeState(s.State)
	defer clear(plain)
	return aead.Seal(hdr, nonce, plain, hdr), nil
}
