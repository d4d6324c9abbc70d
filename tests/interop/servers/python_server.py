#!/usr/bin/python3
"""Interop test server on Python's `websockets` (Debian python3-websockets 10.4, legacy API).

Run with /usr/bin/python3 (Debian's interpreter, which has the module). Listens on 127.0.0.1
with a free port, prints that port alone on the first line of stdout, and serves until it is
terminated or its stdin reaches end of file (so it never outlives the test that started it).

wss:// (TLS, with Python's ssl module on Debian's OpenSSL) instead of ws:// with
  --tls-cert FILE --tls-key FILE   the certificate chain (leaf first) and its key
  --tls-client-ca FILE             and mutual TLS: a client certificate is required
                                   (ssl.CERT_REQUIRED) and verified against these CAs
  --tls-send-alerts                send the fatal TLS alert OpenSSL produces when a handshake
                                   fails (certificate_required, unknown_ca...). Debian 12's
                                   asyncio (Python 3.11) drops it and only closes TCP (CPython
                                   gh-98078); this flushes it first, as the fix for that bug does.

Routes (path of the request URL), the same in node_server.js and qt_server.cpp:
  /echo                   echoes every message with its type; pings are answered by the library
  /protocol               first sends the subprotocol it selected as a text message, then echoes
  /close?code=C&reason=R  closes right after the handshake with that code and reason
  /drop                   starts a 16 MiB binary message and drops TCP in the middle of it
  /big?size=N             sends one binary message of N bytes, then waits for the client
  /reset                  resets TCP (RST) right after the handshake, then prints "reset" on stdout
  /bogus-protocol         answers with Sec-WebSocket-Protocol: bogus, which the client did not offer
  /echo-fragmented?fragmentSize=N  echoes every message in frames of at most N bytes (binary) or
                          N characters (text: websockets sends str fragments, so frame boundaries
                          fall between characters), then an empty final frame as websockets
                          ends every fragmented message; an empty message is one frame
Routes of this server only (the TLS tests, tst_interop_tls):
  /tls                    first sends what this server saw of the TLS session as a JSON text message
                          ({"version", "cipher", "sni", "clientCertificate"}: the client
                          certificate's subject CN or null; all null for ws://), then echoes
  /requests               first sends the request targets of every upgrade request this server has
                          received so far as a JSON list (this one last), then echoes
Subprotocols: "chat" and "superchat"; the first one the client offers that is supported wins.
These routes never compress: a client's permessage-deflate offer is ignored.

permessage-deflate (RFC 7692), the same in node_server.js (not in qt_server.cpp):
  /deflate/<route>?<options>  <route> as above (echo, big, ...), with permessage-deflate for this
                              connection configured by <options>
  /deflate?<options>          is /deflate/echo?<options>
Without <options>, the library's own defaults, what serve(compression="deflate") configures:
server_max_window_bits=12, client_max_window_bits=12, memLevel 5. Each option given replaces
the library's setting of ServerPerMessageDeflateFactory (same names as in node_server.js):
  serverNoContextTakeover=1  clientNoContextTakeover=1
  serverMaxWindowBits=9..15  clientMaxWindowBits=8..15  (0: none, the factory's None)
(websockets 10.4 cannot compress with an 8-bit window: zlib refuses raw deflate with wbits 8,
so neither serverMaxWindowBits=8 nor a client's server_max_window_bits=8 works here.)
websockets compresses every message it sends, whatever its size. It accepts the client's offer
by its negotiation table (ServerPerMessageDeflateFactory.process_request_params), and ignores an
offer it cannot accept (no compression) instead of refusing the handshake.
"""

import argparse
import asyncio
import json
import os
import socket
import ssl
import struct
import sys
from urllib.parse import parse_qs, urlsplit

from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory
from websockets.legacy.server import WebSocketServerProtocol, serve

SUPPORTED_SUBPROTOCOLS = ["chat", "superchat"]
MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # the tests send up to 16 MiB
DROP_ANNOUNCED_BYTES = 16 * 1024 * 1024
DROP_SENT_BYTES = 64 * 1024
DEFLATE_PREFIX = "/deflate"
# serve(compression="deflate") in websockets 10.4 (enable_server_permessage_deflate)
LIBRARY_DEFLATE_DEFAULTS = {
    "server_no_context_takeover": False,
    "client_no_context_takeover": False,
    "server_max_window_bits": 12,
    "client_max_window_bits": 12,
}


# every upgrade request's target, in order (for /requests)
REQUEST_TARGETS = []


def is_deflate(path):
    return path == DEFLATE_PREFIX or path.startswith(DEFLATE_PREFIX + "/")


def route_of(path):
    """The route without the /deflate prefix; /deflate alone is /deflate/echo."""
    path = urlsplit(path).path
    if path == DEFLATE_PREFIX:
        return "/echo"
    return path[len(DEFLATE_PREFIX):] if is_deflate(path) else path


def deflate_factory(path):
    """The permessage-deflate configuration a /deflate request asks for (see the docstring)."""
    query = parse_qs(urlsplit(path).query)
    settings = dict(LIBRARY_DEFLATE_DEFAULTS)
    for name, key in (("serverNoContextTakeover", "server_no_context_takeover"),
                      ("clientNoContextTakeover", "client_no_context_takeover")):
        if name in query:
            settings[key] = query[name][0] == "1"
    for name, key in (("serverMaxWindowBits", "server_max_window_bits"),
                      ("clientMaxWindowBits", "client_max_window_bits")):
        if name in query:
            settings[key] = int(query[name][0]) or None
    return ServerPerMessageDeflateFactory(compress_settings={"memLevel": 5}, **settings)


class InteropServerProtocol(WebSocketServerProtocol):
    """Selects the client's first supported subprotocol, or a bogus one on /bogus-protocol; compresses
    on /deflate routes only."""

    def process_extensions(self, headers, available_extensions):
        # self.path is set by read_http_request() before the extensions are negotiated; the
        # base class's is a static method that handshake() calls through self
        extensions = [deflate_factory(self.path)] if is_deflate(urlsplit(self.path).path) else None
        return super().process_extensions(headers, extensions)

    async def process_request(self, path, request_headers):
        # every request that got through TLS and the HTTP parser, upgraded or not
        REQUEST_TARGETS.append(path)
        return await super().process_request(path, request_headers)

    def select_subprotocol(self, client_subprotocols, server_subprotocols):
        # self.path is set by read_http_request() before the subprotocol is chosen
        if route_of(self.path) == "/bogus-protocol":
            return "bogus"
        for offered in client_subprotocols:
            if offered in server_subprotocols:
                return offered
        return None


async def echo(ws):
    async for message in ws:  # str for text, bytes for binary: send() keeps the type
        await ws.send(message)


async def echo_fragmented(ws, fragment_size):
    async for message in ws:
        if not message:
            await ws.send(message)
        else:
            await ws.send([message[at:at + fragment_size] for at in range(0, len(message), fragment_size)])


def sni_callback(ssl_object, server_name, ssl_context):
    # RFC 6066 §3: no SNI for an IP address; None when the client sent none
    ssl_object.wsw_server_name = server_name


def tls_session(ws):
    """What this server saw of the connection's TLS session (all None for ws://)."""
    ssl_object = ws.transport.get_extra_info("ssl_object")
    if ssl_object is None:
        return {"version": None, "cipher": None, "sni": None, "clientCertificate": None}
    peer = ssl_object.getpeercert()
    common_name = None
    if peer:
        for rdn in peer.get("subject", ()):
            for key, value in rdn:
                if key == "commonName":
                    common_name = value
    return {
        "version": ssl_object.version(),
        "cipher": ssl_object.cipher()[0],
        "sni": getattr(ssl_object, "wsw_server_name", None),
        "clientCertificate": common_name,
    }


def send_handshake_alerts():
    """CPython gh-98078: asyncio's SSLProtocol fails a handshake without writing out what OpenSSL
    left in its outgoing buffer, the fatal alert that tells the client why. Flush it first."""
    from asyncio import sslproto

    # the method below is Python 3.11's SSLProtocol._do_handshake with the one added line
    if not hasattr(sslproto.SSLProtocol, "_do_handshake"):
        raise SystemExit("--tls-send-alerts: this asyncio has no SSLProtocol._do_handshake")

    def do_handshake(self):
        try:
            self._sslobj.do_handshake()
        except sslproto.SSLAgainErrors:
            self._process_outgoing()
        except ssl.SSLError as exc:
            self._process_outgoing()  # the alert
            self._on_handshake_complete(exc)
        else:
            self._on_handshake_complete(None)

    sslproto.SSLProtocol._do_handshake = do_handshake


def tls_context(arguments):
    """The server side of wss://, or None for ws://."""
    if not arguments.tls_cert:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(arguments.tls_cert, arguments.tls_key)
    context.sni_callback = sni_callback
    if arguments.tls_client_ca:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(cafile=arguments.tls_client_ca)
    return context


async def drain(ws):
    async for _ in ws:
        pass


def partial_binary_frame():
    # FIN + binary, 64-bit length (RFC 6455 §5.2), unmasked; only the first part of the payload follows
    header = bytes([0x82, 127]) + struct.pack("!Q", DROP_ANNOUNCED_BYTES)
    return header + bytes(DROP_SENT_BYTES)


async def handler(ws):
    query = parse_qs(urlsplit(ws.path).query)
    route = route_of(ws.path)
    if route in ("/echo", "/bogus-protocol"):
        await echo(ws)
    elif route == "/protocol":
        await ws.send(ws.subprotocol or "")
        await echo(ws)
    elif route == "/tls":
        await ws.send(json.dumps(tls_session(ws)))
        await echo(ws)
    elif route == "/requests":
        await ws.send(json.dumps(REQUEST_TARGETS))
        await echo(ws)
    elif route == "/echo-fragmented":
        await echo_fragmented(ws, int(query["fragmentSize"][0]))
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


async def main(arguments):
    loop = asyncio.get_running_loop()
    stop = loop.create_future()

    def on_stdin():
        # end of file: the test that started us is gone or asks us to stop
        if not os.read(sys.stdin.fileno(), 4096) and not stop.done():
            stop.set_result(None)

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    tls = {}
    if arguments.tls_cert:
        tls["ssl"] = tls_context(arguments)
        if arguments.tls_send_alerts:
            send_handshake_alerts()
    async with serve(handler, "127.0.0.1", 0,
                     create_protocol=InteropServerProtocol,
                     subprotocols=SUPPORTED_SUBPROTOCOLS,
                     max_size=MAX_MESSAGE_BYTES,
                     **tls,
                     compression=None) as server:  # /deflate: see process_extensions
        port = server.sockets[0].getsockname()[1]
        print(port, flush=True)
        await stop


def parse_arguments():
    parser = argparse.ArgumentParser(description="interop test server (websockets)")
    parser.add_argument("--tls-cert", help="serve wss:// with this certificate chain (PEM, leaf first)")
    parser.add_argument("--tls-key", help="the private key of --tls-cert (PEM)")
    parser.add_argument("--tls-client-ca", help="require a client certificate issued under these CAs (PEM)")
    parser.add_argument("--tls-send-alerts", action="store_true",
                        help="send the fatal alert of a failed TLS handshake (works around CPython gh-98078)")
    arguments = parser.parse_args()
    tls_only = arguments.tls_client_ca or arguments.tls_send_alerts
    if bool(arguments.tls_cert) != bool(arguments.tls_key) or (tls_only and not arguments.tls_cert):
        parser.error("--tls-cert and --tls-key go together; the other --tls-* options need them")
    return arguments


if __name__ == "__main__":
    asyncio.run(main(parse_arguments()))
