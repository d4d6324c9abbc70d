#include "connection/tcptransport.h"

#include <QTcpSocket>

namespace Wsw {

namespace {
/** Most bytes handed over per write: bounds what Qt buffers when the kernel is full. */
constexpr qint64 WriteChunkBytes = 256 * 1024;
/** After a read this small the kernel is most likely empty; bulk reads go on until it says so. */
constexpr qint64 SmallReadBytes = 4096;
} // namespace

TcpTransport::TcpTransport(const TransportOptions &options, QObject *parent)
    : Transport(new QTcpSocket, options, parent), m_tcp(static_cast<QTcpSocket *>(socket()))
{
    connect(m_tcp, &QIODevice::readyRead, this, [this] { notifyReadyRead(); });
    // Qt wrote what it had buffered: the kernel has room again
    connect(m_tcp, &QIODevice::bytesWritten, this, &Transport::progressed);
    connect(m_tcp, &QAbstractSocket::disconnected, this, &Transport::peerClosed);
}

void TcpTransport::connectToHost(const QString &host, quint16 port)
{
    m_tcp->connectToHost(host, port, QIODevice::ReadWrite | QIODevice::Unbuffered);
}

void TcpTransport::onTcpConnected()
{
    Q_EMIT established();
}

bool TcpTransport::mayHaveMore(qint64 lastRead) const
{
    // asking an empty kernel again would only cost a system call
    return lastRead >= SmallReadBytes;
}

qint64 TcpTransport::writeRoom() const
{
    // bytesToWrite() > 0 means the kernel is full and Qt holds the rest: wait for bytesWritten
    return m_tcp->bytesToWrite() == 0 ? WriteChunkBytes : 0;
}

qint64 TcpTransport::write(const char *data, qint64 size)
{
    return m_tcp->write(data, size);
}

qint64 TcpTransport::bufferedBytes() const
{
    return m_tcp->bytesToWrite();
}

} // namespace Wsw
