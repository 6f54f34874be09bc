package node

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTemplateParses(t *testing.T) {
	_, err := ParseConfig(Template(), "node.yaml", "/etc/evote")
	ce, ok := err.(*ConfigError)
	if !ok {
		t.Fatalf("template: %v, want the placeholders reported", err)
	}
	if len(ce.Problems) != 2 {
		t.Errorf("template: %v, want 2 placeholders", err)
	}
	for _, p := range ce.Problems {
		if !strings.Contains(p.Msg, "placeholder") {
			t.Errorf("template: %v", p)
		}
	}
	filled := strings.NewReplacer("<path to NAME.key>", "keys/node.key", "<directory>", "/var/lib/evote").Replace(string(Template()))
	cfg, err := ParseConfig([]byte(filled), "node.yaml", "/etc/evote")
	if err != nil {
		t.Fatal(err)
	}
	def := DefaultConfig()
	if cfg.KeyFile != "/etc/evote/keys/node.key" || cfg.DataDir != "/var/lib/evote" ||
		cfg.SyncInterval != def.SyncInterval || cfg.AuditInterval != def.AuditInterval ||
		cfg.CheckpointInterval != def.CheckpointInterval || cfg.MaxBody != def.MaxBody || !cfg.Readers ||
		len(cfg.P2PListen) != 2 || cfg.HTTPListen != "127.0.0.1:8101" {
		t.Errorf("template's values are not the defaults: %+v", cfg)
	}
}

func TestConfigValues(t *testing.T) {
	cfg, err := ParseConfig([]byte(`
key_file: /k/node.key
data_dir: data
http_listen: ":8080"
p2p_listen: [/ip4/0.0.0.0/tcp/4001]
peers:
  - addrs:
      - /ip4/10.0.0.2/tcp/4001/p2p/12D3KooWFMCGmQG1tVCSycGDyAjVy3M8pbKxPygjzdZ7pzzGw3zR
      - /ip4/10.0.0.2/udp/4001/quic-v1/p2p/12D3KooWFMCGmQG1tVCSycGDyAjVy3M8pbKxPygjzdZ7pzzGw3zR
    http: https://node2.example
readers: false
sync_interval: 1m
audit_interval: -1s
rate_limit: 2.5
rate_burst: 10
commissions: [86da4c0a99171da01fda697c6bf8624ce91caab094b24a5bf6384b5c43305f42]
log_level: debug
log_format: json
`), "n.yaml", "/srv")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DataDir != "/srv/data" || cfg.KeyFile != "/k/node.key" || cfg.Readers || cfg.SyncInterval != time.Minute ||
		cfg.AuditInterval != -time.Second || cfg.RateLimit != 2.5 || cfg.RateBurst != 10 || len(cfg.Commissions) != 1 ||
		cfg.LogFormat != "json" || cfg.LogLevel.String() != "DEBUG" {
		t.Errorf("%+v", cfg)
	}
	if len(cfg.Peers) != 1 || len(cfg.Peers[0].Addrs) != 2 || cfg.Peers[0].HTTP != "https://node2.example" ||
		cfg.Peers[0].ID.String() != "12D3KooWFMCGmQG1tVCSycGDyAjVy3M8pbKxPygjzdZ7pzzGw3zR" {
		t.Errorf("peers: %+v", cfg.Peers)
	}
}

// TestConfigProblems checks that each mistake is reported at its line and
// field, all of them together.
func TestConfigProblems(t *testing.T) {
	const peerID = "12D3KooWFMCGmQG1tVCSycGDyAjVy3M8pbKxPygjzdZ7pzzGw3zR"
	src := `key_file: k
data_dir: d
http_listen: 8080
p2p_listen: [/ip4/0.0.0.0/tcp/notaport]
peers:
  - addrs: [/ip4/10.0.0.2/tcp/4001]
  - addrs: [/ip4/10.0.0.2/tcp/4001/p2p/` + peerID + `]
    http: ftp://x
  - addrs: [/ip4/10.0.0.3/tcp/4001/p2p/` + peerID + `]
  - adrs: []
readers: yes please
sync_interval: 10
checkpoint_interval: soon
max_body: -1
rate_limit: fast
commissions: [abcd]
log_level: loud
log_format: xml
titel: x
data_dir: again
`
	_, err := ParseConfig([]byte(src), "bad.yaml", "/")
	ce, ok := err.(*ConfigError)
	if !ok {
		t.Fatalf("ParseConfig: %v", err)
	}
	want := []string{
		"bad.yaml:3:14: http_listen: want text",
		"bad.yaml:4:14: p2p_listen[0]: not a multiaddr",
		"bad.yaml:6:13: peers[0].addrs[0]: want a multiaddr ending in /p2p/<peer id>",
		"bad.yaml:8:11: peers[1].http: HTTP URL \"ftp://x\": scheme must be http or https",
		"bad.yaml:9:5: peers[2]: peer " + peerID + " is listed twice",
		"bad.yaml:10:5: peers[3].adrs: unknown field",
		"bad.yaml:10:5: peers[3].addrs: missing",
		"bad.yaml:11:10: readers: want true or false",
		"bad.yaml:12:16: sync_interval: want text",
		"bad.yaml:13:22: checkpoint_interval: want a duration",
		"bad.yaml:14:11: max_body: want a whole number",
		"bad.yaml:15:13: rate_limit: want requests per second",
		"bad.yaml:16:15: commissions[0]: want a commission public key",
		"bad.yaml:17:12: log_level: want debug, info, warn or error",
		"bad.yaml:18:13: log_format: want text or json",
		"bad.yaml:19:1: titel: unknown field",
		"bad.yaml:20:1: data_dir: set twice",
	}
	got := err.Error()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing problem %q", w)
		}
	}
	if len(ce.Problems) != len(want) {
		t.Errorf("%d problems, want %d:\n%v", len(ce.Problems), len(want), err)
	}
}

func TestConfigRequired(t *testing.T) {
	_, err := ParseConfig([]byte("log_level: info\n"), "min.yaml", "/")
	if err == nil {
		t.Fatal("a config without the required fields accepted")
	}
	for _, f := range []string{"key_file", "data_dir", "http_listen", "p2p_listen"} {
		if !strings.Contains(err.Error(), "min.yaml:1:1: "+f+": missing") {
			t.Errorf("no problem for missing %s: %v", f, err)
		}
	}
	for _, bad := range []string{"", "a: 1\n---\nb: 2\n", "[1, 2]\n", "key_file: &x k\ndata_dir: *x\n", "\t:"} {
		if _, err := ParseConfig([]byte(bad), "x.yaml", "/"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "node.yaml")
	filled := strings.NewReplacer("<path to NAME.key>", "node.key", "<directory>", "data").Replace(string(Template()))
	if err := os.WriteFile(path, []byte(filled), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.KeyFile != filepath.Join(dir, "node.key") || cfg.DataDir != filepath.Join(dir, "data") {
		t.Errorf("paths not relative to the file: %s, %s", cfg.KeyFile, cfg.DataDir)
	}
	if _, err := LoadConfig(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("a missing file loaded")
	}
	// New refuses what LoadConfig cannot check: the key file is missing.
	if _, err := New(*cfg); err == nil {
		t.Error("New accepted a missing key file")
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add(Template())
	f.Add([]byte("peers:\n  - addrs: [/ip4/1.2.3.4/tcp/1/p2p/12D3KooWFMCGmQG1tVCSycGDyAjVy3M8pbKxPygjzdZ7pzzGw3zR]\n"))
	f.Add([]byte("rate_limit: 1e3\nmax_body: 0x10\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig(data, "f.yaml", "/")
		if err == nil && (cfg.KeyFile == "" || cfg.DataDir == "" || cfg.HTTPListen == "" || len(cfg.P2PListen) == 0) {
			t.Fatalf("a config without a required field parsed: %+v", cfg)
		}
	})
}
