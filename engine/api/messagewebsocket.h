#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <QByteArray>
#include <QByteArrayView>
#include <QObject>
#include <QUrl>

#include "api/eventargs.h"
#include "api/frameinfo.h"
#include "api/messagewebsocketcontrol.h"
#include "api/messagewebsocketinformation.h"
#include "api/servervalidation.h"
#include "api/websocketerror.h"

namespace Wsw {

class WebSocketConnection;

/**
 * A message-oriented WebSocket client (RFC 6455) modelled on Windows' MessageWebSocket.
 *
 * Whole messages are sent and received in one call; sendMessage() uses control().messageType
 * at the moment of the call, and that type may be switched at any time. Every other Control
 * field is fixed from connectAsync() until the connection has ended.
 *
 * Differences from Windows (spec §12.9): an abrupt TCP loss gives errorOccurred(ConnectionAborted)
 * then closed(1006, wasClean = false), never a fake message; the same object may connect again
 * once Closed or Failed; late setters are refused uniformly (false + lastError() InvalidState);
 * close arguments are validated; ping() and pongReceived() exist; all received text is
 * validated as UTF-8. Signals are emitted from the event loop of the object's thread, in wire
 * order, never from inside a public call: whatever a call such as connectAsync(), a send, close()
 * or abort() causes (stateChanged, frameObserved, errorOccurred, closed) follows once control
 * is back in the event loop, while state() is current at once. moveToThread() moves the whole
 * connection (its socket and timers) along; call the object from its thread only.
 *
 * Synchronous misuse (wrong state, bad argument) returns false and sets lastError(); nothing is
 * emitted for it. Network and protocol failures arrive as errorOccurred().
 */
class MessageWebSocket final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageWebSocket)

public:
    explicit MessageWebSocket(QObject *parent = nullptr);
    ~MessageWebSocket() override;

    const MessageWebSocketControl &control() const;
    /** Refused (false, InvalidState) while connecting or open unless only messageType changes. */
    bool setControl(const MessageWebSocketControl &control);
    /** Switches the type of the next sendMessage(); allowed at any time. */
    void setMessageType(SocketMessageType type);

    MessageWebSocketInformation information() const;
    ConnectionState state() const;
    /** The last synchronous refusal, or the error that ended the last connection. */
    WebSocketError lastError() const;

    /** Adds a header to the upgrade request; refused once connecting, for CR/LF and engine-owned names. */
    bool setRequestHeader(const QByteArray &name, const QByteArray &value);
    /** Removes every header set with setRequestHeader() (only before connecting). */
    bool clearRequestHeaders();

    /**
     * Starts connecting to a ws:// or wss:// URL (default ports 80 and 443); returns at once.
     * Success is connected(), failure errorOccurred(). Returns false (lastError()) for a bad URL
     * or when not Idle/Closed/Failed, while the previous connection's closed() is still to come
     * (connect again from closed() or later, not from the errorOccurred() that precedes it), and
     * for wss:// when Qt has no OpenSSL TLS backend (SslUnavailable).
     *
     * wss://: the server's chain is validated by OpenSSL against the system's CAs (plus
     * Control.additionalCaCertificates) and the URL's host, then judged by Control
     * (ignorableServerCertificateErrors, pinnedPublicKeys); a connected
     * serverCustomValidationRequested handler sees it before any byte of the upgrade request.
     */
    bool connectAsync(const QUrl &url);
    /** Abandons a connect in progress: errorOccurred(OperationCanceled). */
    void cancelConnect();

    /** Sends one whole message in control().messageType; Utf8 data must be valid UTF-8. */
    bool sendMessage(QByteArrayView data);
    bool sendTextMessage(QStringView text);
    bool sendBinaryMessage(QByteArrayView data);
    /** One frame with FIN = 0; the first carries the message type, later ones are continuations. */
    bool sendNonfinalFrame(QByteArrayView data);
    /** The frame that ends the message started by sendNonfinalFrame() (or a one-frame message). */
    bool sendFinalFrame(QByteArrayView data);

    /** A ping with up to 125 bytes of payload; the answer is pongReceived() with the round trip. */
    bool ping(QByteArrayView payload = {});

    /** Starts the close handshake with an empty close frame (as Windows); messages sent before go first. */
    bool close();
    /** Starts the close handshake with a code (RFC 6455 §7.4) and a reason of at most 123 UTF-8 bytes. */
    bool close(quint16 code, const QString &reason = {});
    /** Drops the connection at once, without a close frame. */
    void abort();

    /** Receives whole messages without a QByteArray or a signal per message (setMessageHandler()). */
    using MessageHandler = std::function<void(Wsw::SocketMessageType type, QByteArrayView data)>;
    /**
     * The zero-copy way to receive: while a handler is set, every whole message goes to it
     * INSTEAD of messageReceived() (which is then not emitted for messages). An empty handler
     * turns it off again; it may be set, replaced or cleared at any time, from inside the handler
     * too (that takes effect once the handler returns: the next message goes to the new one).
     *
     * - data is valid only during the call: it points into the engine's read buffer (or into the
     *   assembled message). Keep a copy (data.toByteArray()) of what must outlive the call.
     * - Called from the event loop of this object's thread, in wire order, and in order with the
     *   signals (closed(), errorOccurred(), frameObserved()...), never from inside a public call:
     *   what the handler's own calls raise follows once it has returned, as after a slot.
     * - Every message is checked as for the signal: text is valid UTF-8, every protocol rule
     *   holds; information() counts it the same. Fragmented and compressed messages come whole.
     * - FullMessage receive mode only: with Control.receiveMode PartialMessage the pieces go to
     *   messageReceived() as ever.
     * - The handler may send, ping, close(), abort(), set or clear the handler, as a slot may:
     *   after abort() nothing more of the burst is handed over; after close() the messages the
     *   server sent before its close frame still come (RFC 6455 §7.1.2). It must not delete this
     *   object (use deleteLater()) nor run a nested event loop (the next read would overwrite
     *   the view).
     */
    void setMessageHandler(MessageHandler handler);
    /** Whether a message handler is set (see setMessageHandler()). */
    bool hasMessageHandler() const;

    /** Bytes queued for the socket and not yet written to it. */
    qint64 bufferedAmount() const;
    /**
     * Frame bytes queued for sending on this connection (from 0 at connectAsync()), control frames
     * included, the upgrade
     * request not: bytesWritten() reports these same bytes as they leave, so once everything is
     * written the bytes it reported add up to this. A sender's progress: read it right after
     * sendMessage(); the message has left once bytesWritten() has reported that many bytes.
     */
    qint64 bytesQueued() const;

Q_SIGNALS:
    void stateChanged(Wsw::ConnectionState state);
    void connected();
    void messageReceived(const Wsw::MessageWebSocketMessageReceivedEventArgs &args);
    void closed(const Wsw::WebSocketClosedEventArgs &args);
    void errorOccurred(const Wsw::WebSocketError &error);
    void pongReceived(std::chrono::milliseconds roundTrip, const QByteArray &payload);
    /** Bytes of frames written to the socket (backpressure: compare with bufferedAmount()). */
    void bytesWritten(qint64 bytes);
    /**
     * A data message arriving over more than one read of the socket: receivedBytes of its
     * payload so far, and totalBytes once its final frame has begun (one-frame messages: from
     * the start; fragmented ones: -1 until then). Bytes are as on the wire (compressed when
     * permessage-deflate compressed the message). At most once per batch of reads while the
     * message is incomplete, then once with receivedBytes == totalBytes just before the
     * messageReceived() that completes it; nothing for a message that arrives within one read,
     * and nothing when the connection ends first. Costs nothing while nothing is connected to it.
     */
    void receiveProgress(qint64 receivedBytes, qint64 totalBytes);
    /** Every frame in both directions; costs nothing while nothing is connected to it. */
    void frameObserved(const Wsw::FrameInfo &frame);
    /** The opening handshake as sent and received, for success and failure alike. */
    void handshakeCompleted(const Wsw::HandshakeTranscript &transcript);
    /**
     * wss:// only: after the TLS handshake and before the upgrade request, with the server's
     * certificates and the errors default validation met (see the args class). Connect it before
     * connectAsync(); a receiver must live in this object's thread or use
     * Qt::BlockingQueuedConnection.
     */
    void serverCustomValidationRequested(Wsw::WebSocketServerCustomValidationRequestedEventArgs *args);

protected:
    void connectNotify(const QMetaMethod &signal) override;
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    friend class WebSocketConnection;
    /** Whether anything listens to frameObserved (frames cost nothing extra otherwise). */
    bool isFrameObserverConnected() const
    {
        refreshReceivers();
        return m_frameObserverConnected;
    }
    /** Whether anything listens to bytesWritten (otherwise written bytes need no report). */
    bool isBytesWrittenConnected() const
    {
        refreshReceivers();
        return m_bytesWrittenConnected;
    }
    /** Whether anything listens to receiveProgress (otherwise reads report nothing). */
    bool isReceiveProgressConnected() const
    {
        refreshReceivers();
        return m_receiveProgressConnected;
    }
    bool isServerValidationConnected() const;
    /** After a disconnection: asks Qt again, from outside disconnectNotify(). */
    void refreshReceivers() const
    {
        if (Q_UNLIKELY(m_receiversStale)) // inline: asked once per small message received
            refreshReceiversNow();
    }
    void refreshReceiversNow() const;

    std::unique_ptr<WebSocketConnection> m_connection; // also a child, so moveToThread() moves it
    mutable bool m_frameObserverConnected = false; // kept by connectNotify: asking Qt per frame is too slow
    mutable bool m_bytesWrittenConnected = false;
    mutable bool m_receiveProgressConnected = false;
    mutable bool m_receiversStale = false;
};

} // namespace Wsw
