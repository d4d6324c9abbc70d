// The first workbench window, driven as a person would, against the in-process echo server.
#include "mainwindow.h"

#include <QLineEdit>
#include <QPushButton>
#include <QTest>
#include <QToolButton>

#include "echoserver.h"

using namespace Wsw;
using namespace Wsw::Test;
using namespace Qt::Literals::StringLiterals;

class tst_MainWindow final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connectSendSwitchTypeAndClose()
    {
        EchoServer server;
        QVERIFY(server.listen());
        Ui::MainWindow window;
        window.show();
        auto *composer = window.findChild<QLineEdit *>(QString(), Qt::FindChildrenRecursively);
        QVERIFY(composer);

        window.connectTo(server.url());
        QTRY_COMPARE_WITH_TIMEOUT(window.socket().state(), ConnectionState::Open, 10000);
        QTRY_VERIFY(window.logText().contains(u"connected to"));

        const auto edits = window.findChildren<QLineEdit *>();
        QLineEdit *message = edits.last(); // URL first, composer last
        QVERIFY(message->isEnabled());
        message->setText(u"héllo"_s);
        QTest::keyClick(message, Qt::Key_Return);
        QTRY_VERIFY(window.logText().contains(u"< text, 6 bytes: héllo"));
        QCOMPARE(server.clientFrames().last().opcode, quint8(0x1));

        // MessageType switches live: the next message goes out as binary
        QToolButton *binary = nullptr;
        for (QToolButton *b : window.findChildren<QToolButton *>())
            if (b->text() == u"Binary")
                binary = b;
        QVERIFY(binary);
        binary->click();
        message->setText(u"01 ff 7e"_s);
        QTest::keyClick(message, Qt::Key_Return);
        QTRY_VERIFY(window.logText().contains(u"< binary, 3 bytes: 01 ff 7e"));
        QCOMPARE(server.clientFrames().last().opcode, quint8(0x2));

        // bad hex: an inline error, nothing sent
        const qsizetype framesBefore = server.clientFrames().size();
        message->setText(u"zz"_s);
        QTest::keyClick(message, Qt::Key_Return);
        QCOMPARE(server.clientFrames().size(), framesBefore);
        QCOMPARE(message->text(), u"zz"_s); // kept for correcting: nothing is lost

        QPushButton *closeButton = nullptr;
        for (QPushButton *b : window.findChildren<QPushButton *>())
            if (b->text() == u"Close (1000)")
                closeButton = b;
        QVERIFY(closeButton && closeButton->isEnabled());
        closeButton->click();
        QTRY_COMPARE_WITH_TIMEOUT(window.socket().state(), ConnectionState::Closed, 10000);
        QTRY_VERIFY(window.logText().contains(u"closed: code 1000, clean"));
        QVERIFY(!message->isEnabled()); // derived from the state
        QVERIFY(!closeButton->isEnabled());
    }

    void refusedConnectionShowsTheError()
    {
        quint16 port = 0;
        {
            EchoServer gone;
            QVERIFY(gone.listen());
            port = gone.port();
        }
        Ui::MainWindow window;
        window.connectTo(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)));
        QTRY_COMPARE_WITH_TIMEOUT(window.socket().state(), ConnectionState::Failed, 10000);
        QVERIFY(window.logText().contains(u"refused"));
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
