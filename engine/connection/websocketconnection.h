#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include "api/eventargs.h"
#include "api/messagewebsocketcontrol.h"
#include "api/messagewebsocketinformation.h"
#include "api/servervalidation.h"
#include "api/websocketerror.h"
#include "codec/framewriter.h"
#include "codec/handshake.h"
#include "codec/httpauth.h"
#include "codec/inbounddecoder.h"
#include "codec/messagedeflater.h"
#include "codec/permessagedeflate.h"
#include "connection/opensslrandom.h"
#include "connection/outboundqueue.h"
#include "connection/transport.h"

namespace Wsw {

class MessageWebSocket;

/**
 * The connection state machine behind MessageWebSocket (L1). It owns the transport (TCP or
 * TLS, behind one interface) and the timers, feeds received bytes to the codec and writes what
 * the codec produces; it parses nothing itself. The state changes only in setState(). A connection ends once, with its
 * first cause (finish()); signals are emitted on the facade, from the event loop only.
 */
class WebSocketConnection final : public QObject,
                                  private Codec::MessageAssembler::Sink,
                                  private Codec::InboundDecoder::FrameObserver,
                                  private Transport::ReadListener
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketConnection)

public:
    explicit WebSocketConnection(MessageWebSocket *facade);

    /** Marks a public call of the facade: signals raised inside it are delivered from the event loop. */
    class PublicCall
    {
    public:
        explicit PublicCall(WebSocketConnection &c)
            : m_c(c)
        {
            ++m_c.m_publicCallDepth;
        }
        ~PublicCall() { --m_c.m_publicCallDepth; }
        Q_DISABLE_COPY_MOVE(PublicCall)

    private:
        WebSocketConnection &m_c;
    };
    ~WebSocketConnection() override;

    const MessageWebSocketControl &control() const { return m_control; }
    bool setControl(const MessageWebSocketControl &control);
    void setMessageType(SocketMessageType type) { m_control.messageType = type; }
    MessageWebSocketInformation information() const;
    ConnectionState state() const { return m_state; }
    WebSocketError lastError() const { return m_lastError; }

    bool setRequestHeader(const QByteArray &name, const QByteArray &value);
    bool clearRequestHeaders();

    bool connectAsync(const QUrl &url);
    void cancelConnect();

    bool sendMessage(SocketMessageType type, QByteArrayView data);
    bool sendFrame(QByteArrayView data, bool fin);
    bool ping(QByteArrayView payload);
    bool close(std::optional<quint16> code, const QString &reason);
    void abort();
    qint64 bufferedAmount() const;
    /** Frame bytes queued since the attempt began (MessageWebSocket::bytesQueued()). */
    qint64 bytesQueued() const { return m_handedBytes - m_requestBytes + m_queue.size(); }

    /** MessageWebSocket::setMessageHandler(): set while the handler runs, it takes over once it has returned. */
    void setMessageHandler(std::function<void(SocketMessageType, QByteArrayView)> handler);
    bool hasMessageHandler() const { return m_handlerReplaced ? bool(m_nextMessageHandler) : bool(m_messageHandler); }

    /** For tests and tools: replaces the CSPRNG mask source (not owned). */
    void setMaskKeySource(Codec::MaskKeySource *source);

private:
    // Codec::MessageAssembler::Sink
    bool onMessage(SocketMessageType type, QByteArray &&data, bool isComplete) override;
    bool onControlFrame(Codec::Opcode opcode, QByteArray &&payload) override;
    bool onWholeMessage(SocketMessageType type, QByteArrayView data) override;
    // Codec::InboundDecoder::FrameObserver
    void onFrameHeader(const Codec::FrameHeader &header) override;
    void onFrameComplete(const Codec::FrameHeader &header, qint64 uncompressedLength) override;
    void onFramePayload(QByteArrayView chunk, quint64 offset) override;
    /** False: onWholeMessage() counts a one-frame message's frame and shows it to frameObserved. */
    bool wantsWholeFrames() const override { return false; }

    void onTransportSecuring();
    void onTransportEstablished();
    // Transport::ReadListener
    void onTransportReadyRead() override;
    void onTransportProgressed();
    void onTransportPeerClosed();
    void onTransportFailed(const WebSocketError &error);
    void onConnectTimeout();
    void onValidationTimeout();
    void onHandshakeTimeout();
    void onCloseTimeout();
    void onIdleTimeout();
    void onPongTimer();
    void onBandwidthTimer();

    void setState(ConnectionState state);
    bool refuse(ErrorDetail detail, const QString &extra = {});
    bool isSendable() const;
    Transport *createTransport(bool secure, const QNetworkProxy &proxy);
    /** wss://: hands the certificate to the serverCustomValidationRequested handler and waits. */
    void startServerValidation();
    void onServerValidationSettled();
    void failValidation(WebSocketError error);
    /** One connection attempt: a fresh transport, parser, decoder and key; the call's counters stay. */
    void startAttempt();
    void sendUpgradeRequest();
    /** The server answered the upgrade with a complete non-101 answer: retry with the credential, or fail. */
    void onUpgradeRefused();
    /** A 401 answered with Control.serverCredential: prepares the Authorization value; false when it cannot. */
    bool prepareAuthorization(const QList<QByteArray> &challengeValues, WebSocketError *error);
    void processHandshakeBytes(QByteArrayView bytes);
    void completeHandshake();
    void applyDeflateAgreement(const Codec::DeflateAgreement &deflate);
    void sendCompressedMessage(Codec::Opcode opcode, QByteArrayView data);
    void processFrames(QByteArrayView bytes);
    enum class InPlaceRead : quint8 { NotApplicable, ReadOn, PeerGone };
    /** Reads a large frame's payload straight into its message when one is under way (starts round if need be). */
    InPlaceRead readPayloadInPlace(Transport *transport, QElapsedTimer &round);
    /** Queues the next read round of a long burst (once). */
    void postReadRound(Transport *transport);
    void failHandshake(ErrorDetail detail, const QString &extra = {});
    void failHandshake(WebSocketError error);
    /** The server broke a rule while open: send our close code, then end with the error. */
    void failProtocol(ErrorDetail detail);
    void writeControl(Codec::Opcode opcode, QByteArrayView payload);
    /** One masked frame into the send queue, counted and shown to the frame observer (not flushed). */
    void queueFrame(Codec::Opcode opcode, Codec::FrameFlags flags, QByteArrayView payload,
                    qint64 uncompressedLength = -1);
    /** Queues bytes already framed (the handshake request) and hands them over at once. */
    void writeData(const QByteArray &bytes);
    /** After frames were queued: flush now if much is waiting, else once control returns to the event loop. */
    void scheduleFlush();
    void flushQueued();
    void flushNow();
    void reportWritten();
    /** Frame bytes that have left the transport and were not reported by bytesWritten yet. */
    qint64 unreportedWritten() const;
    /** Whether a whole message goes to the handler now (set, full mode, nothing waiting to be delivered before it). */
    bool handsToHandlerNow() const
    {
        return m_messageHandler && m_publicCallDepth == 0 && m_deferredSignals.isEmpty()
                && m_control.receiveMode == MessageWebSocketReceiveMode::FullMessage;
    }
    /** A complete message to the handler; false when the handler ended the connection or its reading. */
    bool callMessageHandler(SocketMessageType type, QByteArrayView data)
    {
        Transport *transport = m_transport;
        ++m_messageHandlerDepth;
        m_messageHandler(type, data);
        --m_messageHandlerDepth;
        if (Q_UNLIKELY(m_handlerReplaced || !m_deferredSignals.isEmpty()))
            afterMessageHandler();
        // the application may have closed, aborted or reconnected from its handler
        return transport == m_transport && !m_finished && !m_stopReading;
    }
    /** The handler replaced itself, or its calls raised signals: both are dealt with now. */
    void afterMessageHandler();
    /** A message or piece delivered from the event loop: to the handler if one is set by then, else the signal. */
    void deliverMessage(const MessageWebSocketMessageReceivedEventArgs &args);
    /** receiveProgress for the message being assembled, if any (only when connected to). */
    void reportReceiveProgress();
    void handlePeerGone();
    void sendCloseFrame(QByteArrayView payload);
    /** Ends the connection once: final state, then errorOccurred (if any), then closed (if it was open). */
    void finish(ConnectionState finalState, const std::optional<WebSocketError> &error,
                const std::optional<WebSocketClosedEventArgs> &closedArgs);

    /**
     * Emits a facade signal: at once from the event loop, but from inside a public call (or
     * behind signals still waiting) it waits, so no slot ever runs inside connectAsync(), a send,
     * close() or abort() and every signal keeps its order. What a slot's own calls raised
     * follows as soon as that slot has returned; what a call from elsewhere raised, from the
     * event loop.
     */
    template<typename Emitter>
    void deliver(Emitter &&emitter)
    {
        if (Q_LIKELY(m_publicCallDepth == 0 && m_deferredSignals.isEmpty())) {
            emitter();
            if (Q_UNLIKELY(!m_deferredSignals.isEmpty()) && m_publicCallDepth == 0)
                deliverDeferredSignals(); // e.g. the frames of a reply sent from messageReceived
            return;
        }
        m_deferredSignals.append(std::function<void()>(std::forward<Emitter>(emitter)));
        if (!m_deferredPosted) {
            m_deferredPosted = true;
            QMetaObject::invokeMethod(this, &WebSocketConnection::deliverDeferredSignals, Qt::QueuedConnection);
        }
    }
    void deliverDeferredSignals();
    void retireTransport(bool graceful);
    void stopTimers();
    bool observingFrames() const;
    /** frameObserved for a one-frame message taken by the decoder's fast path. */
    void observeWholeFrame(SocketMessageType type, QByteArrayView payload);
    void observeOutgoing(const Codec::FrameHeader &header, qint64 uncompressedLength, QByteArrayView payload);

    MessageWebSocket *m_facade;
    MessageWebSocketControl m_control;
    Codec::HeaderList m_requestHeaders;
    ConnectionState m_state = ConnectionState::Idle;
    WebSocketError m_lastError;
    MessageWebSocketInformation m_info;
    QUrl m_url;
    bool m_secure = false;
    QNetworkProxy m_proxy;

    // server authentication (Control.serverCredential): one retry per connectAsync()
    bool m_authRetried = false;
    std::optional<Codec::AuthSelection> m_authSelection;
    std::optional<QSslCertificate> m_acceptedLeaf; // wss://: the leaf the first attempt accepted
    bool m_acceptedByOverride = false;

    Transport *m_transport = nullptr;
    QByteArray m_readBuffer;
    QByteArray m_messageBuffer; // small one-frame messages, reused while no receiver keeps a copy
    OutboundQueue m_queue;
    bool m_flushScheduled = false;
    bool m_wroteThrough = false; // a send in this event-loop round already went straight out
    Transport *m_readRoundQueuedFor = nullptr; // a long burst: the next read round is queued for it
    qint64 m_handedBytes = 0;   // everything handed to the transport, the upgrade request included
    qint64 m_requestBytes = 0;  // the upgrade request: on the wire, but not frame bytes
    qint64 m_reportedBytes = 0; // frame bytes reported by bytesWritten
    bool m_closedPending = false;       // closed() of the connection that just ended is still to come
    int m_publicCallDepth = 0;
    QList<std::function<void()>> m_deferredSignals;
    bool m_deferredPosted = false;
    // MessageWebSocket::setMessageHandler(): a handler replaced from inside itself is swapped after it returns
    std::function<void(SocketMessageType, QByteArrayView)> m_messageHandler;
    std::function<void(SocketMessageType, QByteArrayView)> m_nextMessageHandler;
    int m_messageHandlerDepth = 0;
    bool m_handlerReplaced = false;
    bool m_writeFailed = false;         // a write hit a dead connection: its loss is being reported
    QByteArray m_key;
    Codec::HandshakeResponseParser m_response;
    Codec::InboundDecoder m_decoder;
    Codec::SystemMaskKeySource m_systemKeys; // wss: OpenSSL's DRBG, ws: getrandom() (startAttempt())
    Codec::MaskKeySource *m_keys = &m_systemKeys;
    Codec::MessageDeflater m_deflater;
    bool m_compressOutgoing = false;
    QByteArray m_compressBuffer;
    QByteArray m_incomingFrameHead; // the frame inspector's first bytes of the frame being read
    bool m_receiveProgressReported = false; // the message being assembled had receiveProgress: its end gets one too

    // closing handshake
    bool m_closeSent = false;
    bool m_closeReceived = false;
    quint16 m_receivedCloseCode = 1006;
    QString m_receivedCloseReason;
    bool m_stopReading = false;
    bool m_finished = false;

    // outgoing fragmented message (sendNonfinalFrame / sendFinalFrame)
    bool m_fragmentOpen = false;
    SocketMessageType m_fragmentType = SocketMessageType::Binary;
    Codec::Utf8Validator m_fragmentUtf8;
    bool m_fragmentCompressed = false;

    struct PendingPing {
        QByteArray payload;
        QElapsedTimer sent;
    };
    QList<PendingPing> m_pendingPings;

    // children, so that moveToThread() on the facade moves them along
    QTimer m_connectTimer{this};
    QTimer m_validationTimer{this};
    QTimer m_handshakeTimer{this};
    QTimer m_closeTimer{this};
    QTimer m_idleTimer{this};
    QElapsedTimer m_lastTraffic; // the last read while the idle timeout runs
    QTimer m_pongTimer{this};
    QTimer m_bandwidthTimer{this};
    QPointer<WebSocketServerCustomValidationRequestedEventArgs> m_validation;
    quint64 m_lastWireIn = 0;
    quint64 m_lastWireOut = 0;
};

} // namespace Wsw
