#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>

namespace Wsw {

enum class FrameDirection : quint8 { Incoming, Outgoing };

/** One frame as the frame inspector shows it. Emitted only while frameObserved is connected. */
struct FrameInfo {
    FrameDirection direction = FrameDirection::Incoming;
    quint8 opcode = 0;
    bool fin = false;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
    bool masked = false;
    quint32 maskKey = 0;
    quint64 payloadLength = 0;   // as on the wire: compressed for a compressed message
    /** For frames of a compressed message: the message bytes this frame carries once inflated; -1 otherwise. */
    qint64 uncompressedLength = -1;
    qint64 timestampMs = 0; // QDateTime::currentMSecsSinceEpoch() when complete (incoming) or queued (outgoing)
    /** The first FramePayloadHeadBytes of the payload as on the wire, unmasked (compressed bytes when RSV1). */
    QByteArray payloadHead;
};

/** How much of each frame's payload FrameInfo keeps for the frame inspector. */
constexpr qsizetype FramePayloadHeadBytes = 64;

/** One request of the opening handshake and the answer to it. */
struct HandshakeAttempt {
    QByteArray request;         // as sent, Authorization and Proxy-Authorization values redacted
    QByteArray responseHeaders; // status line and headers as received
    QByteArray responseBody;    // body of a non-101 answer (bounded)
    int httpStatus = 0;
};

/**
 * The opening handshake as sent and received, for the workbench's transcript view: the last
 * attempt, and before it the earlier ones (a 401 answered with Control.serverCredential).
 * Credentials never appear: the values of Authorization and Proxy-Authorization are redacted.
 */
struct HandshakeTranscript {
    QByteArray request;         // as sent (credentials redacted)
    QByteArray responseHeaders; // status line and headers as received
    QByteArray responseBody;    // body of a non-101 answer (bounded)
    int httpStatus = 0;
    /** Attempts before this one, oldest first; empty when the first request was answered. */
    QList<HandshakeAttempt> earlierAttempts;
};

} // namespace Wsw

Q_DECLARE_METATYPE(Wsw::FrameInfo)
Q_DECLARE_METATYPE(Wsw::HandshakeTranscript)
