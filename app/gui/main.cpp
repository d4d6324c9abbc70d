#include <QApplication>
#include <QCommandLineParser>

#include "mainwindow.h"

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("WebSocket Workbench"));
    QApplication::setOrganizationName(QStringLiteral("WebSocket Workbench"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A workbench for testing WebSocket servers."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("url"), QStringLiteral("Connects to this ws:// URL at start."), QStringLiteral("URL")});
    parser.process(app);

    Wsw::Ui::MainWindow window;
    window.show();
    if (parser.isSet(QStringLiteral("url")))
        window.connectTo(QUrl(parser.value(QStringLiteral("url"))));
    return QApplication::exec();
}
