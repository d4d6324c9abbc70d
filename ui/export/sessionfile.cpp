#include "export/sessionfile.h"

#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>
#include <QSaveFile>
#include <QDateTime>

#include "export/harformat.h"
#include "export/jsonlinesformat.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

bool writeSessionLog(const SessionRecord &record, const QString &path, SessionLogFormat format, QString *error)
{
    const QByteArray bytes = format == SessionLogFormat::Har ? Har::write(record) : JsonLines::write(record);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = QObject::tr("Could not write %1: %2").arg(QFileInfo(path).fileName(), file.errorString());
        return false;
    }
    return true;
}

bool exportSessionLog(Session &session, const QString &path, SessionLogFormat format, QString *error)
{
    return writeSessionLog(takeRecord(session), path, format, error);
}

SessionImport importSessionLog(const QString &path, const SessionReadLimits &limits)
{
    SessionImport result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = QObject::tr("Could not open %1: %2").arg(QFileInfo(path).fileName(), file.errorString());
        return result;
    }
    if (file.size() > limits.maxFileBytes) {
        result.error = QObject::tr("%1 is %2 bytes; an import reads at most %3.")
                               .arg(QFileInfo(path).fileName(), QLocale().toString(file.size()),
                                    QLocale().toString(limits.maxFileBytes));
        return result;
    }
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        result.error = QObject::tr("Could not read %1: %2").arg(QFileInfo(path).fileName(), file.errorString());
        return result;
    }
    if (bytes.trimmed().isEmpty()) {
        result.error = QObject::tr("%1 is empty.").arg(QFileInfo(path).fileName());
        return result;
    }
    return JsonLines::looksLikeJsonLines(bytes) ? JsonLines::read(bytes, limits) : Har::read(bytes, limits);
}

QString sessionLogFileFilter(SessionLogFormat format)
{
    return format == SessionLogFormat::Har ? QObject::tr("HAR files (*.har)")
                                           : QObject::tr("JSON Lines (*.jsonl)");
}

QString sessionLogImportFilter()
{
    return QObject::tr("Session logs (*.jsonl *.har)") + u";;"_s + sessionLogFileFilter(SessionLogFormat::JsonLines)
            + u";;"_s + sessionLogFileFilter(SessionLogFormat::Har) + u";;"_s + QObject::tr("All files (*)");
}

QString suggestedSessionLogFileName(const QUrl &url, qint64 timeMs, SessionLogFormat format)
{
    QString host = url.host();
    host.replace(QRegularExpression(u"[^A-Za-z0-9.-]"_s), u"_"_s); // an IPv6 address's colons
    QString name = u"wsworkbench"_s;
    if (!host.isEmpty())
        name += u'-' + host;
    if (url.port() > 0)
        name += u'-' + QString::number(url.port());
    name += u'-' + QDateTime::fromMSecsSinceEpoch(timeMs).toString(u"yyyyMMdd-HHmmss"_s);
    return name + (format == SessionLogFormat::Har ? u".har"_s : u".jsonl"_s);
}

} // namespace Wsw::Ui
