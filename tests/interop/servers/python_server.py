#!/usr/bin/python3
"""Interop test server on Python's `websockets` (Debian python3-websockets 10.4, legacy API).

Run with /usr/bin/python3 (Debian's interpreter, which has the module). Listens on 127.0.0.1
with a free port, prints that port alone on the first line of stdout, and serves until it is
terminated or its stdin reaches end of file (so it never outlives the test that started it).

Routes (path of the request URL), the same in node_server.js and qt_server.cpp:
  /echo                   echoes every message with its type; pings are answered by the library
  /protocol               first sends the subprotocol it selected as a text message, then echoes
  /close?code=C&reason=R  closes right after the handshake with that code and reason
  /drop                   starts a 16 MiB binary message and drops TCP in the middle of it
  /big?size=N             sends one binary message of N bytes, then waits for the client
  /reset                  resets TCP (RST) right after the handshake, then prints "reset" on stdout
  /bogus-protocol         answers with Sec-WebSocket-Protocol: bogus, which the client did not offer
Subprotocols: "chat" and "superchat"; the first one the client offers that is supported wins.
"""

import asyncio
import os
import socket
import struct
import sys
from urllib.parse import parse_qs, urlsplit

from websockets.legacy.server import WebSocketServerProtocol, serve

SUPPORTED_SUBPROTOCOLS = ["chat", "superchat"]
MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # the tests send up to 16 MiB
DROP_ANNOUNCED_BYTES = 16 * 1024 * 1024
DROP_SENT_BYTES = 64 * 1024


class InteropServerProtocol(WebSocketServerProtocol):
    """Selects the client's first supported subprotocol, or a bogus one on /bogus-protocol."""

    def select_subprotocol(self, client_subprotocols, server_subprotocols):
        # self.path is set by read_http_request() before the subprotocol is chosen
        if urlsplit(self.path).path == "/bogus-protocol":
            return "bogus"
        for offered in client_subprotocols:
            if offered in server_subprotocols:
                return offered
        return None


async def echo(ws):
    async for message in ws:  # str for text, bytes for binary: send() keeps the type
        await ws.send(message)


async def drain(ws):
    async for _ in ws:
        pass


def partial_binary_frame():
    # FIN + binary, 64-bit length (RFC 6455 §5.2), unmasked; only the first part of the payload follows
    header = bytes([0x82, 127]) + struct.pack("!Q", DROP_ANNOUNCED_BYTES)
    return header + bytes(DROP_SENT_BYTES)


async def handler(ws):
    url = urlsplit(ws.path)
    query = parse_qs(url.query)
    route = url.path
    if route in ("/echo", "/bogus-protocol"):
        await echo(ws)
    elif route == "/protocol":
        await ws.send(ws.subprotocol or "")
        await echo(ws)
    elif route == "/close":
        await ws.close(int(query["code"][0]), query.get("reason", [""])[0])
    elif route == "/drop":
        ws.transport.write(partial_binary_frame())
        ws.transport.abort()
    elif route == "/reset":
        # SO_LINGER on with a zero timeout: closing sends RST instead of FIN
        sock = ws.transport.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        ws.transport.abort()
        await ws.wait_closed()  # the socket is closed once connection_lost has run
        print("reset", flush=True)
    elif route == "/big":
        await ws.send(bytes(int(query["size"][0])))
        await drain(ws)
    else:
        await ws.close(1008, "unknown route")


async def main():
    loop = asyncio.get_running_loop()
    stop = loop.create_future()

    def on_stdin():
        # end of file: the test that started us is gone or asks us to stop
        if not os.read(sys.stdin.fileno(), 4096) and not stop.done():
            stop.set_result(None)

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    async with serve(handler, "127.0.0.1", 0,
                     create_protocol=InteropServerProtocol,
                     subprotocols=SUPPORTED_SUBPROTOCOLS,
                     max_size=MAX_MESSAGE_BYTES,
                     compression=None) as server:
        port = server.sockets[0].getsockname()[1]
        print(port, flush=True)
        await stop


if __name__ == "__main__":
    asyncio.run(main())
