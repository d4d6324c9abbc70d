#pragma once

#include <memory>

#include <QByteArray>
#include <QList>
#include <QStringList>

#include "persistence/connectionprofile.h"

class QSettings;

namespace Wsw::Ui {

/**
 * What the window keeps across restarts, over QSettings: the URL history, the open tabs (each a
 * ConnectionProfile: URL, Control, request headers, saved messages; never passwords or private
 * keys), window geometry and state, named view states (splitters, table headers) and small
 * preferences. Every reader checks what it finds: a corrupt value is ignored and noted (notes()),
 * never trusted or fatal. Tests give it a temporary INI file.
 */
class WorkbenchSettings final
{
    Q_DISABLE_COPY_MOVE(WorkbenchSettings)

public:
    /** The application's settings (QSettings() with the organisation and application names). */
    WorkbenchSettings();
    /** Someone else's QSettings, which must outlive this object. */
    explicit WorkbenchSettings(QSettings &settings);
    /** An INI file of our own at path (tests use a temporary one). */
    explicit WorkbenchSettings(const QString &iniPath);
    ~WorkbenchSettings();

    /** The history keeps at most this many URLs. */
    static constexpr int MaxUrlHistory = 25;

    /** Most recent first, no duplicates, at most MaxUrlHistory. */
    QStringList urlHistory() const;
    /** Puts url first (moving it if already there) and drops the oldest beyond the bound; blank URLs are ignored. */
    void addUrlToHistory(const QString &url);
    void clearUrlHistory();

    struct OpenTabs {
        QList<ConnectionProfile> tabs;
        /** Index into tabs; -1 when there are none. */
        int current = -1;
    };
    /** The tabs open at the last close, without secrets; a tab that cannot be read is skipped with a note. */
    OpenTabs openTabs() const;
    /** Saves the tabs without passwords or private keys (what ProfileJson writes). */
    void setOpenTabs(const QList<ConnectionProfile> &tabs, int current);

    /** QWidget::saveGeometry() / QMainWindow::saveState() blobs; empty when none or corrupt. */
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);
    /** A named splitter or header state (QSplitter::saveState(), QHeaderView::saveState()). */
    QByteArray viewState(const QString &name) const;
    void setViewState(const QString &name, const QByteArray &state);

    /** Where the profile dialogs open; empty when none was used yet. */
    QString lastProfileDirectory() const;
    void setLastProfileDirectory(const QString &directory);

    /** What the readers ignored since the last call, one sentence each (for the log). */
    QStringList takeNotes();
    /** Writes pending changes to storage (QSettings::sync()). */
    void sync();

private:
    QByteArray blob(const QString &key) const;
    void note(const QString &text) const;

    std::unique_ptr<QSettings> m_owned;
    QSettings *m_settings;
    mutable QStringList m_notes;
};

} // namespace Wsw::Ui
