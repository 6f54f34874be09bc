package group_test

import (
	"encoding/hex"
	"errors"
	"fmt"

	"go.dedis.ch/kyber/v3/share"

	"github.com/evote/evote/crypto/group"
)

// Bytes from outside become a Point only through a decoder; arithmetic then
// needs no further checks.
func ExampleDecodePoint() {
	in, _ := hex.DecodeString("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76")
	G, err := group.DecodePoint(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	twoG := new(group.Point).Add(G, G)
	fmt.Println(twoG)

	_, err = group.DecodePoint(make([]byte, 32))
	fmt.Println(errors.Is(err, group.ErrIdentity))
	// Output:
	// 6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919
	// true
}

func ExampleDecodeScalar() {
	// ℓ itself, little-endian: one past the largest scalar.
	in, _ := hex.DecodeString("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")
	_, err := group.DecodeScalar(in)
	fmt.Println(errors.Is(err, group.ErrScalarRange))
	// Output: true
}

// Suite lets kyber's share package split a secret of this group 2-of-3.
func ExampleSuite() {
	var suite group.Suite
	secret := group.ScalarFromUint64(42)
	poly := share.NewPriPoly(suite, 2, group.KyberScalar(secret), suite.RandomStream())
	shares := poly.Shares(3)

	got, err := share.RecoverSecret(suite, shares[1:], 2, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := group.FromKyberScalar(got)
	if err != nil {
		fmt.Println(err)
		return
	}
	v, _ := s.Uint64()
	fmt.Println(v)
	// Output: 42
}
