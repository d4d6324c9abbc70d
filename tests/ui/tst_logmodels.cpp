// The log models: batching, the bounded ring, columns and roles, the filter proxy, the frame
// table, and a burst of 100 000 messages into a shown view.
#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include "models/framelogmodel.h"
#include "models/messagelogfiltermodel.h"
#include "models/messagelogmodel.h"
#include "theme.h"

using namespace Wsw;
using namespace Wsw::Ui;
using namespace Qt::Literals::StringLiterals;

namespace {

using Dir = LogEntry::Direction;
using Kind = LogEntry::Kind;
using Tester = QAbstractItemModelTester;

LogEntry textMessage(Dir dir, const QString &text, qint64 ts = 0)
{
    return LogEntry::message(dir, SocketMessageType::Utf8, text.toUtf8(), ts);
}

LogEntry binaryMessage(Dir dir, QByteArray bytes, qint64 ts = 0)
{
    return LogEntry::message(dir, SocketMessageType::Binary, std::move(bytes), ts);
}

/** A model and its filter proxy, both watched by a fatal QAbstractItemModelTester. */
struct Watched {
    Watched() { proxy.setSourceModel(&model); } // the proxy's tester sees the source arrive
    MessageLogModel model;
    MessageLogFilterModel proxy;
    Tester modelTester{&model, Tester::FailureReportingMode::Fatal};
    Tester proxyTester{&proxy, Tester::FailureReportingMode::Fatal};
};

QString cell(const QAbstractItemModel &m, int row, int column, int role = Qt::DisplayRole)
{
    return m.index(row, column).data(role).toString();
}

QStringList previews(const QAbstractItemModel &m)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out << cell(m, r, MessageLogModel::Preview);
    return out;
}

} // namespace

class tst_LogModels final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void boundedRing()
    {
        BoundedRing<QByteArray> ring(4);
        QCOMPARE(ring.storageSize(), 0); // nothing allocated up front
        for (char c = 'a'; c <= 'f'; ++c)
            QCOMPARE(ring.pushBack(QByteArray(1, c)), c > 'd'); // full from the 5th on: drops the oldest
        QCOMPARE(ring.size(), 4);
        QCOMPARE(ring.storageSize(), 4);
        QCOMPARE(ring.at(0), "c");
        QCOMPARE(ring.last(), "f");
        ring.popFront(1);
        ring.pushBack("g");
        QCOMPARE(ring.at(0), "d");
        QCOMPARE(ring.at(3), "g");
        QCOMPARE(ring.setCapacity(2), 2); // the two oldest go
        QCOMPARE(ring.at(0), "f");
        QCOMPARE(ring.at(1), "g");
        QCOMPARE(ring.storageSize(), 2);
        QCOMPARE(ring.setCapacity(5), 0);
        for (const char *v : {"h", "i", "j", "k"})
            ring.pushBack(v);
        QCOMPARE(ring.size(), 5);
        QStringList order;
        ring.drainInto([&order](QByteArray &&v) { order << QString::fromLatin1(v); });
        QCOMPARE(order, (QStringList{u"g"_s, u"h"_s, u"i"_s, u"j"_s, u"k"_s}));
        QVERIFY(ring.isEmpty());
        ring.pushBack("x");
        ring.clear();
        QCOMPARE(ring.storageSize(), 0);
    }

    void appendsAreBatched()
    {
        Watched w;
        QSignalSpy inserted(&w.model, &QAbstractItemModel::rowsInserted);
        QSignalSpy proxyInserted(&w.proxy, &QAbstractItemModel::rowsInserted);
        for (int i = 0; i < 500; ++i)
            QCOMPARE(w.model.append(textMessage(Dir::Sent, u"m%1"_s.arg(i))), quint64(i + 1));
        QCOMPARE(w.model.pendingCount(), 500);
        QCOMPARE(w.model.rowCount(), 0);
        QCOMPARE(inserted.count(), 0);

        // the timer flushes them, in one insertion
        QTRY_COMPARE(w.model.rowCount(), 500);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 499);
        QCOMPARE(proxyInserted.count(), 1);
        QCOMPARE(w.model.pendingCount(), 0);
        QCOMPARE(w.proxy.rowCount(), 500);
        QCOMPARE(w.model.entry(499).sequence, quint64(500));
        QCOMPARE(cell(w.model, 499, MessageLogModel::Preview), u"m499"_s);

        // flush() does it at once; a flush with nothing pending announces nothing
        w.model.append(textMessage(Dir::Received, u"x"_s));
        w.model.append(textMessage(Dir::Received, u"y"_s));
        w.model.flush();
        QCOMPARE(w.model.rowCount(), 502);
        QCOMPARE(inserted.count(), 2);
        w.model.flush();
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(w.model.discardedCount(), quint64(0));
    }

    void capacityTrimsOldestRemovingBeforeInserting()
    {
        Watched w;
        w.model.setCapacity(10);
        QCOMPARE(w.model.capacity(), 10);
        QSignalSpy discarded(&w.model, &MessageLogModel::rowsDiscarded);
        QStringList order;
        connect(&w.model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                [&](const QModelIndex &, int first, int last) { order << u"remove %1-%2"_s.arg(first).arg(last); });
        connect(&w.model, &QAbstractItemModel::rowsAboutToBeInserted, this,
                [&](const QModelIndex &, int first, int last) { order << u"insert %1-%2"_s.arg(first).arg(last); });

        for (int i = 1; i <= 7; ++i)
            w.model.append(textMessage(Dir::Sent, u"m%1"_s.arg(i)));
        w.model.flush();
        for (int i = 8; i <= 14; ++i)
            w.model.append(textMessage(Dir::Received, u"m%1"_s.arg(i)));
        w.model.flush();

        // 14 rows into 10: the 4 oldest go first, then the 7 new ones come after the 3 kept
        QCOMPARE(order, (QStringList{u"insert 0-6"_s, u"remove 0-3"_s, u"insert 3-9"_s}));
        QCOMPARE(w.model.rowCount(), 10);
        QCOMPARE(w.model.discardedCount(), quint64(4));
        QCOMPARE(discarded.count(), 1);
        QCOMPARE(discarded.at(0).at(0).value<quint64>(), quint64(4));
        QCOMPARE(w.model.entry(0).sequence, quint64(5));
        QCOMPARE(cell(w.model, 0, MessageLogModel::Preview), u"m5"_s);
        QCOMPARE(cell(w.model, 9, MessageLogModel::Preview), u"m14"_s);
        QCOMPARE(w.proxy.rowCount(), 10);

        // a smaller capacity trims at once
        w.model.setCapacity(4);
        QCOMPARE(w.model.rowCount(), 4);
        QCOMPARE(w.model.discardedCount(), quint64(10));
        QCOMPARE(discarded.count(), 2);
        QCOMPARE(discarded.last().at(0).value<quint64>(), quint64(10));
        QCOMPARE(previews(w.model), (QStringList{u"m11"_s, u"m12"_s, u"m13"_s, u"m14"_s}));
        QCOMPARE(w.proxy.rowCount(), 4);

        // a larger one keeps everything and lets rows accumulate again
        w.model.setCapacity(6);
        for (int i = 15; i <= 16; ++i)
            w.model.append(textMessage(Dir::Sent, u"m%1"_s.arg(i)));
        w.model.flush();
        QCOMPARE(w.model.rowCount(), 6);
        QCOMPARE(w.model.discardedCount(), quint64(10));
        QCOMPARE(cell(w.model, 5, MessageLogModel::Preview), u"m16"_s);

        // clear empties the model, pending rows too, and starts counting again
        w.model.append(textMessage(Dir::Sent, u"pending"_s));
        w.model.clear();
        QCOMPARE(w.model.rowCount(), 0);
        QCOMPARE(w.model.pendingCount(), 0);
        QCOMPARE(w.model.discardedCount(), quint64(0));
        QCOMPARE(w.proxy.rowCount(), 0);
        QTest::qWait(3 * MessageLogModel::FlushIntervalMs);
        QCOMPARE(w.model.rowCount(), 0);
        QCOMPARE(w.model.append(textMessage(Dir::Sent, u"again"_s)), quint64(1));
        w.model.flush();
        QCOMPARE(w.model.rowCount(), 1);
        QCOMPARE(cell(w.model, 0, MessageLogModel::Delta), QString());
    }

    void batchLargerThanCapacity()
    {
        Watched w;
        w.model.setCapacity(10);
        for (int i = 1; i <= 5; ++i)
            w.model.append(textMessage(Dir::Sent, u"m%1"_s.arg(i)));
        w.model.flush();

        QSignalSpy inserted(&w.model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&w.model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy discarded(&w.model, &MessageLogModel::rowsDiscarded);
        for (int i = 6; i <= 30; ++i)
            w.model.append(textMessage(Dir::Received, u"m%1"_s.arg(i)));
        QCOMPARE(w.model.pendingCount(), 10); // the pending list is bounded too
        w.model.flush();

        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 0);
        QCOMPARE(removed.at(0).at(2).toInt(), 4);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 9);
        QCOMPARE(w.model.rowCount(), 10);
        QCOMPARE(w.model.discardedCount(), quint64(20)); // 5 shown rows + 15 never shown
        QCOMPARE(discarded.count(), 1);
        QCOMPARE(discarded.at(0).at(0).value<quint64>(), quint64(20));
        for (int r = 0; r < 10; ++r)
            QCOMPARE(w.model.entry(r).sequence, quint64(21 + r));
        QCOMPARE(w.proxy.rowCount(), 10);

        // the Δt of the first kept row still refers to the row appended before it
        QCOMPARE(w.model.index(0, MessageLogModel::Delta).data().toString(), u"+0 ms"_s);
    }

    void timeAndDeltaColumns()
    {
        Watched w;
        const qint64 t0 = QDateTime(QDate(2024, 1, 2), QTime(13, 4, 5, 678)).toMSecsSinceEpoch();
        w.model.append(textMessage(Dir::Sent, u"a"_s, t0));
        w.model.append(textMessage(Dir::Received, u"b"_s, t0 + 12));
        w.model.append(LogEntry::event(u"ping"_s, t0 + 12 + 1250));
        w.model.append(LogEntry::error(u"boom"_s, t0 + 12 + 1250 + 125000));
        w.model.flush();

        QCOMPARE(cell(w.model, 0, MessageLogModel::Time), u"13:04:05.678"_s);
        QCOMPARE(cell(w.model, 1, MessageLogModel::Time), u"13:04:05.690"_s);
        QCOMPARE(cell(w.model, 2, MessageLogModel::Time), u"13:04:06.940"_s);
        QCOMPARE(cell(w.model, 0, MessageLogModel::Delta), QString());
        QCOMPARE(cell(w.model, 1, MessageLogModel::Delta), u"+12 ms"_s);
        QCOMPARE(cell(w.model, 2, MessageLogModel::Delta), u"+1.25 s"_s);
        QCOMPARE(cell(w.model, 3, MessageLogModel::Delta), u"+2 min 5 s"_s);
        QCOMPARE(cell(w.model, 0, MessageLogModel::Sequence), u"1"_s);
        QCOMPARE(cell(w.model, 3, MessageLogModel::Sequence), u"4"_s);
        QCOMPARE(w.model.index(1, MessageLogModel::Time).data(MessageLogModel::TimestampRole).toLongLong(), t0 + 12);
    }

    void rolesAndColumns()
    {
        Watched w;
        QByteArray mib(1024 * 1024, Qt::Uninitialized);
        for (qsizetype i = 0; i < mib.size(); ++i)
            mib[i] = char(i % 251);
        w.model.append(binaryMessage(Dir::Received, mib, 1000));
        LogEntry sent = textMessage(Dir::Sent, u"héllo\nwörld"_s, 1001);
        sent.compressed = true;
        sent.text = u"typed by hand"_s;
        w.model.append(sent);
        w.model.append(LogEntry::event(u"connected to ws://127.0.0.1"_s, 1002));
        w.model.append(LogEntry::error(u"connection reset"_s, 1003));
        w.model.flush();
        const auto &m = w.model;
        QCOMPARE(m.columnCount(), int(MessageLogModel::ColumnCount));

        // the 1 MiB binary message, kept whole
        const QModelIndex bin = m.index(0, MessageLogModel::Preview);
        QCOMPARE(bin.data(MessageLogModel::RawBytesRole).toByteArray(), mib);
        QCOMPARE(m.entry(0).data.size(), mib.size());
        QCOMPARE(bin.data(MessageLogModel::KindRole).value<LogEntry::Kind>(), Kind::Message);
        QCOMPARE(bin.data(MessageLogModel::DirectionRole).value<LogEntry::Direction>(), Dir::Received);
        QCOMPARE(bin.data(MessageLogModel::MessageTypeRole).value<SocketMessageType>(), SocketMessageType::Binary);
        QCOMPARE(bin.data(MessageLogModel::SequenceRole).value<quint64>(), quint64(1));
        QCOMPARE(bin.data(MessageLogModel::TimestampRole).toLongLong(), qint64(1000));
        QCOMPARE(cell(m, 0, MessageLogModel::Size).toLongLong(), qint64(1024 * 1024));
        QCOMPARE(m.index(0, MessageLogModel::Size).data(Qt::ToolTipRole).toString(),
                 u"1.0 MiB (1048576 bytes)"_s);
        QCOMPARE(cell(m, 0, MessageLogModel::Type), u"Binary"_s);
        const QString hex = cell(m, 0, MessageLogModel::Preview);
        QVERIFY2(hex.startsWith(u"00 01 02 03"_s), qPrintable(hex));
        QVERIFY2(hex.endsWith(u" …"_s), qPrintable(hex));
        QVERIFY(hex.size() <= MessageLogModel::PreviewChars + 2);
        QCOMPARE(bin.data(Qt::AccessibleTextRole).toString(), hex);
        QCOMPARE(cell(m, 0, MessageLogModel::Direction), u"↓"_s);
        QCOMPARE(cell(m, 0, MessageLogModel::Direction, Qt::ToolTipRole), u"Received"_s);
        QCOMPARE(cell(m, 0, MessageLogModel::Direction, Qt::AccessibleTextRole), u"Received"_s);
        QCOMPARE(bin.data(Qt::ForegroundRole).value<QColor>(), Theme::receivedColor());

        // the text message: the preview and the accessible text carry the text
        const QModelIndex txt = m.index(1, MessageLogModel::Preview);
        QCOMPARE(txt.data().toString(), u"héllo↵wörld"_s);
        QCOMPARE(txt.data(Qt::AccessibleTextRole).toString(), u"héllo↵wörld"_s);
        QCOMPARE(txt.data(Qt::ToolTipRole).toString(), u"typed by hand"_s);
        QCOMPARE(txt.data(MessageLogModel::RawBytesRole).toByteArray(), u"héllo\nwörld"_s.toUtf8());
        QCOMPARE(txt.data(MessageLogModel::MessageTypeRole).value<SocketMessageType>(), SocketMessageType::Utf8);
        QCOMPARE(cell(m, 1, MessageLogModel::Type), u"Text"_s);
        QCOMPARE(cell(m, 1, MessageLogModel::Type, Qt::ToolTipRole), u"Text, compressed (permessage-deflate)"_s);
        QCOMPARE(cell(m, 1, MessageLogModel::Size), u"13"_s);
        QCOMPARE(cell(m, 1, MessageLogModel::Direction), u"↑"_s);
        QCOMPARE(cell(m, 1, MessageLogModel::Direction, Qt::AccessibleTextRole), u"Sent"_s);
        QCOMPARE(txt.data(Qt::ForegroundRole).value<QColor>(), Theme::sentColor());

        // event and error rows
        QCOMPARE(cell(m, 2, MessageLogModel::Direction), u"•"_s);
        QCOMPARE(cell(m, 2, MessageLogModel::Direction, Qt::AccessibleTextRole), u"Event"_s);
        QCOMPARE(cell(m, 2, MessageLogModel::Type), u"Event"_s);
        QCOMPARE(cell(m, 2, MessageLogModel::Preview), u"connected to ws://127.0.0.1"_s);
        QCOMPARE(cell(m, 2, MessageLogModel::Size), QString());
        QCOMPARE(m.index(2, 0).data(MessageLogModel::KindRole).value<LogEntry::Kind>(), Kind::Event);
        QCOMPARE(m.index(2, 0).data(Qt::ForegroundRole).value<QColor>(), Theme::eventColor());
        QCOMPARE(cell(m, 3, MessageLogModel::Direction), u"!"_s);
        QCOMPARE(cell(m, 3, MessageLogModel::Direction, Qt::ToolTipRole), u"Error"_s);
        QCOMPARE(cell(m, 3, MessageLogModel::Type), u"Error"_s);
        QCOMPARE(cell(m, 3, MessageLogModel::Preview, Qt::AccessibleTextRole), u"connection reset"_s);
        QCOMPARE(m.index(3, 0).data(Qt::ForegroundRole).value<QColor>(), Theme::errorColor());
        QCOMPARE(m.headerData(MessageLogModel::Delta, Qt::Horizontal).toString(), u"Δt"_s);

        // a long text is elided
        w.model.append(textMessage(Dir::Received, QString(5000, u'x')));
        w.model.flush();
        const QString longPreview = cell(m, 4, MessageLogModel::Preview);
        QCOMPARE(longPreview, QString(MessageLogModel::PreviewChars, u'x') + u" …"_s);
    }

    void filters()
    {
        Watched w;
        w.model.append(textMessage(Dir::Sent, u"Hello Server"_s));                         // 0
        w.model.append(textMessage(Dir::Received, u"hello client"_s));                     // 1
        w.model.append(binaryMessage(Dir::Sent, QByteArray::fromHex("01ff7e")));           // 2
        w.model.append(binaryMessage(Dir::Received, QByteArray::fromHex("cafe00")));       // 3
        w.model.append(LogEntry::event(u"Connected to ws://hello.example"_s));             // 4
        w.model.append(LogEntry::error(u"Connection reset"_s));                            // 5
        w.model.append(textMessage(Dir::Received, u"{\"id\": 42}"_s));                     // 6
        w.model.flush();
        auto &p = w.proxy;
        auto seqs = [&p] {
            QList<quint64> out;
            for (int r = 0; r < p.rowCount(); ++r)
                out << p.index(r, 0).data(MessageLogModel::SequenceRole).value<quint64>();
            return out;
        };
        QCOMPARE(p.rowCount(), 7);

        p.setShowSent(false);
        QCOMPARE(seqs(), (QList<quint64>{2, 4, 5, 6, 7}));
        p.setShowReceived(false);
        QCOMPARE(seqs(), (QList<quint64>{5, 6}));
        p.setShowEvents(false);
        QCOMPARE(seqs(), (QList<quint64>{6})); // errors stay
        p.setShowSent(true);
        p.setShowReceived(true);
        p.setShowEvents(true);
        QCOMPARE(p.rowCount(), 7);

        p.setTypeFilter(MessageLogFilterModel::TypeFilter::Text);
        QCOMPARE(seqs(), (QList<quint64>{1, 2, 5, 6, 7}));
        p.setTypeFilter(MessageLogFilterModel::TypeFilter::Binary);
        QCOMPARE(seqs(), (QList<quint64>{3, 4, 5, 6}));
        p.setTypeFilter(MessageLogFilterModel::TypeFilter::Any);
        QCOMPARE(p.rowCount(), 7);

        // plain text: case-insensitive substring of the text, the hex, the event text
        QString error;
        QVERIFY(p.setTextFilter(u"HELLO"_s, false, &error));
        QCOMPARE(seqs(), (QList<quint64>{1, 2, 5}));
        QVERIFY(p.setTextFilter(u"FF 7e"_s, false, &error));
        QCOMPARE(seqs(), (QList<quint64>{3}));
        QVERIFY(p.setTextFilter(u"e 0"_s, false, &error)); // across bytes of "ca fe 00"
        QCOMPARE(seqs(), (QList<quint64>{4}));
        QVERIFY(p.setTextFilter(u"reset"_s, false, &error));
        QCOMPARE(seqs(), (QList<quint64>{6}));
        QVERIFY(p.setTextFilter(u"\"id\""_s, false, &error));
        QCOMPARE(seqs(), (QList<quint64>{7}));
        // combined with the direction
        QVERIFY(p.setTextFilter(u"hello"_s, false, &error));
        p.setShowReceived(false);
        QCOMPARE(seqs(), (QList<quint64>{1, 5}));
        p.setShowReceived(true);

        // regular expressions, as written
        QVERIFY(p.setTextFilter(u"^hello"_s, true, &error));
        QCOMPARE(seqs(), (QList<quint64>{2}));
        QVERIFY(p.isRegexFilter());
        QVERIFY(p.setTextFilter(u"(?i)^hello \\w+$"_s, true, &error));
        QCOMPARE(seqs(), (QList<quint64>{1, 2}));
        QVERIFY(p.setTextFilter(u"^01 ff"_s, true, &error));
        QCOMPARE(seqs(), (QList<quint64>{3}));
        QVERIFY(p.setTextFilter(u"\"id\":\\s*\\d+"_s, true, &error));
        QCOMPARE(seqs(), (QList<quint64>{7}));

        // an invalid one is refused, says why and where, and leaves the filter as it was
        QVERIFY(!p.setTextFilter(u"(hello"_s, true, &error));
        QVERIFY2(error.contains(QRegularExpression(u"(hello"_s).errorString()), qPrintable(error));
        QVERIFY2(error.contains(u"offset 6"_s), qPrintable(error));
        QCOMPARE(p.textFilter(), u"\"id\":\\s*\\d+"_s);
        QCOMPARE(seqs(), (QList<quint64>{7}));
        QVERIFY(!p.setTextFilter(u"a**"_s, true, nullptr));

        // the same setting again does not re-filter
        QSignalSpy layout(&p, &QAbstractItemModel::layoutAboutToBeChanged);
        QSignalSpy removedRows(&p, &QAbstractItemModel::rowsRemoved);
        QSignalSpy insertedRows(&p, &QAbstractItemModel::rowsInserted);
        QVERIFY(p.setTextFilter(u"\"id\":\\s*\\d+"_s, true, &error));
        p.setShowSent(true);
        p.setTypeFilter(MessageLogFilterModel::TypeFilter::Any);
        QCOMPARE(layout.count() + removedRows.count() + insertedRows.count(), 0);

        // clearing the text shows all; new rows are filtered as they arrive
        QVERIFY(p.setTextFilter(QString(), false, &error));
        QCOMPARE(p.rowCount(), 7);
        QVERIFY(p.setTextFilter(u"later"_s, false, &error));
        QCOMPARE(p.rowCount(), 0);
        w.model.append(textMessage(Dir::Received, u"LATER"_s));
        w.model.append(textMessage(Dir::Received, u"never"_s));
        w.model.flush();
        QCOMPARE(seqs(), (QList<quint64>{8}));
        QCOMPARE(p.index(0, MessageLogModel::Preview).data().toString(), u"LATER"_s);
    }

    void frameColumns()
    {
        FrameLogModel model;
        Tester tester(&model, Tester::FailureReportingMode::Fatal);

        FrameInfo masked;
        masked.direction = FrameDirection::Outgoing;
        masked.opcode = 0x1;
        masked.fin = true;
        masked.rsv1 = true;
        masked.masked = true;
        masked.maskKey = 0x0a1b2c3d;
        masked.payloadLength = 300;
        masked.uncompressedLength = 1200;
        masked.timestampMs = QDateTime(QDate(2024, 5, 6), QTime(7, 8, 9, 10)).toMSecsSinceEpoch();
        for (int i = 0; i < FramePayloadHeadBytes; ++i)
            masked.payloadHead += char(i);
        QCOMPARE(model.append(masked), quint64(1));

        FrameInfo close;
        close.direction = FrameDirection::Incoming;
        close.opcode = 0x8;
        close.fin = true;
        close.payloadLength = 5;
        close.payloadHead = QByteArray::fromHex("03e8627965"); // 1000 "bye"
        model.append(close);

        FrameInfo reserved;
        reserved.opcode = 0x3;
        reserved.rsv2 = true;
        reserved.rsv3 = true;
        model.append(reserved);
        QCOMPARE(model.rowCount(), 0);
        model.flush();
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(FrameLogModel::ColumnCount));

        using C = FrameLogModel::Column;
        auto row = [&model](int r) {
            QStringList out;
            for (int c = 0; c < model.columnCount(); ++c)
                out << model.index(r, c).data().toString();
            return out;
        };
        QString head;
        for (int i = 0; i < FramePayloadHeadBytes; ++i)
            head += (i ? u" "_s : QString()) + u"%1"_s.arg(i, 2, 16, QChar(u'0'));
        QCOMPARE(row(0), (QStringList{u"1"_s, u"07:08:09.010"_s, u"↑"_s, u"Text"_s, u"1"_s, u"1"_s, u"0"_s, u"0"_s,
                                      u"0a1b2c3d"_s, u"300"_s, u"1200"_s, head + u" …"_s}));
        QCOMPARE(model.index(0, C::Direction).data(Qt::AccessibleTextRole).toString(), u"Sent"_s);
        QCOMPARE(model.index(0, C::Payload).data(FrameLogModel::RawBytesRole).toByteArray(), masked.payloadHead);
        QCOMPARE(model.index(0, C::Opcode).data(FrameLogModel::OpcodeRole).toInt(), 1);
        QCOMPARE(model.index(0, 0).data(Qt::ForegroundRole).value<QColor>(), Theme::sentColor());
        QCOMPARE(model.frame(0).maskKey, quint32(0x0a1b2c3d));

        QCOMPARE(row(1).mid(2), (QStringList{u"↓"_s, u"Close"_s, u"1"_s, u"0"_s, u"0"_s, u"0"_s, u"—"_s, u"5"_s,
                                             u"—"_s, u"03 e8 62 79 65"_s}));
        QCOMPARE(model.index(1, C::Payload).data(Qt::ToolTipRole).toString(), u"1000 Normal Closure: bye"_s);
        QCOMPARE(model.index(1, C::Direction).data(Qt::ToolTipRole).toString(), u"Received"_s);
        QCOMPARE(model.index(1, C::Payload).data(FrameLogModel::RawBytesRole).toByteArray(), close.payloadHead);

        QCOMPARE(row(2).mid(3, 5), (QStringList{u"0x3"_s, u"0"_s, u"0"_s, u"1"_s, u"1"_s}));
        QCOMPARE(FrameLogModel::opcodeName(0xA), u"Pong"_s);
        QCOMPARE(FrameLogModel::opcodeName(0x9), u"Ping"_s);
        QCOMPARE(FrameLogModel::opcodeName(0x0), u"Continuation"_s);
        QCOMPARE(FrameLogModel::opcodeName(0xB), u"0xB"_s);

        // the same ring: trimming and clearing
        QSignalSpy discarded(&model, &FrameLogModel::rowsDiscarded);
        model.setCapacity(2);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.discardedCount(), quint64(1));
        QCOMPARE(discarded.count(), 1);
        QCOMPARE(model.index(0, C::Opcode).data().toString(), u"Close"_s);
        for (int i = 0; i < 5; ++i)
            model.append(close);
        QTRY_COMPARE(model.rowCount(), 2);
        QTRY_COMPARE(model.pendingCount(), 0);
        QCOMPARE(model.discardedCount(), quint64(6));
        QCOMPARE(model.index(1, C::Sequence).data().toString(), u"8"_s);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.discardedCount(), quint64(0));
    }

    /**
     * A measurement, not a pass/fail on timing: 100 000 messages in batches of 1 000 from a
     * timer into a model shown (through the filter proxy, a text filter set) in a QTableView,
     * while a 1 ms timer measures the longest event-loop stall. Only correctness is asserted.
     */
    void burstIntoShownView()
    {
        constexpr int Total = 100'000;
        constexpr int Batch = 1'000;
        {
            // the model alone, for reference: appends and one flush
            MessageLogModel alone;
            QElapsedTimer t;
            t.start();
            for (int i = 0; i < Total; ++i)
                alone.append(textMessage(Dir::Received, u"message %1"_s.arg(i), i));
            const qint64 appendNs = t.nsecsElapsed();
            alone.flush();
            qInfo("model alone: %d appends in %.1f ms, flush in %.1f ms", Total, double(appendNs) / 1e6,
                  double(t.nsecsElapsed() - appendNs) / 1e6);
            QCOMPARE(alone.rowCount(), Total);
        }

        MessageLogModel model;
        MessageLogFilterModel proxy;
        proxy.setSourceModel(&model);
        QString error;
        QVERIFY(proxy.setTextFilter(u"EVEN"_s, false, &error));

        QTableView view;
        view.setModel(&proxy);
        view.verticalHeader()->hide();
        view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        view.horizontalHeader()->setStretchLastSection(true);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // follow the tail, as the workbench does
        connect(&proxy, &QAbstractItemModel::rowsInserted, &view, [&view] { view.scrollToBottom(); });

        int modelUpdates = 0;
        connect(&model, &QAbstractItemModel::rowsInserted, this, [&modelUpdates] { ++modelUpdates; });

        QElapsedTimer clock;
        qint64 lastTick = 0;
        qint64 longestStall = 0;
        QTimer ticker;
        ticker.setTimerType(Qt::PreciseTimer);
        ticker.setInterval(1);
        connect(&ticker, &QTimer::timeout, this, [&] {
            const qint64 now = clock.nsecsElapsed();
            longestStall = std::max(longestStall, now - lastTick);
            lastTick = now;
        });

        int produced = 0;
        QTimer producer;
        producer.setInterval(1);
        connect(&producer, &QTimer::timeout, this, [&] {
            const qint64 ts = QDateTime::currentMSecsSinceEpoch();
            for (int i = 0; i < Batch && produced < Total; ++i, ++produced) {
                const Dir dir = produced % 3 == 0 ? Dir::Sent : Dir::Received;
                const QString text = u"message %1 is %2"_s.arg(produced).arg(produced % 2 == 0 ? u"even" : u"odd");
                model.append(textMessage(dir, text, ts));
            }
            if (produced == Total)
                producer.stop();
        });

        clock.start();
        ticker.start();
        producer.start();
        QTRY_VERIFY_WITH_TIMEOUT(produced == Total && model.pendingCount() == 0, 60'000);
        const qint64 elapsedNs = clock.nsecsElapsed();
        ticker.stop();

        const double seconds = double(elapsedNs) / 1e9;
        qInfo("burst: %d messages in %.3f s = %.0f messages/s; %d model updates; longest event-loop stall %.1f ms",
              Total, seconds, Total / seconds, modelUpdates, double(longestStall) / 1e6);

        // everything arrived, in order, and the filter kept exactly the even ones
        QCOMPARE(model.rowCount(), Total);
        QCOMPARE(model.discardedCount(), quint64(0));
        QCOMPARE(model.entry(0).sequence, quint64(1));
        QCOMPARE(model.entry(Total - 1).sequence, quint64(Total));
        QCOMPARE(proxy.rowCount(), Total / 2);
        for (int r = 0; r < proxy.rowCount(); ++r) {
            const QModelIndex src = proxy.mapToSource(proxy.index(r, 0));
            if (src.row() != 2 * r)
                QFAIL(qPrintable(u"proxy row %1 shows source row %2"_s.arg(r).arg(src.row())));
        }
        QCOMPARE(proxy.index(proxy.rowCount() - 1, MessageLogModel::Preview).data().toString(),
                 u"message 99998 is even"_s);
        QVERIFY(modelUpdates <= Total / Batch + 1); // batched: no more updates than producer ticks

        // memory stays bounded by the capacity: 10 000 more push the oldest out
        for (int i = 0; i < 10'000; ++i)
            model.append(textMessage(Dir::Received, u"overflow %1 even"_s.arg(i)));
        model.flush();
        QCOMPARE(model.rowCount(), Total);
        QCOMPARE(model.rowCount(), int(model.capacity()));
        QCOMPARE(model.discardedCount(), quint64(10'000));
        QCOMPARE(model.entry(0).sequence, quint64(10'001));
        QCOMPARE(proxy.rowCount(), Total / 2 - 5'000 + 10'000);
    }
};

QTEST_MAIN(tst_LogModels)
#include "tst_logmodels.moc"
