// Interop test server on Node's `ws` (version pinned in tests/interop/node/package-lock.json).
//
// Run with `node`; `ws` is found through NODE_PATH (the node_modules that the build installed with
// npm ci). Listens on 127.0.0.1 with a free port, prints that port alone on the first line of
// stdout, and serves until it is terminated or its stdin reaches end of file (so it never outlives
// the test that started it).
//
// Routes (path of the request URL), the same in python_server.py and qt_server.cpp:
//   /echo                   echoes every message with its type; pings are answered by ws (autoPong)
//   /protocol               first sends the subprotocol it selected as a text message, then echoes
//   /close?code=C&reason=R  closes right after the handshake with that code and reason
//   /drop                   starts a 16 MiB binary message and drops TCP in the middle of it
//   /big?size=N             sends one binary message of N bytes, then waits for the client
//   /reset                  resets TCP (RST) right after the handshake, then prints "reset" on stdout
//   /bogus-protocol         answers with Sec-WebSocket-Protocol: bogus, which the client did not offer
// Subprotocols: "chat" and "superchat"; the first one the client offers that is supported wins.
'use strict';

const { WebSocketServer } = require('ws');

const SUPPORTED_SUBPROTOCOLS = ['chat', 'superchat'];
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024; // the tests send up to 16 MiB
const DROP_ANNOUNCED_BYTES = 16 * 1024 * 1024;
const DROP_SENT_BYTES = 64 * 1024;

function routeOf(request) {
    return new URL(request.url, 'http://127.0.0.1');
}

function echo(ws) {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
}

function partialBinaryFrame() {
    // FIN + binary, 64-bit length (RFC 6455 §5.2), unmasked; only the first part of the payload follows
    const header = Buffer.alloc(10);
    header[0] = 0x82;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(DROP_ANNOUNCED_BYTES), 2);
    return Buffer.concat([header, Buffer.alloc(DROP_SENT_BYTES)]);
}

const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    // only called when the client offered at least one subprotocol
    handleProtocols: (offered, request) => {
        if (routeOf(request).pathname === '/bogus-protocol')
            return 'bogus';
        for (const protocol of offered) {
            if (SUPPORTED_SUBPROTOCOLS.includes(protocol))
                return protocol;
        }
        return false;
    },
});

server.on('listening', () => {
    process.stdout.write(`${server.address().port}\n`);
});

server.on('connection', (ws, request) => {
    const url = routeOf(request);
    switch (url.pathname) {
    case '/echo':
    case '/bogus-protocol':
        echo(ws);
        break;
    case '/protocol':
        ws.send(ws.protocol, { binary: false });
        echo(ws);
        break;
    case '/close':
        ws.close(Number(url.searchParams.get('code')), url.searchParams.get('reason') ?? '');
        break;
    case '/drop':
        ws._socket.write(partialBinaryFrame());
        ws._socket.destroy();
        break;
    case '/reset':
        ws._socket.on('close', () => process.stdout.write('reset\n'));
        ws._socket.resetAndDestroy(); // RST instead of FIN (Node 16.17 and later)
        break;
    case '/big':
        ws.send(Buffer.alloc(Number(url.searchParams.get('size'))), { binary: true });
        break;
    default:
        ws.close(1008, 'unknown route');
        break;
    }
});

// end of file on stdin: the test that started us is gone or asks us to stop
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
