#pragma once

#include <optional>

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include "api/messagewebsocket.h"
#include "codec/handshake.h"

namespace Wsw::Ui {

class FrameLogModel;
class MessageLogModel;
class PartedSender;
class TransferTracker;

/**
 * One connection of the workbench, without widgets: the socket, the message and frame logs,
 * the handshake transcript and the last error. Widgets read it and call it; several sessions
 * can exist side by side (tabs later), each with its own state.
 */
class Session final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Session)

public:
    explicit Session(QObject *parent = nullptr);
    ~Session() override;

    MessageWebSocket &socket() { return m_socket; }
    const MessageWebSocket &socket() const { return m_socket; }
    ConnectionState state() const { return m_socket.state(); }
    MessageLogModel *messageLog() const { return m_messageLog; }
    FrameLogModel *frameLog() const { return m_frameLog; }
    QUrl url() const { return m_url; }
    HandshakeTranscript handshake() const { return m_handshake; }
    /** The error that ended the last connection or refused the last action; none after a success. */
    WebSocketError lastError() const { return m_lastError; }
    /** How the last connection ended; none before the first end and while a connection is under way. */
    std::optional<WebSocketClosedEventArgs> lastClose() const { return m_lastClose; }
    /**
     * Whether the connection is between connectTo() and its end (connecting, open or closing), or
     * has ended but its last signals (errorOccurred, closed) are still to come: connectTo() works
     * again once this is false (stateChanged() says so).
     */
    bool isActive() const;

    /**
     * Applies the Control and the request headers, then connects. Returns false with
     * lastError() (and errorChanged) when the engine refuses; the URL may lack its scheme
     * ("127.0.0.1:8080" means ws://).
     */
    bool connectTo(const QString &url, const MessageWebSocketControl &control,
                   const Codec::HeaderList &headers);
    /** Drops the connection without a close frame (or abandons a connect in progress). */
    void disconnectNow();
    bool close(quint16 code, const QString &reason);
    /**
     * Sends one message in the current message type and logs it; false + lastError() when refused.
     * From sendInPartsFrom() bytes on (CompressedSendInPartsBytes when compression is in force:
     * deflate is some hundred times slower than masking) it goes out as a fragmented message a
     * part at a time (PartedSender), so compressing and masking it never block the window.
     */
    bool send(const QByteArray &payload);
    /** Messages of at least this many bytes go out in parts; 0 = never (one sendMessage() call). */
    void setSendInPartsFrom(qint64 bytes) { m_sendInPartsFrom = bytes; }
    qint64 sendInPartsFrom() const { return m_sendInPartsFrom; }
    static constexpr qint64 DefaultSendInPartsBytes = 16 * 1024 * 1024;
    static constexpr qint64 CompressedSendInPartsBytes = 1024 * 1024;
    bool ping(const QByteArray &payload);
    /**
     * A ping for a timer (the automatic pinger): counted, timed and answered like any other, but
     * neither it nor its pong is written to the message log (a line every few seconds would bury
     * the messages), and a refusal (not open) only returns false, without lastError().
     */
    bool pingQuietly();
    void setMessageType(SocketMessageType type);
    SocketMessageType messageType() const { return m_socket.control().messageType; }
    /** Whether validationRequested() waits for an answer. */
    bool isValidationPending() const { return !m_deferral.isNull(); }
    /** Accepts the certificate despite its errors, or rejects it (the connection then fails). */
    void answerValidation(bool accept);
    /**
     * Sends one message as type (a saved message's own type) and logs it with that type; the
     * Text/Binary switch (messageType()) stays as it is. False + lastError() when refused.
     */
    bool sendAs(SocketMessageType type, const QByteArray &payload);
    /**
     * Sends one message as type in frames of at most frameSize payload bytes (FIN on the last
     * one only) and logs it as one message. Refused (false + lastError()) for frameSize 0, when
     * not open, for text that is not UTF-8, and when the send queue has no room for the whole
     * message (Control.maxBufferedAmountBytes): nothing is sent then, so no message is left open.
     */
    bool sendFragmented(SocketMessageType type, const QByteArray &payload, quint64 frameSize);
    /** Logs an event line of the window's own (e.g. which trusted pins apply). */
    void note(const QString &text) { logEvent(text); }
    /** Forgets the logged messages and frames (the connection is untouched). */
    void clearLogs();
    /** Messages over its threshold on their way (progress strip); sends are noted by send(). */
    TransferTracker *transfers() const { return m_transfers; }
    /**
     * Gives up on the transfers in progress: they end as Cancelled, a note goes to the log and
     * the connection is dropped at once (abort): a close frame would queue behind the message
     * being sent, or wait for the rest of the one arriving.
     */
    void cancelTransfers();

Q_SIGNALS:
    void stateChanged(Wsw::ConnectionState state);
    /** lastError() changed: set by a failure, cleared (isError() false) by a new attempt. */
    void errorChanged(const Wsw::WebSocketError &error);
    void handshakeChanged();
    /** Counters and bandwidth may have changed (at most once a second while connected, and on state changes). */
    void informationChanged();
    void messageTypeChanged(Wsw::SocketMessageType type);
    void pongReceived(std::chrono::milliseconds roundTrip);
    /** The connection ended (after the last stateChanged()); lastClose() has the code and reason. */
    void closed(const Wsw::WebSocketClosedEventArgs &args);
    /**
     * The server's certificate failed default validation and Control.allowCustomValidationOverride
     * is on: the connection waits (at most timeLeft) for answerValidation(). certificate holds the
     * chain, the errors and the TLS facts.
     */
    void validationRequested(const Wsw::MessageWebSocketInformation &certificate, std::chrono::milliseconds timeLeft);
    /** The question of validationRequested() is settled: answered, timed out or abandoned. */
    void validationEnded();

private:
    void onStateChanged(ConnectionState state);
    void onConnected();
    void onMessageReceived(const MessageWebSocketMessageReceivedEventArgs &args);
    void onPongReceived(std::chrono::milliseconds roundTrip, const QByteArray &payload);
    void onClosed(const WebSocketClosedEventArgs &args);
    void onError(const WebSocketError &error);
    void onServerValidation(WebSocketServerCustomValidationRequestedEventArgs *args);
    void endValidation();
    void setError(const WebSocketError &error);
    void logEvent(const QString &text);
    void logError(const QString &text);
    void logSent(SocketMessageType type, const QByteArray &payload, const QString &note = {});

    MessageWebSocket m_socket;
    MessageLogModel *m_messageLog;
    FrameLogModel *m_frameLog;
    QTimer m_informationTimer;
    QUrl m_url;
    HandshakeTranscript m_handshake;
    WebSocketError m_lastError;
    std::optional<WebSocketClosedEventArgs> m_lastClose;
    QPointer<WebSocketServerCustomValidationRequestedEventArgs> m_validation; // owned by the socket
    Deferral m_deferral;
    bool m_endPending = false;
    QList<QByteArray> m_quietPings; // payloads of pingQuietly() not answered yet, oldest first
    quint64 m_quietPingNumber = 0;
    TransferTracker *m_transfers;
    PartedSender *m_parted;
    qint64 m_sendInPartsFrom = DefaultSendInPartsBytes;
};

} // namespace Wsw::Ui
