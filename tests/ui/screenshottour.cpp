// Drives the workbench to realistic states against its built-in echo server and saves a
// screenshot of each: `wsw_screenshot_tour <directory>`. Run by scripts/screenshots.sh under Xvfb
// (real X11 rendering) for the README, and by CTest offscreen so the tour itself cannot rot.
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeWidget>

#include "builtinechoserver.h"
#include "dialogs/certificatedialog.h"
#include "dialogs/pinsmanagerdialog.h"
#include "dialogs/servervalidationprompt.h"
#include "pinstore.h"
#include "mainwindow.h"
#include "models/messagelogmodel.h"
#include "session.h"
#include "widgetlookup.h"
#include "widgets/composer.h"
#include "widgets/controleditor.h"
#include "dialogs/saveprofiledialog.h"
#include "sessionview.h"
#include "widgets/savedmessagespanel.h"
#include "widgets/statisticsview.h"
#include "statistics/autopinger.h"
#include <QTimer>
#include <QSplitter>

using namespace Qt::Literals::StringLiterals;
using namespace Wsw;
using Wsw::Test::named;

namespace {

/** Runs the event loop until done() or the bound; false on timeout. */
bool waitFor(const std::function<bool()> &done, int boundMs = 15000)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > boundMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

void settle(int ms = 300)
{
    waitFor([] { return false; }, ms);
}

bool save(QWidget *window, const QString &directory, const QString &name)
{
    settle();
    const QString path = QDir(directory).filePath(name + u".png"_s);
    if (!window->grab().save(path)) {
        qCritical("could not write %s", qPrintable(path));
        return false;
    }
    qInfo("saved %s", qPrintable(path));
    return true;
}

void send(Ui::MainWindow &window, Ui::Composer::InputFormat format, const QString &text)
{
    auto *composer = window.findChild<Ui::Composer *>();
    composer->setInputFormat(format);
    composer->setMessageText(text);
    named<QPushButton>(&window, u"Send"_s)->click();
}

void selectInspector(QWidget &window, const QString &tab)
{
    auto *tabs = named<QTabWidget>(&window, u"Inspectors"_s);
    for (int i = 0; i < tabs->count(); ++i)
        if (tabs->tabText(i) == tab)
            tabs->setCurrentIndex(i);
}

bool connectAndWait(Ui::MainWindow &window, ConnectionState expected)
{
    named<QPushButton>(&window, u"Connect"_s)->click();
    return waitFor([&] { return window.session().state() == expected; });
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"WebSocket Workbench"_s);
    if (argc != 2) {
        qCritical("usage: wsw_screenshot_tour <directory for the PNG files>");
        return 2;
    }
    const QString directory = QString::fromLocal8Bit(argv[1]);
    QDir().mkpath(directory);
    QTemporaryDir identity; // a fresh self-signed identity, as on a first run
    Ui::BuiltInEchoServer echo;
    if (!echo.start(identity.path()) || !echo.tlsUrl().isValid()) {
        qCritical("built-in echo server: %s %s", qPrintable(echo.problem()), qPrintable(echo.tlsProblem()));
        return 1;
    }

    Ui::PinStore pins(identity.filePath(u"trusted-pins.ini"_s)); // never the user's pins
    bool ok = true;
    {
        // 1. connected with traffic: text, JSON and binary, a JSON message selected
        Ui::MainWindow window(&echo, &pins);
        window.resize(1400, 900);
        window.show();
        ok &= connectAndWait(window, ConnectionState::Open);
        send(window, Ui::Composer::InputFormat::Text, u"Hello, echo server!"_s);
        send(window, Ui::Composer::InputFormat::Json, uR"({"type":"subscribe","channel":"prices","symbols":["BTC","ETH"],"depth":10})"_s);
        named<QToolButton>(&window, u"Binary"_s)->click();
        send(window, Ui::Composer::InputFormat::Hex, u"00 01 02 03 de ad be ef 7f 80 ff"_s);
        named<QToolButton>(&window, u"Text"_s)->click();
        send(window, Ui::Composer::InputFormat::Text, u"Grüße — ünïcödé ✓"_s);
        named<QLineEdit>(&window, u"Ping payload"_s)->setText(u"are you there?"_s);
        named<QPushButton>(&window, u"Ping"_s)->click();
        ok &= waitFor([&] { return window.session().messageLog()->rowCount() >= 12; });
        auto *log = named<QTableView>(&window, u"Message log"_s);
        for (int row = 0; row < log->model()->rowCount(); ++row)
            if (log->model()->index(row, Ui::MessageLogModel::Preview).data().toString().contains(u"subscribe"_s)
                && log->model()->index(row, Ui::MessageLogModel::Direction).data(Qt::ToolTipRole).toString().contains(u"eceived"_s))
                log->selectRow(row);
        selectInspector(window, u"Message"_s);
        ok &= save(&window, directory, u"connected-traffic"_s);

        // 2. the frame inspector with a frame selected
        selectInspector(window, u"Frames"_s);
        auto *frames = named<QTableView>(&window, u"Frames"_s);
        frames->selectRow(std::max(0, frames->model()->rowCount() - 4));
        ok &= save(&window, directory, u"frame-inspector"_s);

        // 3. the handshake transcript and the information panel
        selectInspector(window, u"Handshake"_s);
        ok &= save(&window, directory, u"handshake"_s);
        named<QPushButton>(&window, u"Close"_s)->click();
        ok &= waitFor([&] { return !window.session().isActive(); });
    }
    {
        // 4. wss:// to the built-in server the first time: the prompt, then "Trust this certificate
        //    for this host"; the Information panel's TLS part and the certificate dialog
        Ui::MainWindow window(&echo, &pins);
        window.resize(1400, 900);
        window.show();
        for (QAction *action : window.findChildren<QAction *>())
            if (action->text().contains(u"wss://"_s) && action->text().startsWith(u"Use"_s))
                action->trigger();
        named<QPushButton>(&window, u"Connect"_s)->click();
        Ui::ServerValidationPrompt *prompt = nullptr;
        ok &= waitFor([&] { return (prompt = window.findChild<Ui::ServerValidationPrompt *>()) != nullptr; });
        if (prompt) {
            settle();
            ok &= save(prompt, directory, u"validation-prompt"_s);
            named<QPushButton>(prompt, u"Trust this certificate for this host"_s)->click();
        }
        ok &= waitFor([&] { return window.session().state() == ConnectionState::Open; });
        send(window, Ui::Composer::InputFormat::Text, u"over TLS"_s);
        ok &= waitFor([&] { return window.session().socket().information().counters.messagesReceived == 1; });
        selectInspector(window, u"Information"_s);
        settle(1100); // the panel refreshes every second
        window.findChild<QTreeWidget *>()->scrollToBottom();
        ok &= save(&window, directory, u"information-tls"_s);
        named<QPushButton>(&window, u"Show certificate"_s)->click();
        Ui::CertificateDialog *dialog = nullptr;
        ok &= waitFor([&] { return (dialog = window.findChild<Ui::CertificateDialog *>()) != nullptr; });
        if (dialog) {
            ok &= save(dialog, directory, u"certificate-dialog"_s);
            dialog->close();
        }
        named<QPushButton>(&window, u"Close"_s)->click();
        ok &= waitFor([&] { return !window.session().isActive(); });
        for (QAction *action : window.findChildren<QAction *>())
            if (action->text().startsWith(u"Trusted certificates"_s))
                action->trigger();
        if (auto *manager = window.findChild<Ui::PinsManagerDialog *>()) {
            ok &= save(manager, directory, u"trusted-certificates"_s);
            manager->close();
        } else {
            ok = false;
        }
    }
    {
        // 5. a failed connection: wss:// to the self-signed server with asking turned off
        Ui::PinStore noPins(identity.filePath(u"no-pins.ini"_s));
        Ui::MainWindow window(&echo, &noPins);
        window.resize(1400, 900);
        window.show();
        MessageWebSocketControl control = *window.controlEditor().control();
        control.allowCustomValidationOverride = false;
        window.controlEditor().setControl(control);
        window.findChild<QComboBox *>()->setEditText(echo.tlsUrl().toString());
        ok &= connectAndWait(window, ConnectionState::Failed);
        selectInspector(window, u"Information"_s);
        window.findChild<QTreeWidget *>()->scrollToBottom();
        ok &= save(&window, directory, u"failed-connection"_s);
    }
    {
        // 6. the Control editor, with a few settings changed, scrolled to TLS
        Ui::MainWindow window(&echo, &pins);
        window.resize(1400, 900);
        window.show();
        MessageWebSocketControl control = *window.controlEditor().control();
        control.maxMessageSize = 16 * 1024 * 1024;
        control.outboundFrameSizeInBytes = 4096;
        control.supportedProtocols = {u"chat.v2"_s, u"chat.v1"_s};
        control.ignorableServerCertificateErrors = {ChainValidationResult::Expired};
        window.controlEditor().setControl(control);
        ok &= save(&window, directory, u"control-editor"_s);
    }
    {
        // 7. daily use: two tabs with traffic, the statistics after a while of it (60 s for the
        //    README, WSW_TOUR_TRAFFIC_SECONDS; a few seconds as a test), saved messages repeating,
        //    and the Save connection profile dialog
        const int trafficSeconds = qEnvironmentVariableIsSet("WSW_TOUR_TRAFFIC_SECONDS")
                                           ? qEnvironmentVariableIntValue("WSW_TOUR_TRAFFIC_SECONDS")
                                           : 4;
        Ui::MainWindow window(&echo, &pins);
        window.resize(1400, 900);
        window.show();
        Ui::SessionView *prices = window.currentView();
        prices->setCustomName(u"prices feed"_s);
        Ui::SessionView *chat = window.duplicateConnection();
        chat->setCustomName(u"chat"_s);
        prices->toggleConnection();
        chat->toggleConnection();
        ok &= waitFor([&] { return prices->session().state() == ConnectionState::Open && chat->session().state() == ConnectionState::Open; });
        auto *pricesStats = prices->findChild<Ui::StatisticsView *>();
        pricesStats->pinger()->setInterval(std::chrono::milliseconds(1000));
        pricesStats->pinger()->setEnabled(true);
        pricesStats->setTimeWindow(std::chrono::seconds(60));

        // varied traffic: ticks of a few JSON quotes, now and then a burst and a binary snapshot
        int tick = 0;
        QTimer traffic;
        QObject::connect(&traffic, &QTimer::timeout, [&] {
            ++tick;
            const int quotes = 3 + (tick * 7) % 11 + ((tick / 40) % 3 == 1 ? 25 : 0);
            for (int i = 0; i < quotes; ++i)
                prices->session().sendAs(SocketMessageType::Utf8,
                                         u"{\"symbol\":\"%1\",\"bid\":%2,\"ask\":%3,\"seq\":%4}"_s
                                                 .arg(i % 2 ? u"ETH"_s : u"BTC"_s)
                                                 .arg(42000 + (tick * 13 + i * 7) % 500)
                                                 .arg(42001 + (tick * 13 + i * 7) % 500)
                                                 .arg(tick * 100 + i)
                                                 .toUtf8());
            if (tick % 15 == 0)
                prices->session().sendAs(SocketMessageType::Binary, QByteArray(64 * 1024 + (tick % 7) * 8192, char(tick)));
            if (tick % 9 == 0)
                chat->session().sendAs(SocketMessageType::Utf8, u"message %1 from the chat tab"_s.arg(tick).toUtf8());
        });
        traffic.start(100);
        settle(trafficSeconds * 1000);
        traffic.stop();
        settle(1200); // the last samples
        named<QTabWidget>(&window, u"Connections"_s)->setCurrentWidget(prices);
        selectInspector(*prices, u"Statistics"_s);
        for (QSplitter *splitter : prices->findChildren<QSplitter *>())
            if (splitter->orientation() == Qt::Vertical)
                splitter->setSizes({200, 560}); // as a person would drag it to watch the charts
        ok &= save(&window, directory, u"statistics"_s);
        for (QSplitter *splitter : prices->findChildren<QSplitter *>())
            if (splitter->orientation() == Qt::Vertical)
                splitter->setSizes({480, 320});
        selectInspector(*prices, u"Message"_s);
        if (auto *pricesLog = named<QTableView>(prices, u"Message log"_s)) {
            pricesLog->selectRow(pricesLog->model()->rowCount() - 2);
            pricesLog->scrollToBottom();
        }
        ok &= save(&window, directory, u"two-tabs"_s);

        Ui::SavedMessagesPanel &saved = chat->savedMessages();
        saved.addMessage({u"subscribe prices"_s, SocketMessageType::Utf8, R"({"op":"subscribe","channel":"prices"})"});
        saved.addMessage({u"heartbeat"_s, SocketMessageType::Utf8, R"({"op":"ping"})"});
        saved.addMessage({u"binary snapshot request"_s, SocketMessageType::Binary, QByteArray::fromHex("0a0b0c0d01020304")});
        saved.setCurrentRow(1);
        named<QTabWidget>(chat, u"Connection settings"_s)->setCurrentWidget(&saved);
        named<QTabWidget>(&window, u"Connections"_s)->setCurrentWidget(chat);
        saved.startRepeat();
        settle(1500);
        ok &= save(&window, directory, u"saved-messages"_s);
        saved.stopRepeat();

        Ui::SaveProfileDialog profileDialog(chat->profile(), identity.path(), &window);
        profileDialog.show();
        ok &= save(&profileDialog, directory, u"save-profile"_s);
        profileDialog.close();
    }
    return ok ? 0 : 1;
}
