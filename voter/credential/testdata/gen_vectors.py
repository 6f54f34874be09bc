#!/usr/bin/env python3
"""Writes good_derivation.json: credential code vectors computed independently
of the Go code, with Python's `cryptography` package for HKDF and Ed25519.

Run from this directory: python3 gen_vectors.py > good_derivation.json
"""
import hashlib, json
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

def gf_mul(a, b):
    # carry-less multiplication, then reduction by x^5 + x^2 + 1
    r = 0
    for i in range(5):
        if b >> i & 1:
            r ^= a << i
    for i in range(8, 4, -1):
        if r >> i & 1:
            r ^= 0b100101 << (i - 5)
    return r

def alpha_pow(i):
    r = 1
    for _ in range(i):
        r = gf_mul(r, 2)
    return r

def code_text(code):
    n = int.from_bytes(code, "big") << 2          # 130 bits
    syms = [(n >> (5 * (25 - i))) & 31 for i in range(26)]
    s = 0
    for i, v in enumerate(syms):
        s ^= gf_mul(alpha_pow(i), v)
    # find c with s + alpha^26 c = 0
    c = next(c for c in range(32) if s ^ gf_mul(alpha_pow(26), c) == 0)
    t = "".join(ALPHABET[v] for v in syms + [c])
    return "-".join(t[i:i + 5] for i in range(0, 27, 5))

def vector(code, eid):
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=eid, info=b"evote/credential/v1").derive(code)
    pub = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {"code_hex": code.hex(), "code_text": code_text(code), "election_id": eid.hex(),
            "seed": seed.hex(), "public_key": pub.hex()}

codes = [bytes(16), bytes([0xff] * 16), bytes(range(16)), hashlib.sha256(b"voter 1").digest()[:16]]
eids = [bytes(32), hashlib.sha256(b"election A").digest(), hashlib.sha256(b"election B").digest()]
out = [vector(c, e) for c in codes for e in eids]
print(json.dumps(out, indent=1))
