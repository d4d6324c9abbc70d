#pragma once

#include <QByteArray>
#include <QObject>

#include "api/websocketerror.h"

namespace Wsw {
class MessageWebSocket;
}

namespace Wsw::Ui {

class TransferTracker;

/**
 * Sends one big message as a fragmented message (RFC 6455 §5.4) a part at a time, from the
 * event loop: MessageWebSocket::sendMessage() masks (and with permessage-deflate compresses) a
 * whole message in one call, which for hundreds of MiB blocks the window for seconds (measured:
 * 256 MiB of incompressible data, 12 s with compression, 0.15-0.35 s without). Parts go out
 * while little is buffered and at most for a short time per event-loop round, so the window stays
 * responsive, only a few MiB are queued at a time, and compression happens per part (the engine
 * compresses every frame of a message sent in parts when compression is in force).
 *
 * Parts are PartBytes long, CompressedPartBytes when compressed (at most
 * Control.outboundFrameSizeInBytes when set); text parts end
 * on a code point boundary. While it sends, sendMessage() is refused by the engine
 * (FragmentedMessageInProgress); pings still go out between parts.
 */
class PartedSender final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PartedSender)

public:
    static constexpr qsizetype PartBytes = 1024 * 1024;
    /**
     * With compression in force parts are smaller: zlib (level 6) took 60-200 ms per 256 KiB
     * here, and a part is compressed in one go. Nearly free on the wire: the compressor keeps its
     * 32 KiB window across parts, a part costs a frame header and a 5-byte sync flush.
     */
    static constexpr qsizetype CompressedPartBytes = 64 * 1024;

    /** tracker may be null (no progress). */
    PartedSender(MessageWebSocket *socket, TransferTracker *tracker, QObject *parent = nullptr);

    /** Bytes per part of the message being sent (or of the next one on this connection). */
    qsizetype partBytes() const;
    /** Starts sending payload; false with *error when a message is being sent already or the engine refuses. */
    bool start(const QByteArray &payload, WebSocketError *error);
    bool isSending() const { return !m_payload.isNull(); }
    /** Forgets the rest (the connection is being dropped). */
    void stop();

Q_SIGNALS:
    /** The last part was handed to the engine (complete), or sending stopped early (the connection ended). */
    void finished(bool complete);

private:
    void pump();
    /** Sends the next part; false when the engine refused it (*refusal: because the queue is full). */
    bool sendPart(bool *full);
    void end(bool complete);

    MessageWebSocket *m_socket;
    TransferTracker *m_tracker;
    QByteArray m_payload; // null when idle
    qsizetype m_sent = 0;
    qsizetype m_partBytes = PartBytes;
    bool m_text = false;
    quint64 m_transferId = 0;
    bool m_pumpPosted = false;
};

} // namespace Wsw::Ui
