# SPDX-License-Identifier: MIT
"""TLS 1.2 records written by hand, for what OpenSSL never sends: empty
application-data records (which mbedTLS reads as a 0-byte read).

Python standard library only. OpenSSL does the handshake (a real server,
over memory BIOs in hostile_server.py) and logs the master secret
(SSLContext.keylog_filename); this module derives the server's write key
from it and the two hello randoms, and from then on seals the server's
records itself with TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 (RFC 7905),
the one suite whose cipher fits in a page of Python. OpenSSL keeps reading
what the client sends; it must write nothing more on that connection, since
the records here take the sequence numbers it would have used.
"""
import hashlib
import hmac
import struct

CIPHER = "ECDHE-ECDSA-CHACHA20-POLY1305"   # OpenSSL's name for the suite
APPLICATION_DATA = 23
ALERT = 21
CLOSE_NOTIFY = b"\x01\x00"                 # warning, close_notify


# ---- ChaCha20 and Poly1305 (RFC 8439) ---------------------------------------------------

def _rotl(v, n):
    return ((v << n) & 0xFFFFFFFF) | (v >> (32 - n))


def _quarter(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & 0xFFFFFFFF
    s[d] = _rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & 0xFFFFFFFF
    s[b] = _rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & 0xFFFFFFFF
    s[d] = _rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & 0xFFFFFFFF
    s[b] = _rotl(s[b] ^ s[c], 7)


def _block(key, counter, nonce):
    state = list(struct.unpack("<4I", b"expand 32-byte k") + struct.unpack("<8I", key)
                 + (counter,) + struct.unpack("<3I", nonce))
    s = state[:]
    for _ in range(10):
        for a, b, c, d in ((0, 4, 8, 12), (1, 5, 9, 13), (2, 6, 10, 14), (3, 7, 11, 15),
                           (0, 5, 10, 15), (1, 6, 11, 12), (2, 7, 8, 13), (3, 4, 9, 14)):
            _quarter(s, a, b, c, d)
    return struct.pack("<16I", *((x + y) & 0xFFFFFFFF for x, y in zip(s, state)))


def chacha20(key, counter, nonce, data):
    out = bytearray()
    for i in range(0, len(data), 64):
        stream = _block(key, counter + i // 64, nonce)
        out += bytes(x ^ y for x, y in zip(data[i:i + 64], stream))
    return bytes(out)


def poly1305(key, msg):
    r = int.from_bytes(key[:16], "little") & 0x0FFFFFFC0FFFFFFC0FFFFFFC0FFFFFFF
    s = int.from_bytes(key[16:], "little")
    p = (1 << 130) - 5
    acc = 0
    for i in range(0, len(msg), 16):
        acc = (acc + int.from_bytes(msg[i:i + 16] + b"\x01", "little")) * r % p
    return ((acc + s) & ((1 << 128) - 1)).to_bytes(16, "little")


def _pad16(b):
    return b"\x00" * (-len(b) % 16)


def seal(key, nonce, plaintext, aad):
    """AEAD_CHACHA20_POLY1305: ciphertext followed by the 16-byte tag."""
    otk = _block(key, 0, nonce)[:32]
    ct = chacha20(key, 1, nonce, plaintext)
    mac_data = aad + _pad16(aad) + ct + _pad16(ct) + struct.pack("<QQ", len(aad), len(ct))
    return ct + poly1305(otk, mac_data)


# ---- TLS 1.2 key schedule (RFC 5246 section 5 and 6.3) -------------------------------------

def prf_sha256(secret, label, seed, n):
    out, a = b"", label + seed
    while len(out) < n:
        a = hmac.new(secret, a, hashlib.sha256).digest()
        out += hmac.new(secret, a + label + seed, hashlib.sha256).digest()
    return out[:n]


def hello_random(stream):
    """The random of the first handshake message (ClientHello or
    ServerHello) at the start of a TLS byte stream, or None if that much
    has not arrived: record header 5, handshake header 4, version 2."""
    if len(stream) < 43 or stream[0] != 22 or stream[5] not in (1, 2):
        return None
    return bytes(stream[11:43])


def master_secret(keylog_path, client_random):
    """The master secret OpenSSL logged for this client random."""
    want = client_random.hex()
    with open(keylog_path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[0] == "CLIENT_RANDOM" and parts[1].lower() == want:
                return bytes.fromhex(parts[2])
    return None


class ServerWriter:
    """Seals the server's records from its first record after Finished on."""

    def __init__(self, master, client_random, server_random):
        block = prf_sha256(master, b"key expansion", server_random + client_random, 88)
        # No MAC keys for an AEAD suite: client key, server key, client IV, server IV.
        self.key = block[32:64]
        self.iv = block[76:88]
        self.seq = 1  # the server's Finished was record 0 of this epoch

    def record(self, content_type, payload):
        nonce = bytes(a ^ b for a, b in zip(self.iv, b"\x00" * 4 + struct.pack(">Q", self.seq)))
        aad = struct.pack(">QBHH", self.seq, content_type, 0x0303, len(payload))
        body = seal(self.key, nonce, payload, aad)
        self.seq += 1
        return struct.pack(">BHH", content_type, 0x0303, len(body)) + body
