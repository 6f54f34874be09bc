package node

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/multiformats/go-multiaddr"
	"go.yaml.in/yaml/v3"
)

// maxConfigSize bounds a node config file; a real one is under 2 KB.
const maxConfigSize = 1 << 20

// ConfigProblem is one thing wrong with a node config file.
type ConfigProblem struct {
	File         string
	Line, Column int    // 1-based; 0 when about the whole file
	Path         string // the field, e.g. peers[1].addrs[0]
	Msg          string
}

func (p ConfigProblem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", p.Line, p.Column)
	}
	b.WriteString(": ")
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// ConfigError lists every problem found in a config file, in file order.
type ConfigError struct {
	Problems []ConfigProblem
}

func (e *ConfigError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// configFields are the top-level fields of a node config, in template
// order.
var configFields = []string{
	"key_file", "data_dir", "http_listen", "p2p_listen", "peers", "readers",
	"sync_interval", "checkpoint_interval", "audit_interval", "seal_sync_timeout", "shutdown_timeout",
	"max_body", "rate_limit", "rate_burst", "commissions", "log_level", "log_format",
}

// LoadConfig reads a node config file (YAML; docs/NODE.md) over
// DefaultConfig. Relative paths in it (key_file, data_dir) are relative to
// the file's directory. Every problem — unknown or repeated fields, values
// of the wrong kind, bad addresses, keys or durations — is reported in one
// *ConfigError, each with its line and column.
func LoadConfig(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("node config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1))
	if err != nil {
		return nil, fmt.Errorf("node config %s: %w", path, err)
	}
	if len(data) > maxConfigSize {
		return nil, fmt.Errorf("node config %s: larger than %d bytes", path, maxConfigSize)
	}
	return ParseConfig(data, path, filepath.Dir(path))
}

// ParseConfig parses a node config; name labels its problems and relative
// paths are taken from dir.
func ParseConfig(data []byte, name, dir string) (*Config, error) {
	d := &cfgDecoder{file: name}
	cfg := DefaultConfig()
	root := d.document(data)
	if root != nil {
		d.config(root, &cfg, dir)
	}
	if len(d.problems) > 0 {
		slices.SortStableFunc(d.problems, func(a, b ConfigProblem) int {
			if a.Line != b.Line {
				return a.Line - b.Line
			}
			return a.Column - b.Column
		})
		return nil, &ConfigError{Problems: d.problems}
	}
	return &cfg, nil
}

// cfgDecoder walks the YAML node tree, so that every problem carries its
// position.
type cfgDecoder struct {
	file     string
	problems []ConfigProblem
}

func (d *cfgDecoder) problem(n *yaml.Node, path, format string, args ...any) {
	p := ConfigProblem{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		p.Line, p.Column = n.Line, n.Column
	}
	d.problems = append(d.problems, p)
}

func (d *cfgDecoder) document(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.problem(nil, "", "empty config; run 'evote node init' for a template")
		} else {
			d.problem(nil, "", "malformed YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		}
		return nil
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		d.problem(&next, "", "a second YAML document: a config is exactly one document")
		return nil
	}
	if len(doc.Content) != 1 {
		d.problem(&doc, "", "not a YAML document")
		return nil
	}
	return doc.Content[0]
}

// mapping returns the fields of a mapping node by name, recording unknown
// and repeated keys.
func (d *cfgDecoder) mapping(path string, n *yaml.Node, known []string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		d.problem(n, path, "want a mapping with the fields %s", strings.Join(known, ", "))
		return nil
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := join(path, k.Value)
		switch {
		case k.Kind != yaml.ScalarNode:
			d.problem(k, path, "want a field name")
		case !slices.Contains(known, k.Value):
			d.problem(k, p, "unknown field (allowed here: %s)", strings.Join(known, ", "))
		case out[k.Value] != nil:
			d.problem(k, p, "set twice")
		case v.Kind == yaml.AliasNode || v.Anchor != "":
			d.problem(v, p, "YAML anchors and aliases are not allowed; write the value out")
		default:
			out[k.Value] = v
		}
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// isNull reports an absent or empty value, which leaves the default.
func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

func (d *cfgDecoder) str(path string, n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		d.problem(n, path, "want text")
		return "", false
	}
	if strings.HasPrefix(n.Value, "<") && strings.HasSuffix(n.Value, ">") {
		d.problem(n, path, "placeholder %s: replace it with the real value", n.Value)
		return "", false
	}
	return n.Value, true
}

func (d *cfgDecoder) strs(path string, n *yaml.Node) ([]string, []*yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		d.problem(n, path, "want a list")
		return nil, nil
	}
	var out []string
	var nodes []*yaml.Node
	for i, item := range n.Content {
		if s, ok := d.str(fmt.Sprintf("%s[%d]", path, i), item); ok {
			out = append(out, s)
			nodes = append(nodes, item)
		}
	}
	return out, nodes
}

func (d *cfgDecoder) duration(path string, n *yaml.Node) (time.Duration, bool) {
	s, ok := d.str(path, n)
	if !ok {
		return 0, false
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		d.problem(n, path, "want a duration such as 500ms, 10s or 1m, got %q", s)
		return 0, false
	}
	return v, true
}

func (d *cfgDecoder) integer(path string, n *yaml.Node, max int64) (int64, bool) {
	v, err := strconv.ParseInt(n.Value, 10, 64)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || err != nil || v < 0 || v > max {
		d.problem(n, path, "want a whole number from 0 to %d", max)
		return 0, false
	}
	return v, true
}

func (d *cfgDecoder) config(root *yaml.Node, cfg *Config, dir string) {
	f := d.mapping("", root, configFields)
	if f == nil {
		return
	}
	for _, req := range []string{"key_file", "data_dir", "http_listen", "p2p_listen"} {
		if isNull(f[req]) {
			d.problem(root, req, "missing; this field is required")
		}
	}
	path := func(key string, dst *string) {
		if n := f[key]; !isNull(n) {
			if s, ok := d.str(key, n); ok {
				if !filepath.IsAbs(s) {
					s = filepath.Join(dir, s)
				}
				*dst = s
			}
		}
	}
	path("key_file", &cfg.KeyFile)
	path("data_dir", &cfg.DataDir)
	if n := f["http_listen"]; !isNull(n) {
		cfg.HTTPListen, _ = d.str("http_listen", n)
	}
	if n := f["p2p_listen"]; !isNull(n) {
		addrs, nodes := d.strs("p2p_listen", n)
		for i, a := range addrs {
			if _, err := multiaddr.NewMultiaddr(a); err != nil {
				d.problem(nodes[i], fmt.Sprintf("p2p_listen[%d]", i), "not a multiaddr: %v", err)
			}
		}
		cfg.P2PListen = addrs
	}
	if n := f["peers"]; !isNull(n) {
		cfg.Peers = d.peers("peers", n)
	}
	if n := f["readers"]; !isNull(n) {
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.problem(n, "readers", "want true or false")
		} else {
			cfg.Readers = n.Value == "true"
		}
	}
	for key, dst := range map[string]*time.Duration{
		"sync_interval": &cfg.SyncInterval, "checkpoint_interval": &cfg.CheckpointInterval,
		"audit_interval": &cfg.AuditInterval, "seal_sync_timeout": &cfg.SealSyncTimeout,
		"shutdown_timeout": &cfg.ShutdownTimeout,
	} {
		if n := f[key]; !isNull(n) {
			if v, ok := d.duration(key, n); ok {
				*dst = v
			}
		}
	}
	d.limits(f, cfg)
	if n := f["commissions"]; !isNull(n) {
		cfg.Commissions = d.keys("commissions", n)
	}
	d.logging(f, cfg)
}

func (d *cfgDecoder) limits(f map[string]*yaml.Node, cfg *Config) {
	if n := f["max_body"]; !isNull(n) {
		if v, ok := d.integer("max_body", n, 1<<30); ok {
			cfg.MaxBody = v
		}
	}
	if n := f["rate_limit"]; !isNull(n) {
		v, err := strconv.ParseFloat(n.Value, 64)
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") || err != nil || v < 0 || v > 1e6 {
			d.problem(n, "rate_limit", "want requests per second, a number from 0 (no limit) to 1000000")
		} else {
			cfg.RateLimit = v
		}
	}
	if n := f["rate_burst"]; !isNull(n) {
		if v, ok := d.integer("rate_burst", n, 1_000_000); ok {
			cfg.RateBurst = int(v)
		}
	}
}

func (d *cfgDecoder) logging(f map[string]*yaml.Node, cfg *Config) {
	if n := f["log_level"]; !isNull(n) {
		if s, ok := d.str("log_level", n); ok {
			if err := cfg.LogLevel.UnmarshalText([]byte(s)); err != nil {
				d.problem(n, "log_level", "want debug, info, warn or error, got %q", s)
			}
		}
	}
	if n := f["log_format"]; !isNull(n) {
		if s, ok := d.str("log_format", n); ok {
			if s != "text" && s != "json" {
				d.problem(n, "log_format", "want text or json, got %q", s)
			}
			cfg.LogFormat = s
		}
	}
}

// peers decodes the peers list: each item {addrs: [multiaddr…], http: URL},
// every address ending in the same /p2p/ peer id.
func (d *cfgDecoder) peers(path string, n *yaml.Node) []Peer {
	if n.Kind != yaml.SequenceNode {
		d.problem(n, path, "want a list of peers, each with addrs and optionally http")
		return nil
	}
	var out []Peer
	for i, item := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		f := d.mapping(p, item, []string{"addrs", "http"})
		if f == nil {
			continue
		}
		if isNull(f["addrs"]) {
			d.problem(item, join(p, "addrs"), "missing; list the peer's multiaddrs, each ending in /p2p/<peer id>")
			continue
		}
		peerInfo, ok := d.peerAddrs(join(p, "addrs"), f["addrs"])
		if !ok {
			continue
		}
		if hn := f["http"]; !isNull(hn) {
			if s, ok := d.str(join(p, "http"), hn); ok {
				if err := checkHTTPURL(s); err != nil {
					d.problem(hn, join(p, "http"), "%v", err)
				}
				peerInfo.HTTP = s
			}
		}
		if slices.ContainsFunc(out, func(q Peer) bool { return q.ID == peerInfo.ID }) {
			d.problem(item, p, "peer %s is listed twice; put all its addresses in one item", peerInfo.ID)
			continue
		}
		out = append(out, peerInfo)
	}
	return out
}

func (d *cfgDecoder) peerAddrs(path string, n *yaml.Node) (Peer, bool) {
	addrs, nodes := d.strs(path, n)
	var out Peer
	if len(addrs) == 0 {
		d.problem(n, path, "no address")
		return out, false
	}
	for i, s := range addrs {
		ap := fmt.Sprintf("%s[%d]", path, i)
		a, err := multiaddr.NewMultiaddr(s)
		if err != nil {
			d.problem(nodes[i], ap, "not a multiaddr: %v", err)
			return out, false
		}
		info, err := peer.AddrInfoFromP2pAddr(a)
		if err != nil {
			d.problem(nodes[i], ap, "want a multiaddr ending in /p2p/<peer id>: %v", err)
			return out, false
		}
		if out.ID != "" && info.ID != out.ID {
			d.problem(nodes[i], ap, "peer id %s differs from %s before it: one item is one peer", info.ID, out.ID)
			return out, false
		}
		out.ID = info.ID
		out.Addrs = append(out.Addrs, info.Addrs...)
	}
	return out, true
}

// keys decodes a list of Ed25519 public keys in hex.
func (d *cfgDecoder) keys(path string, n *yaml.Node) []ed25519.PublicKey {
	strs, nodes := d.strs(path, n)
	var out []ed25519.PublicKey
	for i, s := range strs {
		k, err := hex.DecodeString(s)
		if err != nil || len(k) != ed25519.PublicKeySize {
			d.problem(nodes[i], fmt.Sprintf("%s[%d]", path, i), "want a commission public key: %d hex digits", 2*ed25519.PublicKeySize)
			continue
		}
		out = append(out, k)
	}
	return out
}

// newLogger returns the logger a Config asks for.
func (c *Config) newLogger(w io.Writer) *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
