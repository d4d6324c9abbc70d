#include <QCoreApplication>

#include "cliapp.h"

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("wscli"));
    return Wsw::Cli::run(QCoreApplication::arguments().mid(1));
}
