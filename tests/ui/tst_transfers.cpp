// Big transfers: the TransferTracker of a Session and its progress strip against our own echo
// server (LocalEchoServer, 64 MiB per message) on a free loopback port, and the composer reading
// a file to send without blocking the window.
#include "transfertracker.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QVBoxLayout>

#include "models/framelogmodel.h"
#include "models/messagelogmodel.h"
#include "partedsender.h"
#include "server/localechoserver.h"
#include "session.h"
#include "widgetlookup.h"
#include "widgets/composer.h"
#include "widgets/transferprogressbar.h"

using namespace Qt::Literals::StringLiterals;
using namespace Wsw;
using namespace Wsw::Ui;
using Wsw::Test::named;

namespace {

constexpr qsizetype MiB = 1024 * 1024;
constexpr qsizetype BigBytes = 64 * MiB; // LocalEchoServer's default limit per message
constexpr int WaitMs = 60000;

QByteArray patternBytes(qsizetype n)
{
    QByteArray bytes(n, Qt::Uninitialized);
    for (qsizetype i = 0; i < n; ++i)
        bytes[i] = char((i * 31 + 7) & 0xFF);
    return bytes;
}

/** Every signal of a tracker, in order. */
struct TrackerLog {
    explicit TrackerLog(TransferTracker *t)
    {
        QObject::connect(t, &TransferTracker::started, t, [this](const Transfer &x) { started.append(x); });
        QObject::connect(t, &TransferTracker::progressed, t, [this](const Transfer &x) { progressed.append(x); });
        QObject::connect(t, &TransferTracker::finished, t, [this](const Transfer &x) { finished.append(x); });
    }
    QList<Transfer> started;
    QList<Transfer> progressed;
    QList<Transfer> finished;

    const Transfer *finishedOf(Transfer::Direction d) const
    {
        for (const Transfer &t : finished)
            if (t.direction == d)
                return &t;
        return nullptr;
    }
};

/** A shown window holding the strip, as the workbench places it over the composer. */
struct StripWindow {
    explicit StripWindow(Session *session)
    {
        auto *layout = new QVBoxLayout(&window);
        strip = new TransferProgressBar(session);
        layout->addWidget(strip);
        layout->addStretch(1);
        window.resize(900, 120);
        window.show();
    }
    QWidget window;
    TransferProgressBar *strip = nullptr;
};

} // namespace

class tst_Transfers final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void bigMessageProgressesToTheEnd_data();
    void bigMessageProgressesToTheEnd();
    void smallMessageMakesNoTransfer();
    void textInPartsStaysValidUtf8();
    void whenPartsAreUsed_data();
    void whenPartsAreUsed();
    void cancelDropsTheConnection();
    void connectionLossInterruptsTransfers();
    void describeSaysItInWords();
    void stripShowsEachTransfer();

    void composerReadsAFileWithoutBlocking();
    void composerRefusesWhatItCannotSend();

private:
    /** Connects session to the echo server; true once open. */
    bool open(Session &session, bool compress);

    std::unique_ptr<LocalEchoServer> m_server;
};

void tst_Transfers::init()
{
    m_server = std::make_unique<LocalEchoServer>();
    QString error;
    QVERIFY2(m_server->listen(0, &error), qPrintable(error));
}

void tst_Transfers::cleanup()
{
    m_server->close();
    m_server.reset();
}

bool tst_Transfers::open(Session &session, bool compress)
{
    MessageWebSocketControl control;
    control.compression.enabled = compress;
    session.setMessageType(SocketMessageType::Binary);
    if (!session.connectTo(m_server->serverUrl().toString(), control, {}))
        return false;
    return QTest::qWaitFor([&] { return session.state() == ConnectionState::Open || !session.isActive(); }, WaitMs)
            && session.state() == ConnectionState::Open;
}

void tst_Transfers::bigMessageProgressesToTheEnd_data()
{
    QTest::addColumn<bool>("compress");
    QTest::addColumn<bool>("inParts");
    QTest::newRow("uncompressed") << false << false;
    QTest::newRow("permessage-deflate") << true << false; // progress on the wire, scaled to message bytes
    QTest::newRow("uncompressed, in parts") << false << true;
    QTest::newRow("permessage-deflate, in parts") << true << true;
}

void tst_Transfers::bigMessageProgressesToTheEnd()
{
    QFETCH(bool, compress);
    QFETCH(bool, inParts);
    Session session;
    session.setSendInPartsFrom(inParts ? Session::DefaultSendInPartsBytes : 0);
    StripWindow w(&session);
    QVERIFY(w.strip->isHidden());
    QVERIFY(open(session, compress));
    TrackerLog log(session.transfers());

    // the strip is up while anything is in flight; grab it once mid-receive to look at it
    // (how far it has got when the picture is taken depends on the machine: nothing is asserted on it)
    bool visibleDuring = true;
    int grabs = 0;
    const auto grab = [&] {
        const QString dir = u"/tmp/transfer-shots"_s;
        QDir().mkpath(dir);
        w.window.grab().save(dir + u"/strip-"_s + QString::fromLatin1(QTest::currentDataTag()) + u'-'
                             + QString::number(++grabs) + u".png"_s);
    };
    connect(session.transfers(), &TransferTracker::progressed, this, [&](const Transfer &) {
        visibleDuring = visibleDuring && w.strip->isVisible();
        if (grabs < 3)
            grab();
    });
    connect(session.transfers(), &TransferTracker::started, this, [&](const Transfer &t) {
        visibleDuring = visibleDuring && w.strip->isVisible();
        if (t.direction == Transfer::Direction::Receiving)
            grab();
    });

    const QByteArray payload = patternBytes(BigBytes);
    QVERIFY(session.send(payload));
    QCOMPARE(session.transfers()->transfers().size(), 1);
    QCOMPARE(session.transfers()->transfers().first().direction, Transfer::Direction::Sending);
    QVERIFY(w.strip->isVisible());
    QVERIFY(named<QProgressBar>(w.strip, u"Sending progress"_s));
    if (inParts) { // one message at a time: the next waits, in words
        QVERIFY(!session.send("meanwhile"_ba));
        QCOMPARE(session.lastError().detail(), ErrorDetail::FragmentedMessageInProgress);
    }

    QSignalSpy echoed(&session.socket(), &MessageWebSocket::messageReceived);
    QVERIFY(echoed.wait(WaitMs));
    const Transfer *sent = log.finishedOf(Transfer::Direction::Sending);
    QVERIFY(sent);
    QCOMPARE(sent->outcome, Transfer::Outcome::Completed);
    QCOMPARE(sent->totalBytes, qint64(BigBytes));
    QCOMPARE(sent->doneBytes, qint64(BigBytes));
    QCOMPARE(sent->fraction(), 1.0);
    // receives are measured on the wire: this pattern deflates to far less than the threshold
    // and comes back within one read, so compressed it is no transfer at all
    const Transfer *received = log.finishedOf(Transfer::Direction::Receiving);
    QCOMPARE(received != nullptr, !compress);
    if (received) {
        QCOMPARE(received->outcome, Transfer::Outcome::Completed);
        QCOMPARE(received->totalBytes, qint64(BigBytes));
        QCOMPARE(received->doneBytes, received->totalBytes);
    }
    QCOMPARE(log.started.size(), compress ? 1 : 2);
    for (const Transfer &t : log.progressed) {
        QVERIFY(t.doneBytes >= 0);
        QVERIFY(t.totalBytes < 0 || t.doneBytes <= t.totalBytes);
    }
    QVERIFY(visibleDuring);
    QVERIFY(w.strip->isHidden());
    QVERIFY(!session.transfers()->hasTransfers());

    // the echo arrived whole, and the log holds the sent message without a copy of its own
    QTRY_COMPARE_WITH_TIMEOUT(session.messageLog()->rowCount() > 0
                                      && session.messageLog()->entry(session.messageLog()->rowCount() - 1).direction
                                                 == LogEntry::Direction::Received,
                              true, WaitMs);
    MessageLogModel *messages = session.messageLog();
    messages->flush();
    const LogEntry &echo = messages->entry(messages->rowCount() - 1);
    QCOMPARE(echo.data.size(), BigBytes);
    QVERIFY(echo.data == payload);
    const quint64 frames = session.socket().information().counters.framesSent;
    if (inParts) // RFC 6455 §5.4: a fragmented message, a part per frame
        QCOMPARE(frames, quint64(BigBytes / (compress ? PartedSender::CompressedPartBytes : PartedSender::PartBytes)));
    else
        QCOMPARE(frames, 1u);
    bool sharedWithTheSender = false;
    for (int row = 0; row < messages->rowCount(); ++row) {
        const LogEntry &e = messages->entry(row);
        if (e.direction == LogEntry::Direction::Sent)
            sharedWithTheSender = e.data.constData() == payload.constData();
    }
    QVERIFY(sharedWithTheSender);
}

void tst_Transfers::smallMessageMakesNoTransfer()
{
    Session session;
    StripWindow w(&session);
    QVERIFY(open(session, false));
    TrackerLog log(session.transfers());
    QCOMPARE(session.transfers()->threshold(), TransferTracker::DefaultThresholdBytes);

    // under the threshold both ways: nothing, however many reads the echo takes
    QSignalSpy received(&session.socket(), &MessageWebSocket::messageReceived);
    QVERIFY(session.send(patternBytes(TransferTracker::DefaultThresholdBytes - 1)));
    QVERIFY(received.wait(WaitMs));
    QVERIFY(log.started.isEmpty());
    QVERIFY(w.strip->isHidden());

    // a lower threshold makes the same size a transfer
    session.transfers()->setThreshold(256 * 1024);
    QVERIFY(session.send(patternBytes(TransferTracker::DefaultThresholdBytes - 1)));
    QCOMPARE(log.started.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(log.finishedOf(Transfer::Direction::Sending), WaitMs);
    QCOMPARE(log.finishedOf(Transfer::Direction::Sending)->outcome, Transfer::Outcome::Completed);
}

void tst_Transfers::whenPartsAreUsed_data()
{
    QTest::addColumn<bool>("compress");
    QTest::addColumn<qsizetype>("bytes");
    QTest::addColumn<quint64>("frames");
    QTest::newRow("uncompressed 2 MiB: whole") << false << 2 * MiB << quint64(1);
    QTest::newRow("uncompressed 16 MiB: in parts") << false << 16 * MiB << quint64(16);
    QTest::newRow("compressed 2 MiB: in parts") << true << 2 * MiB << quint64(2 * MiB / PartedSender::CompressedPartBytes);
    QTest::newRow("compressed 1 MiB - 1: whole") << true << MiB - 1 << quint64(1);
}

void tst_Transfers::whenPartsAreUsed()
{
    QFETCH(bool, compress);
    QFETCH(qsizetype, bytes);
    QFETCH(quint64, frames);
    Session session;
    QVERIFY(open(session, compress));
    QSignalSpy received(&session.socket(), &MessageWebSocket::messageReceived);
    const QByteArray payload = patternBytes(bytes);
    QVERIFY(session.send(payload));
    QVERIFY(received.wait(WaitMs));
    QVERIFY(received.first().first().value<MessageWebSocketMessageReceivedEventArgs>().data() == payload);
    QCOMPARE(session.socket().information().counters.framesSent, frames);
}

void tst_Transfers::textInPartsStaysValidUtf8()
{
    Session session;
    session.setSendInPartsFrom(MiB);
    QVERIFY(open(session, false));
    session.setMessageType(SocketMessageType::Utf8);
    QSignalSpy received(&session.socket(), &MessageWebSocket::messageReceived);

    // invalid UTF-8 is refused before any part goes out, and the connection stays usable
    QByteArray bad(2 * MiB, 'a');
    bad[bad.size() - 1] = char(0xFF);
    QVERIFY(!session.send(bad));
    QCOMPARE(session.lastError().detail(), ErrorDetail::InvalidUtf8InOutgoingText);

    // "a" then two-byte characters: every part boundary falls inside one unless moved
    QByteArray text("a");
    while (text.size() < 3 * MiB)
        text += "\xc3\xa9"_ba;
    QVERIFY(session.send(text));
    QVERIFY(received.wait(WaitMs));
    const auto echo = received.first().first().value<MessageWebSocketMessageReceivedEventArgs>();
    QCOMPARE(echo.messageType(), SocketMessageType::Utf8);
    QVERIFY(echo.data() == text);
    QCOMPARE(session.state(), ConnectionState::Open);
    // no part ends inside a character: the first is one byte short of 1 MiB for that
    FrameLogModel *frames = session.frameLog();
    frames->flush();
    QList<quint64> outgoing;
    for (int row = 0; row < frames->rowCount(); ++row) {
        if (frames->frame(row).direction == FrameDirection::Outgoing && frames->frame(row).opcode != 0x8)
            outgoing << frames->frame(row).payloadLength;
    }
    QCOMPARE(outgoing.size(), 4);
    QCOMPARE(outgoing.first(), quint64(PartedSender::PartBytes - 1));
    qsizetype boundary = 0;
    for (int i = 0; i < 3; ++i) {
        boundary += qsizetype(outgoing[i]);
        QVERIFY2((quint8(text[boundary]) & 0xC0) != 0x80, qPrintable(QString::number(i)));
    }
}

void tst_Transfers::cancelDropsTheConnection()
{
    Session session;
    StripWindow w(&session);
    QVERIFY(open(session, false));
    TrackerLog log(session.transfers());
    QSignalSpy closed(&session, &Session::closed);

    QVERIFY(session.send(patternBytes(BigBytes)));
    auto *cancel = named<QPushButton>(w.strip, u"Cancel transfer"_s);
    QVERIFY(cancel);
    QVERIFY(cancel->isVisible());
    QCOMPARE(cancel->text(), u"Cancel (closes the connection)"_s);
    QTest::mouseClick(cancel, Qt::LeftButton);

    QCOMPARE(log.finished.size(), 1);
    QCOMPARE(log.finished.first().outcome, Transfer::Outcome::Cancelled);
    QVERIFY(w.strip->isHidden());
    QVERIFY(closed.wait(WaitMs));
    QCOMPARE(session.lastClose()->code(), quint16(1006)); // dropped: no close handshake
    QCOMPARE(log.finished.size(), 1); // nothing completes or is interrupted afterwards
    MessageLogModel *messages = session.messageLog();
    messages->flush();
    bool noted = false;
    for (int row = 0; row < messages->rowCount(); ++row)
        noted = noted || messages->entry(row).text.startsWith(u"transfer cancelled (sending 64.0 MiB, "_s);
    QVERIFY(noted);
}

void tst_Transfers::connectionLossInterruptsTransfers()
{
    Session session;
    QVERIFY(open(session, false));
    TrackerLog log(session.transfers());
    QVERIFY(session.send(patternBytes(BigBytes)));
    QCOMPARE(log.started.size(), 1);
    session.disconnectNow(); // not the strip's Cancel: the transfer did not end by choice
    QTRY_COMPARE_WITH_TIMEOUT(log.finished.size(), 1, WaitMs);
    QCOMPARE(log.finished.first().outcome, Transfer::Outcome::Interrupted);
    QVERIFY(!session.transfers()->hasTransfers());
}

void tst_Transfers::describeSaysItInWords()
{
    Transfer t;
    t.direction = Transfer::Direction::Sending;
    t.totalBytes = 312 * MiB;
    t.doneBytes = t.totalBytes * 45 / 100 + 1;
    t.bytesPerSecond = 120.0 * MiB;
    QCOMPARE(TransferProgressBar::describe(t), u"Sending 312.0 MiB — 45 % — 120.0 MiB/s"_s);
    t.direction = Transfer::Direction::Receiving;
    t.totalBytes = -1;
    t.doneBytes = 12 * MiB;
    t.bytesPerSecond = 0;
    QCOMPARE(TransferProgressBar::describe(t), u"Receiving, 12.0 MiB so far"_s);
}

void tst_Transfers::stripShowsEachTransfer()
{
    // the tracker's signals played by hand: a send with a known total, a fragmented receive without
    Session session;
    StripWindow w(&session);
    w.window.layout()->addWidget(new Composer); // the strip goes above the composer
    w.window.resize(900, 300);
    TransferTracker *tracker = session.transfers();
    Transfer send;
    send.id = 1001;
    send.direction = Transfer::Direction::Sending;
    send.totalBytes = 312 * MiB;
    send.doneBytes = 140 * MiB;
    send.bytesPerSecond = 120.0 * MiB;
    Transfer receive;
    receive.id = 1002;
    receive.direction = Transfer::Direction::Receiving;
    receive.totalBytes = -1;
    receive.doneBytes = 3 * MiB;
    Q_EMIT tracker->started(send);
    Q_EMIT tracker->started(receive);
    receive.doneBytes = 12 * MiB;
    receive.bytesPerSecond = 40.0 * MiB;
    Q_EMIT tracker->progressed(receive);
    QVERIFY(w.strip->isVisible());

    auto *sendBar = named<QProgressBar>(w.strip, u"Sending progress"_s);
    auto *receiveBar = named<QProgressBar>(w.strip, u"Receiving progress"_s);
    QVERIFY(sendBar && receiveBar);
    QCOMPARE(sendBar->maximum(), 1000);
    QCOMPARE(sendBar->value(), int(140 * 1000 / 312));
    QCOMPARE(receiveBar->maximum(), 0); // busy: the total is unknown
    QCOMPARE(named<QLabel>(w.strip, u"Receiving"_s)->text(), u"Receiving, 12.0 MiB so far — 40.0 MiB/s"_s);
    QDir().mkpath(u"/tmp/transfer-shots"_s);
    QCoreApplication::processEvents(); // the layout takes the new row
    w.window.grab().save(u"/tmp/transfer-shots/strip-two-rows.png"_s);

    send.outcome = Transfer::Outcome::Completed;
    Q_EMIT tracker->finished(send);
    QVERIFY(w.strip->isVisible());
    QVERIFY(!named<QProgressBar>(w.strip, u"Sending progress"_s));
    receive.outcome = Transfer::Outcome::Interrupted;
    Q_EMIT tracker->finished(receive);
    QVERIFY(w.strip->isHidden());
}

void tst_Transfers::composerReadsAFileWithoutBlocking()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"big.bin"_s);
    const QByteArray bytes = patternBytes(12 * MiB);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(bytes), bytes.size());
    }
    Composer composer;
    composer.setOpen(true);
    composer.setMessageType(SocketMessageType::Binary);
    QSignalSpy sent(&composer, &Composer::sendRequested);
    QSignalSpy problems(&composer, &Composer::problem);
    QSignalSpy ended(&composer, &Composer::fileReadEnded);
    composer.sendFile(path);
    // the call returns before the bytes are read: the worker hands them over later
    QVERIFY(composer.isReadingFile());
    QVERIFY(sent.isEmpty());
    composer.sendFile(path); // one file at a time, in words
    QCOMPARE(problems.size(), 1);
    QVERIFY(problems.first().first().toString().startsWith(u"Still reading big.bin"_s));
    QVERIFY(sent.wait(WaitMs));
    QCOMPARE(sent.first().first().toByteArray(), bytes);
    QCOMPARE(ended.size(), 1);
    QVERIFY(!composer.isReadingFile());
    QCOMPARE(named<QPushButton>(&composer, u"Send file"_s)->text(), u"Send file…"_s);
}

void tst_Transfers::composerRefusesWhatItCannotSend()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Composer composer;
    composer.setOpen(true);
    QSignalSpy sent(&composer, &Composer::sendRequested);
    QSignalSpy problems(&composer, &Composer::problem);

    // beyond the limit (a sparse file: no disk is used)
    const QString huge = dir.filePath(u"huge.bin"_s);
    {
        QFile f(huge);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(Composer::MaxFileBytes + 1));
    }
    composer.sendFile(huge);
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.last().first().toString().contains(u"up to 1.0 GiB"_s), qPrintable(problems.last().first().toString()));
    QVERIFY(!composer.isReadingFile());

    // not UTF-8 for a text message: checked in the worker, said in words
    const QString binary = dir.filePath(u"latin1.txt"_s);
    {
        QFile f(binary);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("caf\xe9");
    }
    composer.setMessageType(SocketMessageType::Utf8);
    composer.sendFile(binary);
    QTRY_COMPARE_WITH_TIMEOUT(problems.size(), 2, WaitMs);
    QVERIFY(problems.last().first().toString().contains(u"is not valid UTF-8"_s));

    // the connection closed while reading
    const QString ok = dir.filePath(u"ok.txt"_s);
    {
        QFile f(ok);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("hello");
    }
    composer.sendFile(ok);
    composer.setOpen(false);
    QTRY_COMPARE_WITH_TIMEOUT(problems.size(), 3, WaitMs);
    QVERIFY(problems.last().first().toString().contains(u"closed while ok.txt was read"_s));
    QVERIFY(sent.isEmpty());

    // a missing file
    composer.setOpen(true);
    composer.sendFile(dir.filePath(u"missing.bin"_s));
    QCOMPARE(problems.size(), 4);
    QVERIFY(problems.last().first().toString().startsWith(u"Cannot read"_s));
}

QTEST_MAIN(tst_Transfers)
#include "tst_transfers.moc"
