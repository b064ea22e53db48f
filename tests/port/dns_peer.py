#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The name server of the port conformance suite's DNS cases
(tests/port/conformance_dns.c), started by tests/lwip/netns.sh --dns.

    dns_peer.py BIND_ADDRESS PEER_ADDRESS

Answers UDP queries on BIND_ADDRESS port 53 (RFC 1035, section 4.1):
  peer.fwc.test    A PEER_ADDRESS, at once
  late.fwc.test    A 10.77.0.99 (nobody), 1.5 s late
  slow.fwc.test    A PEER_ADDRESS, 2 s late
  silent.fwc.test  never answered
  anything else    NXDOMAIN
Prints "ready" once bound, then nothing; a malformed query is dropped.
"""
import socket
import struct
import sys
import threading

NOBODY = "10.77.0.99"


def names(peer):
    return {
        "peer.fwc.test": (peer, 0.0),
        "late.fwc.test": (NOBODY, 1.5),
        "slow.fwc.test": (peer, 2.0),
    }


def parse_question(query):
    """(id, flags, question bytes, lower-case name, qtype) or None."""
    if len(query) < 12:
        return None
    qid, flags, qdcount = struct.unpack("!HHH", query[:6])
    if flags & 0x8000 or qdcount != 1:
        return None
    labels, at = [], 12
    while at < len(query) and query[at] != 0:
        n = query[at]
        if n > 63 or at + 1 + n > len(query):
            return None
        labels.append(query[at + 1:at + 1 + n].decode("ascii", "replace"))
        at += 1 + n
    if at + 5 > len(query):
        return None
    qtype, _qclass = struct.unpack("!HH", query[at + 1:at + 5])
    return qid, flags, query[12:at + 5], ".".join(labels).lower(), qtype


def answer(qid, flags, question, address, rcode):
    """A reply: the address as an A record, or no record when None."""
    reply_flags = 0x8000 | (flags & 0x0100) | 0x0080 | rcode  # QR, RD copied, RA
    head = struct.pack("!HHHHHH", qid, reply_flags, 1, 1 if address else 0, 0, 0)
    if address is None:
        return head + question
    record = struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton(address)
    return head + question + record


def serve(sock, peer):
    table = names(peer)
    while True:
        query, client = sock.recvfrom(512)
        parsed = parse_question(query)
        if parsed is None:
            continue
        qid, flags, question, name, qtype = parsed
        if name == "silent.fwc.test":
            continue
        address, delay = table.get(name, (None, 0.0))
        rcode = 0 if address is not None else 3  # NXDOMAIN
        if qtype != 1:
            address = None  # the name has A records only: NOERROR, no answer
        reply = answer(qid, flags, question, address, rcode)
        if delay > 0:
            threading.Timer(delay, sock.sendto, (reply, client)).start()
        else:
            sock.sendto(reply, client)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: dns_peer.py BIND_ADDRESS PEER_ADDRESS")
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((sys.argv[1], 53))
    print("ready", flush=True)
    serve(sock, sys.argv[2])


if __name__ == "__main__":
    main()
