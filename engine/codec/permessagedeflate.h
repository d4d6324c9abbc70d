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

} // namespace Wsw::Codec
