#include "session.h"

#include <algorithm>

#include <QDateTime>

#include "api/chainvalidation.h"
#include "format/messageformat.h"
#include "models/framelogmodel.h"
#include "models/messagelogmodel.h"
#include "partedsender.h"
#include "transfertracker.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

bool isEnded(ConnectionState state)
{
    return state == ConnectionState::Idle || state == ConnectionState::Closed || state == ConnectionState::Failed;
}

LogEntry eventEntry(LogEntry::Kind kind, const QString &text)
{
    LogEntry entry;
    entry.timestampMs = QDateTime::currentMSecsSinceEpoch();
    entry.kind = kind;
    entry.direction = LogEntry::Direction::None;
    entry.text = text;
    return entry;
}

} // namespace

Session::Session(QObject *parent)
    : QObject(parent)
    , m_socket(this)
    , m_messageLog(new MessageLogModel(this))
    , m_frameLog(new FrameLogModel(this))
    , m_transfers(new TransferTracker(&m_socket, this))
    , m_parted(new PartedSender(&m_socket, m_transfers, this))
{
    m_socket.setMessageType(SocketMessageType::Utf8); // people type text first
    m_informationTimer.setInterval(1000);
    connect(&m_informationTimer, &QTimer::timeout, this, &Session::informationChanged);

    connect(&m_socket, &MessageWebSocket::stateChanged, this, &Session::onStateChanged);
    connect(&m_socket, &MessageWebSocket::connected, this, &Session::onConnected);
    connect(&m_socket, &MessageWebSocket::messageReceived, this, &Session::onMessageReceived);
    connect(&m_socket, &MessageWebSocket::pongReceived, this, &Session::onPongReceived);
    connect(&m_socket, &MessageWebSocket::closed, this, &Session::onClosed);
    connect(&m_socket, &MessageWebSocket::errorOccurred, this, &Session::onError);
    connect(&m_socket, &MessageWebSocket::frameObserved, m_frameLog, &FrameLogModel::append);
    // always connected: a chain that passed is accepted as is; one that failed is asked about
    // only with Control.allowCustomValidationOverride (otherwise it never comes here)
    connect(&m_socket, &MessageWebSocket::serverCustomValidationRequested, this, &Session::onServerValidation);
    connect(&m_socket, &MessageWebSocket::handshakeCompleted, this, [this](const HandshakeTranscript &t) {
        m_handshake = t;
        Q_EMIT handshakeChanged();
    });
}

Session::~Session()
{
    // the socket is a member: stop it before the models it feeds go
    m_socket.disconnect(this);
    m_socket.abort();
}

bool Session::isActive() const
{
    return !isEnded(m_socket.state()) || m_endPending;
}

bool Session::connectTo(const QString &urlText, const MessageWebSocketControl &control,
                        const Codec::HeaderList &headers)
{
    QString text = urlText.trimmed();
    if (text.isEmpty()) {
        setError(WebSocketError(ErrorDetail::InvalidUrl, tr("Type the server's URL first, e.g. ws://127.0.0.1:8080/chat")));
        return false;
    }
    if (!text.contains(u"://"_s))
        text.prepend(u"ws://"_s); // "host:port/path" is what people paste from a server's log
    const QUrl url(text, QUrl::StrictMode);
    MessageWebSocketControl wanted = control;
    wanted.messageType = m_socket.control().messageType; // the live switch wins
    if (!m_socket.setControl(wanted) || !m_socket.clearRequestHeaders()) {
        setError(m_socket.lastError());
        return false;
    }
    for (const auto &[name, value] : headers) {
        if (!m_socket.setRequestHeader(name, value)) {
            setError(m_socket.lastError());
            return false;
        }
    }
    m_handshake = {};
    Q_EMIT handshakeChanged();
    if (!m_socket.connectAsync(url)) {
        setError(m_socket.lastError());
        return false;
    }
    m_url = url;
    m_endPending = true;
    m_lastClose.reset();
    setError({});
    logEvent(tr("connecting to %1").arg(url.toDisplayString()));
    return true;
}

void Session::disconnectNow()
{
    const ConnectionState state = m_socket.state();
    if (state == ConnectionState::Open || state == ConnectionState::Closing) {
        m_socket.abort();
        logEvent(tr("dropped the connection without a close frame"));
    } else if (!isEnded(state)) {
        m_socket.cancelConnect();
    }
}

bool Session::close(quint16 code, const QString &reason)
{
    if (!m_socket.close(code, reason)) {
        setError(m_socket.lastError());
        return false;
    }
    logEvent(reason.isEmpty() ? tr("sent close %1").arg(Format::closeCodeName(code))
                              : tr("sent close %1 “%2”").arg(Format::closeCodeName(code), reason));
    return true;
}

bool Session::send(const QByteArray &payload)
{
    const SocketMessageType type = m_socket.control().messageType;
    if (m_parted->isSending()) {
        setError(WebSocketError(ErrorDetail::FragmentedMessageInProgress,
                                tr("a big message is still going out in parts; send again once it is through")));
        return false;
    }
    // measured on 256 MiB of incompressible data: one sendMessage() took 12 s compressed, 0.15-0.35 s not
    const bool inParts = m_sendInPartsFrom > 0
            && (payload.size() >= m_sendInPartsFrom
                || (payload.size() >= CompressedSendInPartsBytes
                    && m_socket.information().compression.outgoingCompressed));
    if (inParts) {
        WebSocketError error;
        if (!m_parted->start(payload, &error)) {
            setError(error);
            return false;
        }
    } else {
        const qint64 queuedBefore = m_socket.bytesQueued();
        if (!m_socket.sendMessage(payload)) {
            setError(m_socket.lastError());
            return false;
        }
        m_transfers->noteSend(payload.size(), queuedBefore);
    }
    LogEntry entry;
    entry.timestampMs = QDateTime::currentMSecsSinceEpoch();
    entry.kind = LogEntry::Kind::Message;
    entry.direction = LogEntry::Direction::Sent;
    entry.type = type;
    entry.data = payload;
    if (inParts)
        entry.text = tr("sent as a fragmented message, %1 per frame, so the window stays responsive")
                             .arg(Format::byteSize(quint64(m_parted->partBytes())));
    m_messageLog->append(std::move(entry));
    if (m_lastError.isError())
        setError({});
    return true;
}

bool Session::ping(const QByteArray &payload)
{
    if (!m_socket.ping(payload)) {
        setError(m_socket.lastError());
        return false;
    }
    logEvent(payload.isEmpty() ? tr("ping sent") : tr("ping sent (%1)").arg(Format::messagePreview(payload, true, 60)));
    return true;
}

bool Session::pingQuietly()
{
    // a payload of its own tells its pong from the answer to a ping typed by hand
    const QByteArray payload = "auto-ping " + QByteArray::number(++m_quietPingNumber);
    if (m_socket.state() != ConnectionState::Open || !m_socket.ping(payload))
        return false;
    static constexpr qsizetype MaxUnanswered = 16; // a server that never answers must not grow the list
    if (m_quietPings.size() >= MaxUnanswered)
        m_quietPings.removeFirst();
    m_quietPings.append(payload);
    return true;
}

void Session::setMessageType(SocketMessageType type)
{
    if (m_socket.control().messageType == type)
        return;
    m_socket.setMessageType(type); // the one Control property that may change while connected
    Q_EMIT messageTypeChanged(type);
}

void Session::clearLogs()
{
    m_messageLog->clear();
    m_frameLog->clear();
}

void Session::cancelTransfers()
{
    const QList<Transfer> transfers = m_transfers->transfers();
    if (transfers.isEmpty())
        return;
    QStringList what;
    for (const Transfer &t : transfers) {
        const QString size = Format::byteSize(quint64(t.totalBytes >= 0 ? t.totalBytes : t.doneBytes));
        const QString done = t.totalBytes >= 0 ? tr("%1 % done").arg(t.totalBytes > 0 ? t.doneBytes * 100 / t.totalBytes : 100) : tr("total unknown");
        what << (t.direction == Transfer::Direction::Sending ? tr("sending %1, %2") : tr("receiving %1, %2"))
                        .arg(size, done);
    }
    logEvent(tr("transfer cancelled (%1): dropping the connection").arg(what.join(u"; "_s)));
    m_parted->stop();
    m_transfers->cancelAll();
    disconnectNow();
}

void Session::onStateChanged(ConnectionState state)
{
    if (state != ConnectionState::AwaitingServerValidation && isValidationPending())
        endValidation(); // timed out or abandoned: the engine has already failed the connection
    if (state == ConnectionState::Open) {
        m_informationTimer.start();
    } else if (isEnded(state)) {
        m_informationTimer.stop();
        // the engine's errorOccurred()/closed() for this end are already queued; once they are out
        // a new connection may start (before, connectAsync() would refuse it)
        QMetaObject::invokeMethod(this, [this] {
            if (!isEnded(m_socket.state()) || !m_endPending)
                return;
            m_endPending = false;
            Q_EMIT stateChanged(m_socket.state());
        }, Qt::QueuedConnection);
    }
    Q_EMIT stateChanged(state);
    Q_EMIT informationChanged();
}

void Session::onServerValidation(WebSocketServerCustomValidationRequestedEventArgs *args)
{
    if (args->isDefaultValidationPassed())
        return; // accepted unless rejected: nothing to ask
    m_validation = args;
    m_deferral = args->getDeferral();
    // Information already holds what the args carry (the chain, its errors, the TLS facts)
    const MessageWebSocketInformation certificate = m_socket.information();
    QStringList names;
    for (ChainValidationResult r : certificate.serverCertificateErrors)
        names << ChainValidation::name(r);
    logEvent(tr("the server's certificate failed validation (%1): waiting for your answer").arg(names.join(u", "_s)));
    Q_EMIT validationRequested(certificate, m_socket.control().timeouts.validation);
}

void Session::answerValidation(bool accept)
{
    if (!isValidationPending())
        return;
    if (m_validation) {
        if (accept) {
            m_validation->acceptDespiteErrors();
            logEvent(tr("certificate accepted by hand despite its errors"));
        } else {
            m_validation->reject();
            logEvent(tr("certificate rejected by hand"));
        }
    }
    m_deferral.complete();
    endValidation();
}

void Session::endValidation()
{
    m_deferral = {};
    m_validation.clear();
    Q_EMIT validationEnded();
}

void Session::onConnected()
{
    const MessageWebSocketInformation info = m_socket.information();
    QString text = tr("connected to %1").arg(m_url.toDisplayString());
    if (!info.protocol.isEmpty())
        text += tr(", subprotocol %1").arg(info.protocol);
    if (info.tls.encrypted)
        text += tr(", %1 %2").arg(info.tls.protocol, info.tls.cipher);
    logEvent(text);
    if (!info.authentication.note.isEmpty())
        logEvent(info.authentication.note); // e.g. that Basic over ws:// sent the password in clear
    if (info.compression.negotiated)
        logEvent(info.compression.note.isEmpty()
                         ? tr("compression: %1").arg(info.compression.extension)
                         : tr("compression: %1 (%2)").arg(info.compression.extension, info.compression.note));
    if (info.tls.acceptedByOverride)
        logEvent(tr("trusted although the certificate failed validation: accepted by hand"));
    else if (!info.tls.matchedPin.isEmpty() && !info.serverCertificateErrors.isEmpty())
        logEvent(tr("trusted because of the pinned key %1, not the certificate chain").arg(info.tls.matchedPin));
    else if (info.tls.encrypted && !info.serverCertificateErrors.isEmpty())
        logEvent(tr("trusted although the certificate has errors that Control ignores"));
}

void Session::onMessageReceived(const MessageWebSocketMessageReceivedEventArgs &args)
{
    LogEntry entry;
    entry.timestampMs = QDateTime::currentMSecsSinceEpoch();
    entry.kind = LogEntry::Kind::Message;
    entry.direction = LogEntry::Direction::Received;
    entry.type = args.messageType();
    entry.data = args.data();
    if (!args.isMessageComplete())
        entry.text = tr("part of a message (PartialMessage mode)");
    m_messageLog->append(std::move(entry));
}

void Session::onPongReceived(std::chrono::milliseconds roundTrip, const QByteArray &payload)
{
    if (const qsizetype quiet = m_quietPings.indexOf(payload); quiet >= 0) {
        m_quietPings.remove(0, quiet + 1); // the engine too forgets the pings before the answered one
        Q_EMIT pongReceived(roundTrip);
        return;
    }
    logEvent(roundTrip.count() < 1 ? tr("pong after < 1 ms") : tr("pong after %1 ms").arg(roundTrip.count()));
    Q_EMIT pongReceived(roundTrip);
}

void Session::onClosed(const WebSocketClosedEventArgs &args)
{
    m_lastClose = args;
    const QString reason = args.reason().isEmpty() ? QString() : u" “"_s + args.reason() + u'”';
    logEvent(tr("closed by %1: %2%3, %4")
                     .arg(args.code() == 1006 ? tr("the connection's end") : tr("the close handshake"),
                          Format::closeCodeName(args.code()), reason,
                          args.wasClean() ? tr("clean") : tr("not clean")));
    Q_EMIT closed(args);
}

void Session::onError(const WebSocketError &error)
{
    logError(error.message());
    setError(error);
}

void Session::setError(const WebSocketError &error)
{
    m_lastError = error;
    Q_EMIT errorChanged(error);
}

void Session::logEvent(const QString &text)
{
    m_messageLog->append(eventEntry(LogEntry::Kind::Event, text));
}

void Session::logError(const QString &text)
{
    m_messageLog->append(eventEntry(LogEntry::Kind::Error, text));
}

} // namespace Wsw::Ui

namespace Wsw::Ui {

namespace {

/** Switches the engine's message type for one call and back, so the user's switch is untouched. */
class MessageTypeOverride
{
    Q_DISABLE_COPY_MOVE(MessageTypeOverride)

public:
    MessageTypeOverride(MessageWebSocket &socket, SocketMessageType type)
        : m_socket(socket)
        , m_previous(socket.control().messageType)
    {
        m_socket.setMessageType(type);
    }
    ~MessageTypeOverride() { m_socket.setMessageType(m_previous); }

private:
    MessageWebSocket &m_socket;
    SocketMessageType m_previous;
};

/** Most bytes of frame header per frame a client writes (2 + 8 length + 4 mask). */
constexpr quint64 MaxFrameHeaderBytes = 14;

} // namespace

bool Session::sendAs(SocketMessageType type, const QByteArray &payload)
{
    bool sent = false;
    {
        // sendMessage() in the chosen type: it checks text as UTF-8 byte for byte, where
        // sendTextMessage() would need a QString (and a lossy round trip for bad bytes)
        const MessageTypeOverride override(m_socket, type);
        sent = m_socket.sendMessage(payload);
    }
    if (!sent) {
        setError(m_socket.lastError());
        return false;
    }
    logSent(type, payload);
    return true;
}

bool Session::sendFragmented(SocketMessageType type, const QByteArray &payload, quint64 frameSize)
{
    if (frameSize == 0) {
        setError(WebSocketError(ErrorDetail::InvalidArgument, tr("the frame size must be at least 1 byte")));
        return false;
    }
    if (m_socket.state() != ConnectionState::Open) {
        setError(WebSocketError(ErrorDetail::InvalidState, tr("connect first: frames can be sent only while open")));
        return false;
    }
    // checked before the first frame: a refusal half-way would leave the message open
    if (type == SocketMessageType::Utf8) {
        if (const QString problem = Format::utf8Problem(payload); !problem.isEmpty()) {
            setError(WebSocketError(ErrorDetail::InvalidUtf8InOutgoingText, problem));
            return false;
        }
    }
    const quint64 size = quint64(payload.size());
    const quint64 frames = size == 0 ? 1 : (size + frameSize - 1) / frameSize;
    const quint64 limit = m_socket.control().maxBufferedAmountBytes;
    const quint64 needed = quint64(m_socket.bufferedAmount()) + size + frames * MaxFrameHeaderBytes;
    if (limit > 0 && needed >= limit) {
        setError(WebSocketError(ErrorDetail::SendBufferFull,
                                tr("%1 in frames needs room for all of it at once; the limit is %2 and %3 wait to be written")
                                        .arg(Format::byteSize(size), Format::byteSize(limit),
                                             Format::byteSize(quint64(m_socket.bufferedAmount())))));
        return false;
    }
    const MessageTypeOverride override(m_socket, type);
    qsizetype offset = 0;
    quint64 sentFrames = 0;
    do {
        const qsizetype n = qsizetype(std::min<quint64>(frameSize, size - quint64(offset)));
        const bool last = quint64(offset + n) == size;
        const QByteArrayView part = QByteArrayView(payload).sliced(offset, n);
        if (!(last ? m_socket.sendFinalFrame(part) : m_socket.sendNonfinalFrame(part))) {
            // not expected after the checks above; end the message so the connection stays usable
            const WebSocketError error = m_socket.lastError();
            if (sentFrames > 0 && m_socket.sendFinalFrame({}))
                logError(tr("a message sent in frames was cut short after %1 of %2 frames (%3)")
                                 .arg(sentFrames).arg(frames).arg(error.message()));
            setError(error);
            return false;
        }
        offset += n;
        ++sentFrames;
    } while (quint64(offset) < size);
    logSent(type, payload,
            frames == 1 ? tr("sent as one frame (frame size %1)").arg(Format::byteSize(frameSize))
                        : tr("sent in %1 frames of at most %2").arg(frames).arg(Format::byteSize(frameSize)));
    return true;
}

void Session::logSent(SocketMessageType type, const QByteArray &payload, const QString &note)
{
    LogEntry entry = LogEntry::message(LogEntry::Direction::Sent, type, payload);
    entry.text = note;
    m_messageLog->append(std::move(entry));
    if (m_lastError.isError())
        setError({});
}

} // namespace Wsw::Ui
