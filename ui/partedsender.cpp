#include "partedsender.h"

#include <algorithm>

#include <QElapsedTimer>

#include "api/messagewebsocket.h"
#include "codec/utf8validator.h"
#include "transfertracker.h"

namespace Wsw::Ui {

namespace {
/** Parts go out while the engine buffers less than this (a few parts keep the socket busy). */
constexpr qint64 LowWaterBytes = 4 * PartedSender::PartBytes;
/** Most time spent sending parts per event-loop round (one part may take longer when compressed). */
constexpr qint64 RoundBudgetMs = 15;
} // namespace

PartedSender::PartedSender(MessageWebSocket *socket, TransferTracker *tracker, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_tracker(tracker)
{
    connect(socket, &MessageWebSocket::bytesWritten, this, [this] {
        if (isSending())
            pump();
    });
    connect(socket, &MessageWebSocket::stateChanged, this, [this](ConnectionState state) {
        if (isSending() && state != ConnectionState::Open)
            end(false); // closing or gone: no more parts
    });
}

bool PartedSender::start(const QByteArray &payload, WebSocketError *error)
{
    if (isSending()) {
        *error = WebSocketError(ErrorDetail::FragmentedMessageInProgress,
                                tr("a big message is still being sent in parts"));
        return false;
    }
    m_partBytes = partBytes();
    m_text = m_socket->control().messageType == SocketMessageType::Utf8;
    if (m_text && !Codec::Utf8Validator::isValidUtf8(payload)) {
        // checked whole first: a part refused halfway would leave the message open
        *error = WebSocketError(ErrorDetail::InvalidUtf8InOutgoingText);
        return false;
    }
    m_payload = payload.isNull() ? QByteArray("", 0) : payload;
    m_sent = 0;
    const qint64 queuedBefore = m_socket->bytesQueued();
    bool full = false;
    if (!sendPart(&full)) { // the first part at once: a refusal is the caller's to report
        *error = m_socket->lastError();
        m_payload = QByteArray();
        return false;
    }
    m_transferId = m_tracker ? m_tracker->beginPartedSend(m_payload.size(), queuedBefore) : 0;
    if (m_transferId)
        m_tracker->notePartQueued(m_transferId, m_sent, m_sent == m_payload.size());
    if (m_sent == m_payload.size())
        end(true);
    else
        pump();
    return true;
}

qsizetype PartedSender::partBytes() const
{
    if (isSending())
        return m_partBytes;
    const qsizetype base = m_socket->information().compression.outgoingCompressed ? CompressedPartBytes : PartBytes;
    const quint32 frameSize = m_socket->control().outboundFrameSizeInBytes;
    return frameSize > 0 ? std::min<qsizetype>(base, qsizetype(frameSize)) : base;
}

void PartedSender::stop()
{
    if (isSending())
        end(false);
}

void PartedSender::pump()
{
    QElapsedTimer round;
    round.start();
    while (isSending() && m_socket->bufferedAmount() < LowWaterBytes && round.elapsed() < RoundBudgetMs) {
        bool full = false;
        if (!sendPart(&full)) {
            if (!full)
                end(false); // the connection is closing or gone
            return;         // full: bytesWritten brings us back
        }
        if (m_transferId)
            m_tracker->notePartQueued(m_transferId, m_sent, m_sent == m_payload.size());
        if (m_sent == m_payload.size()) {
            end(true);
            return;
        }
    }
    // Out of time with room left: go on in the next round, after the window's own events
    // (otherwise bytesWritten brings us back).
    if (isSending() && m_socket->bufferedAmount() < LowWaterBytes && !m_pumpPosted) {
        m_pumpPosted = true;
        QMetaObject::invokeMethod(this, [this] {
            m_pumpPosted = false;
            if (isSending())
                pump();
        }, Qt::QueuedConnection);
    }
}

bool PartedSender::sendPart(bool *full)
{
    qsizetype n = std::min(m_partBytes, m_payload.size() - m_sent);
    const bool last = m_sent + n == m_payload.size();
    if (m_text && !last) {
        // end the part on a code point boundary (some peers decode each frame on its own)
        qsizetype cut = n;
        while (cut > 1 && n - cut < 3 && (quint8(m_payload[m_sent + cut]) & 0xC0) == 0x80)
            --cut;
        if ((quint8(m_payload[m_sent + cut]) & 0xC0) != 0x80)
            n = cut;
    }
    const QByteArrayView part = QByteArrayView(m_payload).sliced(m_sent, n);
    const bool ok = last ? m_socket->sendFinalFrame(part) : m_socket->sendNonfinalFrame(part);
    if (!ok) {
        *full = m_socket->lastError().detail() == ErrorDetail::SendBufferFull;
        return false;
    }
    m_sent += n;
    return true;
}

void PartedSender::end(bool complete)
{
    m_payload = QByteArray();
    m_sent = 0;
    m_transferId = 0;
    Q_EMIT finished(complete);
}

} // namespace Wsw::Ui
