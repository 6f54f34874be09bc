package demo

import (
	"crypto/ed25519"
	"encoding/hex"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/evote/evote/election"
)

// Parties are who an election config names: the commission, the
// trustees with their threshold, and the board nodes.
type Parties struct {
	Commission ed25519.PublicKey
	Threshold  int
	Trustees   []TrusteeKeys
	Nodes      []election.Node
}

// TrusteeKeys are a trustee's public keys as a config lists them.
type TrusteeKeys struct {
	Name          string
	SigningKey    ed25519.PublicKey
	EncryptionKey []byte
}

// ReplaceParties returns the election config src (YAML, as in
// election-configs/) with its commission key, trustees, nodes and seal
// quorum replaced by p's; everything else — contests, styles, schedule,
// comments elsewhere — is kept. The seal quorum becomes the least number
// of nodes that is more than two thirds of them.
func ReplaceParties(src []byte, p *Parties) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("election config: %w", err)
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("election config: not a YAML mapping")
	}
	root := doc.Content[0]
	set := func(key string, v any) error {
		var n yaml.Node
		if err := n.Encode(v); err != nil {
			return err
		}
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == key {
				root.Content[i+1] = &n
				return nil
			}
		}
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, &n)
		return nil
	}
	type member struct {
		Name          string `yaml:"name"`
		SigningKey    string `yaml:"signing_key"`
		EncryptionKey string `yaml:"encryption_key"`
	}
	type trustees struct {
		Threshold int      `yaml:"threshold"`
		Members   []member `yaml:"members"`
	}
	type node struct {
		Name       string   `yaml:"name"`
		SigningKey string   `yaml:"signing_key"`
		PeerID     string   `yaml:"peer_id"`
		Addrs      []string `yaml:"addrs"`
		HTTP       string   `yaml:"http"`
	}
	ts := trustees{Threshold: p.Threshold}
	for _, t := range p.Trustees {
		ts.Members = append(ts.Members, member{t.Name, hex.EncodeToString(t.SigningKey), hex.EncodeToString(t.EncryptionKey)})
	}
	var ns []node
	for _, n := range p.Nodes {
		ns = append(ns, node{n.Name, hex.EncodeToString(n.SigningKey), n.PeerID, n.Addrs, n.HTTP})
	}
	for _, kv := range []struct {
		key string
		v   any
	}{
		{"commission_key", hex.EncodeToString(p.Commission)},
		{"trustees", ts},
		{"nodes", ns},
		{"seal_quorum", 2*len(p.Nodes)/3 + 1},
	} {
		if err := set(kv.key, kv.v); err != nil {
			return nil, fmt.Errorf("election config: %s: %w", kv.key, err)
		}
	}
	return yaml.Marshal(&doc)
}
