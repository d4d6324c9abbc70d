// The workbench window driven as a person would -- through widgets found by their accessible
// names -- against the built-in echo server (product code) and, for failures, test servers.
#include "mainwindow.h"

#include <QAbstractItemModel>
#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTimer>

#include "builtinechoserver.h"
#include "api/spkipin.h"
#include "dialogs/pinsmanagerdialog.h"
#include "dialogs/servervalidationprompt.h"
#include "echoserver.h"
#include "testpki.h"
#include "pinstore.h"
#include "models/framelogmodel.h"
#include "models/messagelogmodel.h"
#include "scriptedserver.h"
#include "session.h"
#include "persistence/connectionprofile.h"
#include "widgets/importedsessionview.h"
#include "persistence/workbenchsettings.h"
#include "sessionview.h"
#include "widgetlookup.h"
#include "widgets/controleditor.h"
#include "widgets/handshakeview.h"
#include "widgets/requestheaderseditor.h"

using namespace Wsw;
using namespace Wsw::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

/** The texts of the log's rows as a screen reader reads the Preview column. */
QStringList logRows(QWidget *window)
{
    auto *view = named<QTableView>(window, u"Message log"_s);
    QStringList rows;
    if (!view)
        return rows;
    QAbstractItemModel *model = view->model();
    for (int row = 0; row < model->rowCount(); ++row)
        rows << model->index(row, Ui::MessageLogModel::Preview).data(Qt::AccessibleTextRole).toString();
    return rows;
}

bool logHas(QWidget *window, const QString &text)
{
    for (const QString &row : logRows(window))
        if (row.contains(text))
            return true;
    return false;
}

/** Types into the composer and presses Enter. */
void typeAndSend(QWidget *window, const QString &text)
{
    auto *message = named<QPlainTextEdit>(window, u"Message"_s);
    QVERIFY(message);
    message->setPlainText(text);
    QTest::keyClick(message, Qt::Key_Return);
}

} // namespace

class tst_MainWindow final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dataDir;
    Ui::BuiltInEchoServer m_echo;
    std::unique_ptr<Ui::PinStore> m_pins; // in a temporary folder, never the user's

    /** The prompt the window opened for a certificate that failed validation, once it is there. */
    static Ui::ServerValidationPrompt *waitForPrompt(QWidget *window)
    {
        Ui::ServerValidationPrompt *prompt = nullptr;
        (void)QTest::qWaitFor([&] { return (prompt = window->findChild<Ui::ServerValidationPrompt *>()) != nullptr; }, 15000);
        return prompt;
    }

    static QAction *useBuiltInTls(QWidget *window)
    {
        for (QAction *action : window->findChildren<QAction *>())
            if (action->text().contains(u"wss://"_s) && action->text().startsWith(u"Use"_s))
                return action;
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dataDir.isValid());
        QVERIFY2(m_echo.start(m_dataDir.path()), qPrintable(m_echo.problem()));
        QVERIFY2(m_echo.tlsUrl().isValid(), qPrintable(m_echo.tlsProblem()));
        m_pins = std::make_unique<Ui::PinStore>(m_dataDir.filePath(u"trusted-pins.ini"_s));
    }

    void accessibleNamesAndBuddies()
    {
        Ui::MainWindow window(&m_echo, m_pins.get());
        window.show();
        QVERIFY(named<QComboBox>(&window, u"URL"_s));
        QVERIFY(named<QPushButton>(&window, u"Connect"_s));
        QVERIFY(named<QWidget>(&window, u"Message type"_s));
        QVERIFY(named<QToolButton>(&window, u"Text"_s));
        QVERIFY(named<QToolButton>(&window, u"Binary"_s));
        QVERIFY(named<QPlainTextEdit>(&window, u"Message"_s));
        QVERIFY(named<QPushButton>(&window, u"Send"_s));
        QVERIFY(named<QTableView>(&window, u"Message log"_s));
        // every combo box and line edit has a buddy label (a combo's own line edit is covered by the combo)
        QList<QWidget *> buddies;
        for (QLabel *label : window.findChildren<QLabel *>())
            if (label->buddy())
                buddies << label->buddy();
        for (QComboBox *combo : window.findChildren<QComboBox *>())
            QVERIFY2(buddies.contains(combo), qPrintable(u"combo box without a buddy label: "_s + combo->accessibleName()));
        for (QLineEdit *edit : window.findChildren<QLineEdit *>()) {
            if (qobject_cast<QComboBox *>(edit->parentWidget()) || edit->parentWidget()->inherits("QAbstractSpinBox"))
                continue;
            QVERIFY2(buddies.contains(edit), qPrintable(u"line edit without a buddy label: "_s + edit->accessibleName()));
        }
        // every button has a name
        for (QAbstractButton *button : window.findChildren<QAbstractButton *>()) {
            if (qobject_cast<QLineEdit *>(button->parentWidget()) || !button->isVisibleTo(&window))
                continue; // a line edit's clear button is part of the line edit for a screen reader
            QVERIFY2(!button->accessibleName().isEmpty() || !button->text().isEmpty(),
                     qPrintable(u"a button without a name: "_s + QString::fromLatin1(button->metaObject()->className())
                                + u" in "_s + QString::fromLatin1(button->parentWidget()->metaObject()->className())));
        }
    }

    void connectSendSwitchTypeLiveAndClose()
    {
        Ui::MainWindow window(&m_echo, m_pins.get());
        window.show();
        auto *url = named<QComboBox>(&window, u"URL"_s);
        QCOMPARE(url->currentText(), m_echo.url().toString()); // out of the box: the built-in server
        QAbstractItemModelTester logTester(named<QTableView>(&window, u"Message log"_s)->model(),
                                           QAbstractItemModelTester::FailureReportingMode::Fatal);

        named<QPushButton>(&window, u"Connect"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Open, 10000);
        QVERIFY(named<QPushButton>(&window, u"Disconnect"_s)); // the button reads Disconnect while connected

        typeAndSend(&window, u"héllo"_s);
        QTRY_COMPARE(logRows(&window).filter(u"héllo"_s).size(), 2); // sent and echoed
        QVERIFY(named<QPlainTextEdit>(&window, u"Message"_s)->toPlainText().isEmpty());
        const auto *log = window.session().messageLog();
        QCOMPARE(log->entry(log->rowCount() - 1).type, SocketMessageType::Utf8);

        // the message type switches live: the next message goes out (and echoes) as binary
        named<QToolButton>(&window, u"Binary"_s)->click();
        QCOMPARE(window.session().socket().control().messageType, SocketMessageType::Binary);
        QCOMPARE(window.controlEditor().messageType(), SocketMessageType::Binary);
        typeAndSend(&window, u"01 ff 7e"_s);
        QTRY_VERIFY(log->rowCount() > 0 && log->entry(log->rowCount() - 1).data == QByteArray("\x01\xff\x7e", 3));
        QCOMPARE(log->entry(log->rowCount() - 1).type, SocketMessageType::Binary);
        QCOMPARE(log->entry(log->rowCount() - 1).direction, Ui::LogEntry::Direction::Received);

        // bad hex: an inline error, nothing sent, the text kept for correcting
        const int rowsBefore = log->rowCount();
        typeAndSend(&window, u"zz"_s);
        QVERIFY(window.errorText().contains(u"hex"_s));
        QCOMPARE(named<QPlainTextEdit>(&window, u"Message"_s)->toPlainText(), u"zz"_s);
        QTest::qWait(50);
        QCOMPARE(log->rowCount(), rowsBefore);

        // the frame inspector saw masked frames out and unmasked frames in
        QTRY_VERIFY(window.session().frameLog()->rowCount() >= 4);

        // close with a chosen code
        auto *code = named<QComboBox>(&window, u"Close code"_s);
        code->setCurrentIndex(code->findData(1001));
        named<QLineEdit>(&window, u"Close reason"_s)->setText(u"bye"_s);
        named<QPushButton>(&window, u"Close"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Closed, 10000);
        QTRY_VERIFY(logHas(&window, u"1001"_s) && logHas(&window, u"clean"_s));
        QTRY_COMPARE(named<QLabel>(&window, u"Connection state"_s)->text(), u"Closed · 1001"_s); // the peer's code
        QVERIFY(!named<QPushButton>(&window, u"Send"_s)->isEnabled());
        QCOMPARE(url->itemText(0), m_echo.url().toString()); // remembered in the history
    }

    void twoConnectionsInTabsKeepTheirOwnTraffic()
    {
        Ui::MainWindow window(&m_echo, m_pins.get());
        window.show();
        QCOMPARE(window.viewCount(), 1);
        Ui::SessionView *first = window.currentView();
        first->setCustomName(u"first"_s);
        Ui::SessionView *second = window.duplicateConnection(); // same URL and Control, its own session
        QCOMPARE(window.viewCount(), 2);
        QCOMPARE(window.currentView(), second);
        QCOMPARE(second->urlText(), first->urlText());
        QCOMPARE(second->title(), u"first (copy)"_s);
        QVERIFY(&second->session() != &first->session());

        first->toggleConnection();
        second->toggleConnection();
        QTRY_COMPARE_WITH_TIMEOUT(first->session().state(), ConnectionState::Open, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(second->session().state(), ConnectionState::Open, 10000);
        // each tab's icon follows its own state; the other tab's Disconnect leaves this one open
        typeAndSend(first, u"only in the first tab"_s);
        typeAndSend(second, u"only in the second tab"_s);
        QTRY_COMPARE(logRows(first).filter(u"only in the first tab"_s).size(), 2);
        QTRY_COMPARE(logRows(second).filter(u"only in the second tab"_s).size(), 2);
        QVERIFY(logRows(first).filter(u"second tab"_s).isEmpty());
        QVERIFY(logRows(second).filter(u"first tab"_s).isEmpty());
        QCOMPARE(first->session().socket().information().counters.messagesSent, 1u);
        QCOMPARE(second->session().socket().information().counters.messagesSent, 1u);

        named<QPushButton>(second, u"Disconnect"_s)->click();
        QTRY_VERIFY(!second->session().isActive());
        QCOMPARE(first->session().state(), ConnectionState::Open);
        QCOMPARE(window.urlHistory().value(0), m_echo.url().toString());

        // closing a tab drops its connection; the window always keeps one tab
        window.closeConnection(0);
        QCOMPARE(window.viewCount(), 1);
        QCOMPARE(window.currentView(), second);
        window.closeConnection(0);
        QCOMPARE(window.viewCount(), 1);
        QVERIFY(window.currentView() != second);
        QCOMPARE(window.currentView()->title(), u"127.0.0.1:%1"_s.arg(m_echo.url().port()));
    }

    void tabsControlHeadersAndHistorySurviveARestart()
    {
        const QString ini = m_dataDir.filePath(u"restart-settings.ini"_s);
        {
            Ui::WorkbenchSettings settings(ini);
            Ui::MainWindow window(&m_echo, m_pins.get(), &settings);
            window.show();
            window.currentView()->setCustomName(u"echo"_s);
            named<QPushButton>(&window, u"Connect"_s)->click();
            QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Open, 10000);
            window.currentView()->toggleConnection();
            QTRY_VERIFY(!window.session().isActive());

            Ui::SessionView *second = window.newConnection();
            second->setUrlText(u"ws://127.0.0.1:9/feed"_s);
            MessageWebSocketControl control = *second->controlEditor().control();
            control.maxMessageSize = 4096;
            control.supportedProtocols = {u"chat.v2"_s};
            control.messageType = SocketMessageType::Binary;
            second->controlEditor().setControl(control);
            second->headersEditor().setHeaders({{"X-Team", "blue"}});
            QVERIFY(window.close()); // closeEvent keeps everything
        }
        Ui::WorkbenchSettings settings(ini);
        Ui::MainWindow window(&m_echo, m_pins.get(), &settings);
        window.show();
        QCOMPARE(window.viewCount(), 2);
        QCOMPARE(window.currentView(), window.view(1)); // the tab that was current
        QCOMPARE(window.view(0)->title(), u"echo"_s);
        QCOMPARE(window.view(0)->urlText(), m_echo.url().toString());
        Ui::SessionView *second = window.view(1);
        QCOMPARE(second->urlText(), u"ws://127.0.0.1:9/feed"_s);
        QCOMPARE(second->title(), u"127.0.0.1:9/feed"_s);
        const MessageWebSocketControl control = *second->controlEditor().control();
        QCOMPARE(control.maxMessageSize, 4096u);
        QCOMPARE(control.supportedProtocols, QStringList{u"chat.v2"_s});
        QCOMPARE(control.messageType, SocketMessageType::Binary);
        QCOMPARE(second->session().messageType(), SocketMessageType::Binary);
        const Codec::HeaderList headers = *second->headersEditor().headers();
        QCOMPARE(headers.size(), 1);
        QCOMPARE(headers.first().first, QByteArray("X-Team"));
        QCOMPARE(window.urlHistory().value(0), m_echo.url().toString());
        QCOMPARE(named<QComboBox>(second, u"URL"_s)->findText(m_echo.url().toString()), 0); // the shared history
    }

    void exportedLogImportsIntoAReadOnlyTabByteForByte()
    {
        Ui::MainWindow window(&m_echo, m_pins.get());
        window.show();
        named<QPushButton>(&window, u"Connect"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Open, 10000);
        QByteArray everyByte;
        for (int b = 0; b < 256; ++b)
            everyByte.append(char(b));
        QVERIFY(window.session().sendAs(SocketMessageType::Binary, everyByte));
        QVERIFY(window.session().sendAs(SocketMessageType::Utf8, u"grüße"_s.toUtf8()));
        const auto *log = window.session().messageLog();
        QTRY_VERIFY(logRows(&window).filter(u"grüße"_s).size() == 2);

        for (const QString &name : {u"session.jsonl"_s, u"session.har"_s}) {
            const QString path = m_dataDir.filePath(name);
            QString error;
            QVERIFY2(window.exportLog(path, &error), qPrintable(error));
            const int tabs = window.viewCount();
            QVERIFY2(window.importLog(path, &error), qPrintable(error));
            QCOMPARE(window.viewCount(), tabs + 1);
            QVERIFY(!window.currentView()); // the imported tab is no connection
            auto *imported = qobject_cast<Ui::ImportedSessionView *>(window.findChildren<Ui::ImportedSessionView *>().last());
            QVERIFY(imported);
            QVERIFY(!named<QPushButton>(imported, u"Connect"_s));
            QList<QByteArray> original;
            QList<QByteArray> back;
            for (int row = 0; row < log->rowCount(); ++row)
                if (log->entry(row).direction != Ui::LogEntry::Direction::None)
                    original << log->entry(row).data;
            for (int row = 0; row < imported->messageLog()->rowCount(); ++row)
                if (imported->messageLog()->entry(row).direction != Ui::LogEntry::Direction::None)
                    back << imported->messageLog()->entry(row).data;
            QCOMPARE(back, original);
            QVERIFY(back.contains(everyByte));
            window.closeConnection(window.viewCount() - 1); // the imported tab goes; the connection stays
            QCOMPARE(window.session().state(), ConnectionState::Open);
        }
        QString error;
        QVERIFY(!window.importLog(m_dataDir.filePath(u"missing.jsonl"_s), &error));
        QVERIFY2(!error.isEmpty(), "an import that fails says why");
    }

    void profileFileOpensInATab()
    {
        Ui::ConnectionProfile profile;
        profile.name = u"staging"_s;
        profile.url = u"wss://staging.example:8443/socket"_s;
        profile.control.maxMessageSize = 1 << 20;
        profile.headers = {{"X-Api-Version", "3"}};
        profile.savedMessages = {{u"hello"_s, SocketMessageType::Utf8, "hello"}};
        const QString path = m_dataDir.filePath(u"staging.wswprofile.json"_s);
        QString error;
        QVERIFY2(Ui::ProfileFile::save(path, profile, {}, &error), qPrintable(error));

        Ui::MainWindow window(&m_echo, m_pins.get());
        window.show();
        QVERIFY(window.openProfile(path));
        QCOMPARE(window.viewCount(), 1); // the untouched first tab takes it
        Ui::SessionView *tab = window.currentView();
        QCOMPARE(tab->title(), u"staging"_s);
        QCOMPARE(tab->urlText(), profile.url);
        QCOMPARE(tab->controlEditor().control()->maxMessageSize, 1u << 20);
        QCOMPARE(tab->profile().savedMessages, profile.savedMessages);
        QVERIFY(window.openProfile(path)); // again: a second tab, the first one is named now
        QCOMPARE(window.viewCount(), 2);
        QVERIFY(!window.openProfile(m_dataDir.filePath(u"nothing-here.json"_s)));
        QVERIFY2(!window.errorText().isEmpty(), "the reason shows inline");
    }

    void controlLocksWhileConnectedExceptMessageType()
    {
        Ui::MainWindow window(&m_echo, m_pins.get());
        window.show();
        auto *maxSize = named<QWidget>(&window.controlEditor(), u"Max message size"_s);
        QVERIFY(maxSize);
        QVERIFY(maxSize->isEnabled());
        QVERIFY(!window.controlEditor().isLocked());
        named<QPushButton>(&window, u"Connect"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Open, 10000);
        QVERIFY(window.controlEditor().isLocked());
        QVERIFY(!named<QComboBox>(&window, u"URL"_s)->isEnabled());
        // the message type stays switchable from the Control editor too, and the switch follows
        window.controlEditor().setMessageType(SocketMessageType::Binary);
        named<QPushButton>(&window, u"Disconnect"_s)->click();
        QTRY_VERIFY(!window.session().isActive());
        QVERIFY(!window.controlEditor().isLocked());
        QVERIFY(maxSize->isEnabled());
    }

    void wssPromptRejectsThenAcceptsOnce()
    {
        Ui::MainWindow window(&m_echo, m_pins.get());
        window.show();
        useBuiltInTls(&window)->trigger();
        QCOMPARE(named<QComboBox>(&window, u"URL"_s)->currentText(), m_echo.tlsUrl().toString());

        // Reject: the connection fails with the validation rejected, nothing was sent
        named<QPushButton>(&window, u"Connect"_s)->click();
        Ui::ServerValidationPrompt *prompt = waitForPrompt(&window);
        QVERIFY(prompt);
        QCOMPARE(window.session().state(), ConnectionState::AwaitingServerValidation);
        QVERIFY(prompt->timeLeftText().contains(u"10 s"_s)); // Timeouts.validation's default, counting down
        named<QPushButton>(prompt, u"Reject"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Failed, 10000);
        QVERIFY2(window.errorText().contains(u"ServerValidationRejected"_s), qPrintable(window.errorText()));
        QVERIFY(named<QPushButton>(&window, u"Show certificate"_s)->isVisible()); // the chain is kept after a failure
        QTRY_VERIFY(!window.findChild<Ui::ServerValidationPrompt *>());

        // Accept once: open, said plainly, and nothing is remembered
        QTRY_VERIFY(named<QPushButton>(&window, u"Connect"_s));
        named<QPushButton>(&window, u"Connect"_s)->click();
        prompt = waitForPrompt(&window);
        QVERIFY(prompt);
        named<QPushButton>(prompt, u"Accept once"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Open, 10000);
        QTRY_VERIFY(named<QLabel>(&window, u"Trust note"_s)->text().contains(u"accepted"_s));
        QVERIFY(m_pins->pinsFor(Ui::PinStore::hostKey(m_echo.tlsUrl())).isEmpty());
        typeAndSend(&window, u"over TLS"_s);
        QTRY_COMPARE(logRows(&window).filter(u"over TLS"_s).size(), 2);
        named<QPushButton>(&window, u"Close"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Closed, 10000);
    }

    void wssPromptTimesOutAndFailsClosed()
    {
        Ui::MainWindow window(&m_echo, m_pins.get());
        window.show();
        useBuiltInTls(&window)->trigger();
        MessageWebSocketControl control = *window.controlEditor().control();
        control.timeouts.validation = std::chrono::milliseconds(1200);
        window.controlEditor().setControl(control);
        named<QPushButton>(&window, u"Connect"_s)->click();
        QVERIFY(waitForPrompt(&window));
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Failed, 10000);
        QVERIFY2(window.errorText().contains(u"ServerValidationTimeout"_s), qPrintable(window.errorText()));
        QTRY_VERIFY(!window.findChild<Ui::ServerValidationPrompt *>()); // the prompt went with the question
    }

    void trustThisCertificatePersistsAcrossARestart()
    {
        const QString pinsFile = m_dataDir.filePath(u"restart-pins.ini"_s);
        const QString hostKey = Ui::PinStore::hostKey(m_echo.tlsUrl());
        {
            Ui::PinStore pins(pinsFile);
            Ui::MainWindow window(&m_echo, &pins);
            window.show();
            useBuiltInTls(&window)->trigger();
            named<QPushButton>(&window, u"Connect"_s)->click();
            Ui::ServerValidationPrompt *prompt = waitForPrompt(&window);
            QVERIFY(prompt);
            named<QPushButton>(prompt, u"Trust this certificate for this host"_s)->click();
            QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Open, 10000);
            QCOMPARE(pins.pinsFor(hostKey), QStringList{m_echo.certificatePin()});
            named<QPushButton>(&window, u"Close"_s)->click();
            QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Closed, 10000);
        }
        // a new window and store on the same file: no prompt, trusted because of the pin, said so
        Ui::PinStore pins(pinsFile);
        QCOMPARE(pins.pinsFor(hostKey), QStringList{m_echo.certificatePin()});
        Ui::MainWindow window(&m_echo, &pins);
        window.show();
        useBuiltInTls(&window)->trigger();
        named<QPushButton>(&window, u"Connect"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Open, 10000);
        QVERIFY(!window.findChild<Ui::ServerValidationPrompt *>());
        QTRY_VERIFY(named<QLabel>(&window, u"Trust note"_s)->text().contains(u"pinned"_s));
        QTRY_VERIFY(logHas(&window, u"pinned key"_s));
        named<QPushButton>(&window, u"Close"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Closed, 10000);

        // the pins manager removes it: the next connection asks again
        QVERIFY(pins.remove(hostKey, m_echo.certificatePin()));
        QVERIFY(Ui::PinStore(pinsFile).pinsFor(hostKey).isEmpty());
    }

    void promptAgainstTheTlsTestServerClosingRejectsTrustLasts()
    {
        // the test suite's own TLS echo server with the test PKI's self-signed certificate
        EchoServer server;
        server.setTlsConfiguration(TestPki::serverConfiguration(u"self-signed"_s, false));
        QVERIFY(server.listen());
        const QUrl url = server.url(u"/"_s, u"localhost"_s);
        const QString hostKey = Ui::PinStore::hostKey(url);
        Ui::PinStore pins(m_dataDir.filePath(u"tls-server-pins.ini"_s));
        Ui::MainWindow window(nullptr, &pins);
        window.show();

        // closing the prompt (Esc / the window's close button) rejects
        window.connectTo(url);
        Ui::ServerValidationPrompt *prompt = waitForPrompt(&window);
        QVERIFY(prompt);
        QVERIFY(prompt->findChild<QLabel *>()->text().contains(u"localhost"_s));
        prompt->close();
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Failed, 10000);
        QVERIFY2(window.errorText().contains(u"ServerValidationRejected"_s), qPrintable(window.errorText()));
        QCOMPARE(server.upgradeCount(), 0); // nothing of the upgrade request went out
        QTRY_VERIFY(!window.session().isActive()); // the end's last signals are out: Connect works again

        // trust: open now, and the next connection passes on the kept pin without asking
        window.connectTo(url);
        prompt = waitForPrompt(&window);
        QVERIFY(prompt);
        named<QPushButton>(prompt, u"Trust this certificate for this host"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Open, 10000);
        QCOMPARE(pins.pinsFor(hostKey), QStringList{SpkiPin::of(TestPki::certificate(u"self-signed.pem"_s))});
        named<QPushButton>(&window, u"Disconnect"_s)->click();
        QTRY_VERIFY(!window.session().isActive());
        window.connectTo(url);
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Open, 10000);
        QVERIFY(!window.findChild<Ui::ServerValidationPrompt *>());
        QCOMPARE(window.session().socket().information().tls.matchedPin, pins.pinsFor(hostKey).value(0));
        named<QPushButton>(&window, u"Disconnect"_s)->click();
        QTRY_VERIFY(!window.session().isActive());

        // the Trusted certificates dialog lists it and removes it
        for (QAction *action : window.findChildren<QAction *>())
            if (action->text().startsWith(u"Trusted certificates"_s))
                action->trigger();
        auto *manager = window.findChild<Ui::PinsManagerDialog *>();
        QVERIFY(manager);
        auto *table = named<QTableWidget>(manager, u"Trusted pins"_s);
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->item(0, 0)->text(), hostKey);
        table->selectRow(0);
        named<QPushButton>(manager, u"Remove"_s)->click();
        QCOMPARE(table->rowCount(), 0);
        QVERIFY(pins.pinsFor(hostKey).isEmpty());
        manager->close();
    }

    void filtersByDirectionTypeAndText()
    {
        Ui::MainWindow window(&m_echo, m_pins.get());
        window.show();
        named<QPushButton>(&window, u"Connect"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Open, 10000);
        typeAndSend(&window, u"alpha"_s);
        typeAndSend(&window, u"beta"_s);
        QTRY_COMPARE(logRows(&window).filter(u"beta"_s).size(), 2);
        named<QLineEdit>(&window, u"Filter"_s)->setText(u"ALPHA"_s);
        QTRY_COMPARE(logRows(&window).size(), 2); // case-insensitive, both directions
        named<QCheckBox>(&window, u"Show sent"_s)->setChecked(false);
        QCOMPARE(logRows(&window).size(), 1);
        named<QCheckBox>(&window, u"Regular expression"_s)->setChecked(true);
        named<QLineEdit>(&window, u"Filter"_s)->setText(u"(unclosed"_s);
        QVERIFY(!named<QLineEdit>(&window, u"Filter"_s)->toolTip().isEmpty()); // the regex error, inline
        named<QLineEdit>(&window, u"Filter"_s)->setText(u"^b.t"_s);
        QCOMPARE(logRows(&window), QStringList{u"beta"_s});
    }

    void refusedConnectionShowsTheErrorInline()
    {
        quint16 port = 0;
        {
            QTcpServer gone;
            QVERIFY(gone.listen(QHostAddress::LocalHost));
            port = gone.serverPort();
        }
        Ui::MainWindow window(&m_echo, m_pins.get());
        window.show();
        window.connectTo(QUrl(u"ws://127.0.0.1:%1/"_s.arg(port)));
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Failed, 10000);
        QVERIFY2(window.errorText().contains(u"refused"_s, Qt::CaseInsensitive), qPrintable(window.errorText()));
        QTRY_VERIFY(logHas(&window, u"refused"_s));
    }

    void refusedUpgradeShowsStatusBodyAndRedactedTranscript()
    {
        ScriptedServer server;
        QVERIFY(server.listen());
        server.waitForRequest().send("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 14\r\n\r\n"
                                     "token rejected").closeTcp();
        Ui::MainWindow window(&m_echo, m_pins.get());
        window.show();
        auto *headers = window.findChild<Ui::RequestHeadersEditor *>();
        QVERIFY(headers);
        headers->setHeaders({{"Authorization", "Bearer s3cret-token"}});
        window.connectTo(server.url());
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Failed, 10000);
        QVERIFY2(window.errorText().contains(u"403"_s), qPrintable(window.errorText()));
        QVERIFY(window.errorText().contains(u"token rejected"_s));
        QVERIFY(server.request().header("Authorization") == "Bearer s3cret-token"); // it went out
        auto *transcript = window.findChild<Ui::HandshakeView *>();
        QTRY_VERIFY(transcript->text().contains(u"403 Forbidden"_s));
        QVERIFY(transcript->text().contains(u"Authorization: ‹redacted›"_s));
        QVERIFY(!transcript->text().contains(u"s3cret"_s));
    }

    void burstOf100000MessagesStaysResponsive()
    {
        Ui::MainWindow window(&m_echo, m_pins.get());
        window.show();
        named<QCheckBox>(&window, u"Regular expression"_s)->setChecked(true);
        named<QLineEdit>(&window, u"Filter"_s)->setText(u"^[0-9]*7[0-9]*$"_s); // filtering on during the burst
        named<QPushButton>(&window, u"Connect"_s)->click();
        QTRY_COMPARE_WITH_TIMEOUT(window.session().state(), ConnectionState::Open, 10000);
        constexpr int Count = 100000;
        MessageWebSocket &socket = window.session().socket();
        for (int i = 0; i < Count; ++i) // straight to the engine: the echoes are the burst under test
            QVERIFY(socket.sendTextMessage(QString::number(i)));

        QElapsedTimer clock;
        clock.start();
        qint64 last = 0;
        qint64 longestStall = 0;
        QTimer tick;
        tick.setInterval(1);
        connect(&tick, &QTimer::timeout, this, [&] {
            const qint64 now = clock.elapsed();
            longestStall = std::max(longestStall, now - last);
            last = now;
        });
        tick.start();
        const auto *log = window.session().messageLog();
        QTRY_VERIFY_WITH_TIMEOUT(log->rowCount() + int(log->discardedCount()) >= Count + 2, 60000);
        const qint64 elapsed = clock.elapsed();
        tick.stop();
        qInfo("burst: %d echoed messages into the window's log in %lld ms (%.0f messages/s), longest event-loop "
              "stall %lld ms", Count, elapsed, Count * 1000.0 / std::max<qint64>(elapsed, 1), longestStall);
        // correctness, not timing (timing is the benchmark's business): every message arrived, in order
        QCOMPARE(log->entry(log->rowCount() - 1).data, QByteArray::number(Count - 1));
        auto *view = named<QTableView>(&window, u"Message log"_s);
        int matching = 0;
        for (int i = 0; i < Count; ++i)
            matching += QByteArray::number(i).contains('7') ? 1 : 0;
        QCOMPARE(view->model()->rowCount(), std::min(matching, int(log->rowCount())));
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
