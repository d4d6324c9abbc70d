#!/usr/bin/env python3
"""Writes the generated permessage-deflate seeds (gen-*) of tests/fuzz/corpus/ from RFC 7692's
examples and Python's zlib (the same zlib the engine links). Run it again after changing it;
the hand-written seeds and the regression-* inputs are kept as they are.

Layouts (see each fuzz_*.cpp):
  inbound     [control: partial | cut] [knobs: window-8 | 8 if no context takeover | log2 limit << 4] frames...
  inflate     [window-8 | 8 if nct | level << 4 (| 0x80 partial)] [log2 limit % 23, cut] data...
  extensions  [offer bits] header lines separated by \\n
  authchallenge  [acceptable schemes: 1 Basic | 2 Digest] WWW-Authenticate lines separated by \\n
"""
import os
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
TAIL = b"\x00\x00\xff\xff"


def write(target, name, data):
    path = os.path.join(HERE, "corpus", target, "gen-" + name)
    with open(path, "wb") as f:
        f.write(data)


def deflate(data, window=15, level=6, final=False, strategy=zlib.Z_DEFAULT_STRATEGY):
    """Raw deflate of one message as a permessage-deflate sender writes it."""
    c = zlib.compressobj(level, zlib.DEFLATED, -window, 8, strategy)
    if final:
        return c.compress(data) + c.flush(zlib.Z_FINISH)
    out = c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)
    assert out.endswith(TAIL)
    return out[:-4]


def frame(opcode, payload, fin=True, rsv1=True):
    b0 = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode
    n = len(payload)
    if n < 126:
        header = bytes([b0, n])
    elif n < 65536:
        header = bytes([b0, 126]) + n.to_bytes(2, "big")
    else:
        header = bytes([b0, 127]) + n.to_bytes(8, "big")
    return header + payload


def knobs(window=15, nct=False, log2limit=15):
    return bytes([(window - 8) | (8 if nct else 0) | (log2limit << 4)])


# RFC 7692 §7.2.3: "Hello" compressed, fragmented, twice with context takeover, stored, final block, two blocks
HELLO = bytes.fromhex("f248cdc9c90700")
HELLO_AGAIN = bytes.fromhex("f200110000")
HELLO_STORED = bytes.fromhex("000500faff48656c6c6f00")
HELLO_FINAL = bytes.fromhex("f348cdc9c9070000")
HELLO_TWO_BLOCKS = bytes.fromhex("f24805000000ffffcac9c90700")
ZEROS_16M = deflate(bytes(16 << 20), level=9)  # a zip bomb: ~16 KB that inflate to 16 MiB
TEXT = b"permessage-deflate " * 40 + "\u00e9\u20ac\U0001f600".encode() * 20


def inbound():
    seeds = {
        "rfc7692-hello": frame(1, HELLO),
        "rfc7692-fragmented": frame(1, HELLO[:3], fin=False) + frame(0, HELLO[3:], rsv1=False),
        "rfc7692-twice-takeover": frame(1, HELLO) + frame(1, HELLO_AGAIN),
        "rfc7692-stored": frame(1, HELLO_STORED),
        "rfc7692-final-block": frame(1, HELLO_FINAL),
        "rfc7692-two-blocks": frame(1, HELLO_TWO_BLOCKS),
        "uncompressed-then-compressed": frame(1, b"plain", rsv1=False) + frame(2, deflate(b"\x00\x01" * 50)),
        "ping-inside-compressed": frame(1, HELLO[:4], fin=False) + frame(9, b"hi", rsv1=False)
        + frame(0, HELLO[4:], rsv1=False),
        "compressed-ping": frame(9, b"x"),
        "rsv1-continuation": frame(1, HELLO[:3], fin=False) + frame(0, HELLO[3:]),
        "zip-bomb": frame(2, ZEROS_16M),
        "zip-bomb-text": frame(1, deflate(b"a" * (1 << 20), level=9)),
        "text-window9": frame(1, deflate(TEXT, window=9)),
        "text-window15-too-far-back": frame(1, deflate(TEXT * 4, window=15)),
        "invalid-utf8-inflated": frame(1, deflate(b"abc\xff")),
        "utf8-cut-inflated": frame(1, deflate(b"abc\xe2\x82")),
        "bad-block-type": frame(2, b"\xff\xff\xff\xff"),
        "empty-compressed": frame(2, b""),
        "empty-stored-block": frame(2, b"\x00") + frame(8, b"\x03\xe8"),
    }
    windows = {"text-window9": 9, "text-window15-too-far-back": 9}
    for i, (name, stream) in enumerate(sorted(seeds.items())):
        window = windows.get(name, 15 - i % 3)
        limit = [4, 10, 15][i % 3]
        control = bytes([(i * 37) & 0xFF])
        write("inbound", name, control + knobs(window, bool(i & 4), limit) + stream)


def inflate():
    def header(window=15, nct=False, level=6, log2limit=22, cut=20):
        # byte 1 = (log2limit % 23) must hold and the cut is byte1 * 7: search the byte
        b1 = next(b for b in range(256) if b % 23 == log2limit and b >= cut)
        return bytes([(window - 8) | (8 if nct else 0) | (level << 4), b1])

    seeds = {
        "zlib-window9": header(9) + deflate(TEXT, window=9),
        "zlib-window12-level1": header(12, level=1) + deflate(TEXT, window=12, level=1),
        "zlib-window15-final": header(15) + deflate(TEXT, final=True),
        "zlib-huffman-window8": header(8) + deflate(TEXT, window=9, strategy=zlib.Z_HUFFMAN_ONLY),
        "zlib-rle-window8": header(8, level=3) + deflate(b"aaaabbbbcccc" * 30, window=9, strategy=zlib.Z_RLE),
        "zlib-fixed": header(11, nct=True) + deflate(TEXT, window=11, strategy=zlib.Z_FIXED),
        "too-far-back": header(9) + deflate(TEXT * 4, window=15),
        "zip-bomb-16mib": header(15, level=9, log2limit=16) + ZEROS_16M,
        "zip-bomb-at-limit": header(15, log2limit=20) + deflate(bytes(1 << 20), level=9),
        "truncated": header(15) + deflate(TEXT)[:-7],
        "bad-distance": header(15) + bytes.fromhex("f2484d0100ffff"),
        "stored-bad-nlen": header(15) + bytes.fromhex("000500faee48656c6c6f"),
        "empty": header(15, log2limit=0),
        "one-byte-limit": header(15, log2limit=0) + deflate(b"ab"),
    }
    for name, data in sorted(seeds.items()):
        write("inflate", name, data)


def extensions():
    seeds = {
        "browser-answer": b"\x00permessage-deflate; client_max_window_bits=15",
        "all-four": b"\x98permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
        b" server_max_window_bits=9; client_max_window_bits=9",
        "upper-case": b"\x00PerMessage-Deflate; Server_No_Context_Takeover",
        "quoted-escape": b'\x00permessage-deflate; client_max_window_bits="1\\2"',
        "empty-quoted": b'\x00permessage-deflate; client_max_window_bits=""',
        "two-lines-one-each": b"\x00permessage-deflate\nx-other",
        "two-lines-same": b"\x00permessage-deflate; server_no_context_takeover\npermessage-deflate",
        "duplicate-parameter": b"\x00permessage-deflate; client_max_window_bits=10; client_max_window_bits=10",
        "not-requested-bits": b"\x02permessage-deflate; client_max_window_bits=10",
        "larger-than-requested": b"\x18permessage-deflate; server_max_window_bits=15",
        "missing-requested": b"\x98permessage-deflate",
        "bits-plus-sign": b"\x00permessage-deflate; server_max_window_bits=+9",
        "bits-no-value": b"\x00permessage-deflate; server_max_window_bits",
        "eight-bit-bytes": b"\x00permessage-deflate; client_max_window_bits=\xc3\xa9",
        "control-in-quotes": b'\x00permessage-deflate; x="a\x01b"',
        "trailing-semicolon": b"\x00permessage-deflate;",
        "many-parameters": b"\x00permessage-deflate" + b"; a=b" * 300,
        "many-commas": b"\x00" + b"," * 2000 + b"permessage-deflate",
        "long-token": b"\x00permessage-deflate; " + b"x" * 5000 + b"=1",
        "nul-bytes": b"\x00permessage-deflate\x00; client_max_window_bits=9",
    }
    for name, data in sorted(seeds.items()):
        write("extensions", name, data)


def authchallenge():
    """RFC 7235/7617/7616/2617/2069 challenges, malformed ones, and raw headers for the redaction."""
    both, basic, digest = b"\x03", b"\x01", b"\x02"
    rfc7616 = (b'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=%s,'
               b' nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",'
               b' opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"')
    seeds = {
        "rfc7235-newauth-basic": both + b'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
        "rfc7235-two-lines": both + b'Newauth realm="apps", type=1\nBasic realm="simple"',
        "rfc7617-charset": both + b'Basic realm="foo", charset="UTF-8"',
        "rfc7616-sha256-md5": both + (rfc7616 % b"SHA-256") + b"\n" + (rfc7616 % b"MD5"),
        "rfc7616-sess": both + (rfc7616 % b"MD5-sess") + b"\n" + (rfc7616 % b"SHA-256-sess"),
        "rfc7616-sha512-256-userhash": both + b'Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256,'
        b' nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", charset=UTF-8, userhash=true',
        "userhash-sha256": digest + b'Digest realm="r", qop=auth, algorithm=SHA-256, nonce="n", userhash=true, stale=TRUE',
        "rfc2617": both + b'Digest realm="testrealm@host.com", qop="auth,auth-int",'
        b' nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
        "rfc2069": digest + b'Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"',
        "auth-int-only-then-basic": both + b'Digest realm="d", nonce="n", qop="auth-int", Basic realm="b"',
        "basic-not-allowed": digest + b'Basic realm="b"',
        "digest-not-allowed": basic + b'Digest realm="d", nonce="n", qop=auth, Basic realm="b"',
        "token68": both + b"Negotiate YIIB+a/b==, NTLM, Basic realm=x",
        "empty-elements": both + b' , Basic realm="a" ,, , Digest nonce="n",  ',
        "quoted-escapes": both + b'Digest realm="a\\\\b\\"c, d", nonce="\xc3\xa9\t", opaque=""',
        "whitespace-around-equals": both + b'Basic realm = "x" , charset\t=\tUTF-8',
        "unterminated": both + b'Basic realm="abc',
        "duplicate-parameter": both + b'Digest nonce="a", NONCE="b"',
        "parameter-after-token68": both + b'Negotiate abc==, realm="x"',
        "control-in-quotes": both + b'Basic realm="a\x01b"',
        "seventeen-challenges": both + b", ".join([b"A"] * 17),
        "many-parameters": both + b"X " + b", ".join(b"p%d=v" % i for i in range(40)),
        "empty-line": both + b'Basic realm="a"\n\nDigest nonce=n',
        "redaction": both + b"GET /chat HTTP/1.1\r\nHost: h\r\nAuthorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"
        b'Proxy-Authorization: Digest username="a",\r\n response="x"\r\nauthorization:\r\n\r\n',
    }
    for name, data in sorted(seeds.items()):
        write("authchallenge", name, data)


if __name__ == "__main__":
    inbound()
    inflate()
    extensions()
    authchallenge()
