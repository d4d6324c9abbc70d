#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include "codec/deflateoptions.h"
#include "codec/wswenums.h"

namespace Wsw::Codec {

inline constexpr char PerMessageDeflateName[] = "permessage-deflate";
constexpr int MinWindowBits = 8;
constexpr int MaxWindowBits = 15;

/** One parameter of an extension in Sec-WebSocket-Extensions; quoted values are unquoted. */
struct ExtensionParameter {
    QByteArray name;
    QByteArray value;
    bool hasValue = false;
};

/** One element of the extension list (RFC 6455 §9.1). */
struct ExtensionElement {
    QByteArray name;
    QList<ExtensionParameter> parameters;
};

/**
 * Parses Sec-WebSocket-Extensions values (each a comma-separated list; several header lines
 * are one list) by RFC 6455 §9.1: extension = token *( ";" param ), param = token [ "="
 * (token | quoted-string) ], a quoted value being a token once unquoted. Returns None, or
 * InvalidExtensionHeader with *problem saying where.
 */
ErrorDetail parseExtensionList(const QList<QByteArray> &headerValues, QList<ExtensionElement> *out,
                               QString *problem);

/** Checks the options' ranges. InvalidArgument with *problem naming the field otherwise. */
ErrorDetail validateDeflateOptions(const DeflateOptions &options, QString *problem);

/** The offer for Sec-WebSocket-Extensions, e.g. "permessage-deflate; client_max_window_bits"; empty when disabled. */
QByteArray buildDeflateOffer(const DeflateOptions &options);

/** What the server's answer put in force, for each direction. */
struct DeflateAgreement {
    bool active = false;
    /** The window our compressor may use (client_max_window_bits, 15 when absent). */
    int clientMaxWindowBits = MaxWindowBits;
    /** The window the server compresses with (server_max_window_bits, 15 when absent): our inflater's. */
    int serverMaxWindowBits = MaxWindowBits;
    bool clientNoContextTakeover = false; // we reset our compressor after each message
    bool serverNoContextTakeover = false; // the server resets its compressor: so do we our inflater
    /** False when the server asked for an 8-bit window, which zlib cannot compress with: we send uncompressed. */
    bool compressOutgoing = false;
    /** The accepted extension as the server wrote it. */
    QByteArray response;
};

/**
 * Validates the server's Sec-WebSocket-Extensions answer against our offer (RFC 7692 §5, §7):
 * at most one extension, and only permessage-deflate when it was offered; no unknown or
 * duplicate parameters; client_max_window_bits only when offered, with a value no larger than
 * offered; server_max_window_bits and server_no_context_takeover present when requested;
 * window values 8-15 without leading zeros. An absent header means no compression. Returns
 * None or the broken rule, with *problem naming the parameter.
 */
ErrorDetail negotiateDeflate(const DeflateOptions &offer, const QList<QByteArray> &responseValues,
                             DeflateAgreement *agreement, QString *problem);

// --- the server's side (the built-in echo server) ---------------------------------------------

/** How a server answers permessage-deflate offers; the defaults accept what a client offers. */
struct DeflateServerOptions {
    bool enabled = true;
    /** The largest window we compress with, 9-15 (zlib cannot compress with 8). */
    int serverMaxWindowBits = MaxWindowBits;
    /** Reset our compressor after every message even when the client does not ask for it. */
    bool serverNoContextTakeover = false;
    /** Ask the client to reset its compressor after every message (client_no_context_takeover). */
    bool clientNoContextTakeover = false;
    /** 0: leave the client's window alone; 8-15: ask for at most this, when the offer allows it. */
    int clientMaxWindowBits = 0;
    /** zlib level for our messages, -1 (zlib's default) or 0-9. */
    int compressionLevel = -1;
};

/** What the server's answer puts in force, seen from the server. */
struct DeflateServerAgreement {
    bool active = false;
    /** The window we compress with (server_max_window_bits, 15 when absent). */
    int serverMaxWindowBits = MaxWindowBits;
    /** The window the client compresses with (client_max_window_bits): our inflater's. */
    int clientMaxWindowBits = MaxWindowBits;
    bool serverNoContextTakeover = false; // we reset our compressor after each message
    bool clientNoContextTakeover = false; // the client resets its compressor: so do we our inflater
    /** False when the client asked for an 8-bit window, which zlib cannot compress with: we send uncompressed. */
    bool compressOutgoing = false;
    /** The Sec-WebSocket-Extensions value of the 101 answer; empty when every offer was declined. */
    QByteArray response;
    /** Which offer was accepted (0-based among the request's extension elements); -1 for none. */
    int acceptedOffer = -1;
};

/**
 * The server's side of RFC 7692 §5 and §7.1: reads the client's Sec-WebSocket-Extensions values
 * (parseExtensionList()), and accepts the first permessage-deflate offer it can, answering with
 * the parameters it must: server_no_context_takeover when asked (or wanted), server_max_window_bits
 * no larger than asked, client_max_window_bits only when the offer allowed it. An offer with an
 * unknown, repeated or ill-valued parameter is declined (RFC 7692 §5) and the next one tried;
 * other extensions are never accepted. Returns InvalidExtensionHeader (with *problem) only when
 * the header does not parse; declining every offer is not an error (agreement->active false).
 */
ErrorDetail answerDeflateOffer(const DeflateServerOptions &options, const QList<QByteArray> &requestValues,
                               DeflateServerAgreement *agreement, QString *problem);

} // namespace Wsw::Codec
