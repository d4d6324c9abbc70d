#pragma once

#include <optional>

#include <QStringList>

#include "persistence/connectionprofile.h"

class QWidget;

namespace Wsw::Ui {

class WorkbenchSettings;

/**
 * The File menu's "Save connection profile…" and "Open connection profile…": the file choosers
 * and the dialogs around ProfileFile. Each remembers the folder it used in the settings.
 */
namespace ProfileFileDialogs {

struct OpenOutcome {
    /** nullopt when cancelled (error empty) or when the file could not be read (error says why). */
    std::optional<ConnectionProfile> profile;
    QString error;
    /** For the log: unknown keys, passwords left out. */
    QStringList warnings;
    QString path;
};

/** Asks for a file (QFileDialog), then for the passphrase when it holds encrypted passwords. */
OpenOutcome openProfile(QWidget *parent, WorkbenchSettings *settings);
/** The same without the file chooser (drag and drop, tests). */
OpenOutcome openProfileFile(QWidget *parent, const QString &path);

/**
 * SaveProfileDialog for profile; the path written, or nullopt when cancelled (the dialog itself
 * shows every error, so there is none to return).
 */
std::optional<QString> saveProfile(QWidget *parent, const ConnectionProfile &profile, WorkbenchSettings *settings);

} // namespace ProfileFileDialogs

} // namespace Wsw::Ui
