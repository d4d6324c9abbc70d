#include "dialogs/profilepassphrasedialog.h"

#include "dialogs/fitheight.h"

#include <algorithm>

#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "widgets/buddylabel.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

ProfilePassphraseDialog::ProfilePassphraseDialog(const QString &path, QWidget *parent)
    : QDialog(parent)
    , m_path(path)
    , m_passphrase(new QLineEdit(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Open connection profile"));
    auto *intro = new QLabel(tr("%1 holds passwords encrypted with a passphrase. Type it to open the profile with "
                                "its passwords, or open it without them and type them in the Control later.")
                                     .arg(QFileInfo(path).fileName()),
                             this);
    intro->setWordWrap(true);
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setAccessibleName(tr("Passphrase"));
    m_error->setObjectName(u"passphraseError"_s);
    m_error->setAccessibleName(tr("Passphrase problem"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #b00020;"_s);
    m_error->setVisible(false);

    auto *buttons = new QDialogButtonBox(this);
    m_open = buttons->addButton(tr("&Open"), QDialogButtonBox::AcceptRole);
    m_open->setAccessibleName(tr("Open"));
    m_open->setDefault(true);
    QPushButton *without = buttons->addButton(tr("Open &without passwords"), QDialogButtonBox::ActionRole);
    without->setAccessibleName(tr("Open without passwords"));
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setAccessibleName(tr("Cancel"));
    connect(m_open, &QPushButton::clicked, this, &ProfilePassphraseDialog::openWithPassphrase);
    connect(without, &QPushButton::clicked, this, &ProfilePassphraseDialog::openWithoutPasswords);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_passphrase, &QLineEdit::textEdited, this, [this] { m_error->setVisible(false); });

    auto *form = new QFormLayout;
    form->addRow(buddyLabel(tr("&Passphrase:"), m_passphrase), m_passphrase);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(buttons);
    resize(520, sizeHint().height());
}

ProfilePassphraseDialog::~ProfilePassphraseDialog() = default;

void ProfilePassphraseDialog::openWithPassphrase()
{
    if (m_passphrase->text().isEmpty()) {
        m_error->setText(tr("Passphrase: empty. Type it, or open the profile without passwords."));
        m_error->setVisible(true);
        fitHeightToContents(this);
        return;
    }
    ProfileFile::LoadResult result = ProfileFile::load(m_path, m_passphrase->text());
    if (result.passphraseRejected) {
        // stay open with what was typed, selected, so a typo is one keystroke away from a retry
        m_error->setText(result.error);
        m_error->setVisible(true);
        fitHeightToContents(this);
        m_passphrase->selectAll();
        m_passphrase->setFocus();
        return;
    }
    m_result = std::move(result);
    accept();
}

void ProfilePassphraseDialog::openWithoutPasswords()
{
    m_result = ProfileFile::load(m_path, std::nullopt);
    accept();
}

void ProfilePassphraseDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    fitHeightToContents(this);
}

} // namespace Wsw::Ui
