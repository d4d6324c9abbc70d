#!/usr/bin/env python3
"""An independent client for our built-in echo server (engine/server): Python's websockets
(Debian python3-websockets, 10.x, asyncio API).

    python_echo_client.py URL [--no-compression]

Offers the subprotocol "chat" and (unless told not to) permessage-deflate, sends text, binary,
empty and large messages and checks each echo (same type, same bytes), pings, then closes with
4001. Prints one line per step; exits 0 when every check passed, 1 otherwise.
"""
import asyncio
import sys

import websockets


async def run(url, compression):
    async with websockets.connect(url, compression="deflate" if compression else None,
                                  subprotocols=["chat"], max_size=2 ** 24, open_timeout=10,
                                  close_timeout=10) as ws:
        print("extensions:", ws.response_headers.get("Sec-WebSocket-Extensions", ""))
        print("subprotocol:", ws.subprotocol)
        messages = ["hello wörld", b"\x00\x01\xfe\xff", "", b"", "abc" * 100000, bytes(range(256)) * 4096]
        for message in messages:
            await ws.send(message)
            echo = await asyncio.wait_for(ws.recv(), 10)
            if type(echo) is not type(message) or echo != message:
                print("mismatch: sent %s of %d, got %s of %d"
                      % (type(message).__name__, len(message), type(echo).__name__, len(echo)))
                return 1
        print("echoed:", len(messages))
        await asyncio.wait_for(await ws.ping(b"py"), 10)
        print("pong: ok")
        await ws.close(code=4001, reason="done")
        print("closed:", ws.close_code, ws.close_reason)
        return 0 if ws.close_code == 4001 and ws.close_reason == "done" else 1


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    compression = "--no-compression" not in sys.argv[2:]
    return asyncio.run(asyncio.wait_for(run(sys.argv[1], compression), 60))


if __name__ == "__main__":
    sys.exit(main())
