#include "api/messagewebsocket.h"

#include <QMetaMethod>

#include "connection/websocketconnection.h"

namespace Wsw {

namespace {
// queued connections and QVariant need the value types registered once
const int registered = [] {
    qRegisterMetaType<MessageWebSocketMessageReceivedEventArgs>();
    qRegisterMetaType<WebSocketClosedEventArgs>();
    qRegisterMetaType<WebSocketError>();
    qRegisterMetaType<FrameInfo>();
    qRegisterMetaType<HandshakeTranscript>();
    qRegisterMetaType<ConnectionState>();
    qRegisterMetaType<WebSocketServerCustomValidationRequestedEventArgs *>();
    return 0;
}();
} // namespace

MessageWebSocket::MessageWebSocket(QObject *parent)
    : QObject(parent)
    , m_connection(std::make_unique<WebSocketConnection>(this))
{
    Q_UNUSED(registered);
}

MessageWebSocket::~MessageWebSocket() = default;

const MessageWebSocketControl &MessageWebSocket::control() const
{
    return m_connection->control();
}

bool MessageWebSocket::setControl(const MessageWebSocketControl &control)
{
    return m_connection->setControl(control);
}

void MessageWebSocket::setMessageType(SocketMessageType type)
{
    m_connection->setMessageType(type);
}

MessageWebSocketInformation MessageWebSocket::information() const
{
    return m_connection->information();
}

ConnectionState MessageWebSocket::state() const
{
    return m_connection->state();
}

WebSocketError MessageWebSocket::lastError() const
{
    return m_connection->lastError();
}

bool MessageWebSocket::setRequestHeader(const QByteArray &name, const QByteArray &value)
{
    return m_connection->setRequestHeader(name, value);
}

bool MessageWebSocket::clearRequestHeaders()
{
    return m_connection->clearRequestHeaders();
}

bool MessageWebSocket::connectAsync(const QUrl &url)
{
    const WebSocketConnection::PublicCall call(*m_connection);
    return m_connection->connectAsync(url);
}

void MessageWebSocket::cancelConnect()
{
    const WebSocketConnection::PublicCall call(*m_connection);
    m_connection->cancelConnect();
}

bool MessageWebSocket::sendMessage(QByteArrayView data)
{
    const WebSocketConnection::PublicCall call(*m_connection);
    return m_connection->sendMessage(m_connection->control().messageType, data);
}

bool MessageWebSocket::sendTextMessage(QStringView text)
{
    const WebSocketConnection::PublicCall call(*m_connection);
    return m_connection->sendMessage(SocketMessageType::Utf8, text.toUtf8());
}

bool MessageWebSocket::sendBinaryMessage(QByteArrayView data)
{
    const WebSocketConnection::PublicCall call(*m_connection);
    return m_connection->sendMessage(SocketMessageType::Binary, data);
}

bool MessageWebSocket::sendNonfinalFrame(QByteArrayView data)
{
    const WebSocketConnection::PublicCall call(*m_connection);
    return m_connection->sendFrame(data, false);
}

bool MessageWebSocket::sendFinalFrame(QByteArrayView data)
{
    const WebSocketConnection::PublicCall call(*m_connection);
    return m_connection->sendFrame(data, true);
}

bool MessageWebSocket::ping(QByteArrayView payload)
{
    const WebSocketConnection::PublicCall call(*m_connection);
    return m_connection->ping(payload);
}

bool MessageWebSocket::close()
{
    const WebSocketConnection::PublicCall call(*m_connection);
    return m_connection->close(std::nullopt, {});
}

bool MessageWebSocket::close(quint16 code, const QString &reason)
{
    const WebSocketConnection::PublicCall call(*m_connection);
    return m_connection->close(code, reason);
}

void MessageWebSocket::abort()
{
    const WebSocketConnection::PublicCall call(*m_connection);
    m_connection->abort();
}

void MessageWebSocket::connectNotify(const QMetaMethod &signal)
{
    if (signal == QMetaMethod::fromSignal(&MessageWebSocket::frameObserved))
        m_frameObserverConnected = true;
    else if (signal == QMetaMethod::fromSignal(&MessageWebSocket::bytesWritten))
        m_bytesWrittenConnected = true;
    else if (signal == QMetaMethod::fromSignal(&MessageWebSocket::receiveProgress))
        m_receiveProgressConnected = true;
}

void MessageWebSocket::disconnectNotify(const QMetaMethod &)
{
    // Qt may call this with its signal-slot mutex held (a receiver being destroyed), so
    // isSignalConnected() here can deadlock, as Qt's documentation warns: ask at the next use.
    // (The method may also be invalid when everything is disconnected at once.)
    m_receiversStale = true;
}

void MessageWebSocket::refreshReceiversNow() const
{
    m_receiversStale = false;
    m_frameObserverConnected = isSignalConnected(QMetaMethod::fromSignal(&MessageWebSocket::frameObserved));
    m_bytesWrittenConnected = isSignalConnected(QMetaMethod::fromSignal(&MessageWebSocket::bytesWritten));
    m_receiveProgressConnected = isSignalConnected(QMetaMethod::fromSignal(&MessageWebSocket::receiveProgress));
}

bool MessageWebSocket::isServerValidationConnected() const
{
    return isSignalConnected(QMetaMethod::fromSignal(&MessageWebSocket::serverCustomValidationRequested));
}

void MessageWebSocket::setMessageHandler(MessageHandler handler)
{
    m_connection->setMessageHandler(std::move(handler));
}

bool MessageWebSocket::hasMessageHandler() const
{
    return m_connection->hasMessageHandler();
}

qint64 MessageWebSocket::bufferedAmount() const
{
    return m_connection->bufferedAmount();
}

qint64 MessageWebSocket::bytesQueued() const
{
    return m_connection->bytesQueued();
}

} // namespace Wsw
