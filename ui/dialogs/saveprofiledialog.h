#pragma once

#include <QDialog>

#include "persistence/connectionprofile.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Wsw::Ui {

/**
 * "Save connection profile": a name, a file, and whether to include the passwords (and the client
 * certificate's private key), sealed with a passphrase typed twice. Save checks the rows, writes
 * the file (ProfileFile::save) and closes; a problem is shown in the dialog, which stays open with
 * everything typed. Passphrases live only in their (password-echo) fields.
 */
class SaveProfileDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SaveProfileDialog)

public:
    /** The shortest passphrase accepted: the file may travel, and PBKDF2 only slows guessing down. */
    static constexpr int MinimumPassphraseLength = 8;

    /** directory: where the file goes by default (the last profile folder). */
    SaveProfileDialog(const ConnectionProfile &profile, const QString &directory, QWidget *parent = nullptr);
    ~SaveProfileDialog() override;

    /** The file written, once Save succeeded. */
    QString savedPath() const { return m_savedPath; }
    /** For tests: a cheaper key derivation than SecretBox::DefaultIterations. */
    void setKeyDerivationIterations(int iterations) { m_iterations = iterations; }

    /** Checks the rows and writes the file; false and the reason (also shown in the dialog). */
    bool save(QString *error = nullptr);

    void accept() override;

protected:
    void showEvent(QShowEvent *event) override;

private:
    /** Grows the dialog to what its wrapped texts need at its width (QLabel word wrap is height-for-width). */
    void browse();
    void updateEnabledState();
    void showError(const QString &text);
    /** The first problem with the rows, in words; empty when they are fine. */
    QString problem() const;

    ConnectionProfile m_profile;
    bool m_hasSecrets = false;
    int m_iterations;
    QString m_savedPath;
    QLineEdit *m_name;
    QLineEdit *m_file;
    QPushButton *m_browse;
    QCheckBox *m_includeSecrets;
    QLineEdit *m_passphrase;
    QLineEdit *m_confirm;
    QLabel *m_secretsNote;
    QLabel *m_error;
    QPushButton *m_saveButton = nullptr;
};

} // namespace Wsw::Ui
