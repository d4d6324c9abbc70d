#pragma once

#include <QDialog>

#include "persistence/connectionprofile.h"

class QLabel;
class QLineEdit;
class QPushButton;

namespace Wsw::Ui {

/**
 * Asked when a profile file holds encrypted passwords: Open tries the passphrase (a wrong one is
 * said in the dialog, which stays open with the text selected), "Open without passwords" loads the
 * rest, Cancel loads nothing. loadResult() is the load's outcome once the dialog is accepted.
 */
class ProfilePassphraseDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfilePassphraseDialog)

public:
    explicit ProfilePassphraseDialog(const QString &path, QWidget *parent = nullptr);
    ~ProfilePassphraseDialog() override;

    const ProfileFile::LoadResult &loadResult() const { return m_result; }

protected:
    void showEvent(QShowEvent *event) override;

private:
    /** Grows the dialog to what its wrapped texts need at its width (QLabel word wrap is height-for-width). */
    void openWithPassphrase();
    void openWithoutPasswords();

    QString m_path;
    ProfileFile::LoadResult m_result;
    QLineEdit *m_passphrase;
    QLabel *m_error;
    QPushButton *m_open = nullptr;
};

} // namespace Wsw::Ui
