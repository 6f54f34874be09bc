package keyfile_test

import (
	"fmt"
	"log"
	"os"

	"github.com/evote/evote/keyfile"
)

// A board node's key: the secret file stays on the node, the public file
// (with the peer id) goes to the commission.
func ExampleGenerate() {
	dir, err := os.MkdirTemp("", "keys")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	pubPath, secretPath, err := keyfile.Generate(keyfile.Node, dir, "node-1", false)
	if err != nil {
		log.Fatal(err)
	}
	key, err := keyfile.LoadRole(secretPath, keyfile.Node)
	if err != nil {
		log.Fatal(err)
	}
	pub, err := keyfile.LoadPublic(pubPath)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(key.Name, pub.SigningKey.Equal(key.SigningKey.Public()), pub.PeerID[:8])
	// Output: node-1 true 12D3KooW
}
