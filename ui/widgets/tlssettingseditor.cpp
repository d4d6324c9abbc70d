#include "widgets/tlssettingseditor.h"

#include <QCheckBox>
#include <QCryptographicHash>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopedValueRollback>

#include "api/chainvalidation.h"
#include "api/spkipin.h"
#include "api/websocketerror.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

QString certificateName(const QSslCertificate &certificate)
{
    const QStringList cn = certificate.subjectInfo(QSslCertificate::CommonName);
    if (!cn.isEmpty() && !cn.constFirst().isEmpty())
        return cn.constFirst();
    const QString display = certificate.subjectDisplayName();
    return display.isEmpty() ? TlsSettingsEditor::tr("(no subject name)") : display;
}

QString certificateDetails(const QSslCertificate &certificate)
{
    return TlsSettingsEditor::tr("Subject: %1\nIssuer: %2\nValid: %3 to %4\nSHA-256: %5")
            .arg(certificate.subjectDisplayName(), certificate.issuerDisplayName(),
                 certificate.effectiveDate().toString(Qt::ISODate), certificate.expiryDate().toString(Qt::ISODate),
                 QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':')));
}

/** The pins, one a line, or the first problem. */
QStringList parsePins(const QString &text, QString *problem)
{
    QStringList pins;
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString pin = lines.at(i).trimmed();
        if (pin.isEmpty())
            continue;
        if (SpkiPin::digestOf(pin).isEmpty()) {
            *problem = TlsSettingsEditor::tr("line %1 is not a pin; write sha256/ and the base64 of 32 bytes")
                               .arg(i + 1);
            return {};
        }
        pins.append(pin);
    }
    problem->clear();
    return pins;
}

/** [line edit][Browse…], as one field */
QWidget *fileField(QWidget *parent, QLineEdit *edit, QPushButton *browse)
{
    auto *field = new QWidget(parent);
    auto *row = new QHBoxLayout(field);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(edit, 1);
    row->addWidget(browse);
    return field;
}

} // namespace

TlsSettingsEditor::TlsSettingsEditor(QWidget *parent)
    : QGroupBox(tr("TLS (wss://)"), parent)
{
    QFormLayout *form = FormRows::newForm(this);
    buildCertificateErrorsRow(form);
    buildCaCertificatesRow(form);
    buildPinsRow(form);
    buildClientCertificateRows(form);

    m_allowCustomValidationOverride = new QCheckBox(this);
    m_rows.addRow(form, tr("Ask when a certificate fails"), m_allowCustomValidationOverride,
                  tr("allowCustomValidationOverride: when the server's chain fails validation with ignorable errors "
                     "only, the workbench asks you (accept once, trust this certificate for this host, or reject) "
                     "instead of failing at once; fatal errors stay fatal. Default: off in the engine, on in "
                     "a new workbench window."));

    connectEdits();
    updateEnabledState();
}

TlsSettingsEditor::~TlsSettingsEditor() = default;

// --- building the section ----------------------------------------------------------------------

void TlsSettingsEditor::buildCertificateErrorsRow(QFormLayout *form)
{
    m_ignorableErrors = new QListWidget(this);
    for (int value = int(ChainValidationResult::Success); value <= int(ChainValidationResult::OtherErrors); ++value) {
        const auto result = ChainValidationResult(value);
        if (!ChainValidation::isIgnorable(result))
            continue;
        auto *item = new QListWidgetItem(ChainValidation::name(result), m_ignorableErrors);
        item->setData(Qt::UserRole, value);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
        item->setToolTip(ChainValidation::explanation(result));
    }
    // every value visible at once: a list to scan, not to scroll
    m_ignorableErrors->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_ignorableErrors->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_ignorableErrors->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_ignorableErrors->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_rows.addWideRow(form, tr("Ignorable certificate errors"), m_ignorableErrors,
                      tr("Certificate errors that default validation tolerates. Only the errors that may be ignored "
                         "are listed (Revoked, InvalidSignature and the like never can). Default: none."),
                      m_ignorableErrors);
}

void TlsSettingsEditor::buildCaCertificatesRow(QFormLayout *form)
{
    m_caList = new QListWidget(this);
    m_caList->setMaximumHeight(m_caList->fontMetrics().height() * 5);
    m_addCa = new QPushButton(tr("Add…"), this);
    m_addCa->setAccessibleName(tr("Add CA certificate"));
    m_removeCa = new QPushButton(tr("Remove"), this);
    m_removeCa->setAccessibleName(tr("Remove CA certificate"));
    m_caStatus = new QLabel(this);
    m_caStatus->setWordWrap(true);
    m_caStatus->setVisible(false);
    m_caStatus->setStyleSheet(u"color: #b00020;"_s);

    auto *field = new QWidget(this);
    auto *grid = new QGridLayout(field);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_caList, 0, 0, 3, 1);
    grid->addWidget(m_addCa, 0, 1);
    grid->addWidget(m_removeCa, 1, 1);
    grid->setRowStretch(2, 1);
    grid->addWidget(m_caStatus, 3, 0, 1, 2);
    m_rows.addWideRow(form, tr("Additional CA certificates"), m_caList,
                      tr("CA certificates trusted for this connection besides the system's, read from PEM or DER "
                         "files. Default: none."),
                      field);
    m_rows.addButton(m_addCa);
    m_rows.addButton(m_removeCa);
}

void TlsSettingsEditor::buildPinsRow(QFormLayout *form)
{
    m_pinnedPublicKeys = new QPlainTextEdit(this);
    m_pinnedPublicKeys->setPlaceholderText(tr("sha256/… one pin per line"));
    m_pinnedPublicKeys->setTabChangesFocus(true);
    m_pinnedPublicKeys->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_pinnedPublicKeys->setMaximumHeight(m_pinnedPublicKeys->fontMetrics().height() * 4 + 12);
    m_rows.addWideRow(form, tr("Pinned public keys"), m_pinnedPublicKeys,
                      tr("One \"sha256/BASE64\" pin per line, as curl --pinnedpubkey writes them. When any is given "
                         "the server must present a pinned key, even with a trusted chain. Default: none."),
                      m_pinnedPublicKeys);
}

void TlsSettingsEditor::buildClientCertificateRows(QFormLayout *form)
{
    m_certificateFile = new QLineEdit(this);
    m_certificateFile->setPlaceholderText(tr("none (PEM or .p12)"));
    m_browseCertificate = new QPushButton(tr("Browse…"), this);
    m_browseCertificate->setAccessibleName(tr("Browse for client certificate"));
    m_rows.addRow(form, tr("Client certificate"), m_certificateFile,
                  tr("Offered when the server asks for one (mutual TLS): a PEM certificate (its key in the key file "
                     "or in the same file) or a PKCS#12 file. Default: none."),
                  fileField(this, m_certificateFile, m_browseCertificate));
    m_rows.addButton(m_browseCertificate);

    m_keyFile = new QLineEdit(this);
    m_keyFile->setPlaceholderText(tr("in the certificate file"));
    m_browseKey = new QPushButton(tr("Browse…"), this);
    m_browseKey->setAccessibleName(tr("Browse for client key"));
    m_rows.addRow(form, tr("Client key"), m_keyFile,
                  tr("The PEM private key of the client certificate; leave it empty when the certificate file holds "
                     "the key or is PKCS#12."),
                  fileField(this, m_keyFile, m_browseKey));
    m_rows.addButton(m_browseKey);

    m_keyPassword = new QLineEdit(this);
    m_keyPassword->setEchoMode(QLineEdit::Password);
    m_keyPassword->setPlaceholderText(tr("none"));
    m_rows.addRow(form, tr("Key password"), m_keyPassword,
                  tr("Opens an encrypted key or PKCS#12 file. It is used when the settings are applied and is never "
                     "stored or logged."));

    // the loader's verdict (inline, never a message box), and the way back to "no certificate"
    m_clientCertificateStatus = new QLabel(this);
    m_clientCertificateStatus->setObjectName(u"clientCertificateStatus"_s);
    m_clientCertificateStatus->setWordWrap(true);
    m_clientCertificateStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_clientCertificateStatus->setVisible(false);
    m_clearClientCertificate = new QPushButton(tr("Clear certificate"), this);
    m_clearClientCertificate->setAccessibleName(tr("Clear client certificate"));
    m_clearClientCertificate->setToolTip(tr("Offer no client certificate: empties the three rows above."));
    auto *field = new QWidget(this);
    auto *row = new QHBoxLayout(field);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_clientCertificateStatus, 1);
    row->addWidget(m_clearClientCertificate, 0, Qt::AlignRight | Qt::AlignTop);
    form->addRow(field); // the whole width: an error names a file and OpenSSL's reason
    m_rows.addButton(m_clearClientCertificate);
}

void TlsSettingsEditor::connectEdits()
{
    const auto edit = [this] { onUserEdit(); };
    connect(m_allowCustomValidationOverride, &QCheckBox::toggled, this, edit);
    connect(m_ignorableErrors, &QListWidget::itemChanged, this, edit);
    connect(m_pinnedPublicKeys, &QPlainTextEdit::textChanged, this, edit);
    for (QLineEdit *line : {m_certificateFile, m_keyFile, m_keyPassword})
        connect(line, &QLineEdit::textEdited, this, [this] { onClientCertificateFilesEdited(); });
    connect(m_caList, &QListWidget::currentRowChanged, this, [this] { updateEnabledState(); });
    connect(m_addCa, &QPushButton::clicked, this, &TlsSettingsEditor::onAddCaClicked);
    connect(m_removeCa, &QPushButton::clicked, this, &TlsSettingsEditor::onRemoveCaClicked);
    connect(m_browseCertificate, &QPushButton::clicked, this, &TlsSettingsEditor::onBrowseCertificateClicked);
    connect(m_browseKey, &QPushButton::clicked, this, &TlsSettingsEditor::onBrowseKeyClicked);
    connect(m_clearClientCertificate, &QPushButton::clicked, this,
            &TlsSettingsEditor::onClearClientCertificateClicked);
}

// --- values ------------------------------------------------------------------------------------

void TlsSettingsEditor::setFromControl(const MessageWebSocketControl &control)
{
    const QScopedValueRollback guard(m_settingValues, true);

    m_ignorableOrder.clear();
    for (ChainValidationResult result : control.ignorableServerCertificateErrors) {
        if (ChainValidation::isIgnorable(result) && !m_ignorableOrder.contains(result))
            m_ignorableOrder.append(result);
    }
    for (int i = 0; i < m_ignorableErrors->count(); ++i) {
        QListWidgetItem *item = m_ignorableErrors->item(i);
        const auto result = ChainValidationResult(item->data(Qt::UserRole).toInt());
        item->setCheckState(m_ignorableOrder.contains(result) ? Qt::Checked : Qt::Unchecked);
    }

    m_caCertificates.clear();
    m_caList->clear();
    m_caStatus->setVisible(false);
    for (const QSslCertificate &certificate : control.additionalCaCertificates) {
        if (!certificate.isNull())
            appendCaCertificate(certificate);
    }

    m_pinnedPublicKeys->setPlainText(control.pinnedPublicKeys.join(u'\n'));

    m_certificateFile->clear();
    m_keyFile->clear();
    m_keyPassword->clear();
    m_programCertificate = control.clientCertificate;
    if (m_programCertificate && !m_programCertificate->isNull())
        showClientCertificateStatus(programCertificateStatus(), false);
    else
        showClientCertificateStatus({}, false);
    m_allowCustomValidationOverride->setChecked(control.allowCustomValidationOverride);

    onUserEdit(); // marks the pins and sets what is enabled; emits nothing while setting values
}

bool TlsSettingsEditor::applyToControl(MessageWebSocketControl *control, QString *error) const
{
    const auto fail = [error](const QWidget *row, const QString &problem) {
        if (error)
            *error = row->accessibleName() + u": "_s + problem;
        return false;
    };

    // Checked errors in the order setFromControl() gave them, then the newly ticked ones in list order.
    QList<ChainValidationResult> checked;
    for (int i = 0; i < m_ignorableErrors->count(); ++i) {
        const QListWidgetItem *item = m_ignorableErrors->item(i);
        if (item->checkState() == Qt::Checked)
            checked.append(ChainValidationResult(item->data(Qt::UserRole).toInt()));
    }
    control->ignorableServerCertificateErrors.clear();
    for (ChainValidationResult result : m_ignorableOrder) {
        if (checked.contains(result))
            control->ignorableServerCertificateErrors.append(result);
    }
    for (ChainValidationResult result : std::as_const(checked)) {
        if (!control->ignorableServerCertificateErrors.contains(result))
            control->ignorableServerCertificateErrors.append(result);
    }

    control->additionalCaCertificates = m_caCertificates;

    QString pinProblem;
    control->pinnedPublicKeys = parsePins(m_pinnedPublicKeys->toPlainText(), &pinProblem);
    if (!pinProblem.isEmpty())
        return fail(m_pinnedPublicKeys, pinProblem);

    const QString certificateFile = m_certificateFile->text().trimmed();
    const QString keyFile = m_keyFile->text().trimmed();
    if (!certificateFile.isEmpty()) {
        WebSocketError loadError;
        const QString password = m_keyPassword->text();
        std::optional<ClientCertificate> loaded =
                ClientCertificate::load(certificateFile, keyFile, password.toUtf8(), &loadError);
        if (!loaded) {
            // The loader names the file and OpenSSL's reason, never the passphrase (tested).
            const QString message = loadError.message();
            showClientCertificateStatus(message, true);
            return fail(m_certificateFile, message);
        }
        showClientCertificateStatus(tr("Loaded: %1, valid until %2")
                                            .arg(certificateName(loaded->certificate),
                                                 loaded->certificate.expiryDate().date().toString(Qt::ISODate)),
                                    false);
        control->clientCertificate = std::move(loaded);
    } else if (!keyFile.isEmpty()) {
        const QString message = tr("choose the certificate file too; a key alone is not a certificate");
        showClientCertificateStatus(message, true);
        return fail(m_certificateFile, message);
    } else {
        control->clientCertificate = m_programCertificate;
    }
    control->allowCustomValidationOverride = m_allowCustomValidationOverride->isChecked();
    return true;
}

void TlsSettingsEditor::setLocked(bool locked)
{
    m_locked = locked;
    updateEnabledState();
}

bool TlsSettingsEditor::addCaCertificatesFromFile(const QString &path, QString *error)
{
    QList<QSslCertificate> certificates = QSslCertificate::fromPath(path, QSsl::Pem);
    if (certificates.isEmpty())
        certificates = QSslCertificate::fromPath(path, QSsl::Der);
    certificates.removeIf([](const QSslCertificate &certificate) { return certificate.isNull(); });
    if (certificates.isEmpty()) {
        const QString message = tr("%1 holds no PEM or DER certificate").arg(QFileInfo(path).fileName());
        m_caStatus->setText(message);
        m_caStatus->setVisible(true);
        if (error)
            *error = m_caList->accessibleName() + u": "_s + message;
        return false;
    }
    m_caStatus->setVisible(false);
    for (const QSslCertificate &certificate : std::as_const(certificates)) {
        if (!m_caCertificates.contains(certificate))
            appendCaCertificate(certificate);
    }
    m_caList->setCurrentRow(m_caList->count() - 1);
    onUserEdit();
    return true;
}

void TlsSettingsEditor::appendCaCertificate(const QSslCertificate &certificate)
{
    m_caCertificates.append(certificate);
    auto *item = new QListWidgetItem(certificateName(certificate), m_caList);
    item->setToolTip(certificateDetails(certificate));
}

// --- user actions ------------------------------------------------------------------------------

void TlsSettingsEditor::onUserEdit()
{
    QString pinProblem;
    parsePins(m_pinnedPublicKeys->toPlainText(), &pinProblem);
    FormRows::markInvalid(m_pinnedPublicKeys, pinProblem);
    updateEnabledState();
    if (!m_settingValues)
        Q_EMIT edited();
}

void TlsSettingsEditor::onAddCaClicked()
{
    const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Add CA certificates"), {}, tr("Certificates (*.pem *.crt *.cer *.der);;All files (*)"));
    for (const QString &file : files)
        addCaCertificatesFromFile(file);
}

void TlsSettingsEditor::onRemoveCaClicked()
{
    const int row = m_caList->currentRow();
    if (row < 0 || row >= m_caCertificates.size())
        return;
    delete m_caList->takeItem(row);
    m_caCertificates.removeAt(row);
    onUserEdit();
}

void TlsSettingsEditor::onBrowseCertificateClicked()
{
    const QString file = QFileDialog::getOpenFileName(
            this, tr("Client certificate"), {}, tr("Certificates (*.pem *.crt *.cer *.p12 *.pfx);;All files (*)"));
    if (file.isEmpty())
        return;
    m_certificateFile->setText(file);
    onClientCertificateFilesEdited();
}

void TlsSettingsEditor::onBrowseKeyClicked()
{
    const QString file =
            QFileDialog::getOpenFileName(this, tr("Client key"), {}, tr("Keys (*.key *.pem);;All files (*)"));
    if (file.isEmpty())
        return;
    m_keyFile->setText(file);
    onClientCertificateFilesEdited();
}

void TlsSettingsEditor::onClearClientCertificateClicked()
{
    m_certificateFile->clear();
    m_keyFile->clear();
    m_keyPassword->clear();
    m_programCertificate.reset();
    showClientCertificateStatus({}, false);
    onUserEdit();
}

void TlsSettingsEditor::onClientCertificateFilesEdited()
{
    if (!m_certificateFile->text().trimmed().isEmpty())
        showClientCertificateStatus(tr("Loaded and checked when the settings are applied."), false);
    else if (m_programCertificate)
        showClientCertificateStatus(programCertificateStatus(), false);
    else
        showClientCertificateStatus({}, false);
    onUserEdit();
}

QString TlsSettingsEditor::programCertificateStatus() const
{
    return tr("Set by the program: %1. Choose files to replace it, or Clear.")
            .arg(certificateName(m_programCertificate->certificate));
}

void TlsSettingsEditor::showClientCertificateStatus(const QString &text, bool isError) const
{
    m_clientCertificateStatus->setText(text);
    m_clientCertificateStatus->setProperty("isError", isError);
    m_clientCertificateStatus->setStyleSheet(isError ? u"color: #b00020;"_s : QString());
    m_clientCertificateStatus->setVisible(!text.isEmpty());
}

/** The one place that decides what is enabled here: the lock, and Remove only with a CA chosen. */
void TlsSettingsEditor::updateEnabledState()
{
    for (QWidget *widget : m_rows.editors())
        widget->setEnabled(!m_locked);
    m_removeCa->setEnabled(!m_locked && m_caList->currentRow() >= 0);
}

} // namespace Wsw::Ui
