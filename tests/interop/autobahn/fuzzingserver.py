#!/usr/bin/env python3
"""An Autobahn|Testsuite-style fuzzing server for WebSocket *clients* (standard library only).

It speaks the fuzzingserver protocol (/getCaseCount, /getCaseInfo, /runCase, /getCaseStatus,
/updateReports) and plays scripted cases modelled on Autobahn sections 1-7 and 10: it sends
frames (also malformed ones, in chunks, with pauses), records what the client answers, and
judges it the way Autobahn does for the client role: OK, NON-STRICT or FAILED. Every wait is
bounded. Listens on 127.0.0.1 only.

    fuzzingserver.py [--port 0] [--report FILE]     prints "listening PORT" when ready
"""
import argparse
import asyncio
import base64
import hashlib
import json
import struct
import sys
import urllib.parse

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
WAIT = 5.0  # seconds any single wait for the client may take

OK, NON_STRICT, FAILED = "OK", "NON-STRICT", "FAILED"


class Peer:
    """One upgraded connection: unmasked frames out, masked frames in."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer
        self.buffer = b""
        self.close_sent = False

    @staticmethod
    def frame(opcode, payload=b"", fin=True, rsv=0, length=None):
        n = len(payload) if length is None else length
        head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
        if n < 126:
            head += bytes([n])
        elif n <= 0xFFFF:
            head += bytes([126]) + struct.pack(">H", n)
        else:
            head += bytes([127]) + struct.pack(">Q", n)
        return head + payload

    async def send(self, data, chunk=None, pause=0.0):
        """Sends data (in chunks, optionally with pauses). A client that fails the connection
        may close it while we are still sending: what it sent is kept, and sending stops."""
        try:
            if chunk is None:
                self.writer.write(data)
                await self.writer.drain()
                return
            for i in range(0, len(data), chunk):
                self.writer.write(data[i:i + chunk])
                await self.writer.drain()
                if pause:
                    await asyncio.sleep(pause)
                if not await self._collect():
                    return
        except ConnectionError:
            pass

    async def _collect(self):
        """Takes whatever the client has sent so far without waiting; False once it has closed."""
        try:
            data = await asyncio.wait_for(self.reader.read(65536), 0.001)
        except asyncio.TimeoutError:
            return True
        except ConnectionError:
            return False
        if not data:
            return False
        self.buffer += data
        return True

    async def send_frame(self, opcode, payload=b"", fin=True, rsv=0, chunk=None):
        if opcode == 8:
            self.close_sent = True
        await self.send(self.frame(opcode, payload, fin, rsv), chunk)

    async def read_frame(self, timeout=WAIT):
        """(opcode, fin, rsv, payload, masked), or None when the client closed TCP or was silent."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            parsed = self._parse()
            if parsed is not None:
                return parsed
            left = deadline - loop.time()
            if left <= 0:
                return None
            try:
                data = await asyncio.wait_for(self.reader.read(65536), left)
            except (asyncio.TimeoutError, ConnectionError):
                return None
            if not data:
                return None
            self.buffer += data

    def _parse(self):
        b = self.buffer
        if len(b) < 2:
            return None
        opcode, fin, rsv = b[0] & 0x0F, bool(b[0] & 0x80), (b[0] >> 4) & 7
        masked, n, pos = bool(b[1] & 0x80), b[1] & 0x7F, 2
        if n == 126:
            if len(b) < 4:
                return None
            n, pos = struct.unpack(">H", b[2:4])[0], 4
        elif n == 127:
            if len(b) < 10:
                return None
            n, pos = struct.unpack(">Q", b[2:10])[0], 10
        key = b""
        if masked:
            if len(b) < pos + 4:
                return None
            key, pos = b[pos:pos + 4], pos + 4
        if len(b) < pos + n:
            return None
        payload = b[pos:pos + n]
        if masked:
            payload = bytes(c ^ key[i % 4] for i, c in enumerate(payload))
        self.buffer = b[pos + n:]
        return opcode, fin, rsv, payload, masked

    async def read_message(self, timeout=WAIT):
        """The next data message (opcode, payload), answering nothing; control frames are returned as they come."""
        parts, first = [], None
        while True:
            f = await self.read_frame(timeout)
            if f is None:
                return None
            opcode, fin, _, payload, masked = f
            if not masked:
                return ("unmasked", payload)
            if opcode >= 8:
                return (opcode, payload)
            if first is None:
                first = opcode
            parts.append(payload)
            if fin:
                return (first, b"".join(parts))

    async def finish_close(self, code=1000):
        """The server closes with code; OK when the client echoes the close frame."""
        await self.send_frame(8, struct.pack(">H", code))
        while True:
            f = await self.read_message()
            if f is None:
                return NON_STRICT, "the client did not answer the close frame"
            if f[0] == 8:
                got = struct.unpack(">H", f[1][:2])[0] if len(f[1]) >= 2 else None
                return (OK, "clean close") if got == code else (NON_STRICT, f"close answered with {got}")
            if f[0] == "unmasked":
                return FAILED, "unmasked frame from the client"

    async def expect_failure(self, codes, what):
        """The client must fail the connection: a close frame with one of codes (or dropping TCP)."""
        while True:
            f = await self.read_message()
            if f is None:
                return NON_STRICT, f"{what}: the client dropped the connection without a close frame"
            if f[0] == 8:
                got = struct.unpack(">H", f[1][:2])[0] if len(f[1]) >= 2 else None
                if got in codes:
                    return OK, f"{what}: closed with {got}"
                return FAILED, f"{what}: closed with {got}, expected {sorted(codes)}"
            if f[0] in (1, 2):
                return FAILED, f"{what}: the client accepted it and echoed a message"
            if f[0] == "unmasked":
                return FAILED, "unmasked frame from the client"
            # pongs may come first; keep reading


# --- cases ------------------------------------------------------------------------------------

CASES = []  # (id, description, coroutine function)


def case(cid, description):
    def register(fn):
        CASES.append((cid, description, fn))
        return fn
    return register


def echo_case(cid, description, frames, expected, chunk=None, pause=0.0):
    """frames: list of (opcode, payload, fin); expected: list of (opcode, payload) messages back."""
    async def run(p):
        data = b"".join(Peer.frame(op, pl, fin) for op, pl, fin in frames)
        await p.send(data, chunk, pause)
        for want in expected:
            got = await p.read_message()
            if got is None:
                return FAILED, f"no echo of {want[0]}/{len(want[1])} bytes"
            if got[0] == "unmasked":
                return FAILED, "unmasked frame from the client"
            if got != want:
                return FAILED, f"expected {want[0]}/{len(want[1])} bytes, got {got[0]}/{len(got[1])} bytes"
        return await p.finish_close()
    case(cid, description)(run)


def failure_case(cid, description, data, codes=(1002,), chunk=None, pause=0.0, first_echo=None):
    async def run(p):
        await p.send(data, chunk, pause)
        if first_echo is not None:
            got = await p.read_message()
            if got != first_echo:
                return FAILED, f"the valid message before the bad frame was not echoed ({got!r:.60})"
        return await p.expect_failure(set(codes), description)
    case(cid, description)(run)


F = Peer.frame


def section1():
    for i, n in enumerate([0, 125, 126, 127, 128, 65535, 65536], 1):
        echo_case(f"1.1.{i}", f"text message of {n} bytes", [(1, b"*" * n, True)], [(1, b"*" * n)])
    echo_case("1.1.8", "text of 65536 bytes sent in chunks of 997", [(1, b"*" * 65536, True)],
              [(1, b"*" * 65536)], chunk=997)
    for i, n in enumerate([0, 125, 126, 127, 128, 65535, 65536], 1):
        data = bytes((j * 7 + 1) & 0xFF for j in range(n))
        echo_case(f"1.2.{i}", f"binary message of {n} bytes", [(2, data, True)], [(2, data)])
    data = bytes(range(256)) * 256
    echo_case("1.2.8", "binary of 65536 bytes sent in chunks of 997", [(2, data, True)], [(2, data)], chunk=997)


def pong_case(cid, description, data, pongs, chunk=None):
    async def run(p):
        await p.send(data, chunk)
        for want in pongs:
            got = await p.read_message()
            if got is None or got[0] != 10 or got[1] != want:
                return FAILED, f"expected a pong with {len(want)} bytes, got {got!r:.60}"
        return await p.finish_close()
    case(cid, description)(run)


def section2():
    pong_case("2.1", "ping without payload", F(9), [b""])
    pong_case("2.2", "ping with a text payload", F(9, b"Hello, world!"), [b"Hello, world!"])
    pong_case("2.3", "ping with a binary payload", F(9, b"\x00\xff\xfe\xfd\xfc\xfb\x00\xff"),
              [b"\x00\xff\xfe\xfd\xfc\xfb\x00\xff"])
    pong_case("2.4", "ping with 125 bytes", F(9, b"\xfe" * 125), [b"\xfe" * 125])
    failure_case("2.5", "ping with 126 bytes", F(9, b"\xfe" * 126))
    pong_case("2.6", "ping with 125 bytes sent 1 byte at a time", F(9, b"\xfe" * 125), [b"\xfe" * 125], chunk=1)
    echo_case("2.7", "unsolicited pong without payload, then a message", [(10, b"", True), (1, b"after", True)],
              [(1, b"after")])
    echo_case("2.8", "unsolicited pong with payload, then a message",
              [(10, b"unsolicited pong payload", True), (1, b"after", True)], [(1, b"after")])
    pong_case("2.9", "unsolicited pong, then a ping", F(10, b"unsolicited") + F(9, b"ping"), [b"ping"])
    pong_case("2.10", "10 pings", b"".join(F(9, b"payload-%d" % i) for i in range(10)),
              [b"payload-%d" % i for i in range(10)])
    pong_case("2.11", "10 pings sent 1 byte at a time", b"".join(F(9, b"payload-%d" % i) for i in range(10)),
              [b"payload-%d" % i for i in range(10)], chunk=1)


def section3():
    failure_case("3.1", "small text with RSV = 1", F(1, b"Hello, world!", rsv=1))
    failure_case("3.2", "text, then text with RSV = 2, then ping", F(1, b"Hello") + F(1, b"bad", rsv=2) + F(9),
                 first_echo=(1, b"Hello"))
    failure_case("3.3", "text, then text with RSV = 3 and ping, sent in pieces",
                 F(1, b"Hello") + F(1, b"bad", rsv=3) + F(9), chunk=1, first_echo=(1, b"Hello"))
    failure_case("3.4", "text, text with RSV = 4 and ping, in 1-byte chunks",
                 F(1, b"Hello") + F(1, b"bad", rsv=4) + F(9), chunk=1, first_echo=(1, b"Hello"))
    failure_case("3.5", "binary with RSV = 5", F(2, b"\x00\xff", rsv=5))
    failure_case("3.6", "ping with RSV = 6", F(9, b"ping", rsv=6))
    failure_case("3.7", "close with RSV = 7", F(8, b"\x03\xe8", rsv=7))


def section4():
    for i, op in enumerate([3, 4, 5, 6, 7], 1):
        failure_case(f"4.1.{i}", f"reserved data opcode {op}", F(1, b"Hello") + F(op, b"x" * (i - 1)) + F(9),
                     first_echo=(1, b"Hello"))
    for i, op in enumerate([11, 12, 13, 14, 15], 1):
        failure_case(f"4.2.{i}", f"reserved control opcode {op}", F(1, b"Hello") + F(op, b"x" * (i - 1)) + F(9),
                     first_echo=(1, b"Hello"))


def section5():
    failure_case("5.1", "fragmented ping", F(9, b"frag", fin=False) + F(0, b"ment"))
    failure_case("5.2", "fragmented pong", F(10, b"frag", fin=False) + F(0, b"ment"))
    frags = [(1, b"fragment1", False), (0, b"fragment2", True)]
    for i, (chunk, name) in enumerate([(None, "at once"), (997, "in chunks"), (1, "1 byte at a time")], 3):
        echo_case(f"5.{i}", f"text in 2 fragments, {name}", frags, [(1, b"fragment1fragment2")], chunk=chunk)
    frags = [(1, b"fragment1", False), (9, b"ping", True), (0, b"fragment2", True)]
    for i, (chunk, name) in enumerate([(None, "at once"), (997, "in chunks"), (1, "1 byte at a time")], 6):
        async def run(p, chunk=chunk):
            await p.send(b"".join(F(op, pl, fin) for op, pl, fin in frags), chunk)
            first = await p.read_message()
            second = await p.read_message()
            if first != (10, b"ping") or second != (1, b"fragment1fragment2"):
                return FAILED, f"expected the pong, then the echo; got {first!r:.40} then {second!r:.40}"
            return await p.finish_close()
        case(f"5.{i}", f"text in 2 fragments with a ping between, {name}")(run)
    n = 9
    for fin in (True, False):
        for chunk, name in [(None, "at once"), (997, "in chunks"), (1, "1 byte at a time")]:
            failure_case(f"5.{n}", f"continuation (FIN={int(fin)}) without a message, {name}",
                         F(0, b"cont", fin=fin) + F(1, b"Hello"), chunk=chunk)
            n += 1
    failure_case("5.15", "text, then a second text frame inside the fragmented message",
                 F(1, b"frag1", fin=False) + F(0, b"frag2", fin=True) + F(0, b"frag3", fin=False) + F(1, b"frag4"),
                 first_echo=(1, b"frag1frag2"))
    failure_case("5.16", "continuations only", F(0, b"a", fin=False) + F(0, b"b", fin=False) + F(0, b"c"))
    failure_case("5.17", "continuations only, the first with FIN", F(0, b"a") + F(0, b"b", fin=False) + F(0, b"c"))
    failure_case("5.18", "text frame while a text message is fragmented", F(1, b"frag1", fin=False) + F(1, b"frag2"))
    frames = [(1, b"f1", False), (0, b"f2", False), (9, b"p1", True), (0, b"f3", False), (0, b"f4", False),
              (9, b"p2", True), (0, b"f5", True)]
    for i, pause in ((19, 0.0), (20, 0.3)):
        async def run(p, pause=pause):
            for op, pl, fin in frames:
                await p.send_frame(op, pl, fin)
                if pause:
                    await asyncio.sleep(pause)
            got = [await p.read_message() for _ in range(3)]
            if got != [(10, b"p1"), (10, b"p2"), (1, b"f1f2f3f4f5")]:
                return FAILED, f"expected two pongs and the echo, got {got!r:.80}"
            return await p.finish_close()
        case(f"5.{i}", "fragmented text with pings between" + (", with pauses" if pause else ""))(run)


VALID_UTF8 = [
    ("empty", b""), ("Hello-µ@ßöäüàá-UTF-8!!", "Hello-µ@ßöäüàá-UTF-8!!".encode()),
    ("κόσμε", "κόσμε".encode()), ("U+0080", b"\xc2\x80"), ("U+07FF", b"\xdf\xbf"), ("U+0800", b"\xe0\xa0\x80"),
    ("U+D7FF", b"\xed\x9f\xbf"), ("U+E000", b"\xee\x80\x80"), ("U+FFFD", b"\xef\xbf\xbd"), ("U+FFFF", b"\xef\xbf\xbf"),
    ("U+10000", b"\xf0\x90\x80\x80"), ("U+10FFFF", b"\xf4\x8f\xbf\xbf"), ("noncharacter U+FDD0", b"\xef\xb7\x90"),
    ("noncharacter U+1FFFE", b"\xf0\x9f\xbf\xbe"), ("BOM", b"\xef\xbb\xbf"), ("emoji", "🙂🚀🎉".encode()),
]
INVALID_UTF8 = [
    ("κόσμε with 0xED at the end", "κόσμε".encode() + b"\xed\xa0\x80edited"), ("lone continuation 0x80", b"\x80"),
    ("lone continuation 0xBF", b"\xbf"), ("two continuations", b"\x80\xbf"), ("0xC0 0x80 overlong NUL", b"\xc0\x80"),
    ("0xC1 0xBF overlong", b"\xc1\xbf"), ("overlong U+007F in 3 bytes", b"\xe0\x81\xbf"),
    ("overlong U+07FF in 3 bytes", b"\xe0\x9f\xbf"), ("overlong U+FFFF in 4 bytes", b"\xf0\x8f\xbf\xbf"),
    ("surrogate U+D800", b"\xed\xa0\x80"), ("surrogate U+DFFF", b"\xed\xbf\xbf"),
    ("surrogate pair", b"\xed\xa0\x80\xed\xb0\x80"), ("U+110000", b"\xf4\x90\x80\x80"), ("0xF5", b"\xf5\x80\x80\x80"),
    ("0xF8 5-byte form", b"\xf8\x88\x80\x80\x80"), ("0xFC 6-byte form", b"\xfc\x84\x80\x80\x80\x80"),
    ("0xFE", b"\xfe"), ("0xFF", b"\xff"), ("0xFE 0xFE 0xFF 0xFF", b"\xfe\xfe\xff\xff"),
    ("2-byte lead then ASCII", b"\xc3a"), ("3-byte lead, one continuation, then ASCII", b"\xe2\x82a"),
    ("4-byte lead, two continuations, then ASCII", b"\xf0\x9f\x99a"), ("lead at the end", b"Hello\xc3"),
    ("3-byte sequence cut at the end", b"Hello\xe2\x82"), ("4-byte sequence cut at the end", b"Hello\xf0\x9f\x99"),
    ("all lone lead bytes C2-DF", bytes(range(0xC2, 0xE0)).replace(b"", b" ")[1:]),
]


def section6():
    for i, (name, data) in enumerate(VALID_UTF8, 1):
        echo_case(f"6.1.{i}", f"valid UTF-8, one frame: {name}", [(1, data, True)], [(1, data)])
    for i, (name, data) in enumerate(VALID_UTF8[1:6], 1):
        frames = [(1 if j == 0 else 0, data[j:j + 1], j == len(data) - 1) for j in range(len(data))]
        echo_case(f"6.2.{i}", f"valid UTF-8 with each byte in its own frame: {name}", frames, [(1, data)])
    for i, (name, data) in enumerate(VALID_UTF8[1:6], 1):
        echo_case(f"6.3.{i}", f"valid UTF-8 sent 1 byte at a time: {name}", [(1, data, True)], [(1, data)], chunk=1)
    for i, (name, data) in enumerate(INVALID_UTF8, 1):
        failure_case(f"6.5.{i}", f"invalid UTF-8, one frame: {name}", F(1, data), codes=(1007,))
    for i, (name, data) in enumerate(INVALID_UTF8[:12], 1):
        frames = b"".join(F(1 if j == 0 else 0, data[j:j + 1], j == len(data) - 1) for j in range(len(data)))
        failure_case(f"6.6.{i}", f"invalid UTF-8 with each byte in its own frame: {name}", frames, codes=(1007,))

    # fail fast: the invalid byte arrives first, the rest only after a pause
    fast = [("in the first fragment", F(1, "κόσμε".encode() + b"\xf4\x90\x80\x80", fin=False), F(0, b"edited")),
            ("inside the first fragment", F(1, "κόσμε".encode() + b"\xf4\x90", fin=False), F(0, b"\x80\x80edited")),
            ("in the first chunk of one frame", F(1, "κόσμε".encode() + b"\xf4\x90\x80\x80edited")[:16], None),
            ("a stray continuation in the first fragment", F(1, b"ab\x80", fin=False), F(0, b"cd"))]
    for i, (name, first, rest) in enumerate(fast, 1):
        async def run(p, first=first, rest=rest):
            await p.send(first)
            got = await p.read_message(timeout=1.0)  # the rest is held back for a second
            if got is None:
                return FAILED, "the client waited for the rest of the message instead of failing at once"
            if got[0] != 8:
                return FAILED, f"expected a close, got {got!r:.40}"
            code = struct.unpack(">H", got[1][:2])[0] if len(got[1]) >= 2 else None
            return (OK, "failed fast with 1007") if code == 1007 else (FAILED, f"closed with {code}")
        case(f"6.4.{i}", f"invalid UTF-8 fails fast: {name}")(run)


def close_case(cid, description, payload, expect):
    """expect: the code the client must answer with (None: an empty close), or a set of failure codes."""
    async def run(p):
        await p.send_frame(8, payload)
        got = await p.read_message()
        if got is None:
            return (NON_STRICT if isinstance(expect, set) else FAILED), "no close frame from the client"
        if got[0] != 8:
            return FAILED, f"expected a close frame, got {got!r:.40}"
        code = struct.unpack(">H", got[1][:2])[0] if len(got[1]) >= 2 else None
        if isinstance(expect, set):
            return (OK, f"failed with {code}") if code in expect else (FAILED, f"closed with {code}")
        return (OK, f"echoed {code}") if code == expect else (FAILED, f"answered {code}, expected {expect}")
    case(cid, description)(run)


def section7():
    echo_case("7.1.1", "a message, then the close", [(1, b"Hello", True)], [(1, b"Hello")])

    async def data_after_close(p):
        await p.send(F(8, b"\x03\xe8") + F(1, b"ignored") + F(9, b"ignored"))
        p.close_sent = True
        got = await p.read_message()
        if got is None or got[0] != 8:
            return FAILED, f"expected the close answer, got {got!r:.40}"
        later = await p.read_message(timeout=0.5)
        return (OK, "data after the close was ignored") if later is None else (FAILED, f"answered {later!r:.40}")
    case("7.1.2", "text and ping after the close frame are ignored")(data_after_close)

    async def close_mid_message(p):
        await p.send(F(1, b"frag", fin=False) + F(8, b"\x03\xe8"))
        got = await p.read_message()
        return (OK, "closed mid-message") if got and got[0] == 8 else (FAILED, f"got {got!r:.40}")
    case("7.1.3", "close between the fragments of a message")(close_mid_message)

    close_case("7.3.1", "close without payload", b"", None)
    close_case("7.3.2", "close with 1 byte of payload", b"\x03", {1002})
    close_case("7.3.3", "close with code 1000 only", b"\x03\xe8", 1000)
    close_case("7.3.4", "close with code and reason", b"\x03\xe8" + b"Hello World!", 1000)
    close_case("7.3.5", "close with a 123-byte reason", b"\x03\xe8" + b"*" * 123, 1000)
    close_case("7.3.6", "close with a 124-byte reason (126-byte control frame)", b"\x03\xe8" + b"*" * 124, {1002})
    close_case("7.5.1", "close reason with invalid UTF-8", b"\x03\xe8" + "κόσμε".encode() + b"\xed\xa0\x80", {1007})
    valid = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999]
    for i, code in enumerate(valid, 1):
        close_case(f"7.7.{i}", f"close with code {code}", struct.pack(">H", code), code)
    invalid = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]
    for i, code in enumerate(invalid, 1):
        close_case(f"7.9.{i}", f"close with invalid code {code}", struct.pack(">H", code), {1002})


def section10():
    text = ("Hello-µ@ßöäüàá-UTF-8!!" * 3000).encode()[:65536]
    while text:  # do not end inside a character
        try:
            text.decode()
            break
        except UnicodeDecodeError:
            text = text[:-1]
    for i, size in enumerate([1300, 8000, 65536 // 7, 1], 1):
        if size == 1:
            sample = text[:2000]
            frames = [(1 if j == 0 else 0, sample[j:j + 1], j == len(sample) - 1) for j in range(len(sample))]
            echo_case(f"10.1.{i}", "2000 bytes of text in 1-byte frames", frames, [(1, sample)])
            continue
        frames = [(1 if j == 0 else 0, text[j:j + size], j + size >= len(text)) for j in range(0, len(text), size)]
        echo_case(f"10.1.{i}", f"{len(text)} bytes of text in frames of {size} bytes", frames, [(1, text)])


for section in (section1, section2, section3, section4, section5, section6, section7, section10):
    section()


# --- the fuzzingserver protocol -------------------------------------------------------------------

class Server:
    def __init__(self, report):
        self.results = {}  # (agent, case number) -> {"behavior":..., "detail":...}
        self.done = {}     # (agent, case number) -> Event set once the verdict is in
        self.report = report

    async def handle(self, reader, writer):
        try:
            await self._handle(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def _handle(self, reader, writer):
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), WAIT)
        except (asyncio.TimeoutError, asyncio.LimitOverrunError, asyncio.IncompleteReadError):
            return
        lines = head.decode("latin-1").split("\r\n")
        target = lines[0].split(" ")[1] if len(lines[0].split(" ")) > 1 else "/"
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        key = headers.get("sec-websocket-key")
        if headers.get("upgrade", "").lower() != "websocket" or not key:
            writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            return
        accept = base64.b64encode(hashlib.sha1(key.encode() + GUID).digest())
        writer.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        await writer.drain()
        peer = Peer(reader, writer)
        url = urllib.parse.urlparse(target)
        query = dict(urllib.parse.parse_qsl(url.query))
        agent = query.get("agent", "unknown")
        if url.path == "/getCaseCount":
            await self.reply(peer, str(len(CASES)))
        elif url.path == "/getCaseInfo":
            n = int(query.get("case", 0))
            cid, description, _ = CASES[n - 1] if 1 <= n <= len(CASES) else ("?", "no such case", None)
            await self.reply(peer, json.dumps({"id": cid, "description": description}))
        elif url.path == "/runCase":
            n = int(query.get("case", 0))
            if not 1 <= n <= len(CASES):
                await peer.finish_close(1008)
                return
            cid, description, run = CASES[n - 1]
            done = self.done.setdefault((agent, n), asyncio.Event())
            done.clear()
            try:
                behavior, detail = await asyncio.wait_for(run(peer), 4 * WAIT)
            except asyncio.TimeoutError:
                behavior, detail = FAILED, "the case did not end in time"
            self.results[(agent, n)] = {"id": cid, "description": description, "behavior": behavior,
                                        "detail": detail}
            done.set()
            # after the closing handshake the server closes TCP first (RFC 6455 §7.1.1): finally below
        elif url.path == "/getCaseStatus":
            n = int(query.get("case", 0))
            # a client that failed the connection may ask before the case has finished judging
            done = self.done.get((agent, n))
            if done is not None:
                try:
                    await asyncio.wait_for(done.wait(), 4 * WAIT)
                except asyncio.TimeoutError:
                    pass
            result = self.results.get((agent, n), {"behavior": "UNKNOWN"})
            await self.reply(peer, json.dumps({"behavior": result["behavior"]}))
        elif url.path == "/updateReports":
            if self.report:
                rows = [dict(agent=a, case=n, **r) for (a, n), r in sorted(self.results.items())]
                with open(self.report, "w") as f:
                    json.dump(rows, f, indent=1)
            await peer.finish_close()
        else:
            await peer.finish_close(1008)

    @staticmethod
    async def reply(peer, text):
        await peer.send_frame(1, text.encode())
        await peer.finish_close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--report", help="JSON file written by /updateReports")
    args = parser.parse_args()
    server = Server(args.report)
    listener = await asyncio.start_server(server.handle, "127.0.0.1", args.port, limit=1 << 20)
    print("listening", listener.sockets[0].getsockname()[1], flush=True)
    async with listener:
        await listener.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
