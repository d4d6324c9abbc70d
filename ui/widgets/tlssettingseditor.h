#pragma once

#include <optional>

#include <QGroupBox>
#include <QList>

#include "api/messagewebsocketcontrol.h"
#include "widgets/formrows.h"

class QCheckBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace Wsw::Ui {

/**
 * The "TLS (wss://)" section of the Control editor: ignorable certificate errors, additional CA
 * certificates (read from PEM or DER files), pinned public keys, the client certificate (files,
 * key and passphrase) and the custom validation override. Its rows are made by FormRows, so the
 * editor around it can chain the tab order and line the columns up across every section.
 *
 * The client certificate's passphrase stays in its (password-echo) line edit only: it is read
 * when applyToControl() loads the files, and is never copied, logged or shown in an error.
 */
class TlsSettingsEditor final : public QGroupBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TlsSettingsEditor)

public:
    explicit TlsSettingsEditor(QWidget *parent = nullptr);
    ~TlsSettingsEditor() override;

    /**
     * Shows the TLS fields of a Control. A client certificate given here has no file names: it is
     * shown as "set by the program" and kept until files are chosen or it is cleared. Errors that
     * may not be ignored are dropped. Emits nothing.
     */
    void setFromControl(const MessageWebSocketControl &control);
    /**
     * Writes the TLS fields into *control, loading the client certificate from its files; false
     * and *error ("<row label>: <what is wrong>") for the first wrong row. A certificate loading
     * error is also shown under the certificate rows.
     */
    bool applyToControl(MessageWebSocketControl *control, QString *error = nullptr) const;
    /** Disables every row and button while locked. */
    void setLocked(bool locked);

    /** What Add… does with each file the picker returns: PEM or DER, every certificate in it. */
    bool addCaCertificatesFromFile(const QString &path, QString *error = nullptr);

    /** The section's rows, for the form around it to chain and align. */
    const FormRows &rows() const { return m_rows; }

Q_SIGNALS:
    /** The user changed any row. */
    void edited();

private:
    void buildCertificateErrorsRow(QFormLayout *form);
    void buildCaCertificatesRow(QFormLayout *form);
    void buildPinsRow(QFormLayout *form);
    void buildClientCertificateRows(QFormLayout *form);
    void connectEdits();
    void updateEnabledState();
    void onUserEdit();
    void onAddCaClicked();
    void onRemoveCaClicked();
    void onBrowseCertificateClicked();
    void onBrowseKeyClicked();
    void onClearClientCertificateClicked();
    void onClientCertificateFilesEdited();
    QString programCertificateStatus() const;
    void showClientCertificateStatus(const QString &text, bool isError) const;
    void appendCaCertificate(const QSslCertificate &certificate);

    FormRows m_rows;
    QListWidget *m_ignorableErrors = nullptr;
    QListWidget *m_caList = nullptr;
    QPushButton *m_addCa = nullptr;
    QPushButton *m_removeCa = nullptr;
    QLabel *m_caStatus = nullptr;
    QPlainTextEdit *m_pinnedPublicKeys = nullptr;
    QLineEdit *m_certificateFile = nullptr;
    QPushButton *m_browseCertificate = nullptr;
    QLineEdit *m_keyFile = nullptr;
    QPushButton *m_browseKey = nullptr;
    QLineEdit *m_keyPassword = nullptr;
    QPushButton *m_clearClientCertificate = nullptr;
    QLabel *m_clientCertificateStatus = nullptr;
    QCheckBox *m_allowCustomValidationOverride = nullptr;

    QList<QSslCertificate> m_caCertificates;               // one per row of the CA list
    QList<ChainValidationResult> m_ignorableOrder;         // the order setFromControl() gave them in
    std::optional<ClientCertificate> m_programCertificate; // from setFromControl(); no files known
    bool m_locked = false;
    bool m_settingValues = false; // true while setFromControl() fills the rows
};

} // namespace Wsw::Ui
