#include <QApplication>
#include <QCommandLineParser>

#include "mainwindow.h"

using namespace Qt::Literals::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"WebSocket Workbench"_s);
    QApplication::setOrganizationName(u"WebSocket Workbench"_s);
    QApplication::setWindowIcon(QIcon(u":/icons/wsworkbench.svg"_s));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"A workbench for testing WebSocket servers."_s);
    parser.addHelpOption();
    const QCommandLineOption urlOption(u"url"_s, u"Connects to this ws:// URL at start."_s, u"URL"_s);
    parser.addOption(urlOption);
    parser.process(app);

    Wsw::Ui::MainWindow window;
    window.show();
    if (parser.isSet(urlOption))
        window.connectTo(QUrl(parser.value(urlOption)));
    return QApplication::exec();
}
