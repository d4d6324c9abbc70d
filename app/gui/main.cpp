#include <QApplication>
#include <QCommandLineParser>

#include "builtinechoserver.h"
#include "mainwindow.h"
#include "persistence/workbenchsettings.h"

using namespace Qt::Literals::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"wsworkbench"_s); // folders: ~/.local/share/WebSocket Workbench/wsworkbench
    QApplication::setApplicationDisplayName(u"WebSocket Workbench"_s);
    QApplication::setOrganizationName(u"WebSocket Workbench"_s);
    QApplication::setWindowIcon(QIcon(u":/icons/wsworkbench.svg"_s));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"A workbench for testing WebSocket servers. It starts its own echo server "
                                     "on 127.0.0.1 (ws:// and wss://) so there is always something to connect to."_s);
    parser.addHelpOption();
    const QCommandLineOption urlOption(u"url"_s, u"Connects to this ws:// or wss:// URL at start."_s, u"URL"_s);
    const QCommandLineOption noServerOption(u"no-echo-server"_s, u"Does not start the built-in echo server."_s);
    parser.addOptions({urlOption, noServerOption});
    parser.process(app);

    Wsw::Ui::BuiltInEchoServer echoServer;
    if (!parser.isSet(noServerOption))
        echoServer.start();
    Wsw::Ui::WorkbenchSettings settings; // tabs, URL history and layout from the last run
    Wsw::Ui::MainWindow window(parser.isSet(noServerOption) ? nullptr : &echoServer, nullptr, &settings);
    window.show();
    if (parser.isSet(urlOption))
        window.connectTo(QUrl(parser.value(urlOption)));
    return QApplication::exec();
}
