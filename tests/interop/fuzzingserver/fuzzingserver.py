#!/usr/bin/python3
"""A fuzzing server that speaks the Autobahn|Testsuite fuzzingserver protocol, for client-mode self checks.

It runs the project's own scripted re-creation of Autobahn|Testsuite sections 1-7, 10, 12 and 13 (client mode):
every case is a small coroutine that writes frames -- well formed or deliberately malformed, whole or
dripped in chunks -- to the client under test, records what the client sends back (messages, pings,
pongs, its close frame, whether it closed TCP) and judges the result by Autobahn's rules.

Sections 12 and 13 (permessage-deflate, RFC 7692; 90 + 126 cases) follow Autobahn's case12_x_x.py: the
same 18 payload sizes and auto-fragment sizes per group, 12.1-12.5 with the default offer over five kinds of
data, 13.1-13.7 with Autobahn's seven ways of accepting the offer (client_no_context_takeover and
client_max_window_bits 9 or 15 requested of the client; 13.7 tries them in turn). The server compresses
every message it sends (RSV1 on the first frame, the 0x00 0x00 0xff 0xff tail removed, the compressed
payload cut into the case's fragments) and the client must echo each one, type and content, before the
next is sent. The client may answer compressed or not (RFC 7692 allows both; the report counts them).
Every other case declines extensions (no Sec-WebSocket-Extensions in the answer).

  Negotiation: the client's Sec-WebSocket-Extensions is read by the RFC 6455 §9.1 grammar (tokens,
  quoted-strings); the first permessage-deflate offer that suits the case is accepted as Autobahn's
  PerMessageDeflateOfferAccept does (server_no_context_takeover and server_max_window_bits are granted as
  asked; the case adds client_no_context_takeover / client_max_window_bits). No offer, or none with the
  client_max_window_bits a case needs: UNIMPLEMENTED, as with Autobahn. A malformed header or an offer
  that RFC 7692 §7 makes the server decline (unknown or repeated parameter, invalid value) is declined
  and the case FAILS (Autobahn fails the opening handshake).
  Client messages: RSV1 only on the first frame of a data message and only when negotiated; the payload
  is inflated with exactly the agreed window (client_max_window_bits) and context rule
  (client_no_context_takeover: a fresh inflater per message). zlib alone would not catch a window too
  large -- it accepts any back reference into the output of the same inflate call -- so below 15 bits
  every compressed message is also walked block by block (deflate_walk) and a reference further back
  than the window FAILS the case. A message may end its DEFLATE stream with a BFINAL block (RFC 7692
  §7.2.3.4); the next one continues over the same window.

  Differences from Autobahn: the data are generated stand-ins of the same kind and size for Autobahn's
  test files (JSON, a bitmap, German prose, HTML, a PDF-like mix: their contents are not ours to ship); a
  case sends at most 2 MiB (at least 16 and at most 1000 messages) instead of always 1000 messages, so
  the whole self check takes some 35 s rather than hours; an echo must come within ECHO_TIMEOUT seconds;
  a client_max_window_bits the case requests is lowered to the client's own hint (RFC 7692 §7.1.2.2);
  and server_max_window_bits=8 is granted (Autobahn refuses 8, zlib cannot deflate with a 256-octet
  window): the server deflates with 512 octets, where zlib never refers back further than 250, and walks
  each message it sends, sending it uncompressed should a reference ever reach further than 256.

Standard library only (asyncio driving raw non-blocking sockets): a WebSocket library would refuse to
write the malformed frames. Run it with Debian's /usr/bin/python3 (3.11). Every wait is bounded: a case
ends at the latest --case-timeout seconds (plus its scripted waits) after it started.

  fuzzingserver.py --port 0 --report report.json     prints "listening PORT" once it accepts connections
  fuzzingserver.py --list                            prints the cases (number, id, description)

Endpoints (the same as Autobahn's fuzzingserver):
  /getCaseCount                       one text message: the number of cases, then close
  /getCaseInfo?case=N                 one text message: {"id": "3.4", "description": "..."}, then close
  /runCase?case=N&agent=A             runs case N (1-based) against the client
  /getCaseStatus?case=N&agent=A       one text message: {"behavior": "OK"|"NON-STRICT"|...}, then close
  /updateReports?agent=A              writes the JSON report (--report) and closes

Verdicts (Autobahn's, for the client role; Autobahn judges messages and closing separately, this server
reports the worse of the two as "behavior" and both in the report):
  OK             the client did what the case expects
  NON-STRICT     acceptable but not what a SHOULD asks for: e.g. a protocol error failed by dropping TCP
                 without a close frame, or closing with a neighbouring code (1002 for invalid UTF-8),
                 or detecting invalid UTF-8 only at the end of a frame instead of as soon as it arrives
  INFORMATIONAL  behaviour the RFC leaves open (7.1.6's message order, 7.13.x's codes above 4999)
  UNIMPLEMENTED  sections 12, 13: the client offered no permessage-deflate the case can accept
  FAILED         anything else, including unmasked or malformed frames from the client
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime
import hashlib
import json
import os
import signal
import socket
import struct
import sys
import time
import urllib.parse
import random
import zlib
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Optional

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
SERVER_NAME = "wsw-fuzzingserver/1.0"

OK = "OK"
NON_STRICT = "NON-STRICT"
INFORMATIONAL = "INFORMATIONAL"
UNIMPLEMENTED = "UNIMPLEMENTED"
FAILED = "FAILED"
_RANK = {OK: 0, INFORMATIONAL: 0, UNIMPLEMENTED: 0, NON_STRICT: 1, FAILED: 2}

# Close codes
NORMAL = 1000
GOING_AWAY = 1001
PROTOCOL_ERROR = 1002
INVALID_PAYLOAD = 1007

# What a client may put on the wire in a close frame (RFC 6455 7.4, IANA registry: 1012-1014 registered).
def valid_wire_close_code(code: int) -> bool:
    return code in (1000, 1001, 1002, 1003) or 1007 <= code <= 1014 or 3000 <= code <= 4999


MAX_CLIENT_MESSAGE = 64 * 1024 * 1024
CLOSE_HANDSHAKE_TIMEOUT = 2.0   # after the server's initiating close frame, wait this long for the reply
CHOP_DELAY = 0.001              # between chops of a chopped frame
SYNC_DELAY = 0.005              # after each frame sent with sync=True (frame-wise chops)
ECHO_TIMEOUT = 10.0             # sections 12, 13: how long the echo of one message may take

OPEN, CLOSING, CLOSED = "OPEN", "CLOSING", "CLOSED"


def now() -> float:
    return time.monotonic()


def build_frame(opcode: int, payload: bytes = b"", fin: bool = True, rsv: int = 0,
                length: Optional[int] = None) -> bytes:
    """An unmasked server frame; `length` overrides the header's payload length (for chopped frames)."""
    n = len(payload) if length is None else length
    b0 = (0x80 if fin else 0) | ((rsv & 7) << 4) | (opcode & 0x0F)
    if n < 126:
        header = bytes([b0, n])
    elif n < 65536:
        header = bytes([b0, 126]) + struct.pack("!H", n)
    else:
        header = bytes([b0, 127]) + struct.pack("!Q", n)
    return header + payload


def close_payload(code: Optional[int], reason: bytes = b"") -> bytes:
    return (struct.pack("!H", code) if code is not None else b"") + reason


def show(data: bytes, limit: int = 48) -> str:
    """Short printable form of a payload for the report."""
    if len(data) <= limit:
        try:
            text = data.decode("utf-8")
            if text.isprintable():
                return repr(text)
        except UnicodeDecodeError:
            pass
        return "0x" + data.hex()
    digest = hashlib.sha1(data).hexdigest()[:12]
    return "%d octets 0x%s... sha1 %s" % (len(data), data[:16].hex(), digest)


def show_event(event: tuple) -> str:
    if event[0] == "message":
        return "%s message %s" % ("binary" if event[2] else "text", show(event[1]))
    if event[0] in ("ping", "pong"):
        return "%s %s" % (event[0], show(event[1]))
    return " ".join(str(x) for x in event)


# ----------------------------------------------------------------------------------------------------
# One WebSocket connection (server side) that records everything the client does.


class ConnectionGone(Exception):
    """The client's side of the TCP connection ended (EOF or reset) while reading."""


class Conn:
    """A non-blocking socket driven by the event loop (loop.sock_recv / loop.sock_sendall).

    Not asyncio streams: a stream transport that fails to write (the client already reset the connection)
    throws away whatever the client sent that was not yet read -- typically its close frame. Here a failed
    write only stops writing; reading goes on until the kernel has handed over everything the client sent.
    """

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.loop = asyncio.get_running_loop()
        self.buf = bytearray()
        self.reset = False           # reading ended with ECONNRESET
        self.write_error: Optional[str] = None
        self.shut = False
        sock.setblocking(False)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    async def _fill(self) -> None:
        try:
            data = await self.loop.sock_recv(self.sock, 256 * 1024)
        except ConnectionResetError:
            self.reset = True
            raise ConnectionGone("reset")
        except OSError as e:
            raise ConnectionGone(str(e))
        if not data:
            raise ConnectionGone("eof")
        self.buf += data

    async def read_exactly(self, n: int) -> bytes:
        while len(self.buf) < n:
            await self._fill()
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    async def read_until(self, separator: bytes, limit: int) -> bytes:
        while True:
            i = self.buf.find(separator)
            if i >= 0:
                out = bytes(self.buf[:i + len(separator)])
                del self.buf[:i + len(separator)]
                return out
            if len(self.buf) > limit:
                raise HandshakeError("431 Request Header Fields Too Large", "request head too large")
            await self._fill()

    async def send_all(self, data: bytes) -> bool:
        if self.write_error is not None or self.shut:
            return False
        try:
            await self.loop.sock_sendall(self.sock, data)
            return True
        except OSError as e:
            self.write_error = e.strerror or str(e)
            return False

    def shutdown(self, abort: bool = False) -> None:
        """Ends the TCP connection: FIN after what was written, or a reset (abort)."""
        if self.shut:
            return
        self.shut = True
        try:
            if abort:
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.sock.shutdown(socket.SHUT_RD)
            else:
                self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def close(self) -> None:
        self.shutdown()
        try:
            self.sock.close()
        except OSError:
            pass


class Peer:
    def __init__(self, conn: Conn):
        self.conn = conn
        self.state = OPEN
        self.opened_at = now()
        self.closed = asyncio.Event()
        self.on_event: Optional[Callable[[tuple], None]] = None
        self.timeline: list[tuple[float, str]] = []
        self.violations: list[str] = []
        self.client_close: Optional[tuple[Optional[int], bytes]] = None   # (code, reason) of the client's close
        self.server_close_sent = False
        self.closed_by_server = False     # the server sent the first close frame (Autobahn's closedByMe)
        self.dropped_by_server = False    # the server closed TCP
        self.dropped_by_client = False    # the client closed TCP (EOF/reset) before the server did
        self.client_reset = False         # ... with a TCP reset (it closed its socket with unread data)
        self.drop_reason = ""
        self.killed = False               # the case's kill timer (or the hard timeout) had to end it
        self._close_timer: Optional[asyncio.TimerHandle] = None
        self._frag_opcode: Optional[int] = None
        self._frag_data = bytearray()
        self._frag_compressed = False
        self.deflate: Optional[Deflate] = None   # permessage-deflate in force (sections 12, 13)
        self.offered_extensions: Optional[str] = None   # the client's Sec-WebSocket-Extensions
        self.offer_problems: list = []           # invalid permessage-deflate offers (sections 12, 13)
        self._reader_task: Optional[asyncio.Task] = None
        # everything goes out through one queue, in order, written by one task
        self._wbuf = bytearray()
        self._queued = 0
        self._sent = 0
        self._wcond = asyncio.Condition()
        self._wake = asyncio.Event()
        self._writer_task = asyncio.create_task(self._write_loop())
        self._shutdown_task: Optional[asyncio.Task] = None

    # -- log

    def note(self, text: str) -> None:
        self.timeline.append((round(now() - self.opened_at, 4), text))

    # -- sending

    def _write(self, data: bytes) -> bool:
        if self.state == CLOSED or self.conn.write_error is not None:
            return False
        self._wbuf += data
        self._queued += len(data)
        self._wake.set()
        return True

    async def _write_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._wbuf:
                chunk = bytes(self._wbuf)
                self._wbuf.clear()
                if not await self.conn.send_all(chunk):
                    self.note("write failed: %s" % self.conn.write_error)
                    self._wbuf.clear()
                    break
                self._sent += len(chunk)
            async with self._wcond:
                self._wcond.notify_all()

    async def flush(self) -> None:
        """Waits until everything written so far went to the kernel (or writing became impossible)."""
        target = self._queued
        async with self._wcond:
            await self._wcond.wait_for(lambda: self._sent >= target or self.conn.write_error is not None
                                       or self.conn.shut)

    async def send_raw(self, data: bytes, chop: Optional[int] = None, sync: bool = False) -> None:
        if chop:
            for i in range(0, len(data), chop):
                if not self._write(data[i:i + chop]):
                    return
                await self.flush()
                await asyncio.sleep(CHOP_DELAY)
        else:
            if not self._write(data):
                return
            await self.flush()
        if sync:
            await asyncio.sleep(SYNC_DELAY)

    async def send_frame(self, opcode: int, payload: bytes = b"", fin: bool = True, rsv: int = 0,
                         chop: Optional[int] = None, sync: bool = False, length: Optional[int] = None) -> None:
        self.note("tx frame opcode=%d fin=%d rsv=%d len=%d%s%s%s" % (
            opcode, fin, rsv, len(payload) if length is None else length,
            " chop=%d" % chop if chop else "", " sync" if sync else "",
            " (not sent: connection closed)" if self.state == CLOSED or self.conn.write_error else ""))
        await self.send_raw(build_frame(opcode, payload, fin, rsv, length), chop, sync)

    async def send_message(self, payload: bytes, binary: bool, fragment_size: int = 0) -> None:
        """A data message, compressed when permessage-deflate is in force, cut into frames of fragment_size."""
        opcode = 0x2 if binary else 0x1
        data, rsv = payload, 0
        if self.deflate is not None:
            data, compressed = self.deflate.compress(payload)
            rsv = 4 if compressed else 0
        pieces = [data[i:i + fragment_size] for i in range(0, len(data), fragment_size)] if fragment_size else [data]
        pieces = pieces or [b""]
        await self.send_raw(b"".join(build_frame(opcode if i == 0 else 0x0, p, fin=(i == len(pieces) - 1),
                                                 rsv=rsv if i == 0 else 0) for i, p in enumerate(pieces)))

    def send_close_frame(self, code: Optional[int] = None, reason: bytes = b"", is_reply: bool = False) -> bool:
        """Autobahn's sendCloseFrame: only in OPEN; starts (or answers) the closing handshake."""
        if self.state != OPEN:
            return False
        self.state = CLOSING
        self.server_close_sent = True
        if not is_reply:
            self.closed_by_server = True
            self._close_timer = asyncio.get_running_loop().call_later(
                CLOSE_HANDSHAKE_TIMEOUT, self.drop, "no close frame from the client within %.1f s" % CLOSE_HANDSHAKE_TIMEOUT)
        self.note("tx close %s%s" % (show(close_payload(code, reason)), " (reply)" if is_reply else ""))
        self._write(build_frame(0x8, close_payload(code, reason)))
        return True

    def fail(self, code: int, reason: str) -> None:
        """Autobahn's failConnection with failByDrop=False: close frame in OPEN, drop in CLOSING."""
        if self.state == OPEN:
            self.send_close_frame(code, reason.encode()[:123])
        elif self.state == CLOSING:
            self.drop(reason)

    def drop(self, reason: str, abort: bool = False) -> None:
        """The server closes TCP: after what is queued (our close frame) went out, or at once (abort)."""
        if self.state == CLOSED:
            return
        self.state = CLOSED
        self.dropped_by_server = True
        self.drop_reason = reason
        self.note("server closes TCP: " + reason)
        if self._close_timer:
            self._close_timer.cancel()
        if self._reader_task and self._reader_task is not asyncio.current_task():
            self._reader_task.cancel()
        self._end_tcp(abort)
        self.closed.set()

    def _end_tcp(self, abort: bool) -> None:
        async def run() -> None:
            if not abort:
                try:
                    await asyncio.wait_for(self.flush(), 2)
                except asyncio.TimeoutError:
                    pass
            self.conn.shutdown(abort)
            async with self._wcond:
                self._wcond.notify_all()
        if self._shutdown_task is None:
            self._shutdown_task = asyncio.create_task(run())

    async def finish(self) -> None:
        """After the connection ended: lets the last bytes go out, then stops the helper tasks."""
        if self._shutdown_task is None:
            self._end_tcp(False)
        try:
            await asyncio.wait_for(asyncio.shield(self._shutdown_task), 3)
        except asyncio.TimeoutError:
            self.conn.shutdown(True)
        for task in (self._writer_task, self._reader_task):
            if task and not task.done():
                task.cancel()
                try:
                    await task
                except (asyncio.CancelledError, Exception):
                    pass

    # -- receiving

    def start_reading(self) -> None:
        self._reader_task = asyncio.create_task(self._read_loop())

    def _violation(self, text: str) -> None:
        self.violations.append(text)
        self.note("client protocol violation: " + text)
        if self.state == OPEN:
            self.send_close_frame(PROTOCOL_ERROR, text.encode()[:123])
        self.drop("protocol violation by the client")

    def _record(self, event: tuple) -> None:
        self.note("rx " + show_event(event))
        if self.on_event:
            self.on_event(event)

    async def _read_loop(self) -> None:
        try:
            while self.state != CLOSED:
                if not await self._read_frame():
                    break
        except ConnectionGone:
            pass
        except asyncio.CancelledError:
            return
        if self.state != CLOSED:
            self.state = CLOSED
            self.dropped_by_client = True
            self.client_reset = self.conn.reset
            self.note("client reset TCP (RST)" if self.client_reset else "client closed TCP")
            if self._close_timer:
                self._close_timer.cancel()
            self._end_tcp(False)
            self.closed.set()

    async def _read_frame(self) -> bool:
        head = await self.conn.read_exactly(2)
        fin = bool(head[0] & 0x80)
        rsv = (head[0] >> 4) & 7
        opcode = head[0] & 0x0F
        masked = bool(head[1] & 0x80)
        n = head[1] & 0x7F
        if n == 126:
            n = struct.unpack("!H", await self.conn.read_exactly(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", await self.conn.read_exactly(8))[0]
            if n >> 63:
                self._violation("64-bit payload length with the most significant bit set")
                return False
        if not masked:
            self._violation("unmasked frame from the client (opcode %d)" % opcode)
            return False
        if n > MAX_CLIENT_MESSAGE:
            self._violation("frame of %d octets from the client" % n)
            return False
        key = await self.conn.read_exactly(4)
        data = await self.conn.read_exactly(n)
        if n:
            mask = (key * (n // 4 + 1))[:n]
            data = (int.from_bytes(data, "big") ^ int.from_bytes(mask, "big")).to_bytes(n, "big")
        if self.client_close is not None:
            self._violation("frame (opcode %d) after the client's close frame" % opcode)
            return False
        compressed = False
        if rsv == 4 and self.deflate is not None:
            # RFC 7692 §6.1: RSV1 marks a compressed message, on its first frame only
            if opcode >= 8:
                self._violation("RSV1 on a control frame (opcode %d) from the client" % opcode)
                return False
            if opcode == 0x0:
                self._violation("RSV1 on a continuation frame from the client")
                return False
            compressed = True
        elif rsv:
            self._violation("RSV bits %d set by the client%s" % (
                rsv, "" if self.deflate is None else " (only RSV1 is negotiated)"))
            return False
        if opcode >= 8:
            if not fin:
                self._violation("fragmented control frame from the client")
                return False
            if n > 125:
                self._violation("control frame of %d octets from the client" % n)
                return False
            if opcode == 0x8:
                return self._on_close(data)
            if opcode == 0x9:
                self._record(("ping", data))
                if self.state == OPEN:
                    self._write(build_frame(0xA, data))
                return True
            if opcode == 0xA:
                self._record(("pong", data))
                return True
            self._violation("reserved control opcode %d from the client" % opcode)
            return False
        if opcode in (0x1, 0x2):
            if self._frag_opcode is not None:
                self._violation("new data frame inside a fragmented message from the client")
                return False
            self._frag_opcode = opcode
            self._frag_data = bytearray()
            self._frag_compressed = compressed
        elif opcode == 0x0:
            if self._frag_opcode is None:
                self._violation("continuation frame without a message from the client")
                return False
        else:
            self._violation("reserved data opcode %d from the client" % opcode)
            return False
        self._frag_data += data
        if len(self._frag_data) > MAX_CLIENT_MESSAGE:
            self._violation("message of more than %d octets from the client" % MAX_CLIENT_MESSAGE)
            return False
        if fin:
            message = bytes(self._frag_data)
            binary = self._frag_opcode == 0x2
            self._frag_opcode = None
            self._frag_data = bytearray()
            if self._frag_compressed:
                try:
                    message = self.deflate.decompress(message)
                except InflateViolation as e:
                    self._violation("a compressed message from the client %s" % e)
                    return False
            elif self.deflate is not None:
                self.deflate.uncompressed_from_client += 1   # allowed: RFC 7692 §6 (RSV1 clear)
            if not binary:
                try:
                    message.decode("utf-8")
                except UnicodeDecodeError:
                    self._violation("text message with invalid UTF-8 from the client")
                    return False
            self._record(("message", message, binary))
        return True

    def _on_close(self, data: bytes) -> bool:
        if len(data) == 1:
            self.client_close = (None, data)
            self._violation("close frame with a 1-octet payload from the client")
            return False
        code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else None
        reason = data[2:]
        self.client_close = (code, reason)
        self.note("rx close %s" % (("code %d reason %s" % (code, show(reason))) if code is not None else "(empty)"))
        if code is not None and not valid_wire_close_code(code):
            self._violation("close code %d from the client is not valid on the wire" % code)
            return False
        try:
            reason.decode("utf-8")
        except UnicodeDecodeError:
            self._violation("close reason with invalid UTF-8 from the client")
            return False
        if self.state == OPEN:
            # the client started the closing handshake: answer (echoing its code) and close TCP
            self.send_close_frame(code, b"", is_reply=True)
            self.drop("closing handshake complete (client initiated)")
        else:
            self.drop("closing handshake complete")
        return False

    @property
    def was_clean(self) -> bool:
        return self.client_close is not None and self.server_close_sent and not self.violations


# ----------------------------------------------------------------------------------------------------
# permessage-deflate (RFC 7692), for sections 12 and 13

DEFLATE_TAIL = b"\x00\x00\xff\xff"
_TCHAR = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def parse_extensions(header: str) -> list:
    """Sec-WebSocket-Extensions by RFC 6455 §9.1: [(name, [(param, value or None), ...]), ...].
    Comma-separated extensions (empty list elements allowed), ';' parameters, values as token or
    quoted-string (whose unescaped content must again be a token). ValueError when malformed."""
    h, n, i = header, len(header), 0
    out: list = []

    def ows(i: int) -> int:
        while i < n and h[i] in " \t":
            i += 1
        return i

    def token(i: int, what: str) -> tuple:
        j = i
        while j < n and h[j] in _TCHAR:
            j += 1
        if j == i:
            raise ValueError("%s expected at offset %d of %r" % (what, i, header))
        return h[i:j], j

    while True:
        i = ows(i)
        if i >= n:
            break
        if h[i] == ",":
            i += 1
            continue
        name, i = token(i, "extension name")
        params: list = []
        i = ows(i)
        while i < n and h[i] == ";":
            param, i = token(ows(i + 1), "parameter name")
            value = None
            i = ows(i)
            if i < n and h[i] == "=":
                i = ows(i + 1)
                if i < n and h[i] == '"':
                    chars, i = [], i + 1
                    while True:
                        if i >= n:
                            raise ValueError("unterminated quoted-string in %r" % header)
                        c = h[i]
                        if c == '"':
                            i += 1
                            break
                        if c == "\\":
                            if i + 1 >= n:
                                raise ValueError("unterminated quoted-string in %r" % header)
                            c, i = h[i + 1], i + 1
                        elif not (c == "\t" or " " <= c <= "~" and c != "\\" or "\x80" <= c <= "\xff"):
                            raise ValueError("invalid character in a quoted-string in %r" % header)
                        chars.append(c)
                        i += 1
                    value = "".join(chars)
                    if not value or not set(value) <= _TCHAR:
                        raise ValueError("quoted value %r of %s is not a token (RFC 6455 §9.1)" % (value, param))
                else:
                    value, i = token(i, "parameter value")
                i = ows(i)
            params.append((param, value))
        out.append((name, params))
        if i < n and h[i] != ",":
            raise ValueError("unexpected %r at offset %d of %r" % (h[i], i, header))
    return out


@dataclass
class DeflateOffer:
    """One permessage-deflate offer of the client, read the way Autobahn's PerMessageDeflateOffer reads it."""
    text: str = "permessage-deflate"
    accept_max_window_bits: bool = False      # client_max_window_bits offered: the server may limit it
    client_window_hint: int = 0               # ... with this value (8-15), 0 without one
    accept_no_context_takeover: bool = True   # a server may always ask for client_no_context_takeover
    request_no_context_takeover: bool = False # server_no_context_takeover asked for
    request_max_window_bits: int = 0          # server_max_window_bits asked for (8-15)


def _window_bits(value: Optional[str]) -> int:
    """A window size parameter's value: 8-15 in decimal without leading zeros (RFC 7692 §7.1.2), else 0."""
    if value is None or not value.isdigit() or value.startswith("0") or not 8 <= int(value) <= 15:
        return 0
    return int(value)


def parse_offers(header: Optional[str]) -> tuple:
    """(valid permessage-deflate offers in the client's order, problems): RFC 7692 §7 makes the server
    decline an offer with an unknown or repeated parameter or an invalid value -- Autobahn fails the
    opening handshake instead, so the case FAILS either way; a malformed header is a problem too."""
    offers: list = []
    problems: list = []
    if header is None:
        return offers, problems
    try:
        extensions = parse_extensions(header)
    except ValueError as e:
        return offers, ["malformed Sec-WebSocket-Extensions: %s" % e]
    for name, params in extensions:
        if name.lower() != "permessage-deflate":
            continue                                   # another extension: declined, as Autobahn does
        text = "; ".join([name] + ["%s=%s" % (p, v) if v is not None else p for p, v in params])
        offer, problem, seen = DeflateOffer(text), None, set()
        for param, value in params:
            key = param.lower()
            if key in seen:
                problem = "parameter %s repeated" % param
            elif key == "client_max_window_bits":
                offer.accept_max_window_bits = True
                if value is not None:
                    offer.client_window_hint = _window_bits(value)
                    if not offer.client_window_hint:
                        problem = "client_max_window_bits=%s is not 8-15" % value
            elif key in ("client_no_context_takeover", "server_no_context_takeover"):
                if value is not None:
                    problem = "%s takes no value (got %s)" % (param, value)
                elif key == "server_no_context_takeover":
                    offer.request_no_context_takeover = True
            elif key == "server_max_window_bits":
                offer.request_max_window_bits = _window_bits(value)
                if not offer.request_max_window_bits:
                    problem = "server_max_window_bits%s is not 8-15" % ("" if value is None else "=" + value)
            else:
                problem = "unknown parameter %s" % param
            seen.add(key)
            if problem:
                break
        if problem:
            problems.append("offer %r declined: %s (RFC 7692 §7)" % (text, problem))
        else:
            offers.append(offer)
    return offers, problems


class DeflateError(Exception):
    """A DEFLATE stream the walker cannot follow (malformed, or ending inside a block)."""


class DistanceError(DeflateError):
    """A back reference further than the agreed window, or than the data decoded so far in the context."""


_LEN_BASE = (3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163,
             195, 227, 258)
_LEN_EXTRA = (0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0)
_DIST_BASE = (1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
              3073, 4097, 6145, 8193, 12289, 16385, 24577)
_DIST_EXTRA = (0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13)
_CL_ORDER = (16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15)


def _huffman_table(lengths) -> tuple:
    """(table, bits): table[next `bits` input bits, LSB first] = symbol << 4 | code length; -1: no code."""
    bits = max(lengths, default=0)
    if bits == 0:
        return [], 0
    count = [0] * 16
    for n in lengths:
        count[n] += 1
    count[0] = 0
    code, first, left = 0, [0] * 16, 1
    for n in range(1, 16):
        left = (left << 1) - count[n]
        if left < 0:
            raise DeflateError("over-subscribed Huffman code")
        code = (code + count[n - 1]) << 1
        first[n] = code
    table = [-1] * (1 << bits)
    for sym, n in enumerate(lengths):
        if n:
            code = first[n]
            first[n] += 1
            table[int(format(code, "0%db" % n)[::-1], 2)::1 << n] = [(sym << 4) | n] * (1 << (bits - n))
    return table, bits


_FIXED_CODES = (_huffman_table([8] * 144 + [9] * 112 + [7] * 24 + [8] * 8), _huffman_table([5] * 30))


def deflate_walk(data: bytes, window: int, history: int) -> int:
    """Follows a raw DEFLATE stream (RFC 1951) without producing output and returns how many octets it
    decodes to. Raises DistanceError for a back reference beyond `window` octets, or beyond `history`
    (octets decoded earlier in the same context) plus the output so far. zlib cannot do this check: it
    accepts any distance that stays inside the output of the current inflate() call, whatever the window.
    Stops after a BFINAL block or where the input ends at a block boundary."""
    n = len(data)
    pos = buf = cnt = out = 0
    final = False
    while not final:
        if pos >= n and cnt < 8:
            break
        while cnt < 3:
            if pos >= n:
                raise DeflateError("the input ends inside a block header")
            buf |= data[pos] << cnt
            pos += 1
            cnt += 8
        final = buf & 1
        btype = (buf >> 1) & 3
        buf >>= 3
        cnt -= 3
        if btype == 0:                              # stored: byte boundary, LEN, NLEN, LEN octets
            pos -= cnt >> 3
            buf = cnt = 0
            if pos + 4 > n:
                raise DeflateError("the input ends inside a stored block header")
            length = data[pos] | data[pos + 1] << 8
            if length ^ 0xFFFF != (data[pos + 2] | data[pos + 3] << 8):
                raise DeflateError("stored block with LEN and NLEN not complementary")
            pos += 4 + length
            if pos > n:
                raise DeflateError("the input ends inside a stored block")
            out += length
            continue
        if btype == 1:
            (lit, lbits), (dist, dbits) = _FIXED_CODES
        elif btype == 2:
            while cnt < 14:
                if pos >= n:
                    raise DeflateError("the input ends inside a block header")
                buf |= data[pos] << cnt
                pos += 1
                cnt += 8
            nlit, ndist, ncl = (buf & 31) + 257, ((buf >> 5) & 31) + 1, ((buf >> 10) & 15) + 4
            buf >>= 14
            cnt -= 14
            if nlit > 286 or ndist > 30:
                raise DeflateError("too many literal/length or distance codes")
            cl = [0] * 19
            for i in range(ncl):
                while cnt < 3:
                    if pos >= n:
                        raise DeflateError("the input ends inside a block header")
                    buf |= data[pos] << cnt
                    pos += 1
                    cnt += 8
                cl[_CL_ORDER[i]] = buf & 7
                buf >>= 3
                cnt -= 3
            ctable, cbits = _huffman_table(cl)
            if not cbits:
                raise DeflateError("empty code length code")
            cmask = (1 << cbits) - 1
            lengths: list = []
            while len(lengths) < nlit + ndist:
                while cnt < 14:
                    if pos >= n:
                        raise DeflateError("the input ends inside a block header")
                    buf |= data[pos] << cnt
                    pos += 1
                    cnt += 8
                e = ctable[buf & cmask]
                if e < 0:
                    raise DeflateError("invalid code length code")
                buf >>= e & 15
                cnt -= e & 15
                sym = e >> 4
                if sym < 16:
                    lengths.append(sym)
                elif sym == 16:
                    if not lengths:
                        raise DeflateError("code length repeated without a previous one")
                    lengths += [lengths[-1]] * (3 + (buf & 3))
                    buf >>= 2
                    cnt -= 2
                elif sym == 17:
                    lengths += [0] * (3 + (buf & 7))
                    buf >>= 3
                    cnt -= 3
                else:
                    lengths += [0] * (11 + (buf & 127))
                    buf >>= 7
                    cnt -= 7
            if len(lengths) > nlit + ndist or lengths[256] == 0:
                raise DeflateError("invalid code lengths")
            lit, lbits = _huffman_table(lengths[:nlit])
            dist, dbits = _huffman_table(lengths[nlit:])
        else:
            raise DeflateError("reserved block type 3")
        lmask, dmask = (1 << lbits) - 1, (1 << dbits) - 1
        while True:
            if cnt < 48:                            # room for the longest length + distance sequence
                if pos + 6 <= n:
                    buf |= int.from_bytes(data[pos:pos + 6], "little") << cnt
                    pos += 6
                    cnt += 48
                else:
                    while pos < n and cnt < 48:
                        buf |= data[pos] << cnt
                        pos += 1
                        cnt += 8
            e = lit[buf & lmask]
            if e < 0:
                raise DeflateError("invalid literal/length code")
            buf >>= e & 15
            cnt -= e & 15
            sym = e >> 4
            if sym < 256:
                out += 1
                continue
            if sym == 256:
                if cnt < 0:
                    raise DeflateError("the input ends inside a block")
                break
            sym -= 257
            if sym >= 29:
                raise DeflateError("invalid length symbol")
            x = _LEN_EXTRA[sym]
            length = _LEN_BASE[sym] + (buf & ((1 << x) - 1))
            buf >>= x
            cnt -= x
            e = dist[buf & dmask] if dbits else -1
            if e < 0:
                raise DeflateError("invalid distance code")
            buf >>= e & 15
            cnt -= e & 15
            sym = e >> 4
            if sym >= 30:
                raise DeflateError("invalid distance symbol")
            x = _DIST_EXTRA[sym]
            d = _DIST_BASE[sym] + (buf & ((1 << x) - 1))
            buf >>= x
            cnt -= x
            if cnt < 0:
                raise DeflateError("the input ends inside a block")
            if d > window:
                raise DistanceError("refers back %d octets, beyond the agreed window of %d" % (d, window))
            if d > history + out:
                raise DistanceError("refers back %d octets, beyond the %d octets decoded so far in its context"
                                    % (d, history + out))
            out += length
    return out


class InflateViolation(Exception):
    """A compressed message from the client that breaks the agreement."""


class Deflate:
    """The agreement in force: the server compresses with its parameters, inflates with the client's.

    Negotiated as Autobahn's PerMessageDeflateOfferAccept does (the answer names server_no_context_takeover
    and server_max_window_bits when the client asked for them, and what the case requests of the client),
    except that a client_max_window_bits the case requests is lowered to the client's own hint (RFC 7692
    §7.1.2.2), and that server_max_window_bits=8 is honoured although zlib cannot deflate with a 256-octet
    window: the server deflates with 512 octets (zlib then never refers back further than 250) and walks
    every message it compresses, sending it uncompressed (and starting a new context) should a reference
    ever reach further than 256."""

    def __init__(self, offer: DeflateOffer, request_no_context_takeover: bool = False, request_max_window_bits: int = 0):
        self.offer = offer.text
        if request_max_window_bits and offer.client_window_hint:
            request_max_window_bits = min(request_max_window_bits, offer.client_window_hint)
        self.server_no_context_takeover = offer.request_no_context_takeover
        self.server_window = offer.request_max_window_bits or 15
        self.client_no_context_takeover = request_no_context_takeover
        self.client_window = request_max_window_bits or 15
        parts = ["permessage-deflate"]
        if offer.request_no_context_takeover:
            parts.append("server_no_context_takeover")
        if offer.request_max_window_bits:
            parts.append("server_max_window_bits=%d" % offer.request_max_window_bits)
        if request_no_context_takeover:
            parts.append("client_no_context_takeover")
        if request_max_window_bits:
            parts.append("client_max_window_bits=%d" % request_max_window_bits)
        self.response = "; ".join(parts)
        self._compressor = None
        self._sent_history = 0            # octets the client's inflater holds (for the 8-bit window walk)
        self._inflater = None
        self._window = b""                # the last client_window octets inflated in the context
        self._fresh = True                # the next message starts a new context
        # below 15 bits every compressed message of the client is walked (in Python, some 10 MB/s): with
        # 15 bits no DEFLATE distance can exceed the window, and zlib checks the history itself
        self.walk_client = self.client_window < 15
        self.compressed_from_client = 0
        self.uncompressed_from_client = 0
        self.window_checked_messages = 0
        self.sent_uncompressed = 0

    def params(self) -> dict:
        return {"serverNoContextTakeover": self.server_no_context_takeover, "serverMaxWindowBits": self.server_window,
                "clientNoContextTakeover": self.client_no_context_takeover, "clientMaxWindowBits": self.client_window}

    def compress(self, payload: bytes) -> tuple:
        """(payload to send, compressed?): RFC 7692 §7.2.1, the 0x00 0x00 0xff 0xff tail removed."""
        if self._compressor is None or self.server_no_context_takeover:
            self._compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -max(9, self.server_window))
            self._sent_history = 0
        data = self._compressor.compress(payload) + self._compressor.flush(zlib.Z_SYNC_FLUSH)
        assert data.endswith(DEFLATE_TAIL)
        if self.server_window == 8:
            try:
                deflate_walk(data, 256, self._sent_history)
            except DeflateError:
                self._compressor = None
                self.sent_uncompressed += 1
                return payload, False
            self._sent_history = min(256, self._sent_history + len(payload))
        return data[:-4], True

    def decompress(self, payload: bytes) -> bytes:
        """Inflates one compressed message of the client with exactly the agreed window and context rules
        (RFC 7692 §7.2.2); InflateViolation when it does not inflate under them."""
        self.compressed_from_client += 1
        wbits = self.client_window
        if self.client_no_context_takeover:
            self._fresh, self._window = True, b""
        if self._fresh or self._inflater is None:
            # a new inflater, primed with the context when an earlier message ended its DEFLATE stream
            self._inflater = (zlib.decompressobj(-wbits, zdict=self._window) if self._window
                              else zlib.decompressobj(-wbits))
            self._fresh = False
        data = payload + DEFLATE_TAIL
        if self.walk_client:
            try:
                deflate_walk(data, 1 << wbits, len(self._window))
            except DistanceError as e:
                raise InflateViolation("%s (%s)" % (e, self.response))
            except DeflateError:
                pass              # malformed: zlib below has the last word (and the better message)
            self.window_checked_messages += 1
        try:
            out = self._inflater.decompress(data, MAX_CLIENT_MESSAGE + 1)
        except zlib.error as e:
            raise InflateViolation("does not inflate with the agreed parameters (%s): %s" % (self.response, e))
        if len(out) > MAX_CLIENT_MESSAGE:
            raise InflateViolation("inflates to more than %d octets" % MAX_CLIENT_MESSAGE)
        if self._inflater.eof:
            # the message ended its DEFLATE stream with a BFINAL block (RFC 7692 §7.2.3.4), followed by
            # nothing or by the one 0x00 octet of that section's example (with the tail: an empty stored
            # block); the next message starts a new stream over the same sliding window
            if self._inflater.unused_data not in (DEFLATE_TAIL, b"\x00" + DEFLATE_TAIL):
                raise InflateViolation("has %d octets after its final DEFLATE block"
                                       % (len(self._inflater.unused_data) - len(DEFLATE_TAIL)))
            self._fresh = True
        if not self.client_no_context_takeover:
            w = 1 << wbits
            self._window = out[-w:] if len(out) >= w else (self._window + out)[-w:]
        return out


# ----------------------------------------------------------------------------------------------------
# Cases


Script = Callable[["Ctx"], Awaitable[None]]


@dataclass
class Case:
    id: str
    description: str
    expectation: str
    script: Script
    expected: dict                        # verdict -> exact list of events
    by_server: bool                       # Autobahn's expectedClose["closedByMe"]
    codes: list                           # acceptable close codes from the client (OK)
    require_clean: bool
    alt_codes: list = field(default_factory=list)   # acceptable but not preferred codes (NON-STRICT)
    suppress_close: bool = False          # don't close automatically once the expected events arrived
    wrong_endpoint_fatal: bool = False
    informational: bool = False           # 7.1.6: the message outcome is reported, not judged
    undefined_by_spec: bool = False       # 7.13.x: OK when failed with 1002, INFORMATIONAL otherwise
    extra_time: float = 0.0               # scripted waits, added to the hard per-case timeout
    deflate_accept: Optional[Callable[[list], Optional[Deflate]]] = None   # sections 12, 13
    make_expected: Optional[Callable[[], dict]] = None   # expected events built when the case runs


class Ctx:
    """What a case script sees: the connection plus Autobahn-style timers."""

    def __init__(self, peer: Peer, case: Case):
        self.peer = peer
        self.case = case
        self.expected = case.make_expected() if case.make_expected else case.expected
        self.received: list[tuple] = []
        self.unimplemented = False
        self._arrived = asyncio.Event()
        self._timers: list[asyncio.TimerHandle] = []
        peer.on_event = self._on_event

    def _on_event(self, event: tuple) -> None:
        if self.case.deflate_accept is not None and event[0] != "message":
            return   # sections 12, 13 judge the messages only (pings are answered, as by Autobahn)
        self.received.append(event)
        self._arrived.set()
        self._finish_when_done()

    async def wait_events(self, count: int, timeout: Optional[float] = None) -> bool:
        """Waits until count events have arrived; False when the connection ended (or timeout passed) first."""
        deadline = None if timeout is None else now() + timeout
        while len(self.received) < count:
            left = None if deadline is None else deadline - now()
            if self.peer.state == CLOSED or (left is not None and left <= 0):
                return False
            self._arrived.clear()
            waiter = asyncio.create_task(self._arrived.wait())
            closed = asyncio.create_task(self.peer.closed.wait())
            await asyncio.wait({waiter, closed}, timeout=left, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            closed.cancel()
        return True

    def _finish_when_done(self) -> None:
        for exp in self.expected.values():
            if self.received != exp:
                return
        if self.case.by_server and not self.case.suppress_close:
            self.peer.send_close_frame(self.case.codes[0])

    @property
    def open(self) -> bool:
        return self.peer.state == OPEN

    async def frame(self, opcode: int, payload: bytes = b"", fin: bool = True, rsv: int = 0,
                    chop: Optional[int] = None, sync: bool = False, length: Optional[int] = None) -> None:
        await self.peer.send_frame(opcode, payload, fin, rsv, chop, sync, length)

    async def message(self, payload: bytes, binary: bool = False, fragment_size: Optional[int] = None) -> None:
        opcode = 0x2 if binary else 0x1
        if not fragment_size or len(payload) <= fragment_size:
            await self.frame(opcode, payload)
            return
        pieces = [payload[i:i + fragment_size] for i in range(0, len(payload), fragment_size)]
        frames = b"".join(build_frame(opcode if i == 0 else 0x0, p, fin=(i == len(pieces) - 1))
                          for i, p in enumerate(pieces))
        self.peer.note("tx %s message of %d octets in %d frames of %d" % (
            "binary" if binary else "text", len(payload), len(pieces), fragment_size))
        await self.peer.send_raw(frames)

    async def raw(self, data: bytes, note: str) -> None:
        self.peer.note("tx raw " + note)
        await self.peer.send_raw(data)

    def close(self, code: Optional[int] = NORMAL, reason: bytes = b"") -> None:
        self.peer.send_close_frame(code, reason)

    async def sleep(self, seconds: float) -> bool:
        """Waits; True when the connection is still open afterwards (Autobahn's continueLater)."""
        self.peer.note("wait %.1f s" % seconds)
        await asyncio.sleep(seconds)
        return self.open

    def _later(self, seconds: float, fn: Callable[[], None]) -> None:
        self._timers.append(asyncio.get_running_loop().call_later(seconds, fn))

    def kill_after(self, seconds: float) -> None:
        def kill() -> None:
            if self.peer.state != CLOSED:
                self.peer.killed = True
                self.peer.note("kill timer (%.1f s) expired" % seconds)
                self.peer.fail(GOING_AWAY, "case timed out")
        self._later(seconds, kill)

    def close_after(self, seconds: float) -> None:
        def close() -> None:
            if self.peer.state == OPEN:
                self.peer.note("close timer (%.1f s) expired" % seconds)
                self.close(NORMAL)
        self._later(seconds, close)

    def cancel_timers(self) -> None:
        for t in self._timers:
            t.cancel()


CASES: list[Case] = []


def add(id: str, description: str, expectation: str, script: Script, expected: dict, *, by_server: bool,
        codes: list, require_clean: bool, **kw) -> None:
    CASES.append(Case(id, description, expectation, script, expected, by_server, codes, require_clean, **kw))


def add_echo(id: str, description: str, script: Script, events: list, expectation: str = "",
             **kw) -> None:
    """A case whose events must come back exactly, then a clean close with 1000 started by the server."""
    add(id, description, expectation or "Receive " + ", ".join(show_event(e) for e in events[:3]) +
        (" ..." if len(events) > 3 else "") + "; clean close with normal code.",
        script, {OK: events}, by_server=True, codes=[NORMAL], require_clean=True, **kw)


def add_fail(id: str, description: str, script: Script, ok: list = None, non_strict: Optional[list] = None,
             code: int = PROTOCOL_ERROR, expectation: str = "", **kw) -> None:
    """A case where the client must fail the connection (close with `code`)."""
    expected = {OK: ok or []}
    if non_strict is not None:
        expected[NON_STRICT] = non_strict
    if code == INVALID_PAYLOAD:
        kw.setdefault("alt_codes", [PROTOCOL_ERROR])
        kw.setdefault("wrong_endpoint_fatal", True)
    add(id, description, expectation or "The client fails the connection (close code %d)." % code,
        script, expected, by_server=False, codes=[code], require_clean=False, **kw)


def text(n: int) -> bytes:
    return b"*" * n


def binary(n: int) -> bytes:
    return b"\xfe" * n


HELLO = b"Hello, world!"

# -- section 1: framing, text and binary messages


def _section1() -> None:
    lengths = [0, 125, 126, 127, 128, 65535, 65536]
    for kind, opcode, make, sec in (("text", 0x1, text, "1.1"), ("binary", 0x2, binary, "1.2")):
        for i, n in enumerate(lengths, 1):
            def script(ctx: Ctx, n=n, opcode=opcode, make=make) -> Awaitable[None]:
                async def run() -> None:
                    await ctx.frame(opcode, make(n))
                    ctx.kill_after(4 if n > 128 else 1)
                return run()
            add_echo("%s.%d" % (sec, i), "Send %s message with payload of length %d." % (kind, n), script,
                     [("message", make(n), opcode == 0x2)])

        def chopped(ctx: Ctx, opcode=opcode, make=make) -> Awaitable[None]:
            async def run() -> None:
                await ctx.frame(opcode, make(65536), chop=997)
                ctx.kill_after(4)
            return run()
        add_echo("%s.8" % sec, "Send %s message with payload of length 65536, sent in chops of 997 octets." % kind,
                 chopped, [("message", make(65536), opcode == 0x2)])


# -- section 2: pings and pongs


def _section2() -> None:
    def ping_case(id, desc, payload, chop=None, close_after=1.0):
        async def script(ctx: Ctx) -> None:
            await ctx.frame(0x9, payload, chop=chop)
            ctx.close_after(close_after)
        add_echo(id, desc, script, [("pong", payload)],
                 "Pong with the ping's payload echoed; clean close with normal code.")

    ping_case("2.1", "Send ping without payload.", b"")
    ping_case("2.2", "Send ping with small text payload.", HELLO)
    ping_case("2.3", "Send ping with small binary (non UTF-8) payload.", b"\x00\xff\xfe\xfd\xfc\xfb\x00\xff")
    ping_case("2.4", "Send ping with binary payload of 125 octets.", binary(125))

    async def s2_5(ctx: Ctx) -> None:
        await ctx.frame(0x9, binary(126))
        ctx.kill_after(1)
    add_fail("2.5", "Send ping with binary payload of 126 octets.", s2_5,
             expectation="The connection is failed immediately (1002), since control frames may carry at most "
                         "125 octets.")

    ping_case("2.6", "Send ping with binary payload of 125 octets, sent in octet-wise chops.", binary(125),
              chop=1, close_after=2.0)

    def unsolicited(id, desc, payload):
        async def script(ctx: Ctx) -> None:
            await ctx.frame(0xA, payload)
            ctx.close(NORMAL)
            ctx.close_after(1)
        add(id, desc, "Nothing in reply to the pong; clean close with normal code.", script, {OK: []},
            by_server=True, codes=[NORMAL], require_clean=True)

    unsolicited("2.7", "Send unsolicited pong without payload.", b"")
    unsolicited("2.8", "Send unsolicited pong with payload.", b"unsolicited pong payload")

    async def s2_9(ctx: Ctx) -> None:
        await ctx.frame(0xA, b"unsolicited pong payload")
        await ctx.frame(0x9, b"ping payload")
        ctx.close_after(1)
    add_echo("2.9", "Send unsolicited pong with payload, then ping with payload.", s2_9, [("pong", b"ping payload")],
             "Nothing in reply to the pong, a pong echoing the ping's payload; clean close with normal code.")

    for id, chop in (("2.10", None), ("2.11", 1)):
        async def script(ctx: Ctx, chop=chop) -> None:
            for i in range(10):
                await ctx.frame(0x9, b"payload-%d" % i, chop=chop)
            ctx.close_after(3)
        add_echo(id, "Send 10 pings with payload%s." % (", sent in octet-wise chops" if chop else ""), script,
                 [("pong", b"payload-%d" % i) for i in range(10)],
                 "Pongs for all ten pings, in order; clean close with normal code.")


# -- section 3: reserved bits


def _section3() -> None:
    async def s3_1(ctx: Ctx) -> None:
        await ctx.frame(0x1, HELLO, rsv=1)
        ctx.kill_after(1)
    add_fail("3.1", "Send small text message with RSV = 1.", s3_1)

    for id, rsv, mode in (("3.2", 2, None), ("3.3", 3, "sync"), ("3.4", 4, "chop")):
        async def script(ctx: Ctx, rsv=rsv, mode=mode) -> None:
            chop = 1 if mode == "chop" else None
            sync = mode == "sync"
            await ctx.frame(0x1, HELLO, chop=chop, sync=sync)
            await ctx.frame(0x1, HELLO, rsv=rsv, chop=chop, sync=sync)
            await ctx.frame(0x9, b"", chop=chop, sync=sync)
            ctx.kill_after(1)
        how = {None: "", "sync": " Octets are sent in frame-wise chops.",
               "chop": " Octets are sent in octet-wise chops."}[mode]
        add_fail(id, "Send small text message, then again with RSV = %d, then ping.%s" % (rsv, how), script,
                 ok=[("message", HELLO, False)], non_strict=[],
                 expectation="Echo of the first message, then the connection is failed (1002); no pong.")

    async def s3_5(ctx: Ctx) -> None:
        await ctx.frame(0x2, b"\x00\xff\xfe\xfd\xfc\xfb\x00\xff", rsv=5)
        ctx.kill_after(1)
    add_fail("3.5", "Send small binary message with RSV = 5.", s3_5)

    async def s3_6(ctx: Ctx) -> None:
        await ctx.frame(0x9, HELLO, rsv=6)
        ctx.kill_after(1)
    add_fail("3.6", "Send ping with RSV = 6.", s3_6)

    async def s3_7(ctx: Ctx) -> None:
        await ctx.frame(0x8, b"", rsv=7)
        ctx.kill_after(1)
    add_fail("3.7", "Send close with RSV = 7.", s3_7)


# -- section 4: reserved opcodes


def _section4() -> None:
    def single(id, opcode, payload):
        async def script(ctx: Ctx) -> None:
            await ctx.frame(opcode, payload)
            ctx.kill_after(1)
        add_fail(id, "Send frame with reserved %s opcode = %d%s." % (
            "control" if opcode >= 8 else "non-control", opcode, " and non-empty payload" if payload else ""), script)

    def after_message(id, opcode, payload, chop):
        async def script(ctx: Ctx) -> None:
            await ctx.frame(0x1, HELLO, chop=chop)
            await ctx.frame(opcode, payload, chop=chop)
            await ctx.frame(0x9, b"", chop=chop)
            ctx.kill_after(1)
        add_fail(id, "Send small text message, then frame with reserved %s opcode = %d%s, then ping%s." % (
            "control" if opcode >= 8 else "non-control", opcode, " and non-empty payload" if payload else "",
            " (octet-wise chops)" if chop else ""), script,
            ok=[("message", HELLO, False)], non_strict=[],
            expectation="Echo of the first message, then the connection is failed (1002); no pong.")

    for base, ops in (("4.1", (3, 4, 5, 6, 7)), ("4.2", (11, 12, 13, 14, 15))):
        single(base + ".1", ops[0], b"")
        single(base + ".2", ops[1], b"reserved opcode payload")
        after_message(base + ".3", ops[2], b"", None)
        after_message(base + ".4", ops[3], HELLO, None)
        after_message(base + ".5", ops[4], HELLO, 1)


# -- section 5: fragmentation


def _section5() -> None:
    def fail_frames(id, desc, frames, mode=None, ok=None, non_strict=None):
        async def script(ctx: Ctx) -> None:
            for opcode, fin, payload in frames:
                await ctx.frame(opcode, payload, fin=fin, chop=1 if mode == "chop" else None, sync=mode == "sync")
            ctx.kill_after(1)
        add_fail(id, desc, script, ok=ok, non_strict=non_strict)

    fail_frames("5.1", "Send ping fragmented into 2 fragments.", [(0x9, False, b"fragment1"), (0x0, True, b"fragment2")])
    fail_frames("5.2", "Send pong fragmented into 2 fragments.", [(0xA, False, b"fragment1"), (0x0, True, b"fragment2")])

    modes = [(None, ""), ("sync", ", octets sent in frame-wise chops"), ("chop", ", octets sent in octet-wise chops")]
    for n, (mode, how) in enumerate(modes, 3):
        async def script(ctx: Ctx, mode=mode) -> None:
            for opcode, fin, payload in ((0x1, False, b"fragment1"), (0x0, True, b"fragment2")):
                await ctx.frame(opcode, payload, fin=fin, chop=1 if mode == "chop" else None, sync=mode == "sync")
            ctx.close_after(1)
        add_echo("5.%d" % n, "Send text message fragmented into 2 fragments%s." % how, script,
                 [("message", b"fragment1fragment2", False)])
    for n, (mode, how) in enumerate(modes, 6):
        async def script(ctx: Ctx, mode=mode) -> None:
            for opcode, fin, payload in ((0x1, False, b"fragment1"), (0x9, True, b"ping payload"),
                                         (0x0, True, b"fragment2")):
                await ctx.frame(opcode, payload, fin=fin, chop=1 if mode == "chop" else None, sync=mode == "sync")
            ctx.close_after(1)
        add_echo("5.%d" % n, "Send text message fragmented into 2 fragments, one ping with payload in between%s." % how,
                 script, [("pong", b"ping payload"), ("message", b"fragment1fragment2", False)],
                 "The pong (before the echo), then the whole message echoed; clean close with normal code.")
    for n, (mode, how) in enumerate(modes, 9):
        fail_frames("5.%d" % n, "Send continuation frame with FIN = true where there is nothing to continue, then a "
                    "text message%s." % (how or ", in one chop"),
                    [(0x0, True, b"non-continuation payload"), (0x1, True, HELLO)], mode)
    for n, (mode, how) in enumerate(modes, 12):
        fail_frames("5.%d" % n, "Send continuation frame with FIN = false where there is nothing to continue, then "
                    "a text message%s." % (how or ", in one chop"),
                    [(0x0, False, b"non-continuation payload"), (0x1, True, HELLO)], mode)
    fail_frames("5.15", "Send text message fragmented into 2 fragments, then continuation frame with FIN = false where "
                "there is nothing to continue, then a text message, all in one chop.",
                [(0x1, False, b"fragment1"), (0x0, True, b"fragment2"), (0x0, False, b"fragment3"),
                 (0x1, True, b"fragment4")], ok=[("message", b"fragment1fragment2", False)], non_strict=[])
    fail_frames("5.16", "Repeated 2x: continuation frame with FIN = false (nothing to continue), then text message "
                "fragmented into 2 fragments.",
                [(0x0, False, b"fragment1"), (0x1, False, b"fragment2"), (0x0, True, b"fragment3")] * 2)
    fail_frames("5.17", "Repeated 2x: continuation frame with FIN = true (nothing to continue), then text message "
                "fragmented into 2 fragments.",
                [(0x0, True, b"fragment1"), (0x1, False, b"fragment2"), (0x0, True, b"fragment3")] * 2)
    fail_frames("5.18", "Send text message fragmented into 2 fragments, with both frame opcodes set to text.",
                [(0x1, False, b"fragment1"), (0x1, True, b"fragment2")])

    frags = [b"fragment1", b"fragment2", b"fragment3", b"fragment4", b"fragment5"]
    pings = [b"pongme 1!", b"pongme 2!"]
    for id, sync in (("5.19", False), ("5.20", True)):
        async def script(ctx: Ctx, sync=sync) -> None:
            await ctx.frame(0x1, frags[0], fin=False, sync=sync)
            await ctx.frame(0x0, frags[1], fin=False, sync=sync)
            await ctx.frame(0x9, pings[0], sync=sync)
            if not await ctx.sleep(1):
                return
            await ctx.frame(0x0, frags[2], fin=False, sync=sync)
            await ctx.frame(0x0, frags[3], fin=False, sync=sync)
            await ctx.frame(0x9, pings[1], sync=sync)
            await ctx.frame(0x0, frags[4], fin=True, sync=sync)
            ctx.close_after(1)
        add_echo(id, "A fragmented text message in 5 frames: after 2 fragments a ping, wait 1 s, 2 more fragments, "
                 "another ping, the final fragment%s." % (" (frame-wise chops)" if sync else ""), script,
                 [("pong", pings[0]), ("pong", pings[1]), ("message", b"".join(frags), False)],
                 "Both pongs as the pings arrive, then the whole message echoed; clean close with normal code.",
                 extra_time=1)


# -- section 6: UTF-8


def utf8_test_sequences() -> list:
    """Autobahn's 6.5-6.23 sequences (from Markus Kuhn's UTF-8 decoder stress test)."""
    def valid(b: bytes) -> bool:
        try:
            b.decode("utf-8")
            return True
        except UnicodeDecodeError:
            return False

    seqs = []
    vss = b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"
    seqs.append(("Some valid UTF-8 sequences", [(True, b"hello\x24world"), (True, b"hello\xc2\xa2world"),
                 (True, b"hello\xe2\x82\xacworld"), (True, b"hello\xf0\xa4\xad\xa2world"), (True, vss)]))
    seqs.append(("All prefixes of a valid UTF-8 string that contains multi-byte code points",
                 [(valid(vss[:i]), vss[:i]) for i in range(1, len(vss) + 1)]))
    seqs.append(("First possible sequence of a certain length",
                 [(True, b"\x00"), (True, b"\xc2\x80"), (True, b"\xe0\xa0\x80"), (True, b"\xf0\x90\x80\x80")]))
    seqs.append(("First possible sequence length 5/6 (invalid codepoints)",
                 [(False, b"\xf8\x88\x80\x80\x80"), (False, b"\xfc\x84\x80\x80\x80\x80")]))
    seqs.append(("Last possible sequence of a certain length",
                 [(True, b"\x7f"), (True, b"\xdf\xbf"), (True, b"\xef\xbf\xbf"), (True, b"\xf4\x8f\xbf\xbf")]))
    seqs.append(("Last possible sequence length 4/5/6 (invalid codepoints)",
                 [(False, b"\xf7\xbf\xbf\xbf"), (False, b"\xfb\xbf\xbf\xbf\xbf"), (False, b"\xfd\xbf\xbf\xbf\xbf\xbf")]))
    seqs.append(("Other boundary conditions",
                 [(True, b"\xed\x9f\xbf"), (True, b"\xee\x80\x80"), (True, b"\xef\xbf\xbd"),
                  (True, b"\xf4\x8f\xbf\xbf"), (False, b"\xf4\x90\x80\x80")]))
    seqs.append(("Unexpected continuation bytes",
                 [(False, b"\x80"), (False, b"\xbf"), (False, b"\x80\xbf"), (False, b"\x80\xbf\x80"),
                  (False, b"\x80\xbf\x80\xbf"), (False, b"\x80\xbf\x80\xbf\x80"), (False, b"\x80\xbf\x80\xbf\x80\xbf"),
                  (False, bytes(range(0x80, 0xbf)))]))
    seqs.append(("Lonely start characters",
                 [(False, b"".join(bytes([i, 0x20]) for i in range(lo, hi)))
                  for lo, hi in ((0xc0, 0xdf), (0xe0, 0xef), (0xf0, 0xf7), (0xf8, 0xfb), (0xfc, 0xfd))]))
    k = [b"\xc0", b"\xe0\x80", b"\xf0\x80\x80", b"\xf8\x80\x80\x80", b"\xfc\x80\x80\x80\x80",
         b"\xdf", b"\xef\xbf", b"\xf7\xbf\xbf", b"\xfb\xbf\xbf\xbf", b"\xfd\xbf\xbf\xbf\xbf"]
    seqs.append(("Sequences with last continuation byte missing", [(False, kk) for kk in k]))
    seqs.append(("Concatenation of incomplete sequences", [(False, b"".join(k))]))
    seqs.append(("Impossible bytes", [(False, b"\xfe"), (False, b"\xff"), (False, b"\xfe\xfe\xff\xff")]))
    seqs.append(("Examples of an overlong ASCII character",
                 [(False, b"\xc0\xaf"), (False, b"\xe0\x80\xaf"), (False, b"\xf0\x80\x80\xaf"),
                  (False, b"\xf8\x80\x80\x80\xaf"), (False, b"\xfc\x80\x80\x80\x80\xaf")]))
    seqs.append(("Maximum overlong sequences",
                 [(False, b"\xc1\xbf"), (False, b"\xe0\x9f\xbf"), (False, b"\xf0\x8f\xbf\xbf"),
                  (False, b"\xf8\x87\xbf\xbf\xbf"), (False, b"\xfc\x83\xbf\xbf\xbf\xbf")]))
    seqs.append(("Overlong representation of the NUL character",
                 [(False, b"\xc0\x80"), (False, b"\xe0\x80\x80"), (False, b"\xf0\x80\x80\x80"),
                  (False, b"\xf8\x80\x80\x80\x80"), (False, b"\xfc\x80\x80\x80\x80\x80")]))
    seqs.append(("Single UTF-16 surrogates",
                 [(False, s) for s in (b"\xed\xa0\x80", b"\xed\xad\xbf", b"\xed\xae\x80", b"\xed\xaf\xbf",
                                       b"\xed\xb0\x80", b"\xed\xbe\x80", b"\xed\xbf\xbf")]))
    seqs.append(("Paired UTF-16 surrogates",
                 [(False, a + b) for a, b in ((b"\xed\xa0\x80", b"\xed\xb0\x80"), (b"\xed\xa0\x80", b"\xed\xbf\xbf"),
                                              (b"\xed\xad\xbf", b"\xed\xb0\x80"), (b"\xed\xad\xbf", b"\xed\xbf\xbf"),
                                              (b"\xed\xae\x80", b"\xed\xb0\x80"), (b"\xed\xae\x80", b"\xed\xbf\xbf"),
                                              (b"\xed\xaf\xbf", b"\xed\xb0\x80"), (b"\xed\xaf\xbf", b"\xed\xbf\xbf"))]))
    nonchars = [(True, b"\xef\xbf\xbe"), (True, b"\xef\xbf\xbf")]
    for z1 in (0xf0, 0xf1, 0xf2, 0xf3, 0xf4):
        for z2 in (0x8f, 0x9f, 0xaf, 0xbf):
            if z1 == 0xf4 and z2 != 0x8f:
                continue   # > U+10FFFF
            for z3 in (0xbe, 0xbf):
                zz = bytes([z1, z2, 0xbf, z3])
                if zz not in (b"\xf0\x8f\xbf\xbe", b"\xf0\x8f\xbf\xbf"):   # overlong
                    nonchars.append((True, zz))
    seqs.append(("Non-character code points (valid UTF-8)", nonchars))
    seqs.append(("Unicode specials (i.e. replacement char)",
                 [(True, bytes([0xef, 0xbf, b])) for b in (0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf)]))
    for _, items in seqs:
        for ok, payload in items:
            assert ok == valid(payload), payload
    return seqs


def _section6() -> None:
    def valid_text(id, desc, frames, payload, chop=None):
        async def script(ctx: Ctx) -> None:
            for opcode, fin, p in frames:
                await ctx.frame(opcode, p, fin=fin, chop=chop)
            ctx.close_after(1)
        add_echo(id, desc, script, [("message", payload, False)])

    valid_text("6.1.1", "Send text message of length 0.", [(0x1, True, b"")], b"")
    valid_text("6.1.2", "Send fragmented text message, 3 fragments each of length 0.",
               [(0x1, False, b""), (0x0, False, b""), (0x0, True, b"")], b"")
    valid_text("6.1.3", "Send fragmented text message, 3 fragments, first and last of length 0, middle non-empty.",
               [(0x1, False, b""), (0x0, False, b"middle frame payload"), (0x0, True, b"")], b"middle frame payload")

    hello = "Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!".encode()
    p1, p2 = "Hello-\u00b5@\u00df\u00f6\u00e4".encode(), "\u00fc\u00e0\u00e1-UTF-8!!".encode()
    kosme = b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"

    async def s6_2_1(ctx: Ctx) -> None:
        await ctx.message(hello)
        ctx.close_after(1)
    add_echo("6.2.1", "Send a valid UTF-8 text message in one fragment: %s (0x%s)." % (hello.decode(), hello.hex()),
             s6_2_1, [("message", hello, False)])
    valid_text("6.2.2", "Send a valid UTF-8 text message in two fragments, split on a code point boundary.",
               [(0x1, False, p1), (0x0, True, p2)], hello)
    for id, payload in (("6.2.3", hello), ("6.2.4", kosme)):
        async def script(ctx: Ctx, payload=payload) -> None:
            await ctx.message(payload, fragment_size=1)
            ctx.close_after(1)
        add_echo(id, "Send a valid UTF-8 text message (0x%s) in frames of 1 octet each, so frames end inside code "
                 "points." % payload.hex(), script, [("message", payload, False)])

    bad = kosme + b"\xed\xa0\x80" + b"edited"   # invalid exactly at octet 12 (0xa0)
    for id, fragment_size in (("6.3.1", None), ("6.3.2", 1)):
        async def script(ctx: Ctx, fragment_size=fragment_size) -> None:
            await ctx.message(bad, fragment_size=fragment_size)
            ctx.kill_after(1)
        add_fail(id, "Send invalid UTF-8 text message (0x%s)%s." % (
            bad.hex(), " in frames of 1 octet" if fragment_size else " unfragmented"), script, code=INVALID_PAYLOAD)

    # 6.4.x: fail fast. The first part is valid, the second makes the text invalid, then the server waits 1 s
    # before sending the rest: the client must fail during that wait ([("timeout", "A")]); failing only once
    # the rest arrived is NON-STRICT; failing before the invalid part arrived is FAILED.
    part1, part2, part3 = kosme, b"\xf4\x90\x80\x80", b"edited"   # 0xf4 0x90: > U+10FFFF, invalid at octet 12
    whole = part1 + part2 + part3

    def fail_fast(id, desc, parts, one_frame):
        async def script(ctx: Ctx) -> None:
            if one_frame:
                await ctx.raw(build_frame(0x1, parts[0], length=len(whole)), "frame header (len %d) + part 1 (%s)"
                              % (len(whole), show(parts[0])))
            else:
                await ctx.frame(0x1, parts[0], fin=False)
            if not await ctx.sleep(1):
                return
            ctx.received.append(("timeout", "A"))
            if one_frame:
                await ctx.raw(parts[1], "part 2 (%s)" % show(parts[1]))
            else:
                await ctx.frame(0x0, parts[1], fin=False)
            if not await ctx.sleep(1):
                return
            ctx.received.append(("timeout", "B"))
            if one_frame:
                await ctx.raw(parts[2], "part 3 (%s)" % show(parts[2]))
            else:
                await ctx.frame(0x0, parts[2], fin=True)
            ctx.kill_after(1)
        add_fail(id, desc, script, ok=[("timeout", "A")], non_strict=[("timeout", "A"), ("timeout", "B")],
                 code=INVALID_PAYLOAD, extra_time=2,
                 expectation="The first part is accepted (no close during the first 1 s wait); the client closes "
                             "with 1007 during the second wait, before the rest arrives (closing only after the rest "
                             "is NON-STRICT).")

    fail_fast("6.4.1", "Send invalid UTF-8 text message in 3 fragments: valid part 1 (0x%s), wait 1 s, part 2 (0x%s) "
              "making it invalid (U+110000), wait 1 s, part 3." % (part1.hex(), part2.hex()), (part1, part2, part3), False)
    fail_fast("6.4.2", "Same as 6.4.1, but part 2 is only the octet making the payload invalid (0x%s)."
              % whole[12:13].hex(), (whole[:12], whole[12:13], whole[13:]), False)
    fail_fast("6.4.3", "Same as 6.4.1, but the 3 parts are chops of one single frame.", (part1, part2, part3), True)
    fail_fast("6.4.4", "Same as 6.4.2, but the 3 parts are chops of one single frame.",
              (whole[:12], whole[12:13], whole[13:]), True)

    # Not in Autobahn: the invalid octet is already in the first fragment; the server then waits 1 s.
    # The client must close with 1007 during that first wait, before the rest arrives.
    bad_first = b"Hello \xc0\xaf"   # overlong '/'
    for id, one_frame in (("6.4.5", False), ("6.4.6", True)):
        async def script(ctx: Ctx, one_frame=one_frame) -> None:
            rest = b" world"
            if one_frame:
                await ctx.raw(build_frame(0x1, bad_first, length=len(bad_first) + len(rest)),
                              "frame header + part 1 (%s)" % show(bad_first))
            else:
                await ctx.frame(0x1, bad_first, fin=False)
            if not await ctx.sleep(1):
                return
            ctx.received.append(("timeout", "A"))
            if one_frame:
                await ctx.raw(rest, "part 2 (%s)" % show(rest))
            else:
                await ctx.frame(0x0, rest, fin=True)
            ctx.kill_after(1)
        add_fail(id, "Send a text message whose first %s (0x%s) already holds invalid UTF-8 (overlong), wait 1 s, "
                 "then the rest (not an Autobahn case)." % ("chop of a single frame" if one_frame else "fragment",
                                                         bad_first.hex()),
                 script, ok=[], non_strict=[("timeout", "A")], code=INVALID_PAYLOAD, extra_time=1,
                 expectation="The client closes with 1007 during the 1 s wait, before the rest arrives (closing "
                             "only after the rest is NON-STRICT).")

    for i, (title, items) in enumerate(utf8_test_sequences(), 5):
        for j, (ok, payload) in enumerate(items, 1):
            async def script(ctx: Ctx, payload=payload) -> None:
                await ctx.message(payload)
                ctx.kill_after(1)
            id = "6.%d.%d" % (i, j)
            if ok:
                add_echo(id, "%s: valid UTF-8 text message 0x%s in one fragment." % (title, payload.hex()), script,
                         [("message", payload, False)])
            else:
                add_fail(id, "%s: invalid UTF-8 text message 0x%s in one fragment." % (title, payload.hex()), script,
                         code=INVALID_PAYLOAD)


# -- section 7: closing


def _section7() -> None:
    def closing(id, desc, script, expected=None, codes=(NORMAL,), require_clean=True, **kw):
        add(id, desc, "Clean close with %s." % ("normal code" if list(codes) == [NORMAL] else
                                                 "code " + " or ".join(map(str, codes)) +
                                                 ("" if require_clean else " (or dropped TCP, NON-STRICT)")),
            script, expected or {OK: []}, by_server=True, codes=list(codes), require_clean=require_clean,
            suppress_close=True, **kw)

    hello = b"Hello World!"

    async def s7_1_1(ctx: Ctx) -> None:
        await ctx.frame(0x1, hello)
        ctx.kill_after(1)
    add_echo("7.1.1", "Send a message followed by a close frame (after its echo).", s7_1_1, [("message", hello, False)])

    async def s7_1_2(ctx: Ctx) -> None:
        ctx.close(NORMAL)
        await ctx.frame(0x8, b"")
        ctx.kill_after(1)
    closing("7.1.2", "Send two close frames.", s7_1_2)

    async def s7_1_3(ctx: Ctx) -> None:
        ctx.close(NORMAL)
        await ctx.frame(0x9, b"")
        ctx.kill_after(1)
    closing("7.1.3", "Send a ping after the close frame.", s7_1_3)

    async def s7_1_4(ctx: Ctx) -> None:
        ctx.close(NORMAL)
        await ctx.frame(0x1, hello)
        ctx.kill_after(1)
    closing("7.1.4", "Send a text message after the close frame.", s7_1_4)

    async def s7_1_5(ctx: Ctx) -> None:
        await ctx.frame(0x1, b"fragment1", fin=False)
        ctx.close(NORMAL)
        await ctx.frame(0x0, b"fragment2", fin=True)
        ctx.kill_after(1)
    closing("7.1.5", "Send message fragment 1, then the close frame, then the final fragment.", s7_1_5)

    big = (b"BAsd7&jh23" * (256 * 1024 // 10 + 1))[:256 * 1024]

    async def s7_1_6(ctx: Ctx) -> None:
        await ctx.frame(0x1, big)
        await ctx.frame(0x1, hello)
        ctx.close(NORMAL)
        await ctx.frame(0x9, b"")
        ctx.kill_after(2)
    closing("7.1.6", "Send a 256 KiB text message, a small text message, a close frame, then a ping.", s7_1_6,
            expected={OK: [("message", big, False), ("message", hello, False)], NON_STRICT: []}, informational=True)

    async def s7_3_1(ctx: Ctx) -> None:
        ctx.close(None)
        ctx.kill_after(1)
    closing("7.3.1", "Send a close frame with payload length 0 (no close code, no reason).", s7_3_1)

    async def s7_3_2(ctx: Ctx) -> None:
        ctx.close(None, b"a")
        ctx.kill_after(1)
    closing("7.3.2", "Send a close frame with payload length 1.", s7_3_2, codes=[PROTOCOL_ERROR], require_clean=False)

    async def s7_3_3(ctx: Ctx) -> None:
        ctx.close(NORMAL)
        ctx.kill_after(1)
    closing("7.3.3", "Send a close frame with payload length 2 (regular close with a code).", s7_3_3)

    async def s7_3_4(ctx: Ctx) -> None:
        ctx.close(NORMAL, b"Hello World!")
        ctx.kill_after(1)
    closing("7.3.4", "Send a close frame with close code and close reason.", s7_3_4)

    async def s7_3_5(ctx: Ctx) -> None:
        ctx.close(NORMAL, b"*" * 123)
        ctx.kill_after(1)
    closing("7.3.5", "Send a close frame with close code and a close reason of maximum length (123).", s7_3_5)

    async def s7_3_6(ctx: Ctx) -> None:
        ctx.close(NORMAL, b"*" * 124)
        ctx.kill_after(1)
    closing("7.3.6", "Send a close frame with close code and a close reason of 124 octets (payload 126, too long).",
            s7_3_6, codes=[PROTOCOL_ERROR], require_clean=False)

    async def s7_5_1(ctx: Ctx) -> None:
        ctx.close(NORMAL, b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80\x65\x64\x69\x74\x65\x64")
        ctx.kill_after(1)
    closing("7.5.1", "Send a close frame with a close reason that is not valid UTF-8.", s7_5_1,
            codes=[INVALID_PAYLOAD, PROTOCOL_ERROR], require_clean=False)

    # 7.7.1-13 as Autobahn; 7.7.14-16 (1012-1014, registered with IANA after RFC 6455) are additions.
    for i, code in enumerate([1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999,
                              1012, 1013, 1014], 1):
        async def script(ctx: Ctx, code=code) -> None:
            ctx.close(code)
            ctx.kill_after(1)
        closing("7.7.%d" % i, "Send close with valid close code %d." % code, script, codes=[NORMAL, code])

    # 7.9.1-9 as Autobahn; 7.9.10 (1015, must never be sent in a close frame) is an addition.
    for i, code in enumerate([0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999, 1015], 1):
        async def script(ctx: Ctx, code=code) -> None:
            ctx.close(code)
            ctx.kill_after(1)
        closing("7.9.%d" % i, "Send close with invalid close code %d." % code, script, codes=[PROTOCOL_ERROR],
                require_clean=False)

    for i, code in enumerate([5000, 65535], 1):
        async def script(ctx: Ctx, code=code) -> None:
            ctx.close(code)
            ctx.kill_after(1)
        closing("7.13.%d" % i, "Send close with close code %d (outside every range RFC 6455 defines)." % code, script,
                codes=[PROTOCOL_ERROR], require_clean=False, undefined_by_spec=True)


# -- section 10: miscellaneous


def _section10() -> None:
    payload = text(65536)

    async def s10_1_1(ctx: Ctx) -> None:
        await ctx.message(payload, fragment_size=1300)
        ctx.kill_after(4)
    add_echo("10.1.1", "Send text message with payload of length 65536 auto-fragmented into frames of 1300 octets.",
             s10_1_1, [("message", payload, False)])

    # Not in Autobahn: frames of varying sizes (across the 7/16/64-bit length encodings), multi-byte UTF-8
    # split across frame boundaries.
    chars = "\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1\u20ac\U0001d11e\u07ff\u0800\uffff\U00010000\U0010ffff*"
    s = (chars * 6000).encode()[:65536]
    while True:
        try:
            s.decode("utf-8")
            break
        except UnicodeDecodeError:
            s = s[:-1]
    mixed = s + b"*" * (65536 - len(s))
    sizes = [1, 2, 3, 125, 126, 127, 128, 997, 65535, 4096, 7]

    def frames_of(data: bytes) -> list:
        out, i, k = [], 0, 0
        while i < len(data):
            n = sizes[k % len(sizes)]
            out.append(data[i:i + n])
            i += n
            k += 1
        return out

    for id, data, opcode in (("10.1.2", mixed, 0x1), ("10.1.3", binary(65536), 0x2)):
        async def script(ctx: Ctx, data=data, opcode=opcode) -> None:
            pieces = frames_of(data)
            await ctx.raw(b"".join(build_frame(opcode if i == 0 else 0, p, fin=(i == len(pieces) - 1))
                                   for i, p in enumerate(pieces)), "%d frames of varying size" % len(pieces))
            ctx.kill_after(4)
        add_echo(id, "Send a %s message of 65536 octets in frames of varying sizes %s... (not an Autobahn case)."
                 % ("UTF-8 text (multi-byte code points split across frames)" if opcode == 1 else "binary",
                    ", ".join(map(str, sizes))), script, [("message", data, opcode == 0x2)])


def _compression_data() -> dict:
    """Stand-ins for Autobahn's test files (their contents are not ours to ship), made of the same
    kind of data and of the same sizes: (bytes or str, binary?, description). Deterministic."""
    rnd = random.Random(7692)
    words = ["Faust", "Mephistopheles", "Gretchen", "Geist", "Natur", "über", "grün", "Größe", "Weißheit",
             "und", "der", "die", "das", "ich", "nicht", "ist", "mit", "Straße", "schön", "Mädchen", "Äther"]

    def prose(n: int) -> str:
        out, size = [], 0
        while size < n:
            line = " ".join(rnd.choice(words) for _ in range(rnd.randint(4, 12))) + (".\n" if rnd.random() < 0.3 else ",\n")
            out.append(line)
            size += len(line.encode())
        return "".join(out)

    def json_text(n: int) -> str:
        out, size, i = ["["], 1, 0
        names = ["Zoë", "Ålesund", "東京", "São Paulo", "Kraków", "Ελλάδα", "Smith", "García", "Müller"]
        while size < n:
            rec = '{"id": %d, "name": "%s", "score": %.3f, "tags": ["%s", "%s"], "active": %s},\n' % (
                i, rnd.choice(names), rnd.random() * 1000, rnd.choice(words), rnd.choice(words),
                "true" if rnd.random() < 0.5 else "false")
            out.append(rec)
            size += len(rec.encode())
            i += 1
        return "".join(out)

    def html(n: int) -> str:
        out, size = ["<!DOCTYPE html><html><body>\n"], 0
        while size < n:
            chunk = '<div class="row"><a href="/item/%d">%s</a> <span>%s</span></div>\n' % (
                rnd.randint(1, 99999), rnd.choice(words), prose(40).strip())
            out.append(chunk)
            size += len(chunk.encode())
        return "".join(out)

    def bitmap(n: int) -> bytes:
        # a grey-scale picture: smooth gradients with noise
        out = bytearray(b"BM" + bytes(52))
        while len(out) < n:
            y = len(out) // 512
            out += bytes((x // 2 + y // 3 + rnd.randint(0, 24)) & 0xFF for x in range(512))
        return bytes(out[:n])

    def pdf(n: int) -> bytes:
        # text streams between stretches of already-compressed (random) bytes
        out = bytearray(b"%PDF-1.4\n")
        while len(out) < n:
            if rnd.random() < 0.5:
                out += prose(2000).encode()
            else:
                out += rnd.randbytes(rnd.randint(500, 8000))
        return bytes(out[:n])

    def cut(text: str, n: int) -> str:
        return text.encode()[:n].decode("utf-8", "ignore")   # at most n octets, whole characters

    return {
        "json_data1": (cut(json_text(194056 + 64), 194056), False, "Large JSON data file"),
        "lena512": (bitmap(263222), True, "Picture, bitmap 512x512 grey"),
        "gutenberg_faust": (prose(222218).encode()[:222218], True, "Human readable text in German"),
        "html_data1": (cut(html(263647 + 64), 263647), False, "Large HTML file"),
        "ooms": (pdf(1042328), True, "A larger PDF"),
    }


def _sections12and13() -> None:
    # Autobahn's (payload length, message count, timeout, auto-fragment size); the counts are capped
    # here so that no case moves more than 2 MiB each way (Autobahn sends 1000 messages of each size)
    sizes = [(16, 0), (64, 0), (256, 0), (1024, 0), (4096, 0), (8192, 0), (16384, 0), (32768, 0), (65536, 0),
             (131072, 0), (8192, 256), (16384, 256), (32768, 256), (65536, 256), (131072, 256), (131072, 1024),
             (131072, 4096), (131072, 32768)]
    data = _compression_data()

    def count_for(size: int) -> int:
        return max(16, min(1000, (2 * 1024 * 1024) // size))

    def messages(key: str, size: int, count: int) -> list:
        payload, binary, _ = data[key]
        out, ptr = [], 0
        for _ in range(count):
            end = (ptr + size) % len(payload)
            msg = payload[ptr:end] if end > ptr else payload[ptr:] + payload[:end]
            ptr = end
            out.append(msg if binary else msg.encode())
        return out

    def add_compression(id, description, key, size, count, fragment, accept):
        binary = data[key][1]

        async def script(ctx: Ctx) -> None:
            if ctx.peer.deflate is None:
                ctx.unimplemented = True
                ctx.close(NORMAL)
                return
            ctx.peer.note("permessage-deflate: %s" % ctx.peer.deflate.response)
            for i, (_, msg, _) in enumerate(ctx.expected[OK]):
                await ctx.peer.send_message(msg, binary, fragment)
                if not await ctx.wait_events(i + 1, ECHO_TIMEOUT):
                    if ctx.open:
                        ctx.peer.note("no echo of message %d within %.0f s" % (i + 1, ECHO_TIMEOUT))
                        ctx.close(NORMAL)
                    return
                if ctx.received[i] != ctx.expected[OK][i]:
                    ctx.peer.note("echo %d differs from what was sent" % (i + 1))
                    ctx.close(NORMAL)   # as Autobahn: judged as it stands
                    return

        def expected() -> dict:
            return {OK: [("message", m, binary) for m in messages(key, size, count)]}

        add(id, description, "Receive echo'ed messages (with payload as sent); clean close with normal code.",
            script, {}, by_server=True, codes=[NORMAL], require_clean=True, extra_time=60.0,
            deflate_accept=accept, make_expected=expected)

    def first(offers):
        return offers[0] if offers else None

    def accept_plain(offers):
        o = first(offers)
        return Deflate(o) if o else None

    def accept_with(no_context_takeover: bool, window_bits: int):
        def accept(offers):
            for o in offers:
                if (not no_context_takeover or o.accept_no_context_takeover) and \
                        (not window_bits or o.accept_max_window_bits):
                    return Deflate(o, no_context_takeover, window_bits)
            return None
        return accept

    def accept7(offers):
        return accept_with(True, 9)(offers) or accept_with(True, 0)(offers) or accept_plain(offers)

    j = 1
    for key in ("json_data1", "lena512", "gutenberg_faust", "html_data1", "ooms"):
        for i, (size, fragment) in enumerate(sizes, 1):
            count = count_for(size)
            add_compression("12.%d.%d" % (j, i),
                            "%s (%s): send %d compressed messages each of payload size %d, auto-fragment to %d "
                            "octets. Default permessage-deflate offer." % (
                                data[key][2], "binary" if data[key][1] else "utf8", count, size, fragment),
                            key, size, count, fragment, accept_plain)
        j += 1

    accepts = [("(False, 0)", accept_plain), ("(True, 0)", accept_with(True, 0)), ("(False, 9)", accept_with(False, 9)),
               ("(False, 15)", accept_with(False, 15)), ("(True, 9)", accept_with(True, 9)),
               ("(True, 15)", accept_with(True, 15)), ("[(True, 9), (True, 0), (False, 0)]", accept7)]
    for j, (desc, accept) in enumerate(accepts, 1):
        for i, (size, fragment) in enumerate(sizes, 1):
            count = count_for(size)
            add_compression("13.%d.%d" % (j, i),
                            "Large JSON data file (utf8): send %d compressed messages each of payload size %d, "
                            "auto-fragment to %d octets. Server accept (requestNoContextTakeover, "
                            "requestMaxWindowBits): %s." % (count, size, fragment, desc),
                            "json_data1", size, count, fragment, accept)


_section1()
_section2()
_section3()
_section4()
_section5()
_section6()
_section7()
_section10()
_sections12and13()
assert len({c.id for c in CASES}) == len(CASES), "duplicate case ids"


# ----------------------------------------------------------------------------------------------------
# Judging


def judge(case: Case, ctx: Ctx, peer: Peer) -> dict:
    behavior, result = FAILED, "The events differ from every expected outcome."
    for verdict, exp in ctx.expected.items():
        if ctx.received == exp:
            behavior, result = verdict, "The events match the %s outcome." % verdict
            break
    if case.deflate_accept is not None:
        # sections 12, 13 (Autobahn: UNIMPLEMENTED without an acceptable offer; an offer it cannot parse
        # fails the opening handshake, so the case FAILS)
        if peer.offer_problems:
            behavior, result = FAILED, "The client's extension offer is invalid: " + "; ".join(peer.offer_problems)
        elif ctx.unimplemented:
            behavior = UNIMPLEMENTED
            result = ("The client did not offer permessage-deflate as this case needs it (offered: %s)."
                      % (peer.offered_extensions if peer.offered_extensions is not None else "nothing"))
        elif behavior == OK:
            result = "All %d messages were echoed as sent." % len(ctx.received)
        else:
            n = next((i for i, (a, b) in enumerate(zip(ctx.received, ctx.expected[OK])) if a != b), None)
            result = ("Echo %d of %d differs from the message sent: %s instead of %s." % (
                n + 1, len(ctx.expected[OK]), show_event(ctx.received[n]), show_event(ctx.expected[OK][n]))
                      if n is not None else "%d of %d messages were echoed." % (len(ctx.received), len(ctx.expected[OK])))

    code = peer.client_close[0] if peer.client_close else None
    if peer.violations:
        behavior_close, result_close = FAILED, "The client broke the protocol: " + "; ".join(peer.violations)
    elif case.by_server != peer.closed_by_server:
        behavior_close = FAILED
        result_close = ("The server had to close the connection (%s); the client should have failed it."
                        % ("kill timer" if peer.killed else "close frame sent first")
                        if peer.closed_by_server else "The client closed the connection; the server should have.")
        if peer.client_close is None and peer.dropped_by_client:
            result_close = "The client dropped TCP (without a close frame) where the server should have closed."
    elif peer.client_close is None:
        if peer.dropped_by_client and not case.require_clean:
            behavior_close = NON_STRICT
            result_close = "The client dropped TCP without sending a close frame (RFC 6455 7.1.7: SHOULD send one)."
            if peer.client_reset:
                result_close += (" The connection was reset (RST): the client closed its socket with unread data, "
                                 "which discards a close frame it may have sent.")
        elif peer.dropped_by_client:
            behavior_close, result_close = FAILED, "The client dropped TCP without a closing handshake."
        else:
            behavior_close = FAILED
            result_close = "The client never answered the close frame (%s)." % (peer.drop_reason or "hard timeout")
    elif code is None:
        if case.codes[0] == NORMAL:
            behavior_close, result_close = OK, "Clean close (close frame without a status code)."
        else:
            behavior_close = NON_STRICT
            result_close = "The client closed without a status code; expected %s." % "/".join(map(str, case.codes))
    elif code in case.codes:
        behavior_close, result_close = OK, "Connection was properly closed (code %d)." % code
    elif code in case.alt_codes:
        behavior_close = NON_STRICT
        result_close = "The client closed with %d; %s is expected." % (code, "/".join(map(str, case.codes)))
    else:
        behavior_close = FAILED
        result_close = "Wrong close code %d; expected %s." % (code, "/".join(map(str, case.codes)))
    if behavior_close == OK and case.require_clean and not peer.was_clean:
        behavior_close, result_close = FAILED, "The closing handshake was not clean."

    if case.wrong_endpoint_fatal and case.by_server != peer.closed_by_server:
        behavior = FAILED

    final = behavior if _RANK[behavior] >= _RANK[behavior_close] else behavior_close
    if case.informational and not peer.violations and behavior_close != FAILED:
        # 7.1.6: which of messages and close frame the client handles first is left open (Autobahn reports
        # it as INFORMATIONAL); a closing handshake that goes wrong is still a failure here
        final = INFORMATIONAL
        result = {OK: "The messages were processed before the close frame.",
                  NON_STRICT: "The close frame was processed before the messages were echoed."}.get(behavior, result)
    elif case.undefined_by_spec and not peer.violations and final != OK:
        final = INFORMATIONAL
        result = "Behaviour for this close code is left open by RFC 6455. " + result
    return {"behavior": final, "behaviorMessages": behavior, "behaviorClose": behavior_close,
            "result": result, "resultClose": result_close}


# ----------------------------------------------------------------------------------------------------
# HTTP upgrade and endpoints


class HandshakeError(Exception):
    def __init__(self, status: str, message: str, extra: str = ""):
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


async def read_request(conn: Conn) -> tuple[str, dict, dict]:
    try:
        raw = await asyncio.wait_for(conn.read_until(b"\r\n\r\n", 64 * 1024), 10)
    except (ConnectionGone, asyncio.TimeoutError):
        raise HandshakeError("", "no complete request")
    lines = raw.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise HandshakeError("400 Bad Request", "malformed request line")
    method, target, version = parts
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        if ":" not in line:
            raise HandshakeError("400 Bad Request", "malformed header line")
        name, value = line.split(":", 1)
        name = name.strip().lower()
        headers[name] = headers[name] + ", " + value.strip() if name in headers else value.strip()
    if method != "GET" or version != "HTTP/1.1":
        raise HandshakeError("400 Bad Request", "a WebSocket upgrade is a GET over HTTP/1.1")
    if headers.get("upgrade", "").lower() != "websocket":
        raise HandshakeError("400 Bad Request", "not a WebSocket upgrade request (Upgrade: websocket missing)")
    if "upgrade" not in [t.strip().lower() for t in headers.get("connection", "").split(",")]:
        raise HandshakeError("400 Bad Request", "Connection: Upgrade missing")
    if "host" not in headers:
        raise HandshakeError("400 Bad Request", "Host missing")
    if headers.get("sec-websocket-version", "") != "13":
        raise HandshakeError("426 Upgrade Required", "only WebSocket version 13", "Sec-WebSocket-Version: 13\r\n")
    key = headers.get("sec-websocket-key", "")
    try:
        if len(base64.b64decode(key, validate=True)) != 16:
            raise ValueError
    except ValueError:
        raise HandshakeError("400 Bad Request", "Sec-WebSocket-Key is not 16 octets in base64")
    url = urllib.parse.urlsplit(target)
    params = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
    return url.path, params, headers


def accept_key(key: str) -> str:
    return base64.b64encode(hashlib.sha1(key.encode("ascii") + GUID).digest()).decode("ascii")


class FuzzingServer:
    def __init__(self, report: Optional[str], case_timeout: float, verbose: bool):
        self.report_path = report
        self.case_timeout = case_timeout
        self.verbose = verbose
        self.results: dict[str, dict[int, dict]] = {}
        self.pending: dict[tuple[str, int], asyncio.Future] = {}

    def log(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    async def handle(self, sock: socket.socket) -> None:
        conn = Conn(sock)
        try:
            peer = await self._handle(conn)
            if peer is not None:
                await peer.finish()
        except Exception as e:   # never let one connection take the server down
            self.log("fuzzingserver: connection error: %r" % e)
        finally:
            conn.close()

    def _case_number(self, params: dict) -> int:
        try:
            n = int(params.get("case", ""))
        except ValueError:
            raise HandshakeError("400 Bad Request", "case must be a number")
        if not 1 <= n <= len(CASES):
            raise HandshakeError("404 Not Found", "no case %d (1-%d)" % (n, len(CASES)))
        return n

    async def _handle(self, conn: Conn) -> Optional[Peer]:
        try:
            path, params, headers = await read_request(conn)
            if path not in ("/getCaseCount", "/getCaseInfo", "/runCase", "/getCaseStatus", "/updateReports"):
                raise HandshakeError("404 Not Found", "unknown endpoint %s" % path)
            number = self._case_number(params) if path in ("/getCaseInfo", "/runCase", "/getCaseStatus") else 0
            agent = params.get("agent", "")
            if path in ("/runCase", "/getCaseStatus", "/updateReports") and not agent:
                raise HandshakeError("400 Bad Request", "agent missing")
        except HandshakeError as e:
            if e.status:
                body = (e.message + "\n").encode()
                await conn.send_all(("HTTP/1.1 %s\r\nServer: %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                                     "%sConnection: close\r\n\r\n" % (e.status, SERVER_NAME, len(body), e.extra))
                                    .encode() + body)
            if self.verbose:
                self.log("fuzzingserver: refused request: %s %s" % (e.status, e.message))
            return None
        deflate, problems = None, []
        if path == "/runCase" and CASES[number - 1].deflate_accept is not None:
            # sections 12, 13: the case decides how to accept the client's permessage-deflate offers;
            # every other case declines extensions (no Sec-WebSocket-Extensions in the answer)
            offers, problems = parse_offers(headers.get("sec-websocket-extensions"))
            deflate = CASES[number - 1].deflate_accept(offers)
        extension = "Sec-WebSocket-Extensions: %s\r\n" % deflate.response if deflate else ""
        if not await conn.send_all(("HTTP/1.1 101 Switching Protocols\r\nServer: %s\r\nUpgrade: websocket\r\n"
                                    "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n%s\r\n"
                                    % (SERVER_NAME, accept_key(headers["sec-websocket-key"]), extension)).encode()):
            return None
        peer = Peer(conn)
        peer.deflate = deflate
        peer.offered_extensions = headers.get("sec-websocket-extensions")
        peer.offer_problems = problems
        peer.start_reading()
        if path == "/runCase":
            await self.run_case(peer, number, agent, headers)
            return peer
        if path == "/getCaseCount":
            answer = json.dumps(len(CASES))
        elif path == "/getCaseInfo":
            c = CASES[number - 1]
            answer = json.dumps({"id": c.id, "description": c.description})
        elif path == "/getCaseStatus":
            answer = json.dumps({"behavior": await self.case_status(agent, number)})
        else:
            self.write_report()
            answer = None
        if answer is not None:
            await peer.send_frame(0x1, answer.encode())
        peer.send_close_frame(NORMAL)
        try:
            await asyncio.wait_for(peer.closed.wait(), CLOSE_HANDSHAKE_TIMEOUT + 1)
        except asyncio.TimeoutError:
            peer.drop("timeout", abort=True)
        return peer

    async def case_status(self, agent: str, number: int) -> str:
        fut = self.pending.get((agent, number))
        if fut is not None:
            try:
                await asyncio.wait_for(asyncio.shield(fut), self.case_timeout + 10)
            except asyncio.TimeoutError:
                pass
        result = self.results.get(agent, {}).get(number)
        return result["behavior"] if result else FAILED

    async def run_case(self, peer: Peer, number: int, agent: str, headers: dict) -> None:
        case = CASES[number - 1]
        fut = asyncio.get_running_loop().create_future()
        self.pending[(agent, number)] = fut
        ctx = Ctx(peer, case)
        started = now()
        script = asyncio.create_task(case.script(ctx))
        timed_out = False
        try:
            await asyncio.wait_for(peer.closed.wait(), self.case_timeout + case.extra_time)
        except asyncio.TimeoutError:
            timed_out = True
            peer.killed = True
            if peer.state == OPEN:   # a close frame first, so the client sees why; then drop regardless
                peer.send_close_frame(GOING_AWAY, b"case timed out")
            peer.drop("hard case timeout (%.1f s)" % (self.case_timeout + case.extra_time), abort=True)
        finally:
            ctx.cancel_timers()
            if not script.done():
                script.cancel()
            try:
                await script
            except (asyncio.CancelledError, Exception):
                pass
        verdict = judge(case, ctx, peer)
        result = {
            "number": number, "id": case.id, "description": case.description, "expectation": case.expectation,
            **verdict,
            "expected": {k: [show_event(e) for e in v[:50]] for k, v in ctx.expected.items()},
            "received": [show_event(e) for e in ctx.received[:50]],
            "eventCounts": {"expected": {k: len(v) for k, v in ctx.expected.items()}, "received": len(ctx.received)},
            "extensionsOffered": peer.offered_extensions,
            "extension": peer.deflate.response if peer.deflate else None,
            "offerProblems": peer.offer_problems,
            "deflate": peer.deflate.params() if peer.deflate else None,
            "compressedMessagesFromClient": peer.deflate.compressed_from_client if peer.deflate else 0,
            "uncompressedMessagesFromClient": peer.deflate.uncompressed_from_client if peer.deflate else 0,
            "windowCheckedMessagesFromClient": peer.deflate.window_checked_messages if peer.deflate else 0,
            "uncompressedMessagesFromServer": peer.deflate.sent_uncompressed if peer.deflate else 0,
            "expectedClose": {"closedByServer": case.by_server, "closeCode": case.codes,
                              "nonStrictCloseCode": case.alt_codes, "requireClean": case.require_clean},
            "clientCloseCode": peer.client_close[0] if peer.client_close else None,
            "clientCloseReason": show(peer.client_close[1]) if peer.client_close else None,
            "wasClean": peer.was_clean, "closedByServer": peer.closed_by_server,
            "droppedByClient": peer.dropped_by_client, "clientReset": peer.client_reset,
            "serverWriteFailed": peer.conn.write_error,
            "droppedByServer": peer.dropped_by_server,
            "killed": peer.killed, "hardTimeout": timed_out, "violations": peer.violations,
            "durationMs": round((now() - started) * 1000), "userAgent": headers.get("user-agent", ""),
            "timeline": peer.timeline[:200],
        }
        self.results.setdefault(agent, {})[number] = result
        if not fut.done():
            fut.set_result(result)
        if self.verbose or result["behavior"] not in (OK, INFORMATIONAL):
            self.log("fuzzingserver: case %d (%s) agent %s: %s -- %s %s" % (
                number, case.id, agent, result["behavior"], result["result"], result["resultClose"]))

    def write_report(self) -> None:
        agents = {}
        for agent, results in self.results.items():
            counts = {v: 0 for v in (OK, NON_STRICT, INFORMATIONAL, UNIMPLEMENTED, FAILED)}
            for r in results.values():
                counts[r["behavior"]] = counts.get(r["behavior"], 0) + 1
            agents[agent] = {"summary": counts, "cases": [results[n] for n in sorted(results)]}
            self.log("fuzzingserver: report for %s: %d cases, %s" % (
                agent, len(results), ", ".join("%d %s" % (n, v) for v, n in counts.items())))
        if not self.report_path:
            return
        report = {"server": SERVER_NAME, "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                  "caseCount": len(CASES), "agents": agents}
        tmp = self.report_path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1, ensure_ascii=False)
        os.replace(tmp, self.report_path)


async def serve(args: argparse.Namespace) -> None:
    fuzz = FuzzingServer(args.report, args.case_timeout, args.verbose)
    loop = asyncio.get_running_loop()
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((args.host, args.port))
    listener.listen(64)
    listener.setblocking(False)
    print("listening %d" % listener.getsockname()[1], flush=True)
    connections: set[asyncio.Task] = set()

    async def accept_loop() -> None:
        while True:
            sock, _ = await loop.sock_accept(listener)
            task = asyncio.create_task(fuzz.handle(sock))
            connections.add(task)
            task.add_done_callback(connections.discard)

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    acceptor = asyncio.create_task(accept_loop())
    await stop.wait()
    acceptor.cancel()
    for task in list(connections):
        task.cancel()
    listener.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=9001, help="port; 0 picks a free one (printed as 'listening N')")
    parser.add_argument("--report", help="JSON report file written on /updateReports")
    parser.add_argument("--case-timeout", type=float, default=5.0,
                        help="hard limit in seconds for one case's connection (plus its scripted waits)")
    parser.add_argument("--verbose", action="store_true", help="log every case, not only those that did not pass")
    parser.add_argument("--list", action="store_true", help="print the cases and exit")
    args = parser.parse_args()
    if args.list:
        for n, c in enumerate(CASES, 1):
            print("%d\t%s\t%s" % (n, c.id, c.description))
        return 0
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
