#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>

namespace Wsw::Test {

/**
 * Builds WebSocket frames byte by byte for tests, independently of the codec under test, so a
 * bug in the codec cannot hide itself. It can also build frames no correct writer would:
 * reserved bits, reserved opcodes, non-minimal lengths, a set top bit in the 64-bit length.
 */
struct FrameBuilder {
    quint8 opcode = 0x1;
    bool fin = true;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
    std::optional<quint32> maskKey; // set: masked with this key (byte 0 = lowest byte)
    /** Length encoding: 0 = minimal; 7, 16 or 64 force that field width (may be non-minimal). */
    int lengthBits = 0;
    /** Overrides the length written in the header (the payload is still appended as given). */
    std::optional<quint64> declaredLength;

    QByteArray build(QByteArrayView payload) const;

    static QByteArray text(QByteArrayView payload, bool fin = true);
    static QByteArray binary(QByteArrayView payload, bool fin = true);
    static QByteArray continuation(QByteArrayView payload, bool fin = true);
    static QByteArray ping(QByteArrayView payload = {});
    static QByteArray pong(QByteArrayView payload = {});
    /** A close frame; code 0 means an empty payload. */
    static QByteArray close(quint16 code = 1000, QByteArrayView reason = {});
};

/** A decoded frame, as read back from bytes a client wrote (masked frames unmasked). */
struct ParsedFrame {
    quint8 opcode = 0;
    bool fin = false;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
    bool masked = false;
    quint32 maskKey = 0;
    QByteArray payload; // unmasked
};

/**
 * Reads complete frames from the front of buffer, removing them; stops at an incomplete one.
 * Independent of the codec, for servers in tests.
 */
QList<ParsedFrame> takeFrames(QByteArray &buffer);

} // namespace Wsw::Test
