#include "persistence/workbenchsettings.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSettings>

#include "persistence/jsonfields.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {
const QString UrlHistoryKey = u"history/urls"_s;
const QString TabsKey = u"session/tabs"_s;
const QString GeometryKey = u"window/geometry"_s;
const QString StateKey = u"window/state"_s;
const QString ViewsGroup = u"views/"_s;
const QString ProfileDirectoryKey = u"profiles/lastDirectory"_s;
} // namespace

WorkbenchSettings::WorkbenchSettings()
    : m_owned(std::make_unique<QSettings>())
    , m_settings(m_owned.get())
{
}

WorkbenchSettings::WorkbenchSettings(QSettings &settings)
    : m_settings(&settings)
{
}

WorkbenchSettings::WorkbenchSettings(const QString &iniPath)
    : m_owned(std::make_unique<QSettings>(iniPath, QSettings::IniFormat))
    , m_settings(m_owned.get())
{
}

WorkbenchSettings::~WorkbenchSettings() = default;

void WorkbenchSettings::note(const QString &text) const
{
    m_notes.append(text);
}

QStringList WorkbenchSettings::takeNotes()
{
    return std::exchange(m_notes, {});
}

void WorkbenchSettings::sync()
{
    m_settings->sync();
}

QStringList WorkbenchSettings::urlHistory() const
{
    const QVariant value = m_settings->value(UrlHistoryKey);
    if (!value.isValid())
        return {};
    // an INI file gives a one-element list back as a plain string
    if (value.typeId() != QMetaType::QStringList && value.typeId() != QMetaType::QString) {
        note(u"settings: %1 is not a list of URLs; the URL history starts empty"_s.arg(UrlHistoryKey));
        return {};
    }
    QStringList history;
    for (const QString &url : value.toStringList()) {
        const QString trimmed = url.trimmed();
        if (!trimmed.isEmpty() && !history.contains(trimmed) && history.size() < MaxUrlHistory)
            history.append(trimmed);
    }
    return history;
}

void WorkbenchSettings::addUrlToHistory(const QString &url)
{
    const QString trimmed = url.trimmed();
    if (trimmed.isEmpty())
        return;
    QStringList history = urlHistory();
    history.removeAll(trimmed);
    history.prepend(trimmed);
    while (history.size() > MaxUrlHistory)
        history.removeLast();
    m_settings->setValue(UrlHistoryKey, history);
}

void WorkbenchSettings::clearUrlHistory()
{
    m_settings->remove(UrlHistoryKey);
}

WorkbenchSettings::OpenTabs WorkbenchSettings::openTabs() const
{
    const QVariant value = m_settings->value(TabsKey);
    if (!value.isValid())
        return {};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(value.toString().toUtf8(), &parseError);
    if (value.typeId() != QMetaType::QString || !document.isObject()) {
        note(u"settings: %1 is not readable (%2); no tabs were restored"_s.arg(
                TabsKey, parseError.error != QJsonParseError::NoError
                                 ? u"%1 at byte %2"_s.arg(parseError.errorString()).arg(parseError.offset)
                                 : u"not a JSON object"_s));
        return {};
    }
    const QJsonObject root = document.object();
    OpenTabs open;
    const QJsonArray tabs = root.value(u"tabs"_s).toArray();
    const int savedCurrent = root.value(u"current"_s).toInt(-1);
    for (qsizetype i = 0; i < tabs.size(); ++i) {
        QString error;
        QStringList warnings;
        const std::optional<ConnectionProfile> profile = tabs.at(i).isObject()
                ? ProfileJson::fromJson(tabs.at(i).toObject(), std::nullopt, u"tabs[%1]"_s.arg(i), &error, &warnings)
                : std::nullopt;
        if (!profile) {
            note(u"settings: a saved tab was skipped: %1"_s.arg(error.isEmpty() ? u"tabs[%1] is not an object"_s.arg(i)
                                                                                 : error));
            continue;
        }
        for (const QString &warning : std::as_const(warnings))
            note(u"settings: "_s + warning);
        if (i == savedCurrent)
            open.current = int(open.tabs.size());
        open.tabs.append(*profile);
    }
    if (open.current < 0 && !open.tabs.isEmpty())
        open.current = 0;
    return open;
}

void WorkbenchSettings::setOpenTabs(const QList<ConnectionProfile> &tabs, int current)
{
    QJsonArray array;
    for (const ConnectionProfile &tab : tabs)
        array.append(ProfileJson::toJson(tab)); // never secrets: ProfileJson has none
    const QJsonObject root{{u"tabs"_s, array},
                           {u"current"_s, current >= 0 && current < tabs.size() ? current : (tabs.isEmpty() ? -1 : 0)}};
    m_settings->setValue(TabsKey, QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Compact)));
}

QByteArray WorkbenchSettings::blob(const QString &key) const
{
    const QVariant value = m_settings->value(key);
    if (!value.isValid())
        return {};
    if (value.typeId() != QMetaType::QByteArray) {
        note(u"settings: %1 is not a saved state; the default is used"_s.arg(key));
        return {};
    }
    return value.toByteArray();
}

QByteArray WorkbenchSettings::windowGeometry() const
{
    return blob(GeometryKey);
}

void WorkbenchSettings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings->setValue(GeometryKey, geometry);
}

QByteArray WorkbenchSettings::windowState() const
{
    return blob(StateKey);
}

void WorkbenchSettings::setWindowState(const QByteArray &state)
{
    m_settings->setValue(StateKey, state);
}

QByteArray WorkbenchSettings::viewState(const QString &name) const
{
    return blob(ViewsGroup + name);
}

void WorkbenchSettings::setViewState(const QString &name, const QByteArray &state)
{
    m_settings->setValue(ViewsGroup + name, state);
}

QString WorkbenchSettings::lastProfileDirectory() const
{
    const QVariant value = m_settings->value(ProfileDirectoryKey);
    if (value.isValid() && value.typeId() != QMetaType::QString) {
        note(u"settings: %1 is not a folder name; ignored"_s.arg(ProfileDirectoryKey));
        return {};
    }
    return value.toString();
}

void WorkbenchSettings::setLastProfileDirectory(const QString &directory)
{
    m_settings->setValue(ProfileDirectoryKey, directory);
}

} // namespace Wsw::Ui
