#pragma once

// Shared by the codec tests: a MessageAssembler::Sink that writes down everything it is handed,
// and helpers that drive an InboundDecoder over a byte stream split in different ways.

#include <QByteArray>
#include <QList>

#include "codec/inbounddecoder.h"
#include "codec/messageassembler.h"

namespace Wsw::Test {

/**
 * Records every message (or piece) and control frame as one line of text, so a test can compare
 * the whole conversation with one QCOMPARE:
 *   "text:hello"        a complete text message (or the last piece of one)
 *   "text+:hel"         a text piece that is not the last (partial mode)
 *   "binary:0102ff"     binary payloads in hex ("binary+:" for a piece)
 *   "ping:abc" "pong:" "close:03e8"   control frames (close payload in hex)
 */
class RecordingSink final : public Codec::MessageAssembler::Sink
{
public:
    /** Callbacks to answer true before the first false (-1: never stop). */
    int stopAfter = -1;
    QList<QByteArray> log;
    int callbacks = 0;

    bool onMessage(SocketMessageType type, QByteArray &&data, bool isComplete) override
    {
        QByteArray line = type == SocketMessageType::Utf8 ? QByteArray("text") : QByteArray("binary");
        if (!isComplete)
            line += '+';
        line += ':';
        line += type == SocketMessageType::Utf8 ? data : data.toHex();
        log.append(line);
        pieces.append({type, data, isComplete});
        m_current += data;
        if (isComplete) {
            joined.append((type == SocketMessageType::Utf8 ? QByteArray("text:") : QByteArray("binary:"))
                          + (type == SocketMessageType::Utf8 ? m_current : m_current.toHex()));
            m_current.clear();
        }
        return keepGoing();
    }

    bool onControlFrame(Codec::Opcode opcode, QByteArray &&payload) override
    {
        switch (opcode) {
        case Codec::Opcode::Ping:
            log.append("ping:" + payload);
            break;
        case Codec::Opcode::Pong:
            log.append("pong:" + payload);
            break;
        case Codec::Opcode::Close:
            log.append("close:" + payload.toHex());
            break;
        default:
            log.append("control?" + QByteArray::number(int(opcode)) + ':' + payload.toHex());
            break;
        }
        joined.append(log.constLast());
        controls.append({opcode, payload});
        return keepGoing();
    }

    struct Piece {
        SocketMessageType type;
        QByteArray data;
        bool isComplete;
    };
    struct Control {
        Codec::Opcode opcode;
        QByteArray payload;
    };
    QList<Piece> pieces;
    QList<Control> controls;
    /**
     * The log as full mode writes it: partial pieces joined into one line when the last piece
     * arrives, control frames when they arrive. Full and partial mode must agree on it.
     */
    QList<QByteArray> joined;
    /** Bytes of the message whose pieces are still arriving (partial mode). */
    const QByteArray &unfinished() const { return m_current; }

private:
    QByteArray m_current;

    bool keepGoing()
    {
        ++callbacks;
        return stopAfter < 0 || callbacks < stopAfter;
    }
};

/** Feeds bytes in the given pieces; stops at the first error. Returns that error (or None). */
inline ErrorDetail feedPieces(Codec::InboundDecoder &decoder, const QList<QByteArrayView> &pieces,
                              RecordingSink &sink)
{
    for (QByteArrayView piece : pieces) {
        // the sink never stops here, so every byte of a piece must be used
        qsizetype consumed = -1;
        const ErrorDetail error = decoder.feed(piece, sink, &consumed);
        if (error != ErrorDetail::None)
            return error;
        if (consumed != piece.size())
            return ErrorDetail::InvalidState; // shows up in the comparison as a codec fault
    }
    return ErrorDetail::None;
}

inline ErrorDetail feedSplit(Codec::InboundDecoder &decoder, QByteArrayView bytes, qsizetype split,
                             RecordingSink &sink)
{
    return feedPieces(decoder, {bytes.first(split), bytes.sliced(split)}, sink);
}

/** The ways a stream is fed: whole, split in two at every point, and one byte at a time. */
inline QList<QList<QByteArrayView>> feedings(QByteArrayView stream)
{
    QList<QList<QByteArrayView>> out;
    out.append({stream});
    for (qsizetype split = 0; split <= stream.size(); ++split)
        out.append({stream.first(split), stream.sliced(split)});
    QList<QByteArrayView> bytes;
    for (qsizetype i = 0; i < stream.size(); ++i)
        bytes.append(stream.sliced(i, 1));
    out.append(bytes);
    return out;
}

inline ErrorDetail feedByteByByte(Codec::InboundDecoder &decoder, QByteArrayView bytes, RecordingSink &sink)
{
    QList<QByteArrayView> pieces;
    for (qsizetype i = 0; i < bytes.size(); ++i)
        pieces.append(bytes.sliced(i, 1));
    return feedPieces(decoder, pieces, sink);
}

} // namespace Wsw::Test
