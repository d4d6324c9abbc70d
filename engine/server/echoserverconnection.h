#pragma once

#include <chrono>

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include "codec/inbounddecoder.h"
#include "codec/messagedeflater.h"
#include "codec/serverhandshake.h"

class QTcpSocket;
class QSslSocket;

namespace Wsw {

/** The bounds one echo connection works within; LocalEchoServer fills them in. */
struct EchoServerLimits {
    /** From the first byte to the end of the upgrade request (the TLS handshake is bounded apart). */
    std::chrono::milliseconds handshakeTimeout{10000};
    /** After our close frame: how long the client has to answer and hang up before we drop it. */
    std::chrono::milliseconds closeTimeout{5000};
    /** Largest message (inflated) echoed; a larger one ends the connection with 1009. */
    quint64 maxMessageSize = 64ull * 1024 * 1024;
    /** Reading stops while more than this waits to be written, and resumes below outputLowWater. */
    qint64 outputHighWater = 4 * 1024 * 1024;
    qint64 outputLowWater = 1024 * 1024;
    /** What Qt buffers from the socket at most; beyond it the kernel's window pushes back on the client. */
    qint64 readBufferBytes = 256 * 1024;
};

/**
 * One client of the built-in echo server: reads the opening request (HandshakeRequestParser,
 * bounded by handshakeTimeout), answers 101 or an HTTP error, then decodes the client's frames
 * with the codec in the server role (InboundDecoder(Role::Server): unmasked frames fail with
 * 1002, text is validated as UTF-8 across fragments, maxMessageSize gives 1009) and echoes each
 * message unmasked in its own type (compressed when permessage-deflate was agreed). A ping is
 * answered with a pong, a close frame is echoed and the TCP connection then closed.
 *
 * Output is bounded: while the socket has more than outputHighWater bytes to write, no more
 * input is read (and Qt's read buffer, capped at readBufferBytes, stops the kernel from reading
 * either), so a client that sends fast and reads slowly only fills its own TCP window.
 *
 * It owns its socket, emits finished() exactly once and then deletes itself later.
 */
class EchoServerConnection final : public QObject, private Codec::MessageAssembler::Sink
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EchoServerConnection)

public:
    /** Takes the socket (connected; for wss:// already encrypted) and starts reading at once. */
    EchoServerConnection(QTcpSocket *socket, const Codec::ServerHandshakeOptions &options,
                         const EchoServerLimits &limits, QObject *parent = nullptr);
    ~EchoServerConnection() override;

    /** "127.0.0.1:54321" */
    QString peer() const { return m_peer; }
    bool isOpen() const { return m_state == State::Open; }
    /** The opening handshake succeeded (the connection may have ended since). */
    bool wasUpgraded() const { return m_upgraded; }
    quint64 messagesEchoed() const { return m_messagesEchoed; }
    quint64 bytesEchoed() const { return m_bytesEchoed; }

    /** Starts the closing handshake from our side (e.g. 1001 at shutdown); before the upgrade it just hangs up. */
    void close(quint16 code, const QString &reason);
    /** Drops the connection at once; finished() follows from the event loop. */
    void abort();

Q_SIGNALS:
    /** The upgrade succeeded: "127.0.0.1:54321 connected (subprotocol chat, permessage-deflate)". */
    void opened(const QString &description);
    /** The upgrade request was refused with an HTTP error: the description names the status and rule. */
    void rejected(const QString &description);
    /** One message was echoed (payload bytes as received, before compression). */
    void echoed(qint64 bytes);
    /** The connection is over (once): "127.0.0.1:54321 closed 1000 "bye" (clean), 3 messages echoed". */
    void finished(const QString &description);

private:
    enum class State : quint8 {
        Handshake,  // reading the upgrade request
        Open,
        Closing,    // we sent a close frame first and wait for the client's
        HangingUp,  // nothing more is read into the protocol: writing what is left, then TCP close
        Finished,
    };

    void onReadyRead();
    void onBytesWritten();
    void onDisconnected();
    void onHandshakeTimeout();
    void onCloseTimeout();

    void processInput();
    void readHandshake();
    void decodeFrames();
    /** Reading resumes once the backlog falls below outputLowWater. */
    qint64 outputBacklog() const;
    void writeFrame(Codec::Opcode opcode, QByteArrayView payload, bool compressed = false);
    /** A broken rule: a close frame with its code (RFC 6455 §7.1.7), then hang up. */
    void failConnection(ErrorDetail detail);
    /** Stop reading into the protocol; once everything is written, close TCP (bounded by closeTimeout). */
    void hangUp();
    void finish();

    // MessageAssembler::Sink
    bool onMessage(SocketMessageType type, QByteArray &&data, bool isComplete) override;
    bool onControlFrame(Codec::Opcode opcode, QByteArray &&payload) override;

    QPointer<QTcpSocket> m_socket;
    QSslSocket *m_sslSocket = nullptr; // the same socket for wss://, else null
    Codec::ServerHandshakeOptions m_options;
    EchoServerLimits m_limits;
    State m_state = State::Handshake;
    QString m_peer;

    Codec::HandshakeRequestParser m_request;
    Codec::InboundDecoder m_decoder{Codec::Role::Server};
    Codec::MessageDeflater m_deflater;
    bool m_compressOutgoing = false;
    QString m_protocol;
    QString m_extensions;

    QByteArray m_input;         // read from the socket, not yet decoded
    qsizetype m_inputPos = 0;
    bool m_readPaused = false;  // output above the high-water mark
    QByteArray m_frame;         // scratch for one outgoing message

    QTimer m_handshakeTimer;
    QTimer m_closeTimer;

    // how it ended, for the description
    QString m_outcome;
    bool m_upgraded = false;
    bool m_closeReceived = false;
    bool m_closeSent = false;
    quint64 m_messagesEchoed = 0;
    quint64 m_bytesEchoed = 0;
};

} // namespace Wsw
