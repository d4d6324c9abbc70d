#include "dialogs/profilefiledialogs.h"

#include <QFileDialog>
#include <QFileInfo>

#include "dialogs/profilepassphrasedialog.h"
#include "dialogs/saveprofiledialog.h"
#include "persistence/workbenchsettings.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui::ProfileFileDialogs {

OpenOutcome openProfileFile(QWidget *parent, const QString &path)
{
    OpenOutcome outcome;
    outcome.path = path;
    ProfileFile::LoadResult result = ProfileFile::load(path, std::nullopt);
    if (result.profile && result.hasEncryptedSecrets) {
        ProfilePassphraseDialog prompt(path, parent);
        if (prompt.exec() != QDialog::Accepted)
            return outcome;
        result = prompt.loadResult();
    }
    outcome.profile = result.profile;
    outcome.error = result.error;
    outcome.warnings = result.warnings;
    return outcome;
}

OpenOutcome openProfile(QWidget *parent, WorkbenchSettings *settings)
{
    const QString path = QFileDialog::getOpenFileName(
            parent, QObject::tr("Open connection profile"), settings ? settings->lastProfileDirectory() : QString(),
            QObject::tr("Connection profiles (*.wsprofile.json);;JSON files (*.json);;All files (*)"));
    if (path.isEmpty())
        return {};
    if (settings)
        settings->setLastProfileDirectory(QFileInfo(path).absolutePath());
    return openProfileFile(parent, path);
}

std::optional<QString> saveProfile(QWidget *parent, const ConnectionProfile &profile, WorkbenchSettings *settings)
{
    SaveProfileDialog dialog(profile, settings ? settings->lastProfileDirectory() : QString(), parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    if (settings)
        settings->setLastProfileDirectory(QFileInfo(dialog.savedPath()).absolutePath());
    return dialog.savedPath();
}

} // namespace Wsw::Ui::ProfileFileDialogs
