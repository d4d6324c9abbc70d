#include "transfertracker.h"

#include <algorithm>

#include "api/messagewebsocket.h"

namespace Wsw::Ui {

namespace {
/** progressed() at most this often per transfer: a bar and a rate need no more. */
constexpr qint64 ReportIntervalNs = 50'000'000;
/** A rate over less time than this would be noise. */
constexpr qint64 MinRateIntervalNs = 50'000'000;

const int registered = qRegisterMetaType<Transfer>();
} // namespace

TransferTracker::TransferTracker(MessageWebSocket *socket, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
{
    Q_UNUSED(registered);
    m_clock.start();
    connect(socket, &MessageWebSocket::connected, this, &TransferTracker::onConnected);
    connect(socket, &MessageWebSocket::bytesWritten, this, &TransferTracker::onBytesWritten);
    connect(socket, &MessageWebSocket::receiveProgress, this, &TransferTracker::onReceiveProgress);
    connect(socket, &MessageWebSocket::stateChanged, this, [this](ConnectionState state) {
        if (state == ConnectionState::Closed || state == ConnectionState::Failed || state == ConnectionState::Idle)
            onConnectionEnded();
    });
}

void TransferTracker::setThreshold(qint64 bytes)
{
    m_threshold = std::max<qint64>(bytes, 1);
}

void TransferTracker::noteSend(qint64 messageBytes, qint64 queuedBefore)
{
    if (messageBytes < m_threshold)
        return;
    Active extra;
    extra.wireStart = queuedBefore;
    extra.wireEnd = std::max(m_socket->bytesQueued(), queuedBefore + 1);
    extra.messageQueued = messageBytes;
    start(Transfer::Direction::Sending, messageBytes, 0, extra);
    onBytesWritten(0); // what already left (a reply may have gone out before this call)
}

quint64 TransferTracker::beginPartedSend(qint64 messageBytes, qint64 queuedBefore)
{
    if (messageBytes < m_threshold)
        return 0;
    Active extra;
    extra.wireStart = queuedBefore;
    extra.wireEnd = queuedBefore;
    extra.allQueued = false;
    return start(Transfer::Direction::Sending, messageBytes, 0, extra).id;
}

void TransferTracker::notePartQueued(quint64 id, qint64 messageBytesQueued, bool last)
{
    for (qsizetype i = 0; i < m_active.size(); ++i) {
        if (m_active[i].id != id)
            continue;
        m_extra[i].wireEnd = std::max(m_socket->bytesQueued(), m_extra[i].wireStart + 1);
        m_extra[i].messageQueued = messageBytesQueued;
        m_extra[i].allQueued = last;
        onBytesWritten(0);
        return;
    }
}

void TransferTracker::cancelAll()
{
    while (!m_active.isEmpty())
        finish(0, Transfer::Outcome::Cancelled);
}

void TransferTracker::onConnected()
{
    m_written = 0; // bytesQueued() starts again from 0 on every connection
}

void TransferTracker::onBytesWritten(qint64 bytes)
{
    m_written += bytes;
    for (qsizetype i = 0; i < m_active.size();) {
        if (m_active[i].direction != Transfer::Direction::Sending) {
            ++i;
            continue;
        }
        const Active &extra = m_extra[i];
        const qint64 wire = std::max<qint64>(extra.wireEnd - extra.wireStart, 1);
        const qint64 out = std::clamp<qint64>(m_written - extra.wireStart, 0, wire);
        // message bytes in proportion to the wire bytes out (headers, compression)
        const auto share = qint64(double(extra.messageQueued) * double(out) / double(wire));
        const bool complete = extra.allQueued && out == wire;
        const qint64 total = m_active[i].totalBytes;
        const qsizetype before = m_active.size();
        update(i, complete ? total : std::min(share, total - 1), total, false);
        if (m_active.size() == before)
            ++i; // else it finished and the next one moved here
    }
}

void TransferTracker::onReceiveProgress(qint64 receivedBytes, qint64 totalBytes)
{
    const qsizetype index = receiveIndex();
    if (index >= 0) {
        update(index, receivedBytes, totalBytes, false);
        return;
    }
    const bool complete = totalBytes >= 0 && receivedBytes >= totalBytes;
    const bool big = totalBytes >= 0 ? totalBytes >= m_threshold : receivedBytes >= m_threshold;
    if (complete || !big)
        return; // a small message, or the end report of one that never became a transfer
    start(Transfer::Direction::Receiving, totalBytes, receivedBytes, {});
}

void TransferTracker::onConnectionEnded()
{
    while (!m_active.isEmpty())
        finish(0, Transfer::Outcome::Interrupted);
}

Transfer &TransferTracker::start(Transfer::Direction direction, qint64 total, qint64 done, const Active &extra)
{
    Transfer transfer;
    transfer.id = m_nextId++;
    transfer.direction = direction;
    transfer.totalBytes = total;
    transfer.doneBytes = done;
    Active a = extra;
    a.startedNs = a.lastReportNs = m_clock.nsecsElapsed();
    m_active.append(transfer);
    m_extra.append(a);
    Q_EMIT started(transfer);
    return m_active.last();
}

void TransferTracker::update(qsizetype index, qint64 done, qint64 total, bool force)
{
    Transfer &t = m_active[index];
    Active &a = m_extra[index];
    t.doneBytes = std::max(t.doneBytes, done);
    t.totalBytes = total;
    const qint64 now = m_clock.nsecsElapsed();
    if (now - a.startedNs >= MinRateIntervalNs)
        t.bytesPerSecond = double(t.doneBytes) * 1e9 / double(now - a.startedNs);
    if (t.totalBytes >= 0 && t.doneBytes >= t.totalBytes) {
        finish(index, Transfer::Outcome::Completed);
        return;
    }
    if (force || now - a.lastReportNs >= ReportIntervalNs) {
        a.lastReportNs = now;
        Q_EMIT progressed(t);
    }
}

void TransferTracker::finish(qsizetype index, Transfer::Outcome outcome)
{
    Transfer t = m_active.takeAt(index);
    m_extra.removeAt(index);
    t.outcome = outcome;
    Q_EMIT finished(t);
}

qsizetype TransferTracker::receiveIndex() const
{
    for (qsizetype i = 0; i < m_active.size(); ++i) {
        if (m_active[i].direction == Transfer::Direction::Receiving)
            return i;
    }
    return -1;
}

} // namespace Wsw::Ui
