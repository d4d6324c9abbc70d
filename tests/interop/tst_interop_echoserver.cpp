// Our built-in echo server (engine/server) with a client no one here wrote: Python's websockets
// (tests/interop/clients/python_echo_client.py), over ws:// with and without permessage-deflate.
// The server runs in this process; the client is a child process, waited for with the event
// loop turning so the server can serve it.
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include "server/localechoserver.h"

using namespace Qt::Literals::StringLiterals;

class tst_InteropEchoServer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pythonClient_data()
    {
        QTest::addColumn<bool>("compression");
        QTest::newRow("permessage-deflate") << true;
        QTest::newRow("uncompressed") << false;
    }
    void pythonClient()
    {
        QFETCH(bool, compression);
        Wsw::LocalEchoServer server;
        server.setProtocols({u"chat"_s});
        QString error;
        QVERIFY2(server.listen(0, &error), qPrintable(error));
        QSignalSpy connected(&server, &Wsw::LocalEchoServer::clientConnected);
        QSignalSpy disconnected(&server, &Wsw::LocalEchoServer::clientDisconnected);

        QProcess client;
        client.setProcessChannelMode(QProcess::SeparateChannels);
        QStringList arguments{QStringLiteral(WSW_INTEROP_CLIENTS_DIR "/python_echo_client.py"),
                              server.serverUrl().toString()};
        if (!compression)
            arguments << u"--no-compression"_s;
        client.start(QStringLiteral(WSW_INTEROP_PYTHON), arguments);
        QVERIFY(client.waitForStarted(10000));
        QSignalSpy finished(&client, &QProcess::finished);
        QVERIFY(finished.wait(60000));
        const QString out = QString::fromUtf8(client.readAllStandardOutput());
        const QString err = QString::fromUtf8(client.readAllStandardError());
        QVERIFY2(client.exitStatus() == QProcess::NormalExit && client.exitCode() == 0, qPrintable(out + err));

        QVERIFY2(out.contains(u"subprotocol: chat"_s), qPrintable(out));
        QCOMPARE(out.contains(u"extensions: permessage-deflate"_s), compression);
        QVERIFY2(out.contains(u"echoed: 6"_s) && out.contains(u"pong: ok"_s) && out.contains(u"closed: 4001 done"_s),
                 qPrintable(out));
        QCOMPARE(connected.size(), 1);
        QCOMPARE(connected.at(0).at(0).toString().contains(u"permessage-deflate"_s), compression);
        QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 5000);
        QVERIFY2(disconnected.at(0).at(0).toString().contains(u"closed by the client with 4001 \"done\" (clean)"_s),
                 qPrintable(disconnected.at(0).at(0).toString()));
        QCOMPARE(server.counters().messagesEchoed, quint64(6));
    }
};

QTEST_GUILESS_MAIN(tst_InteropEchoServer)
#include "tst_interop_echoserver.moc"
