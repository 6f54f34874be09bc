package tests

import (
	"testing"

	"github.com/evote/evote/tests/cluster"
)

// TestHarness publishes an election on three node processes and opens it:
// every node ends up holding the manifest, the credential list, every
// dealing and the open entry.
func TestHarness(t *testing.T) {
	c := cluster.New(t, cluster.Options{})
	e := c.Publish(t, c.ElectionConfig(t, "referendum.yaml"), 10)
	if len(e.Codes) != 10 {
		t.Fatalf("%d codes, want 10", len(e.Codes))
	}
	shares, _ := c.OpenDirect(t, e)
	if len(shares) != 4 || shares[1] == nil {
		t.Fatalf("shares %v", shares)
	}
}
