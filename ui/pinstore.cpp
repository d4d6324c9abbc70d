#include "pinstore.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QUrl>

#include "api/spkipin.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

PinStore::PinStore(const QString &filePath, QObject *parent)
    : QObject(parent)
    , m_filePath(filePath.isEmpty()
                         ? QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)).filePath(u"trusted-pins.ini"_s)
                         : filePath)
{
    load();
}

QString PinStore::hostKey(const QUrl &url)
{
    if (url.scheme().compare(u"wss"_s, Qt::CaseInsensitive) != 0 || url.host().isEmpty())
        return {};
    return u"%1:%2"_s.arg(url.host().toLower()).arg(url.port(443));
}

QStringList PinStore::pinsFor(const QString &hostKey) const
{
    QStringList result;
    for (const TrustedPin &p : m_pins)
        if (p.host == hostKey)
            result << p.pin;
    return result;
}

void PinStore::load()
{
    if (!QFileInfo::exists(m_filePath))
        return;
    QSettings file(m_filePath, QSettings::IniFormat);
    if (file.status() != QSettings::NoError) {
        m_loadProblem = tr("%1 could not be read; no pins were loaded from it.").arg(QDir::toNativeSeparators(m_filePath));
        return;
    }
    const int count = file.beginReadArray(u"pins"_s);
    for (int i = 0; i < count; ++i) {
        file.setArrayIndex(i);
        TrustedPin p;
        p.host = file.value(u"host"_s).toString();
        p.pin = file.value(u"pin"_s).toString();
        p.subject = file.value(u"subject"_s).toString();
        p.added = QDateTime::fromString(file.value(u"added"_s).toString(), Qt::ISODate);
        if (p.host.isEmpty() || SpkiPin::digestOf(p.pin).isEmpty()) {
            m_loadProblem = tr("Entry %1 of %2 is not a valid pin and was skipped.").arg(i + 1).arg(QDir::toNativeSeparators(m_filePath));
            continue; // a hand-edited file must not make everything fail
        }
        m_pins << p;
    }
    file.endArray();
}

bool PinStore::save(QString *error)
{
    if (!QDir().mkpath(QFileInfo(m_filePath).absolutePath())) {
        if (error)
            *error = tr("Cannot create the folder of %1.").arg(QDir::toNativeSeparators(m_filePath));
        return false;
    }
    QSettings file(m_filePath, QSettings::IniFormat);
    file.remove(u"pins"_s);
    file.beginWriteArray(u"pins"_s, int(m_pins.size()));
    for (int i = 0; i < m_pins.size(); ++i) {
        file.setArrayIndex(i);
        file.setValue(u"host"_s, m_pins[i].host);
        file.setValue(u"pin"_s, m_pins[i].pin);
        file.setValue(u"subject"_s, m_pins[i].subject);
        file.setValue(u"added"_s, m_pins[i].added.toString(Qt::ISODate));
    }
    file.endArray();
    file.sync();
    if (file.status() != QSettings::NoError) {
        if (error)
            *error = tr("Cannot write %1.").arg(QDir::toNativeSeparators(m_filePath));
        return false;
    }
    return true;
}

bool PinStore::add(const QString &hostKey, const QString &pin, const QString &subject, QString *error)
{
    if (hostKey.isEmpty() || SpkiPin::digestOf(pin).isEmpty()) {
        if (error)
            *error = tr("“%1” for “%2” is not a host and a sha256/BASE64 pin.").arg(pin, hostKey);
        return false;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    bool found = false;
    for (TrustedPin &p : m_pins) {
        if (p.host == hostKey && p.pin == pin) {
            p.added = now;
            p.subject = subject;
            found = true;
        }
    }
    if (!found)
        m_pins << TrustedPin{hostKey, pin, subject, now};
    const bool saved = save(error);
    Q_EMIT changed();
    return saved;
}

bool PinStore::remove(const QString &hostKey, const QString &pin, QString *error)
{
    const qsizetype removed = m_pins.removeIf([&](const TrustedPin &p) { return p.host == hostKey && p.pin == pin; });
    if (removed == 0)
        return true;
    const bool saved = save(error);
    Q_EMIT changed();
    return saved;
}

} // namespace Wsw::Ui
