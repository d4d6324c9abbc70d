#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include "api/eventargs.h"
#include "codec/wswenums.h"

namespace Wsw::Ui {

/** One row of the message log: a message sent or received, an event, or an error. */
struct LogEntry {
    enum class Kind : quint8 { Message, Event, Error };
    enum class Direction : quint8 { Sent, Received, None };

    quint64 sequence = 0;  // assigned by MessageLogModel::append(), 1, 2, 3 …
    qint64 timestampMs = 0; // milliseconds since the epoch (QDateTime::currentMSecsSinceEpoch())
    Kind kind = Kind::Event;
    Direction direction = Direction::None;
    SocketMessageType type = SocketMessageType::Binary; // meaningful for Kind::Message only
    QByteArray data;        // message bytes, whole
    QString text;           // event/error text, or a note for a message
    bool compressed = false; // the message travelled compressed (permessage-deflate)

    static LogEntry message(Direction direction, SocketMessageType type, QByteArray data,
                            qint64 timestampMs = QDateTime::currentMSecsSinceEpoch())
    {
        LogEntry e;
        e.timestampMs = timestampMs;
        e.kind = Kind::Message;
        e.direction = direction;
        e.type = type;
        e.data = std::move(data);
        return e;
    }
    static LogEntry received(const MessageWebSocketMessageReceivedEventArgs &args,
                             qint64 timestampMs = QDateTime::currentMSecsSinceEpoch())
    {
        return message(Direction::Received, args.messageType(), args.data(), timestampMs);
    }
    static LogEntry event(QString text, qint64 timestampMs = QDateTime::currentMSecsSinceEpoch())
    {
        LogEntry e;
        e.timestampMs = timestampMs;
        e.kind = Kind::Event;
        e.text = std::move(text);
        return e;
    }
    static LogEntry error(QString text, qint64 timestampMs = QDateTime::currentMSecsSinceEpoch())
    {
        LogEntry e = event(std::move(text), timestampMs);
        e.kind = Kind::Error;
        return e;
    }

    bool isText() const { return kind == Kind::Message && type == SocketMessageType::Utf8; }
};

} // namespace Wsw::Ui

Q_DECLARE_METATYPE(Wsw::Ui::LogEntry::Kind)
Q_DECLARE_METATYPE(Wsw::Ui::LogEntry::Direction)
