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
//   /echo-fragmented?fragmentSize=N  echoes every message in frames of at most N bytes of the message
//                           (a frame boundary may fall inside a character; an empty message is one frame)
// Subprotocols: "chat" and "superchat"; the first one the client offers that is supported wins.
// These routes never compress (perMessageDeflate: false): a client's permessage-deflate offer is
// ignored.
//
// permessage-deflate (RFC 7692), the same in python_server.py (not in qt_server.cpp):
//   /deflate/<route>?<options>  <route> as above (echo, big, ...), with ws's permessage-deflate
//                               configured by <options> for this connection only
//   /deflate?<options>          is /deflate/echo?<options>
// <options>, each optional, are ws's perMessageDeflate options (ws's defaults when absent):
//   serverNoContextTakeover=1  clientNoContextTakeover=1  serverMaxWindowBits=8..15
//   clientMaxWindowBits=8..15  threshold=N (here 0 when absent, so that every message we send is
//   compressed: ws applies its threshold only under no_context_takeover, but then to all sizes).
// ws accepts the client's offer as ws does (server_no_context_takeover and server_max_window_bits
// that the client requests are granted), or answers 400 when no offer is acceptable (e.g.
// clientMaxWindowBits set and the client did not offer client_max_window_bits).
'use strict';

const http = require('http');
const { WebSocketServer } = require('ws');

const SUPPORTED_SUBPROTOCOLS = ['chat', 'superchat'];
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024; // the tests send up to 16 MiB
const DROP_ANNOUNCED_BYTES = 16 * 1024 * 1024;
const DROP_SENT_BYTES = 64 * 1024;
const DEFLATE_PREFIX = '/deflate';

function urlOf(request) {
    return new URL(request.url, 'http://127.0.0.1');
}

/** The route without the /deflate prefix; /deflate alone is /deflate/echo. */
function routeOf(request) {
    const path = urlOf(request).pathname;
    if (path === DEFLATE_PREFIX)
        return '/echo';
    return path.startsWith(DEFLATE_PREFIX + '/') ? path.slice(DEFLATE_PREFIX.length) : path;
}

function isDeflateRequest(request) {
    const path = urlOf(request).pathname;
    return path === DEFLATE_PREFIX || path.startsWith(DEFLATE_PREFIX + '/');
}

function perMessageDeflateOf(request) {
    const query = urlOf(request).searchParams;
    const options = { threshold: Number(query.get('threshold') ?? 0) };
    if (query.get('serverNoContextTakeover') === '1')
        options.serverNoContextTakeover = true;
    if (query.get('clientNoContextTakeover') === '1')
        options.clientNoContextTakeover = true;
    if (query.has('serverMaxWindowBits'))
        options.serverMaxWindowBits = Number(query.get('serverMaxWindowBits'));
    if (query.has('clientMaxWindowBits'))
        options.clientMaxWindowBits = Number(query.get('clientMaxWindowBits'));
    return options;
}

function echo(ws) {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
}

function echoFragmented(ws, fragmentSize) {
    ws.on('message', (data, isBinary) => {
        if (data.length === 0) {
            ws.send(data, { binary: isBinary });
            return;
        }
        for (let at = 0; at < data.length; at += fragmentSize) {
            ws.send(data.subarray(at, at + fragmentSize), { binary: isBinary, fin: at + fragmentSize >= data.length });
        }
    });
}

function partialBinaryFrame() {
    // FIN + binary, 64-bit length (RFC 6455 §5.2), unmasked; only the first part of the payload follows
    const header = Buffer.alloc(10);
    header[0] = 0x82;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(DROP_ANNOUNCED_BYTES), 2);
    return Buffer.concat([header, Buffer.alloc(DROP_SENT_BYTES)]);
}

function serve(ws, request) {
    const url = urlOf(request);
    switch (routeOf(request)) {
    case '/echo':
    case '/bogus-protocol':
        echo(ws);
        break;
    case '/protocol':
        ws.send(ws.protocol, { binary: false });
        echo(ws);
        break;
    case '/echo-fragmented':
        echoFragmented(ws, Number(url.searchParams.get('fragmentSize')));
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
}

/** A WebSocketServer without a listener of its own: the HTTP server below hands it the upgrades. */
function webSocketServer(perMessageDeflate, clientTracking) {
    const wss = new WebSocketServer({
        noServer: true,
        clientTracking,
        maxPayload: MAX_MESSAGE_BYTES,
        perMessageDeflate,
        // only called when the client offered at least one subprotocol
        handleProtocols: (offered, request) => {
            if (routeOf(request) === '/bogus-protocol')
                return 'bogus';
            for (const protocol of offered) {
                if (SUPPORTED_SUBPROTOCOLS.includes(protocol))
                    return protocol;
            }
            return false;
        },
    });
    wss.on('connection', serve);
    return wss;
}

const plain = webSocketServer(false, true);

// what ws does when it owns the port: 426 for anything that is not an upgrade
const httpServer = http.createServer((request, response) => {
    const body = http.STATUS_CODES[426];
    response.writeHead(426, { 'Content-Length': body.length, 'Content-Type': 'text/plain' });
    response.end(body);
});

httpServer.on('upgrade', (request, socket, head) => {
    // one WebSocketServer per compressed connection: perMessageDeflate is a server-wide option
    const wss = isDeflateRequest(request) ? webSocketServer(perMessageDeflateOf(request), false) : plain;
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});

httpServer.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${httpServer.address().port}\n`);
});

// end of file on stdin: the test that started us is gone or asks us to stop
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
