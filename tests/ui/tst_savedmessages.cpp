// Saved messages: the model (under QAbstractItemModelTester), sends in a message's own type,
// repeated sends and sends in frames, against the built-in echo server on 127.0.0.1.
#include <memory>

#include <QAbstractItemModelTester>
#include <QDialog>
#include <QDir>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include "dialogs/savedmessagedialog.h"
#include "httpupgrade.h"
#include "models/framelogmodel.h"
#include "models/messagelogmodel.h"
#include "models/savedmessagesmodel.h"
#include "repeatsender.h"
#include "server/localechoserver.h"
#include "session.h"
#include "widgetlookup.h"
#include "widgets/bytespinbox.h"
#include "widgets/savedmessagespanel.h"

using namespace Wsw;
using namespace Wsw::Ui;
using namespace Wsw::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int WaitMs = 10000;

SavedMessage saved(const QString &name, SocketMessageType type, const QByteArray &payload)
{
    SavedMessage m;
    m.name = name;
    m.type = type;
    m.payload = payload;
    return m;
}

QList<LogEntry> messages(MessageLogModel *log, LogEntry::Direction direction)
{
    log->flush();
    QList<LogEntry> result;
    for (int row = 0; row < log->rowCount(); ++row) {
        const LogEntry &e = log->entry(row);
        if (e.kind == LogEntry::Kind::Message && e.direction == direction)
            result.append(e);
    }
    return result;
}

qsizetype sentCount(Session &s)
{
    return messages(s.messageLog(), LogEntry::Direction::Sent).size();
}

qsizetype receivedCount(Session &s)
{
    return messages(s.messageLog(), LogEntry::Direction::Received).size();
}

/** An echo server on a free loopback port and a session connected to it (no compression: frame sizes are exact). */
struct Connected {
    explicit Connected(quint64 maxBufferedAmountBytes = 64ull * 1024 * 1024)
        : server(std::make_unique<LocalEchoServer>())
    {
        if (!server->listen())
            return;
        MessageWebSocketControl control;
        control.compression.enabled = false;
        control.maxBufferedAmountBytes = maxBufferedAmountBytes;
        if (session.connectTo(server->serverUrl().toString(), control, {}))
            (void)QTest::qWaitFor([&] { return session.state() == ConnectionState::Open || !session.isActive(); }, WaitMs);
    }
    ~Connected()
    {
        session.disconnectNow();
        if (server)
            server->close();
    }
    bool isOpen() const { return session.state() == ConnectionState::Open; }

    std::unique_ptr<LocalEchoServer> server;
    Session session;
};

/**
 * Answers the upgrade, then reads nothing more: the client's frames pile up in the kernel's
 * buffers and then in the client's send queue (a server slower than the repeat interval).
 */
struct StallingServer {
    StallingServer()
    {
        QObject::connect(&server, &QTcpServer::newConnection, &server, [this] {
            QTcpSocket *socket = server.nextPendingConnection();
            socket->setReadBufferSize(MaxTestRequestBytes); // once full, Qt stops reading
            QObject::connect(socket, &QIODevice::readyRead, socket, [this, socket] {
                if (upgraded)
                    return; // from now on nothing is read
                buffer += socket->readAll();
                if (const std::optional<UpgradeRequest> request = takeUpgradeRequest(buffer)) {
                    socket->write(switchingProtocolsResponse(request->key()));
                    upgraded = true;
                }
            });
        });
    }
    bool listen() { return server.listen(QHostAddress::LocalHost, 0); }
    QString url() const { return loopbackWebSocketUrl(server.serverPort(), u"/"_s).toString(); }

    QTcpServer server;
    QByteArray buffer;
    bool upgraded = false;
};

} // namespace

class tst_SavedMessages final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modelUnderTesterWithAddRemoveMoveEdit()
    {
        SavedMessagesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&model, &SavedMessagesModel::changed);
        QSignalSpy refused(&model, &SavedMessagesModel::editRefused);

        QCOMPARE(model.add(saved(u"  hello  "_s, SocketMessageType::Utf8, "hello")), 0);
        QCOMPARE(model.add(saved(u"bytes"_s, SocketMessageType::Binary, QByteArray("\x01\xff\x00", 3))), 1);
        QCOMPARE(model.add(saved(u"third"_s, SocketMessageType::Utf8, "{\"a\":1}")), 2);
        QCOMPARE(changed.size(), 3);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.message(0).name, u"hello"_s); // trimmed
        QCOMPARE(model.index(1, SavedMessagesModel::Type).data().toString(), u"Binary"_s);
        QCOMPARE(model.index(1, SavedMessagesModel::Size).data().toLongLong(), 3);
        QCOMPARE(model.index(1, SavedMessagesModel::Preview).data().toString(), u"01 ff 00"_s);
        QCOMPARE(model.index(1, 0).data(SavedMessagesModel::PayloadRole).toByteArray(), QByteArray("\x01\xff\x00", 3));
        QCOMPARE(model.index(0, 0).data(SavedMessagesModel::MessageTypeRole).value<SocketMessageType>(),
                 SocketMessageType::Utf8);

        // an empty name is refused, in add() and in place
        QCOMPARE(model.add(saved(u"   "_s, SocketMessageType::Utf8, "x")), -1);
        QVERIFY(!model.setData(model.index(0, SavedMessagesModel::Name), u" "_s));
        QCOMPARE(refused.size(), 2);
        QCOMPARE(refused.last().first().toString(), u"A saved message needs a name"_s);
        QCOMPARE(model.message(0).name, u"hello"_s);
        // only the name is editable
        QVERIFY(model.flags(model.index(0, SavedMessagesModel::Name)) & Qt::ItemIsEditable);
        QVERIFY(!(model.flags(model.index(0, SavedMessagesModel::Preview)) & Qt::ItemIsEditable));
        QVERIFY(!model.setData(model.index(0, SavedMessagesModel::Preview), u"x"_s));
        QVERIFY(model.setData(model.index(0, SavedMessagesModel::Name), u"greeting"_s));
        QCOMPARE(model.message(0).name, u"greeting"_s);

        // moves: down, up, and refused at the edges
        QVERIFY(model.moveDown(0));
        QCOMPARE(model.message(1).name, u"greeting"_s);
        QVERIFY(model.moveUp(2));
        QCOMPARE(model.message(1).name, u"third"_s);
        QVERIFY(!model.moveUp(0));
        QVERIFY(!model.moveDown(2));
        const QStringList order{model.message(0).name, model.message(1).name, model.message(2).name};
        QCOMPARE(order, (QStringList{u"bytes"_s, u"third"_s, u"greeting"_s}));

        QVERIFY(model.replace(1, saved(u"third v2"_s, SocketMessageType::Binary, "abc")));
        QCOMPARE(model.message(1), saved(u"third v2"_s, SocketMessageType::Binary, "abc"));
        QVERIFY(model.remove(0));
        QVERIFY(!model.remove(5));
        QCOMPARE(model.rowCount(), 2);
        const qsizetype before = changed.size();
        model.setMessages({saved(u"loaded"_s, SocketMessageType::Utf8, "x")});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(changed.size(), before); // a load is not a change to save
        QCOMPARE(model.messages().first().name, u"loaded"_s);
    }

    void savedMessagesGoOutWithTheirOwnType()
    {
        Connected c;
        QVERIFY(c.isOpen());
        // the switch says Binary: a saved text message still goes out as text
        c.session.setMessageType(SocketMessageType::Binary);
        const QByteArray text = u"héllo, wörld"_s.toUtf8();
        QVERIFY(c.session.sendAs(SocketMessageType::Utf8, text));
        QCOMPARE(c.session.messageType(), SocketMessageType::Binary);
        QTRY_COMPARE_WITH_TIMEOUT(receivedCount(c.session), 1, WaitMs);
        // the switch says Text: saved bytes that are not UTF-8 still go out as binary
        c.session.setMessageType(SocketMessageType::Utf8);
        const QByteArray bytes("\xff\x00\xfe\x80 binary", 11);
        QVERIFY(c.session.sendAs(SocketMessageType::Binary, bytes));
        QCOMPARE(c.session.messageType(), SocketMessageType::Utf8);
        QTRY_COMPARE_WITH_TIMEOUT(receivedCount(c.session), 2, WaitMs);

        const QList<LogEntry> sent = messages(c.session.messageLog(), LogEntry::Direction::Sent);
        const QList<LogEntry> echoed = messages(c.session.messageLog(), LogEntry::Direction::Received);
        QCOMPARE(sent.at(0).type, SocketMessageType::Utf8);
        QCOMPARE(sent.at(1).type, SocketMessageType::Binary);
        QCOMPARE(echoed.at(0).type, SocketMessageType::Utf8);
        QCOMPARE(echoed.at(0).data, text);
        QCOMPARE(echoed.at(1).type, SocketMessageType::Binary);
        QCOMPARE(echoed.at(1).data, bytes);

        // the engine still refuses bad text, and the switch is left alone
        QVERIFY(!c.session.sendAs(SocketMessageType::Utf8, bytes));
        QCOMPARE(c.session.lastError().detail(), ErrorDetail::InvalidUtf8InOutgoingText);
        QCOMPARE(c.session.messageType(), SocketMessageType::Utf8);
    }

    void repeatWithACountSendsExactlyThatMany()
    {
        Connected c;
        QVERIFY(c.isOpen());
        RepeatSender repeat(&c.session);
        QSignalSpy progress(&repeat, &RepeatSender::progress);
        QSignalSpy finished(&repeat, &RepeatSender::finished);
        QVERIFY2(repeat.start(saved(u"tick"_s, SocketMessageType::Utf8, "tick"), std::chrono::milliseconds(5), 5),
                 qPrintable(repeat.errorString()));
        QVERIFY(repeat.isRunning());
        QVERIFY(finished.wait(WaitMs));
        QCOMPARE(repeat.outcome(), RepeatSender::Outcome::Completed);
        QCOMPARE(finished.first().first().toString(), u"Done: sent 5 of 5"_s);
        QCOMPARE(progress.size(), 5);
        QCOMPARE(progress.last().at(0).toInt(), 5);
        QCOMPARE(progress.last().at(1).toInt(), 5);
        QTRY_COMPARE_WITH_TIMEOUT(receivedCount(c.session), 5, WaitMs);
        // the echoes are all in: had a sixth gone out, its echo would have come with them
        QVERIFY(c.session.socket().ping());
        QSignalSpy pong(&c.session, &Session::pongReceived);
        QVERIFY(pong.wait(WaitMs));
        QCOMPARE(sentCount(c.session), 5);
        QCOMPARE(receivedCount(c.session), 5);
        QVERIFY(!repeat.isRunning());
    }

    void repeatUntilStoppedStopsWhenTheClientCloses()
    {
        Connected c;
        QVERIFY(c.isOpen());
        RepeatSender repeat(&c.session);
        QSignalSpy progress(&repeat, &RepeatSender::progress);
        QSignalSpy finished(&repeat, &RepeatSender::finished);
        QVERIFY(repeat.start(saved(u"poll"_s, SocketMessageType::Binary, "poll"), std::chrono::milliseconds(2), 0));
        QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 3, WaitMs);
        QCOMPARE(progress.last().at(1).toInt(), 0); // until stopped
        QVERIFY(c.session.close(1000, u"bye"_s));
        QVERIFY(finished.wait(WaitMs));
        QCOMPARE(repeat.outcome(), RepeatSender::Outcome::ConnectionEnded);
        QCOMPARE(finished.first().first().toString(), u"Stopped: the connection closed"_s);
        QVERIFY(!repeat.isRunning());
        const qsizetype sent = sentCount(c.session);
        QTRY_COMPARE_WITH_TIMEOUT(c.session.state(), ConnectionState::Closed, WaitMs);
        QCOMPARE(sentCount(c.session), sent);
        QCOMPARE(finished.size(), 1);
    }

    void repeatUntilStoppedStopsWhenTheServerGoesAway()
    {
        Connected c;
        QVERIFY(c.isOpen());
        RepeatSender repeat(&c.session);
        QSignalSpy progress(&repeat, &RepeatSender::progress);
        QSignalSpy finished(&repeat, &RepeatSender::finished);
        QVERIFY(repeat.start(saved(u"poll"_s, SocketMessageType::Utf8, "poll"), std::chrono::milliseconds(2), 0));
        QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 3, WaitMs);
        c.server.reset(); // its connections go with it, without a close frame
        QVERIFY(finished.wait(WaitMs));
        QCOMPARE(repeat.outcome(), RepeatSender::Outcome::ConnectionEnded);
        QVERIFY2(finished.first().first().toString().startsWith(u"Stopped: the connection "_s),
                 qPrintable(finished.first().first().toString()));
        QVERIFY(!repeat.isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(!c.session.isActive(), WaitMs);
        QCOMPARE(finished.size(), 1);
    }

    void repeatStopsOnStopAndWhenASendIsRefused()
    {
        Connected c;
        QVERIFY(c.isOpen());
        RepeatSender repeat(&c.session);
        QSignalSpy finished(&repeat, &RepeatSender::finished);
        QSignalSpy progress(&repeat, &RepeatSender::progress);
        QVERIFY(repeat.start(saved(u"slow"_s, SocketMessageType::Utf8, "slow"), std::chrono::milliseconds(50), 0));
        QVERIFY(!repeat.start(saved(u"again"_s, SocketMessageType::Utf8, "x"), std::chrono::milliseconds(50), 0));
        QCOMPARE(repeat.errorString(), u"Already repeating “slow”: stop it first"_s);
        QVERIFY(progress.wait(WaitMs));
        repeat.stop();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(repeat.outcome(), RepeatSender::Outcome::Stopped);
        QVERIFY(finished.first().first().toString().startsWith(u"Stopped after "_s));

        // a saved "text" message that is not UTF-8: the engine refuses the first send
        QVERIFY(repeat.start(saved(u"bad"_s, SocketMessageType::Utf8, "\xff\xfe"), std::chrono::milliseconds(5), 3));
        QVERIFY(finished.wait(WaitMs));
        QCOMPARE(repeat.outcome(), RepeatSender::Outcome::SendRefused);
        QCOMPARE(finished.last().first().toString(),
                 u"Stopped: the send was refused (A text message must be valid UTF-8)"_s);
        QCOMPARE(repeat.sentCount(), 0);

        // bad arguments
        QVERIFY(!repeat.start(saved(u"x"_s, SocketMessageType::Utf8, "x"), std::chrono::milliseconds(0), 1));
        QCOMPARE(repeat.errorString(), u"The interval must be between 1 ms and 86400000 ms"_s);
        QVERIFY(!repeat.start(saved(u"x"_s, SocketMessageType::Utf8, "x"), std::chrono::milliseconds(10), -1));
        QCOMPARE(repeat.errorString(), u"The count must be 0 (until stopped) or more"_s);
    }

    void repeatWaitsForTheSendQueueToDrain()
    {
        StallingServer server;
        QVERIFY(server.listen());
        Session session;
        MessageWebSocketControl control;
        control.compression.enabled = false;
        QVERIFY(session.connectTo(server.url(), control, {}));
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), ConnectionState::Open, WaitMs);

        // 64 KiB every millisecond, until stopped: far more than a server that reads nothing takes
        constexpr qsizetype MessageBytes = 64 * 1024;
        RepeatSender repeat(&session);
        QSignalSpy waiting(&repeat, &RepeatSender::waitingToDrain);
        QSignalSpy finished(&repeat, &RepeatSender::finished);
        qint64 mostQueued = 0;
        QObject::connect(&repeat, &RepeatSender::progress, &repeat,
                         [&] { mostQueued = std::max(mostQueued, session.socket().bufferedAmount()); });
        QVERIFY(repeat.start(saved(u"blob"_s, SocketMessageType::Binary, QByteArray(MessageBytes, 'x')),
                             RepeatSender::MinInterval, 0));
        QVERIFY(waiting.wait(WaitMs));
        QVERIFY(waiting.first().first().toLongLong() >= RepeatSender::DrainBytes);
        QVERIFY(repeat.isRunning());
        QVERIFY(repeat.isWaitingToDrain());
        // a send goes only while less than DrainBytes waits: the queue never holds much more
        QVERIFY2(mostQueued < RepeatSender::DrainBytes + MessageBytes + 16, qPrintable(QString::number(mostQueued)));
        QCOMPARE(finished.size(), 0); // never refused (SendBufferFull would stop it)
        repeat.stop();
        QCOMPARE(repeat.outcome(), RepeatSender::Outcome::Stopped);
        session.disconnectNow();
    }

    void repeatRefusedWhenNotOpen()
    {
        Session session;
        RepeatSender repeat(&session);
        QVERIFY(!repeat.start(saved(u"x"_s, SocketMessageType::Utf8, "x"), std::chrono::milliseconds(10), 1));
        QCOMPARE(repeat.errorString(), u"Connect first: messages can be repeated only while the connection is open"_s);
        QVERIFY(!repeat.isRunning());
    }

    void fragmentedSendShowsEveryFrameAndEchoesWhole()
    {
        Connected c;
        QVERIFY(c.isOpen());
        c.session.setMessageType(SocketMessageType::Utf8); // the switch says Text; the message is binary
        QByteArray payload(100'000, Qt::Uninitialized);
        for (qsizetype i = 0; i < payload.size(); ++i)
            payload[i] = char((i * 7 + i / 251) & 0xff);
        c.session.frameLog()->flush();
        c.session.frameLog()->clear();
        QVERIFY2(c.session.sendFragmented(SocketMessageType::Binary, payload, 16384),
                 qPrintable(c.session.lastError().message()));
        QCOMPARE(c.session.messageType(), SocketMessageType::Utf8);
        QTRY_COMPARE_WITH_TIMEOUT(receivedCount(c.session), 1, WaitMs);

        FrameLogModel *frames = c.session.frameLog();
        frames->flush();
        QList<FrameInfo> outgoing;
        for (int row = 0; row < frames->rowCount(); ++row) {
            if (frames->frame(row).direction == FrameDirection::Outgoing)
                outgoing.append(frames->frame(row));
        }
        QCOMPARE(outgoing.size(), 7); // 6 × 16 384 + 1 696
        for (qsizetype i = 0; i < outgoing.size(); ++i) {
            const bool last = i == outgoing.size() - 1;
            QCOMPARE(outgoing.at(i).fin, last);
            QCOMPARE(outgoing.at(i).opcode, quint8(i == 0 ? 0x2 : 0x0)); // Binary, then Continuation
            QCOMPARE(outgoing.at(i).payloadLength, last ? 1696u : 16384u);
        }
        const QList<LogEntry> sent = messages(c.session.messageLog(), LogEntry::Direction::Sent);
        QCOMPARE(sent.size(), 1); // one message in the log
        QCOMPARE(sent.first().type, SocketMessageType::Binary);
        QCOMPARE(sent.first().data, payload);
        QCOMPARE(sent.first().text, u"sent in 7 frames of at most 16.0 KiB"_s);
        const QList<LogEntry> echoed = messages(c.session.messageLog(), LogEntry::Direction::Received);
        QCOMPARE(echoed.first().type, SocketMessageType::Binary);
        QVERIFY(echoed.first().data == payload);

        // a text message in frames, split inside a code point: valid once whole
        const QByteArray text = u"ééééé"_s.toUtf8(); // 10 bytes, frames of 3 split every character
        QVERIFY(c.session.sendFragmented(SocketMessageType::Utf8, text, 3));
        QTRY_COMPARE_WITH_TIMEOUT(receivedCount(c.session), 2, WaitMs);
        const QList<LogEntry> echoedAgain = messages(c.session.messageLog(), LogEntry::Direction::Received);
        QCOMPARE(echoedAgain.last().type, SocketMessageType::Utf8);
        QCOMPARE(echoedAgain.last().data, text);
    }

    void fragmentedSendRefusals()
    {
        {
            Session idle;
            QVERIFY(!idle.sendFragmented(SocketMessageType::Binary, "abc", 1));
            QCOMPARE(idle.lastError().detail(), ErrorDetail::InvalidState);
            QVERIFY2(idle.lastError().message().endsWith(u": connect first: frames can be sent only while open"_s),
                     qPrintable(idle.lastError().message()));
        }
        Connected c(10'000);
        QVERIFY(c.isOpen());
        QVERIFY(!c.session.sendFragmented(SocketMessageType::Binary, "abc", 0));
        QCOMPARE(c.session.lastError().detail(), ErrorDetail::InvalidArgument);
        QCOMPARE(c.session.lastError().message(), u"Invalid argument: the frame size must be at least 1 byte"_s);

        QVERIFY(!c.session.sendFragmented(SocketMessageType::Utf8, QByteArray("ok\xc3\x28", 4), 2));
        QCOMPARE(c.session.lastError().detail(), ErrorDetail::InvalidUtf8InOutgoingText);
        QVERIFY2(c.session.lastError().message().contains(u"offset 2"_s), qPrintable(c.session.lastError().message()));

        // more than maxBufferedAmountBytes (10 000 here) at once: refused before the first frame
        QVERIFY(!c.session.sendFragmented(SocketMessageType::Binary, QByteArray(20'000, 'x'), 1000));
        QCOMPARE(c.session.lastError().detail(), ErrorDetail::SendBufferFull);
        QVERIFY2(c.session.lastError().message().contains(u"needs room for all of it at once"_s),
                 qPrintable(c.session.lastError().message()));
        c.session.frameLog()->flush();
        for (int row = 0; row < c.session.frameLog()->rowCount(); ++row)
            QVERIFY(c.session.frameLog()->frame(row).direction != FrameDirection::Outgoing);
        // nothing was left open: a whole message still goes
        QVERIFY(c.session.sendAs(SocketMessageType::Binary, "after"));
        QTRY_COMPARE_WITH_TIMEOUT(receivedCount(c.session), 1, WaitMs);
    }

    void dialogSaysWhatIsWrongInline()
    {
        SavedMessageDialog dialog;
        auto *name = named<QLineEdit>(&dialog, u"Message name"_s);
        auto *type = named<QComboBox>(&dialog, u"Message type"_s);
        auto *format = named<QComboBox>(&dialog, u"Written as"_s);
        auto *content = named<QPlainTextEdit>(&dialog, u"Message content"_s);
        auto *problem = named<QLabel>(&dialog, u"Problem"_s);
        auto *save = named<QPushButton>(&dialog, u"Save"_s);
        QVERIFY(name && type && format && content && problem && save);
        QCOMPARE(problem->text(), u"Give the message a name."_s);
        QVERIFY(!save->isEnabled());
        name->setText(u"hex bytes"_s);
        format->setCurrentIndex(1); // Hex
        content->setPlainText(u"01 zz"_s);
        QVERIFY2(problem->text().startsWith(u"Not hex: "_s), qPrintable(problem->text()));
        QVERIFY(!save->isEnabled());
        QDir().mkpath(QDir::tempPath() + u"/saved-shots"_s);
        QVERIFY(dialog.grab().save(QDir::tempPath() + u"/saved-shots/savedmessagedialog-error.png"_s));
        content->setPlainText(u"c3 28"_s);
        QVERIFY2(problem->text().startsWith(u"A text message must be valid UTF-8"_s), qPrintable(problem->text()));
        type->setCurrentIndex(1); // Binary
        QVERIFY(problem->text().isEmpty());
        QVERIFY(save->isEnabled());
        const std::optional<SavedMessage> m = dialog.message();
        QVERIFY(m);
        QCOMPARE(*m, saved(u"hex bytes"_s, SocketMessageType::Binary, QByteArray("\xc3\x28", 2)));
        format->setCurrentIndex(2); // Base64
        content->setPlainText(u"@@"_s);
        QVERIFY2(problem->text().startsWith(u"Not base64: "_s), qPrintable(problem->text()));

        // editing keeps every byte: text the editor would alter (CR LF, NUL) is shown as hex
        for (const QByteArray &bytes : {QByteArray("line 1\r\nline 2"), QByteArray("a\0b", 3), QByteArray("plain")}) {
            const SavedMessage original = saved(u"exact"_s, SocketMessageType::Utf8, bytes);
            dialog.setMessage(original);
            const std::optional<SavedMessage> back = dialog.message();
            QVERIFY(back);
            QCOMPARE(*back, original);
        }
        QCOMPARE(format->currentIndex(), 0); // "plain" stays text
    }

    void panelSendsRepeatsAndSendsInFrames()
    {
        Connected c;
        QVERIFY(c.isOpen());
        SavedMessagesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        SavedMessagesPanel panel(&model, &c.session);
        panel.resize(760, 380);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.addMessage(saved(u"subscribe"_s, SocketMessageType::Utf8, R"({"op":"subscribe","channel":"prices"})"));
        panel.addMessage(saved(u"heartbeat"_s, SocketMessageType::Utf8, "ping"));
        panel.addMessage(saved(u"binary hello"_s, SocketMessageType::Binary, QByteArray("\x00\x01\x02\xfe\xff", 5)));
        panel.addMessage(saved(u"big blob"_s, SocketMessageType::Binary, QByteArray(100'000, 'b')));
        QCOMPARE(panel.currentRow(), 3); // the one just added
        QCOMPARE(panel.statusText(), u"Saved “big blob”"_s);

        auto *send = named<QPushButton>(&panel, u"Send the saved message"_s);
        auto *up = named<QPushButton>(&panel, u"Move the saved message up"_s);
        auto *down = named<QPushButton>(&panel, u"Move the saved message down"_s);
        auto *start = named<QPushButton>(&panel, u"Start repeating"_s);
        auto *stop = named<QPushButton>(&panel, u"Stop repeating"_s);
        auto *interval = named<QSpinBox>(&panel, u"Repeat every"_s);
        auto *count = named<QSpinBox>(&panel, u"Repeat times"_s);
        auto *frameSize = named<ByteSpinBox>(&panel, u"Frame size"_s);
        auto *inFrames = named<QPushButton>(&panel, u"Send the saved message in frames"_s);
        auto *repeatStatus = named<QLabel>(&panel, u"Repeat status"_s);
        auto *view = named<QTableView>(&panel, u"Saved messages list"_s);
        QVERIFY(send && up && down && start && stop && interval && count && frameSize && inFrames && repeatStatus && view);
        QVERIFY(!down->isEnabled()); // last row
        QVERIFY(up->isEnabled());
        QVERIFY(!stop->isEnabled());

        // Enter on the table sends the selected one, in its own type
        c.session.setMessageType(SocketMessageType::Binary);
        panel.setCurrentRow(0);
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(receivedCount(c.session), 1, WaitMs);
        QCOMPARE(messages(c.session.messageLog(), LogEntry::Direction::Received).first().type, SocketMessageType::Utf8);
        QCOMPARE(panel.statusText(), u"Sent “subscribe” (Text, 37 B)"_s);

        // Repeat row: 3 times
        panel.setCurrentRow(1);
        interval->setValue(5);
        count->setValue(3);
        start->click();
        QVERIFY(stop->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(repeatStatus->text(), u"Done: sent 3 of 3"_s, WaitMs);
        QVERIFY(start->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(receivedCount(c.session), 4, WaitMs);

        // Fragmented row
        panel.setCurrentRow(3);
        frameSize->setValue(16384);
        inFrames->click();
        QCOMPARE(panel.statusText(), u"Sent “big blob” in 7 frames of at most 16.0 KiB"_s);
        QTRY_COMPARE_WITH_TIMEOUT(receivedCount(c.session), 5, WaitMs);

        // move up keeps the message selected
        up->click();
        QCOMPARE(panel.currentRow(), 2);
        QCOMPARE(model.message(2).name, u"big blob"_s);

        panel.setCurrentRow(1);
        count->setValue(0);
        interval->setValue(1000);
        start->click();
        QTRY_VERIFY_WITH_TIMEOUT(repeatStatus->text().startsWith(u"Sent 1"_s), WaitMs);
        const QString dir = QDir::tempPath() + u"/saved-shots"_s;
        QDir().mkpath(dir);
        QVERIFY(panel.grab().save(dir + u"/savedmessagespanel-open.png"_s));

        // the connection ends: the repeat stops and sending is disabled
        QVERIFY(c.session.close(1000, {}));
        QTRY_COMPARE_WITH_TIMEOUT(repeatStatus->text(), u"Stopped: the connection closed"_s, WaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!send->isEnabled(), WaitMs);
        QVERIFY(!start->isEnabled());
        QVERIFY(!inFrames->isEnabled());
        QVERIFY(panel.grab().save(dir + u"/savedmessagespanel-closed.png"_s));
    }

    void panelAddDialogAddsTheMessage()
    {
        Session session;
        SavedMessagesModel model;
        SavedMessagesPanel panel(&model, &session);
        panel.show();
        named<QPushButton>(&panel, u"Add a saved message"_s)->click();
        auto *dialog = panel.findChild<SavedMessageDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        named<QLineEdit>(dialog, u"Message name"_s)->setText(u"from the dialog"_s);
        named<QPlainTextEdit>(dialog, u"Message content"_s)->setPlainText(u"hi there"_s);
        const QString dir = QDir::tempPath() + u"/saved-shots"_s;
        QDir().mkpath(dir);
        QVERIFY(dialog->grab().save(dir + u"/savedmessagedialog.png"_s));
        named<QPushButton>(dialog, u"Save"_s)->click();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.message(0), saved(u"from the dialog"_s, SocketMessageType::Utf8, "hi there"));
        QCOMPARE(panel.currentRow(), 0);

        // Edit… replaces the message in place
        QTRY_COMPARE(panel.findChildren<SavedMessageDialog *>().size(), 0); // the Add dialog is gone
        named<QPushButton>(&panel, u"Edit the saved message"_s)->click();
        auto *edit = panel.findChild<SavedMessageDialog *>();
        QVERIFY(edit);
        QCOMPARE(named<QLineEdit>(edit, u"Message name"_s)->text(), u"from the dialog"_s);
        QCOMPARE(named<QPlainTextEdit>(edit, u"Message content"_s)->toPlainText(), u"hi there"_s);
        named<QComboBox>(edit, u"Message type"_s)->setCurrentIndex(1); // Binary
        named<QComboBox>(edit, u"Written as"_s)->setCurrentIndex(1);   // Hex
        named<QPlainTextEdit>(edit, u"Message content"_s)->setPlainText(u"00 ff"_s);
        named<QPushButton>(edit, u"Save"_s)->click();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.message(0), saved(u"from the dialog"_s, SocketMessageType::Binary, QByteArray("\x00\xff", 2)));

        // Rename edits the name in place; an empty name is refused and said so; Enter in the
        // editor commits the name and sends nothing (a send attempt would set the session's error)
        QSignalSpy sendAttempts(&session, &Session::errorChanged);
        named<QPushButton>(&panel, u"Rename the saved message"_s)->click();
        QTableView *view = named<QTableView>(&panel, u"Saved messages list"_s);
        auto *editor = view->viewport()->findChild<QLineEdit *>(); // the delegate's editor
        QVERIFY(editor);
        editor->selectAll();
        QTest::keyClick(editor, Qt::Key_Delete);
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_COMPARE(panel.statusText(), u"A saved message needs a name"_s); // the editor commits from the event loop
        QCOMPARE(model.message(0).name, u"from the dialog"_s);
        QTRY_VERIFY(!view->viewport()->findChild<QLineEdit *>()); // the last editor is gone
        named<QPushButton>(&panel, u"Rename the saved message"_s)->click();
        editor = view->viewport()->findChild<QLineEdit *>();
        QVERIFY(editor);
        editor->setText(u"renamed"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_COMPARE(model.message(0).name, u"renamed"_s);
        QCOMPARE(sendAttempts.size(), 0);

        // not connected: nothing can be sent, and saying so
        QVERIFY(!named<QPushButton>(&panel, u"Send the saved message"_s)->isEnabled());
        QVERIFY(!panel.sendSelected());
        QVERIFY2(panel.statusText().startsWith(u"“renamed” was not sent: "_s), qPrintable(panel.statusText()));

        named<QPushButton>(&panel, u"Delete the saved message"_s)->click();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(panel.statusText(), u"Deleted “renamed”"_s);
    }
};

QTEST_MAIN(tst_SavedMessages)
#include "tst_savedmessages.moc"
