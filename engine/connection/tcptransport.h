#pragma once

#include "connection/transport.h"

class QTcpSocket;

namespace Wsw {

/**
 * ws:// on an unbuffered QTcpSocket: reads and writes go straight to the kernel, with no copy
 * in Qt and no event-loop round before a write. Qt buffers only what the kernel refuses, and
 * then no more is handed over until it has gone out.
 */
class TcpTransport final : public Transport
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TcpTransport)

public:
    explicit TcpTransport(const TransportOptions &options, QObject *parent = nullptr);

    void connectToHost(const QString &host, quint16 port) override;
    bool mayHaveMore(qint64 lastRead) const override;
    qint64 writeRoom() const override;
    qint64 write(const char *data, qint64 size) override;
    qint64 bufferedBytes() const override;

private:
    void onTcpConnected() override;

    QTcpSocket *m_tcp;
};

} // namespace Wsw
