// Package group is evote's prime-order group: ristretto255 (RFC 9496) through
// github.com/gtank/ristretto255.
//
// Point and Scalar are the concrete types that every evote protocol uses. A
// Scalar's zero value is 0; a Point must be made by a constructor or a setter
// (new(Point).ScalarBaseMult(s), NewIdentity, Generator, a decoder). Bytes from outside become a Point or a
// Scalar only through DecodePoint, DecodePointOrIdentity and DecodeScalar, which
// accept exactly 32 canonical bytes; nothing else in evote decodes group
// elements.
//
// Suite adapts the group to go.dedis.ch/kyber/v3 so that kyber's share
// polynomials and Neff shuffle run on it. Methods named VarTime take variable
// time and must only see public values; everything else is constant time.
package group
