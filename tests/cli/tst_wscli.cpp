// wscli as a user drives it: the real executable, an in-process echo server.
#include <csignal>

#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include "echoserver.h"

using namespace Wsw::Test;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

/** Runs wscli with these arguments (and stdin), keeping the event loop turning for the server. */
Run runWscli(const QStringList &arguments, const QByteArray &input = {}, int timeoutMs = 20000)
{
    QProcess process;
    process.start(QStringLiteral(WSCLI_PATH), arguments);
    if (!process.waitForStarted(5000))
        return {};
    if (!input.isNull())
        process.write(input);
    process.closeWriteChannel();
    QSignalSpy finished(&process, &QProcess::finished);
    if (!finished.wait(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        return {};
    }
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

using namespace Qt::Literals::StringLiterals;

class tst_Wscli final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<EchoServer>();
        QVERIFY(m_server->listen());
    }
    void cleanup() { m_server.reset(); }

    void helpAndUsage_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("expected"); // in stdout or stderr

        QTest::newRow("no command") << QStringList{} << 2 << u"usage: wscli <command>"_qs;
        QTest::newRow("--help") << QStringList{u"--help"_qs} << 0 << u"connect"_qs;
        QTest::newRow("unknown command") << QStringList{u"frobnicate"_qs} << 2 << u"unknown command"_qs;
        QTest::newRow("connect --help") << QStringList{u"connect"_qs, u"--help"_qs} << 0 << u"/close [code [reason]]"_qs;
        QTest::newRow("send --help") << QStringList{u"send"_qs, u"--help"_qs} << 0 << u"--expect"_qs;
        QTest::newRow("autobahn --help") << QStringList{u"autobahn"_qs, u"--help"_qs} << 0 << u"--cases"_qs;
        QTest::newRow("bench --help") << QStringList{u"bench"_qs, u"--help"_qs} << 0 << u"--mode"_qs;
        QTest::newRow("send without URL") << QStringList{u"send"_qs} << 2 << u"give a URL"_qs;
        QTest::newRow("http URL") << QStringList{u"send"_qs, u"http://127.0.0.1/"_qs, u"x"_qs} << 2
                                  << u"Only ws://"_qs;
        QTest::newRow("URL with fragment") << QStringList{u"send"_qs, u"ws://127.0.0.1/#f"_qs, u"x"_qs} << 2
                                           << u"fragment"_qs;
        QTest::newRow("engine-owned header") << QStringList{u"send"_qs, u"-H"_qs, u"Upgrade: x"_qs,
                                                            u"ws://127.0.0.1/"_qs, u"x"_qs}
                                             << 2 << u"set by the engine"_qs;
        QTest::newRow("header without colon") << QStringList{u"send"_qs, u"-H"_qs, u"broken"_qs,
                                                             u"ws://127.0.0.1/"_qs, u"x"_qs}
                                              << 2 << u"Name: value"_qs;
        QTest::newRow("bad hex") << QStringList{u"send"_qs, u"--hex"_qs, u"ws://127.0.0.1/"_qs, u"0g"_qs} << 2
                                 << u"hex digits"_qs;
        QTest::newRow("bad regex") << QStringList{u"send"_qs, u"--expect"_qs, u"("_qs, u"ws://127.0.0.1/"_qs}
                                   << 2 << u"--expect"_qs;
        QTest::newRow("unknown certificate error")
                << QStringList{u"send"_qs, u"--insecure-ignore"_qs, u"Whatever"_qs, u"ws://127.0.0.1/"_qs} << 2
                << u"Untrusted"_qs;
        QTest::newRow("bench bad mode") << QStringList{u"bench"_qs, u"--mode"_qs, u"x"_qs, u"--size"_qs, u"1"_qs,
                                                       u"--count"_qs, u"1"_qs, u"ws://127.0.0.1:1"_qs}
                                        << 2 << u"--mode"_qs;
        QTest::newRow("deflate unknown parameter")
                << QStringList{u"send"_qs, u"--deflate=fast"_qs, u"ws://127.0.0.1/"_qs, u"x"_qs} << 2
                << u"unknown parameter \"fast\""_qs;
        QTest::newRow("deflate window out of range")
                << QStringList{u"send"_qs, u"--deflate=server_max_window_bits=16"_qs, u"ws://127.0.0.1/"_qs, u"x"_qs}
                << 2 << u"from 8 to 15"_qs;
        QTest::newRow("deflate flag with a value")
                << QStringList{u"send"_qs, u"--deflate=client_no_context_takeover=1"_qs, u"ws://127.0.0.1/"_qs, u"x"_qs}
                << 2 << u"takes no value"_qs;
        QTest::newRow("deflate parameter twice")
                << QStringList{u"connect"_qs, u"--deflate=level=1;level=2"_qs, u"ws://127.0.0.1/"_qs} << 2
                << u"given twice"_qs;
        QTest::newRow("deflate syntax") << QStringList{u"send"_qs, u"--deflate=;;"_qs, u"ws://127.0.0.1/"_qs, u"x"_qs}
                                        << 2 << u"--deflate:"_qs;
        QTest::newRow("deflate and no-deflate")
                << QStringList{u"autobahn"_qs, u"--deflate"_qs, u"--no-deflate"_qs, u"ws://127.0.0.1:1"_qs} << 2
                << u"contradict"_qs;
        QTest::newRow("bench deflate bad level")
                << QStringList{u"bench"_qs, u"--mode"_qs, u"echo"_qs, u"--size"_qs, u"1"_qs, u"--count"_qs, u"1"_qs,
                               u"--deflate=level=10"_qs, u"ws://127.0.0.1:1"_qs}
                << 2 << u"from 0 to 9"_qs;
        QTest::newRow("autobahn bad case timeout") << QStringList{u"autobahn"_qs, u"ws://127.0.0.1:1"_qs,
                                                                  u"--case-timeout"_qs, u"0"_qs}
                                                   << 2 << u"--case-timeout"_qs;
    }
    void helpAndUsage()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, expected);
        const Run run = runWscli(arguments);
        QCOMPARE(run.exitCode, exitCode);
        const QString all = run.out + run.err;
        QVERIFY2(all.contains(expected), qPrintable(all));
    }

    void sendWaitsForRepliesAndChecksThem()
    {
        const Run run = runWscli({u"send"_qs, m_server->url().toString(), u"hello"_qs, u"wörld"_qs, u"--wait"_qs,
                                  u"2"_qs, u"--expect"_qs, u"^(hello|wörld)$"_qs});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(u"< hello") && run.out.contains(u"< wörld"), qPrintable(run.out));
        // closed cleanly with 1000 after the replies
        const auto frames = m_server->clientFrames();
        QVERIFY(!frames.isEmpty());
        QCOMPARE(frames.last().opcode, quint8(0x8));
        QCOMPARE(frames.last().payload.left(2), QByteArray("\x03\xe8", 2));
    }

    void sendExpectationMismatchExits3()
    {
        const Run run = runWscli({u"send"_qs, m_server->url().toString(), u"hello"_qs, u"--wait"_qs, u"1"_qs,
                                  u"--expect"_qs, u"^bye$"_qs});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains(u"does not match"), qPrintable(run.err));
    }

    void sendTimeoutExits4()
    {
        const Run run = runWscli({u"send"_qs, m_server->url().toString(), u"only one"_qs, u"--wait"_qs, u"2"_qs,
                                  u"--timeout"_qs, u"1"_qs});
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.err.contains(u"1 of 2 replies"), qPrintable(run.err));
    }

    void sendHexGoesOutAsBinary()
    {
        const Run run = runWscli({u"send"_qs, u"--hex"_qs, m_server->url().toString(), u"00ff7e"_qs, u"--wait"_qs,
                                  u"1"_qs, u"--expect"_qs, u"^00ff7e$"_qs});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(u"binary 3 bytes: 00 ff 7e"), qPrintable(run.out));
        QCOMPARE(m_server->clientFrames().first().opcode, quint8(0x2));
        QCOMPARE(m_server->clientFrames().first().payload, QByteArray("\x00\xff\x7e", 3));
    }

    void sendOffersProtocolsAndHeaders()
    {
        m_server->setChooseFirstOfferedProtocol(true);
        QUrl url = m_server->url(u"/path"_qs);
        url.setQuery(u"q=1"_qs);
        const Run run = runWscli({u"send"_qs, u"--protocol"_qs, u"chat"_qs, u"--protocol"_qs, u"v2.chat"_qs, u"-H"_qs,
                                  u"X-Test: 42"_qs, url.toString(), u"x"_qs});
        QCOMPARE(run.exitCode, 0);
        const UpgradeRequest request = m_server->lastRequest();
        QCOMPARE(request.header("Sec-WebSocket-Protocol"), QByteArray("chat, v2.chat"));
        QCOMPARE(request.header("X-Test"), QByteArray("42"));
        QCOMPARE(request.target, QByteArray("/path?q=1"));
    }

    void deflateOptionsReachTheOffer_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QByteArray>("offer"); // null: no header
        QTest::newRow("default") << QStringList{} << QByteArray("permessage-deflate; client_max_window_bits");
        QTest::newRow("bare --deflate") << QStringList{u"--deflate"_qs}
                                        << QByteArray("permessage-deflate; client_max_window_bits");
        QTest::newRow("--no-deflate") << QStringList{u"--no-deflate"_qs} << QByteArray();
        QTest::newRow("parameters as in the header")
                << QStringList{u"--deflate=client_max_window_bits=10; server_no_context_takeover"_qs}
                << QByteArray("permessage-deflate; server_no_context_takeover; client_max_window_bits=10");
        QTest::newRow("value after a space")
                << QStringList{u"--deflate"_qs, u"client_no_context_takeover"_qs}
                << QByteArray("permessage-deflate; client_no_context_takeover");
        QTest::newRow("with the extension name")
                << QStringList{u"--deflate=permessage-deflate; server_max_window_bits=9"_qs}
                << QByteArray("permessage-deflate; server_max_window_bits=9");
    }
    void deflateOptionsReachTheOffer()
    {
        QFETCH(QStringList, options);
        QFETCH(QByteArray, offer);
        const Run run = runWscli(QStringList{u"send"_qs} + options + QStringList{m_server->url().toString(), u"x"_qs});
        QCOMPARE(run.exitCode, 0);
        const UpgradeRequest request = m_server->lastRequest();
        QCOMPARE(request.headerCount("Sec-WebSocket-Extensions"), offer.isNull() ? 0 : 1);
        if (!offer.isNull())
            QCOMPARE(request.header("Sec-WebSocket-Extensions"), offer);
    }

    void refusedConnectionExits1()
    {
        const quint16 port = m_server->port();
        m_server.reset(); // nobody listens there any more
        const Run run = runWscli({u"send"_qs, QStringLiteral("ws://127.0.0.1:%1/").arg(port), u"x"_qs});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"CannotConnect"), qPrintable(run.err));
    }

    void connectSendsLinesAndCommands()
    {
        // the server echoes; the session ends with /close 4000, a clean close with another code
        const QByteArray input = "first line\n/ping pp\n/binary\nbin\n/hex 01 02\n/text\n//slash\n";
        QProcess process;
        process.start(QStringLiteral(WSCLI_PATH), {u"connect"_qs, m_server->url().toString()});
        QVERIFY(process.waitForStarted(5000));
        process.write(input);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->clientFrames().size() >= 5, 10000);
        // every echo must be printed before we close
        QTRY_VERIFY_WITH_TIMEOUT(QString::fromUtf8(process.peek(1 << 20)).count(u" < ") >= 4, 10000);
        process.write("/close 4000 done\n");
        QSignalSpy finished(&process, &QProcess::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(process.exitCode(), 5);
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(out.contains(u"< first line"), qPrintable(out));
        QVERIFY2(out.contains(u"< binary 3 bytes: 62 69 6e"), qPrintable(out));
        QVERIFY2(out.contains(u"< binary 2 bytes: 01 02"), qPrintable(out));
        QVERIFY2(out.contains(u"< /slash"), qPrintable(out));
        QVERIFY2(err.contains(u"pong after"), qPrintable(err));
        QVERIFY2(err.contains(u"closed: 4000 done (clean)"), qPrintable(err));
        // each line printed with a millisecond timestamp
        QVERIFY(QRegularExpression(u"\\[\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] < first line"_qs).match(out).hasMatch());
    }

    void connectClosesWith1000AtEndOfInput()
    {
        const Run run = runWscli({u"connect"_qs, m_server->url().toString()}, "one\ntwo\n");
        QCOMPARE(run.exitCode, 0);
        const auto frames = m_server->clientFrames();
        QVERIFY(frames.size() >= 3);
        QCOMPARE(frames.at(0).payload, QByteArray("one"));
        QCOMPARE(frames.at(1).payload, QByteArray("two"));
        QCOMPARE(frames.last().opcode, quint8(0x8));
        QCOMPARE(frames.last().payload.left(2), QByteArray("\x03\xe8", 2));
    }

    void interruptClosesWith1001()
    {
        QProcess process;
        process.start(QStringLiteral(WSCLI_PATH), {u"connect"_qs, m_server->url().toString()});
        QVERIFY(process.waitForStarted(5000));
        QTRY_VERIFY_WITH_TIMEOUT(QString::fromUtf8(process.peek(0)).isEmpty()
                                         && m_server->openConnectionCount() == 1,
                                 10000);
        // wait for "connected" so the signal handler is installed and the socket open
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += process.readAllStandardError()).contains("connected to"), 10000);
        ::kill(pid_t(process.processId()), SIGINT);
        QSignalSpy finished(&process, &QProcess::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        const auto frames = m_server->clientFrames();
        QVERIFY(!frames.isEmpty());
        QCOMPARE(frames.last().opcode, quint8(0x8));
        QCOMPARE(frames.last().payload.left(2), QByteArray("\x03\xe9", 2)); // 1001 Going Away
    }

private:
    std::unique_ptr<EchoServer> m_server;
};

QTEST_GUILESS_MAIN(tst_Wscli)
#include "tst_wscli.moc"
