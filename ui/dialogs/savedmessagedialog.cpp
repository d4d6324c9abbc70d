#include "dialogs/savedmessagedialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "format/messageformat.h"
#include "theme.h"
#include "widgets/buddylabel.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

SavedMessageDialog::SavedMessageDialog(QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(this))
    , m_type(new QComboBox(this))
    , m_format(new QComboBox(this))
    , m_payload(new QPlainTextEdit(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Save a message"));
    setAccessibleName(tr("Save a message"));

    m_name->setAccessibleName(tr("Message name"));
    m_name->setToolTip(tr("How the message is listed, e.g. “subscribe to prices”"));
    m_name->setPlaceholderText(tr("e.g. subscribe to prices"));

    m_type->addItem(tr("Text"), QVariant::fromValue(SocketMessageType::Utf8));
    m_type->addItem(tr("Binary"), QVariant::fromValue(SocketMessageType::Binary));
    m_type->setAccessibleName(tr("Message type"));
    m_type->setToolTip(tr("The type the message goes out as, whatever the composer's Text/Binary switch says"));

    m_format->addItem(tr("Text (UTF-8)"), int(InputFormat::Text));
    m_format->addItem(tr("Hex"), int(InputFormat::Hex));
    m_format->addItem(tr("Base64"), int(InputFormat::Base64));
    m_format->setAccessibleName(tr("Written as"));
    m_format->setToolTip(tr("How the bytes below are written: as text, as hex (\"01 ff 7e\") or as base64"));

    m_payload->setAccessibleName(tr("Message content"));
    m_payload->setToolTip(tr("The message's bytes, written as chosen above"));
    m_payload->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_payload->setTabChangesFocus(true);

    m_problem->setAccessibleName(tr("Problem"));
    m_problem->setWordWrap(true);
    QPalette palette = m_problem->palette();
    palette.setColor(QPalette::WindowText, Theme::errorColor());
    m_problem->setPalette(palette);

    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Save"));
    m_buttons->button(QDialogButtonBox::Ok)->setAccessibleName(tr("Save"));
    m_buttons->button(QDialogButtonBox::Cancel)->setAccessibleName(tr("Cancel"));

    auto *form = new QFormLayout;
    form->addRow(buddyLabel(tr("&Name:"), m_name), m_name);
    form->addRow(buddyLabel(tr("&Type:"), m_type), m_type);
    form->addRow(buddyLabel(tr("&Written as:"), m_format), m_format);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buddyLabel(tr("&Content:"), m_payload));
    layout->addWidget(m_payload, 1);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (problem().isEmpty())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &SavedMessageDialog::revalidate);
    connect(m_type, &QComboBox::currentIndexChanged, this, &SavedMessageDialog::revalidate);
    connect(m_format, &QComboBox::currentIndexChanged, this, &SavedMessageDialog::revalidate);
    connect(m_payload, &QPlainTextEdit::textChanged, this, &SavedMessageDialog::revalidate);
    resize(480, 360);
    revalidate();
}

void SavedMessageDialog::setMessage(const SavedMessage &message)
{
    setWindowTitle(tr("Edit a saved message"));
    m_name->setText(message.name);
    m_type->setCurrentIndex(message.type == SocketMessageType::Utf8 ? 0 : 1);
    if (Format::utf8Problem(message.payload).isEmpty()) {
        m_format->setCurrentIndex(int(InputFormat::Text));
        m_payload->setPlainText(QString::fromUtf8(message.payload));
        if (m_payload->toPlainText().toUtf8() == message.payload)
            return;
        // the editor would change it (a CR, a NUL, a paragraph separator): bytes stay exact in hex
    }
    m_format->setCurrentIndex(int(InputFormat::Hex));
    m_payload->setPlainText(Format::hexPreview(message.payload, message.payload.size()));
}

std::optional<SavedMessage> SavedMessageDialog::message(QString *problem) const
{
    const auto fail = [problem](const QString &why) -> std::optional<SavedMessage> {
        if (problem)
            *problem = why;
        return std::nullopt;
    };
    SavedMessage result;
    result.name = m_name->text().trimmed();
    if (result.name.isEmpty())
        return fail(tr("Give the message a name."));
    result.type = m_type->currentData().value<SocketMessageType>();
    const QString text = m_payload->toPlainText();
    QString error;
    switch (InputFormat(m_format->currentData().toInt())) {
    case InputFormat::Text:
        result.payload = text.toUtf8();
        break;
    case InputFormat::Hex: {
        const std::optional<QByteArray> bytes = Format::parseHex(text, &error);
        if (!bytes)
            return fail(tr("Not hex: %1").arg(error));
        result.payload = *bytes;
        break;
    }
    case InputFormat::Base64: {
        const std::optional<QByteArray> bytes = Format::parseBase64(text, &error);
        if (!bytes)
            return fail(tr("Not base64: %1").arg(error));
        result.payload = *bytes;
        break;
    }
    }
    if (result.type == SocketMessageType::Utf8) {
        if (const QString bad = Format::utf8Problem(result.payload); !bad.isEmpty())
            return fail(tr("A text message must be valid UTF-8 (%1): choose Binary, or fix the bytes.").arg(bad));
    }
    if (problem)
        problem->clear();
    return result;
}

QString SavedMessageDialog::problem() const
{
    QString why;
    (void)message(&why);
    return why;
}

void SavedMessageDialog::revalidate()
{
    const QString why = problem();
    m_problem->setText(why);
    m_problem->setVisible(!why.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
}

} // namespace Wsw::Ui
