#include "dialogs/saveprofiledialog.h"

#include "dialogs/fitheight.h"

#include <algorithm>

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpacerItem>
#include <QUrl>
#include <QVBoxLayout>

#include "persistence/controljson.h"
#include "widgets/buddylabel.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

const QString FileSuffix = u".wsprofile.json"_s;

/** "Server password, client certificate key": what includeSecrets would add to the file. */
QString secretsList(const MessageWebSocketControl &control)
{
    QStringList parts;
    if (control.serverCredential && !control.serverCredential->password.isEmpty())
        parts.append(QObject::tr("the server password"));
    if (control.proxyCredential && !control.proxyCredential->password.isEmpty())
        parts.append(QObject::tr("the proxy password"));
    if (control.clientCertificate && !control.clientCertificate->privateKey.isNull())
        parts.append(QObject::tr("the client certificate's private key"));
    if (parts.size() > 1)
        return QObject::tr("%1 and %2").arg(parts.mid(0, parts.size() - 1).join(u", "_s), parts.last());
    return parts.join(QString());
}

/** A file name from the profile name: letters, digits, '-', '_' and '.' kept, the rest '-'. */
QString fileNameFor(const QString &name)
{
    QString base;
    for (const QChar c : name.trimmed())
        base.append(c.isLetterOrNumber() || c == u'-' || c == u'_' || c == u'.' ? c : u'-');
    return (base.isEmpty() ? u"connection"_s : base) + FileSuffix;
}

} // namespace

SaveProfileDialog::SaveProfileDialog(const ConnectionProfile &profile, const QString &directory, QWidget *parent)
    : QDialog(parent)
    , m_profile(profile)
    , m_hasSecrets(!ControlJson::secretsOf(profile.control).isEmpty())
    , m_iterations(SecretBox::DefaultIterations)
    , m_name(new QLineEdit(this))
    , m_file(new QLineEdit(this))
    , m_browse(new QPushButton(tr("Browse…"), this))
    , m_includeSecrets(new QCheckBox(tr("&Include passwords, encrypted with a passphrase"), this))
    , m_passphrase(new QLineEdit(this))
    , m_confirm(new QLineEdit(this))
    , m_secretsNote(new QLabel(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Save connection profile"));
    QString name = profile.name;
    if (name.trimmed().isEmpty())
        name = QUrl(profile.url).host();
    m_name->setText(name);
    m_name->setAccessibleName(tr("Profile name"));
    m_name->setToolTip(tr("How the profile is called in the window and in the file"));
    const QString folder = directory.isEmpty() ? QDir::homePath() : directory;
    m_file->setText(QDir::toNativeSeparators(QDir(folder).filePath(fileNameFor(name))));
    m_file->setAccessibleName(tr("Profile file"));
    m_file->setToolTip(tr("A JSON file (%1) that others can open with File › Open connection profile…").arg(FileSuffix));
    m_browse->setAccessibleName(tr("Browse for the profile file"));
    m_includeSecrets->setAccessibleName(tr("Include passwords, encrypted with a passphrase"));
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setAccessibleName(tr("Passphrase"));
    m_passphrase->setToolTip(tr("At least %1 characters. Whoever opens the profile with its passwords needs it; "
                                "it is not stored anywhere.").arg(MinimumPassphraseLength));
    m_confirm->setEchoMode(QLineEdit::Password);
    m_confirm->setAccessibleName(tr("Confirm passphrase"));
    m_secretsNote->setWordWrap(true);
    m_secretsNote->setObjectName(u"secretsNote"_s);
    m_error->setWordWrap(true);
    m_error->setObjectName(u"saveError"_s);
    m_error->setAccessibleName(tr("Save problem"));
    m_error->setStyleSheet(u"color: #b00020;"_s);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setVisible(false);

    const QString secrets = secretsList(profile.control);
    if (m_hasSecrets)
        m_secretsNote->setText(tr("This connection holds %1. Without the box below the profile is saved without "
                                  "them (user names are kept); with it they are encrypted (PBKDF2 and AES-256-GCM) "
                                  "and never written in clear.").arg(secrets));
    else
        m_secretsNote->setText(tr("This connection holds no passwords or private keys: there is nothing to encrypt."));

    auto *fileRow = new QHBoxLayout;
    fileRow->setContentsMargins(0, 0, 0, 0);
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(m_browse);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(buddyLabel(tr("Profile &name:"), m_name), m_name);
    form->addRow(buddyLabel(tr("&File:"), m_file), fileRow);
    form->addItem(new QSpacerItem(0, 6));
    form->addRow(m_secretsNote);
    form->addRow(m_includeSecrets);
    form->addRow(buddyLabel(tr("&Passphrase:"), m_passphrase), m_passphrase);
    form->addRow(buddyLabel(tr("&Confirm passphrase:"), m_confirm), m_confirm);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_saveButton = buttons->button(QDialogButtonBox::Save);
    m_saveButton->setAccessibleName(tr("Save"));
    buttons->button(QDialogButtonBox::Cancel)->setAccessibleName(tr("Cancel"));
    connect(buttons, &QDialogButtonBox::accepted, this, &SaveProfileDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_browse, &QPushButton::clicked, this, &SaveProfileDialog::browse);
    connect(m_includeSecrets, &QCheckBox::toggled, this, &SaveProfileDialog::updateEnabledState);
    for (QLineEdit *edit : {m_name, m_file, m_passphrase, m_confirm})
        connect(edit, &QLineEdit::textEdited, this, [this] { m_error->setVisible(false); });

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(buttons);
    setTabOrder(m_name, m_file);
    setTabOrder(m_file, m_browse);
    setTabOrder(m_browse, m_includeSecrets);
    setTabOrder(m_includeSecrets, m_passphrase);
    setTabOrder(m_passphrase, m_confirm);
    updateEnabledState();
    resize(640, sizeHint().height());
}

SaveProfileDialog::~SaveProfileDialog() = default;

void SaveProfileDialog::updateEnabledState()
{
    m_includeSecrets->setEnabled(m_hasSecrets);
    if (!m_hasSecrets)
        m_includeSecrets->setChecked(false);
    const bool sealing = m_includeSecrets->isChecked();
    m_passphrase->setEnabled(sealing);
    m_confirm->setEnabled(sealing);
}

void SaveProfileDialog::browse()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save connection profile"), m_file->text(),
                                                      tr("Connection profiles (*%1);;JSON files (*.json)").arg(FileSuffix));
    if (!path.isEmpty())
        m_file->setText(QDir::toNativeSeparators(path));
}

QString SaveProfileDialog::problem() const
{
    if (m_name->text().trimmed().isEmpty())
        return tr("Profile name: empty; give the profile a name.");
    if (m_file->text().trimmed().isEmpty())
        return tr("File: empty; choose where to save the profile.");
    const QFileInfo file(QDir::fromNativeSeparators(m_file->text().trimmed()));
    if (file.isDir())
        return tr("File: %1 is a folder; add a file name.").arg(m_file->text().trimmed());
    if (!file.absoluteDir().exists())
        return tr("File: the folder %1 does not exist.").arg(QDir::toNativeSeparators(file.absolutePath()));
    if (m_includeSecrets->isChecked()) {
        if (m_passphrase->text().size() < MinimumPassphraseLength)
            return tr("Passphrase: at least %1 characters.").arg(MinimumPassphraseLength);
        if (m_passphrase->text() != m_confirm->text())
            return tr("Confirm passphrase: the two passphrases differ.");
    }
    return {};
}

void SaveProfileDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(true);
    fitHeightToContents(this);
}

bool SaveProfileDialog::save(QString *error)
{
    QString why = problem();
    if (why.isEmpty()) {
        ConnectionProfile profile = m_profile;
        profile.name = m_name->text().trimmed();
        ProfileFile::SaveOptions options;
        options.includeSecrets = m_includeSecrets->isChecked();
        options.passphrase = options.includeSecrets ? m_passphrase->text() : QString();
        options.iterations = m_iterations;
        const QString path = QFileInfo(QDir::fromNativeSeparators(m_file->text().trimmed())).absoluteFilePath();
        if (ProfileFile::save(path, profile, options, &why)) {
            m_savedPath = path;
            return true;
        }
    }
    showError(why);
    if (error)
        *error = why;
    return false;
}

void SaveProfileDialog::accept()
{
    if (save())
        QDialog::accept();
}

void SaveProfileDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    fitHeightToContents(this);
}

} // namespace Wsw::Ui
