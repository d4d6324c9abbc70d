#pragma once

#include <memory>

#include <QByteArray>
#include <QIODevice>
#include <QMetaType>
#include <QString>

#include "codec/wswenums.h"

namespace Wsw {

/** One received message, or one piece of it in PartialMessage mode (implicitly shared, no copies). */
class MessageWebSocketMessageReceivedEventArgs
{
public:
    MessageWebSocketMessageReceivedEventArgs() = default;
    MessageWebSocketMessageReceivedEventArgs(SocketMessageType type, QByteArray data, bool isComplete)
        : m_data(std::move(data))
        , m_type(type)
        , m_complete(isComplete)
    {
    }

    SocketMessageType messageType() const { return m_type; }
    /** The bytes as received (GetDataReader). Valid UTF-8 when messageType() is Utf8. */
    const QByteArray &data() const { return m_data; }
    /** data() decoded, every character kept (a leading U+FEFF too). */
    QString text() const;
    /** A fresh, open, read-only QIODevice over data() on every call (GetDataStream). */
    std::unique_ptr<QIODevice> getDataStream() const;
    /** Always true in FullMessage mode; in PartialMessage mode true on the last piece. */
    bool isMessageComplete() const { return m_complete; }

private:
    QByteArray m_data;
    SocketMessageType m_type = SocketMessageType::Binary;
    bool m_complete = true;
};

/** How a connection ended: the close code and reason, and whether the close handshake completed. */
class WebSocketClosedEventArgs
{
public:
    WebSocketClosedEventArgs() = default;
    WebSocketClosedEventArgs(quint16 code, QString reason, bool wasClean)
        : m_reason(std::move(reason))
        , m_code(code)
        , m_clean(wasClean)
    {
    }

    /** The peer's code (1005 for a close frame without one; 1006 when no close frame came). */
    quint16 code() const { return m_code; }
    QString reason() const { return m_reason; }
    /** True when both close frames were exchanged. */
    bool wasClean() const { return m_clean; }

private:
    QString m_reason;
    quint16 m_code = 1006;
    bool m_clean = false;
};

} // namespace Wsw

Q_DECLARE_METATYPE(Wsw::MessageWebSocketMessageReceivedEventArgs)
Q_DECLARE_METATYPE(Wsw::WebSocketClosedEventArgs)
