#include "server/echoserverconnection.h"

#include <QSslSocket>
#include <QTcpSocket>

#include "codec/closecode.h"
#include "codec/errortable.h"
#include "codec/framewriter.h"

namespace Wsw {

using namespace Codec;

namespace {

/** A scratch buffer larger than this is given back after the message it held. */
constexpr qsizetype KeptScratchBytes = 1024 * 1024;

QString peerText(const QTcpSocket &socket)
{
    const QHostAddress address = socket.peerAddress();
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
            ? u'[' + address.toString() + u']'
            : address.toString();
    return host + u':' + QString::number(socket.peerPort());
}

/** A close payload: the code, then the reason cut to 123 bytes of UTF-8 on a character boundary. */
QByteArray closePayload(quint16 code, const QString &reason)
{
    QByteArray text = reason.toUtf8();
    if (text.size() > MaxCloseReasonBytes) {
        qsizetype cut = MaxCloseReasonBytes;
        while (cut > 0 && (quint8(text[cut]) & 0xC0) == 0x80)
            --cut; // text[cut] would continue a character: cut before the character starts
        text.truncate(cut);
    }
    QByteArray payload;
    payload.reserve(2 + text.size());
    payload.append(char(code >> 8));
    payload.append(char(code & 0xFF));
    payload.append(text);
    return payload;
}

QString closeText(quint16 code, const QString &reason)
{
    if (code == quint16(CloseCode::NoStatusReceived))
        return QStringLiteral("no code");
    return QString::number(code) + (reason.isEmpty() ? QString() : u" \"" + reason + u'"');
}

} // namespace

EchoServerConnection::EchoServerConnection(QTcpSocket *socket, const ServerHandshakeOptions &options,
                                           const EchoServerLimits &limits, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_sslSocket(qobject_cast<QSslSocket *>(socket))
    , m_options(options)
    , m_limits(limits)
    , m_peer(peerText(*socket))
{
    socket->setParent(this);
    // a cap on Qt's buffer lets TCP push back on a client we are not reading from
    socket->setReadBufferSize(m_limits.readBufferBytes);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_decoder.assembler().setMaxMessageSize(m_limits.maxMessageSize);

    connect(socket, &QIODevice::readyRead, this, &EchoServerConnection::onReadyRead);
    connect(socket, &QIODevice::bytesWritten, this, &EchoServerConnection::onBytesWritten);
    if (m_sslSocket)
        connect(m_sslSocket, &QSslSocket::encryptedBytesWritten, this, &EchoServerConnection::onBytesWritten);
    connect(socket, &QAbstractSocket::disconnected, this, &EchoServerConnection::onDisconnected);
    connect(socket, &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (m_outcome.isEmpty() && error != QAbstractSocket::RemoteHostClosedError && m_socket)
            m_outcome = u"lost: " + m_socket->errorString();
    });

    m_handshakeTimer.setSingleShot(true);
    connect(&m_handshakeTimer, &QTimer::timeout, this, &EchoServerConnection::onHandshakeTimeout);
    m_handshakeTimer.start(m_limits.handshakeTimeout);
    m_closeTimer.setSingleShot(true);
    connect(&m_closeTimer, &QTimer::timeout, this, &EchoServerConnection::onCloseTimeout);

    // bytes that arrived with the connection, once the owner has connected to our signals
    QMetaObject::invokeMethod(this, [this] {
        if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
            finish();
        else
            processInput();
    }, Qt::QueuedConnection);
}

EchoServerConnection::~EchoServerConnection() = default;

void EchoServerConnection::close(quint16 code, const QString &reason)
{
    switch (m_state) {
    case State::Handshake:
        m_outcome = QStringLiteral("dropped during the opening handshake: the server is closing");
        hangUp();
        break;
    case State::Open:
        writeFrame(Opcode::Close, closePayload(code, reason));
        m_closeSent = true;
        m_state = State::Closing;
        m_outcome = u"closed by the server with " + closeText(code, reason);
        m_closeTimer.start(m_limits.closeTimeout);
        break;
    default:
        break; // already closing
    }
}

void EchoServerConnection::abort()
{
    if (m_socket)
        m_socket->abort();
    finish();
}

void EchoServerConnection::onReadyRead()
{
    processInput();
}

void EchoServerConnection::onBytesWritten()
{
    if (m_readPaused && outputBacklog() < m_limits.outputLowWater) {
        m_readPaused = false;
        processInput();
    }
}

void EchoServerConnection::onDisconnected()
{
    if (m_outcome.isEmpty())
        m_outcome = m_state == State::Handshake ? QStringLiteral("disconnected during the opening handshake")
                                                : QStringLiteral("disconnected without a close frame");
    finish();
}

void EchoServerConnection::onHandshakeTimeout()
{
    if (m_state != State::Handshake)
        return;
    const RequestRejection rejection = rejectionFor(ErrorDetail::RequestTimeout);
    if (m_socket)
        m_socket->write(buildRejectResponse(rejection.status, rejection.text));
    m_outcome = u"rejected: " + QString::number(rejection.status) + u' ' + QString::fromLatin1(rejection.reasonPhrase)
            + u": " + rejection.text;
    Q_EMIT rejected(m_peer + u' ' + m_outcome);
    hangUp();
}

void EchoServerConnection::onCloseTimeout()
{
    m_outcome += QStringLiteral(" (no answer in time: dropped)");
    abort();
}

void EchoServerConnection::processInput()
{
    if (!m_socket)
        return;
    if (m_state == State::Handshake)
        readHandshake();
    if (m_state == State::Open || m_state == State::Closing)
        decodeFrames();
    if (m_state == State::HangingUp && m_socket)
        m_socket->readAll(); // discarded: unread bytes at close() would make the kernel send a reset
}

void EchoServerConnection::readHandshake()
{
    while (m_state == State::Handshake) {
        const QByteArray chunk = m_socket->read(m_limits.readBufferBytes);
        if (chunk.isEmpty())
            return;
        qsizetype used = 0;
        const HandshakeRequestParser::Result result = m_request.feed(chunk, &used);
        if (result == HandshakeRequestParser::Result::NeedMore)
            continue;

        const UpgradeAnswer answer = answerUpgrade(m_request, m_options);
        m_socket->write(answer.response);
        m_handshakeTimer.stop();
        if (answer.rejection.detail != ErrorDetail::None) {
            m_outcome = u"rejected: " + QString::number(answer.rejection.status) + u' '
                    + QString::fromLatin1(answer.rejection.reasonPhrase) + u": " + answer.rejection.text;
            Q_EMIT rejected(m_peer + u' ' + m_outcome);
            hangUp();
            return;
        }

        // frames the client sent right behind its request are decoded next
        m_input = chunk.sliced(used);
        m_inputPos = 0;
        m_state = State::Open;
        m_upgraded = true;
        m_protocol = answer.protocol;
        QStringList details;
        if (!m_protocol.isEmpty())
            details.append(u"subprotocol " + m_protocol);
        if (answer.deflate.active) {
            m_decoder.enableDeflate(answer.deflate.clientMaxWindowBits, answer.deflate.clientNoContextTakeover);
            m_compressOutgoing = answer.deflate.compressOutgoing;
            if (m_compressOutgoing)
                m_deflater.configure(answer.deflate.serverMaxWindowBits, m_options.deflate.compressionLevel,
                                     answer.deflate.serverNoContextTakeover);
            m_extensions = QString::fromLatin1(answer.deflate.response);
            details.append(m_extensions);
        }
        const QString target = QString::fromLatin1(m_request.target());
        Q_EMIT opened(m_peer + u" connected to " + target
                      + (details.isEmpty() ? QString() : u" (" + details.join(u"; ") + u')'));
    }
}

void EchoServerConnection::decodeFrames()
{
    while (m_state == State::Open || m_state == State::Closing) {
        if (outputBacklog() > m_limits.outputHighWater) {
            m_readPaused = true; // onBytesWritten() resumes
            return;
        }
        if (m_inputPos >= m_input.size()) {
            m_input = m_socket->read(m_limits.readBufferBytes);
            m_inputPos = 0;
            if (m_input.isEmpty())
                return;
        }
        qsizetype used = 0;
        const ErrorDetail error = m_decoder.feed(QByteArrayView(m_input).sliced(m_inputPos), *this, &used);
        m_inputPos += used;
        if (error != ErrorDetail::None) {
            failConnection(error);
            return;
        }
    }
}

qint64 EchoServerConnection::outputBacklog() const
{
    if (!m_socket)
        return 0;
    return m_socket->bytesToWrite() + (m_sslSocket ? m_sslSocket->encryptedBytesToWrite() : 0);
}

void EchoServerConnection::writeFrame(Opcode opcode, QByteArrayView payload, bool compressed)
{
    if (!m_socket)
        return;
    m_frame.resize(0);
    if (isControlOpcode(opcode))
        appendFrame(m_frame, opcode, FrameFlags{}, payload, std::nullopt);
    else
        appendUnmaskedMessage(m_frame, opcode, payload, 0, {}, compressed); // one frame per message
    m_socket->write(m_frame);
    if (m_frame.capacity() > KeptScratchBytes)
        m_frame = QByteArray();
}

bool EchoServerConnection::onMessage(SocketMessageType type, QByteArray &&data, bool isComplete)
{
    Q_UNUSED(isComplete) // full-message mode: always complete
    if (m_state != State::Open)
        return true; // after our close frame nothing more is echoed (RFC 6455 §5.5.1)
    const Opcode opcode = type == SocketMessageType::Utf8 ? Opcode::Text : Opcode::Binary;
    if (m_compressOutgoing) {
        QByteArray compressed;
        m_deflater.compress(data, true, &compressed);
        writeFrame(opcode, compressed, true);
    } else {
        writeFrame(opcode, data);
    }
    ++m_messagesEchoed;
    m_bytesEchoed += quint64(data.size());
    Q_EMIT echoed(data.size());
    return outputBacklog() <= m_limits.outputHighWater;
}

bool EchoServerConnection::onControlFrame(Opcode opcode, QByteArray &&payload)
{
    switch (opcode) {
    case Opcode::Ping:
        if (!m_closeSent)
            writeFrame(Opcode::Pong, payload); // RFC 6455 §5.5.3: the same application data
        return true;
    case Opcode::Close: {
        ClosePayload close;
        const ErrorDetail error = parseClosePayload(payload, &close);
        if (error != ErrorDetail::None) {
            failConnection(error);
            return false;
        }
        m_closeReceived = true;
        if (m_closeSent) {
            m_outcome += QStringLiteral(" (clean)"); // the answer to our close
        } else {
            // echo the same code and reason, then the server closes TCP first (RFC 6455 §7.1.1)
            writeFrame(Opcode::Close, payload);
            m_closeSent = true;
            m_outcome = u"closed by the client with " + closeText(close.code, close.reason) + u" (clean)";
        }
        hangUp();
        return false;
    }
    default:
        return true; // an unsolicited pong needs no answer (RFC 6455 §5.5.3)
    }
}

void EchoServerConnection::failConnection(ErrorDetail detail)
{
    const ErrorInfo info = errorInfo(detail);
    const quint16 code = info.closeCodeToSend != 0 ? info.closeCodeToSend : quint16(CloseCode::ProtocolError);
    // the codec names the rule from the client's side; in the server role the frame came unmasked
    const QString text = detail == ErrorDetail::MaskedServerFrame
            ? QStringLiteral("A client frame is not masked (RFC 6455 §5.1)")
            : errorMessage(detail);
    if (!m_closeSent) {
        writeFrame(Opcode::Close, closePayload(code, text));
        m_closeSent = true;
    }
    m_outcome = u"failed: " + text + u" (sent close " + QString::number(code) + u')';
    hangUp();
}

void EchoServerConnection::hangUp()
{
    if (m_state == State::HangingUp || m_state == State::Finished)
        return;
    m_state = State::HangingUp;
    m_handshakeTimer.stop();
    m_closeTimer.start(m_limits.closeTimeout);
    if (!m_socket)
        return;
    m_socket->readAll();
    // closes once everything queued is written; disconnected() follows (at once when nothing is queued)
    m_socket->disconnectFromHost();
}

void EchoServerConnection::finish()
{
    if (m_state == State::Finished)
        return;
    m_state = State::Finished;
    m_handshakeTimer.stop();
    m_closeTimer.stop();
    QString description = m_peer + u' ' + (m_outcome.isEmpty() ? QStringLiteral("disconnected") : m_outcome);
    if (m_upgraded)
        description += u", " + QString::number(m_messagesEchoed) + (m_messagesEchoed == 1 ? u" message" : u" messages")
                + u" echoed";
    Q_EMIT finished(description);
    deleteLater();
}

} // namespace Wsw
