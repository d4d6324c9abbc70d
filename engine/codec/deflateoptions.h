#pragma once

#include <QMetaType>

namespace Wsw {

/**
 * permessage-deflate (RFC 7692) as the client offers and uses it: Control.compression. Windows'
 * MessageWebSocket has no extensions; these are our own, grouped so they read as one setting.
 * Fixed once connecting, like the other Control properties.
 */
struct DeflateOptions {
    /** Offer permessage-deflate (on by default, as browsers do). */
    bool enabled = true;
    /** Offer client_max_window_bits, so the server may ask for a smaller window for our messages. */
    bool offerClientMaxWindowBits = true;
    /** 0: offered without a value (browsers); 8-15: offered with this value, and our window never larger. */
    int clientMaxWindowBits = 0;
    /** 0: not requested; 8-15: ask the server to compress with at most this window. */
    int serverMaxWindowBits = 0;
    /** Offer to reset our compressor after every message. */
    bool clientNoContextTakeover = false;
    /** Ask the server to reset its compressor after every message. */
    bool serverNoContextTakeover = false;
    /** zlib level, 0 (stored blocks only) to 9; -1 is zlib's default (6). */
    int compressionLevel = -1;
    /** Outgoing messages shorter than this go uncompressed (RFC 7692 allows it per message). */
    quint32 thresholdBytes = 0;

    friend bool operator==(const DeflateOptions &, const DeflateOptions &) = default;
};

} // namespace Wsw

Q_DECLARE_METATYPE(Wsw::DeflateOptions)
