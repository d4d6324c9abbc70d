#pragma once

#include <QByteArrayView>
#include <QString>

namespace Wsw::Codec {

/**
 * Incremental UTF-8 validation (RFC 3629): write() may be called with any split of the text,
 * including inside a multi-byte sequence; the state carries over. It fails fast: write()
 * returns false at the first byte that can no longer start or continue valid UTF-8, so an
 * invalid byte in an early fragment fails the message before its end arrives.
 */
class Utf8Validator final
{
public:
    /** Feeds more bytes; false once the text is invalid (and stays false until reset()). */
    bool write(QByteArrayView bytes);

    /** True when the text so far ends on a code point boundary (no sequence is open). */
    bool finish() const { return m_valid && m_needed == 0; }

    bool isValid() const { return m_valid; }

    /** Number of bytes of an incomplete sequence at the end of what was written (0-3). */
    int pendingBytes() const { return m_pending; }

    void reset();

    /** One-shot check of a complete text. */
    static bool isValidUtf8(QByteArrayView bytes);

private:
    bool writeSlow(const unsigned char *p, const unsigned char *end);

    bool m_valid = true;
    int m_needed = 0;        // continuation bytes still expected
    int m_pending = 0;       // bytes of the open sequence seen so far
    unsigned char m_low = 0x80;  // allowed range for the next continuation byte
    unsigned char m_high = 0xBF;
};

/**
 * Decodes UTF-8 into a QString keeping everything, a leading U+FEFF included
 * (QString::fromUtf8 drops it, which would change a message's content).
 */
QString decodeUtf8(QByteArrayView bytes);

} // namespace Wsw::Codec
