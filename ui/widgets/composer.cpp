#include "widgets/composer.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "format/messageformat.h"
#include "theme.h"
#include "widgets/buddylabel.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

constexpr int MaxCloseReasonBytes = 123; // RFC 6455 §5.5: 125 bytes of control payload, 2 for the code
constexpr int MaxPingPayloadBytes = 125;

} // namespace

Composer::Composer(QWidget *parent)
    : QWidget(parent)
    , m_textButton(new QToolButton)
    , m_binaryButton(new QToolButton)
    , m_typeGroup(new QButtonGroup(this))
    , m_format(new QComboBox)
    , m_message(new QPlainTextEdit)
    , m_sendButton(new QPushButton(tr("Send")))
    , m_prettifyButton(new QPushButton(tr("Prettify")))
    , m_fileButton(new QPushButton(tr("Send file…")))
    , m_pingPayload(new QLineEdit)
    , m_pingButton(new QPushButton(tr("Ping")))
    , m_roundTrip(new QLabel)
    , m_closeCode(new QComboBox)
    , m_closeReason(new QLineEdit)
    , m_closeButton(new QPushButton(tr("Close")))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(buildMessageRow());
    layout->addWidget(buildControlFramesRow());

    setMessageType(SocketMessageType::Utf8);
    setOpen(false);
}

Composer::~Composer()
{
    if (m_fileRead)
        m_fileRead->cancel(); // the worker stops at its next chunk instead of reading on for nobody
}

QWidget *Composer::buildTypeSwitch()
{
    // Text/Binary as a two-segment switch: it decides how the next message goes out
    auto *typeSwitch = new QWidget;
    typeSwitch->setAccessibleName(tr("Message type"));
    typeSwitch->setToolTip(tr("MessageType: how the next message goes out. It may change at any time, "
                              "even while connected."));
    typeSwitch->setStyleSheet(Theme::segmentedSwitchStyle());
    m_textButton->setText(tr("Text"));
    m_textButton->setObjectName(u"textType"_s);
    m_textButton->setAccessibleName(tr("Text"));
    m_textButton->setToolTip(tr("MessageType Utf8: the next message goes out as a text frame (valid UTF-8)"));
    m_binaryButton->setText(tr("Binary"));
    m_binaryButton->setObjectName(u"binaryType"_s);
    m_binaryButton->setAccessibleName(tr("Binary"));
    m_binaryButton->setToolTip(tr("MessageType Binary: the next message goes out as a binary frame"));
    auto *typeLayout = new QHBoxLayout(typeSwitch);
    typeLayout->setContentsMargins(0, 0, 0, 0);
    typeLayout->setSpacing(0);
    for (QToolButton *b : {m_textButton, m_binaryButton}) {
        b->setCheckable(true);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
        typeLayout->addWidget(b);
        m_typeGroup->addButton(b);
    }
    m_typeGroup->setExclusive(true);
    connect(m_typeGroup, &QButtonGroup::buttonToggled, this, [this](QAbstractButton *, bool checked) {
        if (checked)
            onTypeToggled();
    });
    return typeSwitch;
}

QWidget *Composer::buildMessageRow()
{
    m_format->addItem(tr("Text"), QVariant::fromValue(InputFormat::Text));
    m_format->addItem(tr("JSON"), QVariant::fromValue(InputFormat::Json));
    m_format->addItem(tr("Hex"), QVariant::fromValue(InputFormat::Hex));
    m_format->addItem(tr("Base64"), QVariant::fromValue(InputFormat::Base64));
    m_format->setAccessibleName(tr("Input as"));
    m_format->setToolTip(tr("How the editor's content becomes the message's bytes: as UTF-8 text, as JSON "
                            "(checked before sending), as hex bytes or as base64"));
    connect(m_format, &QComboBox::currentIndexChanged, this, &Composer::updatePlaceholder);

    m_message->setAccessibleName(tr("Message"));
    m_message->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_message->setTabChangesFocus(true);
    m_message->installEventFilter(this);
    m_message->setFixedHeight(m_message->fontMetrics().lineSpacing() * 4 + 12);
    m_sendButton->setAccessibleName(tr("Send"));
    m_sendButton->setToolTip(tr("Sends the message (Enter; Shift+Enter starts a new line)"));
    m_prettifyButton->setAccessibleName(tr("Prettify"));
    m_prettifyButton->setToolTip(tr("Checks the JSON and indents it"));
    m_fileButton->setAccessibleName(tr("Send file"));
    connect(m_sendButton, &QPushButton::clicked, this, &Composer::onSendClicked);
    connect(m_prettifyButton, &QPushButton::clicked, this, &Composer::onPrettifyClicked);
    connect(m_fileButton, &QPushButton::clicked, this, &Composer::onFileClicked);

    auto *row = new QWidget;
    auto *grid = new QGridLayout(row);
    grid->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    top->addWidget(buildTypeSwitch());
    top->addSpacing(12);
    top->addWidget(buddyLabel(tr("&Input as"), m_format));
    top->addWidget(m_format);
    top->addStretch(1);
    auto *saveButton = new QPushButton(tr("Save message"));
    saveButton->setAccessibleName(tr("Save message"));
    saveButton->setToolTip(tr("Keeps the message in this connection's saved messages (to send again, repeatedly or in frames)"));
    connect(saveButton, &QPushButton::clicked, this, &Composer::onSaveClicked);
    top->addWidget(saveButton);
    top->addWidget(m_prettifyButton);
    top->addWidget(m_fileButton);
    grid->addLayout(top, 0, 0, 1, 2);
    auto *messageLabel = buddyLabel(tr("&Message"), m_message);
    messageLabel->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    grid->addWidget(messageLabel, 1, 0, 1, 2);
    grid->addWidget(m_message, 2, 0);
    m_sendButton->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
    m_sendButton->setMinimumWidth(90);
    grid->addWidget(m_sendButton, 2, 1);
    grid->setColumnStretch(0, 1);
    return row;
}

QWidget *Composer::buildControlFramesRow()
{
    m_pingPayload->setAccessibleName(tr("Ping payload"));
    m_pingPayload->setPlaceholderText(tr("optional, ≤ 125 bytes"));
    m_pingPayload->setMaxLength(MaxPingPayloadBytes);
    m_pingButton->setAccessibleName(tr("Ping"));
    m_pingButton->setToolTip(tr("Sends a ping with this payload; the pong's round-trip time is shown and logged"));
    m_roundTrip->setAccessibleName(tr("Round-trip time"));
    m_roundTrip->setMinimumWidth(m_roundTrip->fontMetrics().horizontalAdvance(u"RTT 9999 ms"_s));
    m_roundTrip->setText(tr("RTT —"));

    for (quint16 code : Format::sendableStandardCloseCodes())
        m_closeCode->addItem(Format::closeCodeName(code), code);
    m_closeCode->setAccessibleName(tr("Close code"));
    m_closeCode->setToolTip(tr("The status code of the close frame (RFC 6455 §7.4.1)"));
    m_closeReason->setAccessibleName(tr("Close reason"));
    m_closeReason->setPlaceholderText(tr("optional, ≤ 123 bytes"));
    m_closeButton->setAccessibleName(tr("Close"));
    m_closeButton->setToolTip(tr("Starts the close handshake with this code and reason"));
    connect(m_pingButton, &QPushButton::clicked, this, &Composer::onPingClicked);
    connect(m_pingPayload, &QLineEdit::returnPressed, this, &Composer::onPingClicked);
    connect(m_closeButton, &QPushButton::clicked, this, &Composer::onCloseClicked);

    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buddyLabel(tr("Pin&g payload"), m_pingPayload));
    layout->addWidget(m_pingPayload, 1);
    layout->addWidget(m_pingButton);
    layout->addWidget(m_roundTrip);
    layout->addSpacing(16);
    layout->addWidget(buddyLabel(tr("Close c&ode"), m_closeCode));
    layout->addWidget(m_closeCode);
    layout->addWidget(buddyLabel(tr("&Reason"), m_closeReason));
    layout->addWidget(m_closeReason, 1);
    layout->addWidget(m_closeButton);
    return row;
}

void Composer::setMessageType(SocketMessageType type)
{
    QToolButton *button = type == SocketMessageType::Utf8 ? m_textButton : m_binaryButton;
    if (!button->isChecked())
        button->setChecked(true); // onTypeToggled() follows
}

SocketMessageType Composer::messageType() const
{
    return m_binaryButton->isChecked() ? SocketMessageType::Binary : SocketMessageType::Utf8;
}

void Composer::setInputFormat(InputFormat format)
{
    m_format->setCurrentIndex(m_format->findData(QVariant::fromValue(format)));
}

Composer::InputFormat Composer::inputFormat() const
{
    return m_format->currentData().value<InputFormat>();
}

void Composer::onTypeToggled()
{
    // what people type follows the type, until they choose otherwise
    const InputFormat format = inputFormat();
    if (messageType() == SocketMessageType::Binary && (format == InputFormat::Text || format == InputFormat::Json))
        setInputFormat(InputFormat::Hex);
    else if (messageType() == SocketMessageType::Utf8 && (format == InputFormat::Hex || format == InputFormat::Base64))
        setInputFormat(InputFormat::Text);
    updatePlaceholder();
    Q_EMIT messageTypeChanged(messageType());
}

void Composer::updatePlaceholder()
{
    const bool binary = messageType() == SocketMessageType::Binary;
    QString placeholder;
    switch (inputFormat()) {
    case InputFormat::Text:
        placeholder = tr("Text to send as a %1 message (Enter sends, Shift+Enter for a new line)")
                              .arg(binary ? tr("binary") : tr("text"));
        break;
    case InputFormat::Json:
        placeholder = tr("JSON to send, e.g. {\"type\": \"hello\"} (checked before sending)");
        break;
    case InputFormat::Hex:
        placeholder = tr("Hex bytes to send as a %1 message, e.g. 01 ff 7e").arg(binary ? tr("binary") : tr("text"));
        break;
    case InputFormat::Base64:
        placeholder = tr("Base64 to send as a %1 message, e.g. AQL/fg==").arg(binary ? tr("binary") : tr("text"));
        break;
    }
    m_message->setPlaceholderText(placeholder);
    m_prettifyButton->setEnabled(inputFormat() == InputFormat::Json);
}

void Composer::setOpen(bool open)
{
    m_open = open;
    for (QWidget *w : std::initializer_list<QWidget *>{m_sendButton, m_pingButton, m_closeButton})
        w->setEnabled(open);
    updateFileButton(); // a file being read can always be stopped
}

void Composer::setRoundTrip(std::chrono::milliseconds roundTrip)
{
    m_roundTrip->setText(roundTrip.count() < 1 ? tr("RTT < 1 ms") : tr("RTT %1 ms").arg(roundTrip.count()));
}

QString Composer::messageText() const
{
    return m_message->toPlainText();
}

void Composer::setMessageText(const QString &text)
{
    m_message->setPlainText(text);
}

void Composer::focusMessage()
{
    m_message->setFocus();
}

std::optional<QByteArray> Composer::payload(QString *error) const
{
    const QString text = m_message->toPlainText();
    switch (inputFormat()) {
    case InputFormat::Text:
        return text.toUtf8();
    case InputFormat::Json: {
        QJsonParseError parseError;
        const QByteArray bytes = text.toUtf8();
        QJsonDocument::fromJson(bytes, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            *error = tr("Not valid JSON at byte %1: %2. Choose Input as Text to send it anyway.")
                             .arg(parseError.offset)
                             .arg(parseError.errorString());
            return std::nullopt;
        }
        return bytes;
    }
    case InputFormat::Hex:
        return Format::parseHex(text, error);
    case InputFormat::Base64:
        return Format::parseBase64(text, error);
    }
    return std::nullopt;
}

std::optional<QByteArray> Composer::checkedPayload()
{
    QString error;
    std::optional<QByteArray> bytes = payload(&error);
    if (!bytes) {
        Q_EMIT problem(error); // the text stays in the editor to be corrected
        return std::nullopt;
    }
    if (messageType() == SocketMessageType::Utf8) {
        if (const QString why = Format::utf8Problem(*bytes); !why.isEmpty()) {
            Q_EMIT problem(tr("A text message must be valid UTF-8, and these bytes are not: %1. Switch the message "
                              "type to Binary to send them.").arg(why));
            return std::nullopt;
        }
    }
    return bytes;
}

void Composer::onSendClicked()
{
    if (!m_open)
        return;
    if (const std::optional<QByteArray> bytes = checkedPayload())
        Q_EMIT sendRequested(*bytes);
}

void Composer::onSaveClicked()
{
    const std::optional<QByteArray> bytes = checkedPayload();
    if (!bytes)
        return;
    if (bytes->isEmpty()) {
        Q_EMIT problem(tr("There is nothing to save: the message is empty."));
        return;
    }
    SavedMessage message;
    message.type = messageType();
    message.payload = *bytes;
    // named after its start; F2 in the saved messages renames it
    message.name = message.type == SocketMessageType::Utf8 ? Format::singleLinePreview(*bytes, 40)
                                                           : tr("%1 binary").arg(Format::byteSize(bytes->size()));
    Q_EMIT saveRequested(message);
}

void Composer::messageSent()
{
    m_message->clear();
}

void Composer::onPrettifyClicked()
{
    QString error;
    const std::optional<QString> pretty = Format::prettyJson(m_message->toPlainText().toUtf8(), &error);
    if (!pretty) {
        Q_EMIT problem(tr("Not valid JSON: %1").arg(error));
        return;
    }
    m_message->setPlainText(*pretty);
}

void Composer::onFileClicked()
{
    if (m_fileRead) {
        m_fileRead->cancel(); // onFileRead() says so once the worker has stopped
        return;
    }
    const QString path = QFileDialog::getOpenFileName(this, tr("Send a file as one message"));
    if (!path.isEmpty())
        sendFile(path);
}

void Composer::sendFile(const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    if (m_fileRead) {
        Q_EMIT problem(tr("Still reading %1; stop that first (the Send file button) to send %2.").arg(m_fileName, name));
        return;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        Q_EMIT problem(tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        return;
    }
    const qint64 size = file.size();
    if (size > MaxFileBytes) {
        Q_EMIT problem(tr("%1 is %2; the workbench sends files of up to %3 as one message.")
                               .arg(name, Format::byteSize(quint64(size)), Format::byteSize(MaxFileBytes)));
        return;
    }
    file.close();
    // Off the GUI thread: reading hundreds of MiB (and checking them as UTF-8) takes seconds
    // from a slow disk. The worker opens the file itself; a QFile belongs to one thread.
    const bool text = messageType() == SocketMessageType::Utf8;
    m_fileName = name;
    m_fileRead = new QFutureWatcher<FileRead>(this);
    connect(m_fileRead, &QFutureWatcherBase::progressValueChanged, this, &Composer::updateFileButton);
    connect(m_fileRead, &QFutureWatcherBase::finished, this, &Composer::onFileRead);
    m_fileRead->setFuture(QtConcurrent::run([path, name, size, text](QPromise<FileRead> &promise) {
        constexpr qint64 ChunkBytes = 4 * 1024 * 1024;
        FileRead result;
        QFile in(path);
        if (!in.open(QIODevice::ReadOnly)) {
            result.error = tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(path), in.errorString());
            promise.addResult(std::move(result));
            return;
        }
        promise.setProgressRange(0, 1000);
        QByteArray bytes(qsizetype(size), Qt::Uninitialized);
        qint64 done = 0;
        while (done < size) {
            if (promise.isCanceled())
                return;
            const qint64 n = in.read(bytes.data() + done, std::min(ChunkBytes, size - done));
            if (n <= 0) {
                result.error = n < 0 ? tr("Cannot read %1: %2").arg(name, in.errorString())
                                     : tr("%1 became shorter while it was read (%2 of %3); nothing was sent.")
                                               .arg(name, Format::byteSize(quint64(done)), Format::byteSize(quint64(size)));
                promise.addResult(std::move(result));
                return;
            }
            done += n;
            promise.setProgressValue(int(done * 1000 / std::max<qint64>(size, 1)));
        }
        if (text) {
            if (const QString why = Format::utf8Problem(bytes); !why.isEmpty()) {
                result.error = tr("%1 is not valid UTF-8 (%2), so it cannot go out as a text message. Switch the "
                                  "message type to Binary to send it.").arg(name, why);
                promise.addResult(std::move(result));
                return;
            }
        }
        result.bytes = std::move(bytes);
        promise.addResult(std::move(result));
    }));
    updateFileButton();
}

bool Composer::isReadingFile() const
{
    return m_fileRead != nullptr;
}

void Composer::onFileRead()
{
    QFutureWatcher<FileRead> *watcher = std::exchange(m_fileRead, nullptr);
    watcher->deleteLater();
    updateFileButton();
    QFuture<FileRead> future = watcher->future();
    if (future.isCanceled() || future.resultCount() == 0) {
        Q_EMIT problem(tr("Stopped reading %1; nothing was sent.").arg(m_fileName));
        Q_EMIT fileReadEnded();
        return;
    }
    FileRead result = future.takeResult();
    Q_EMIT fileReadEnded();
    if (!result.error.isEmpty()) {
        Q_EMIT problem(result.error);
        return;
    }
    if (!m_open) {
        Q_EMIT problem(tr("The connection closed while %1 was read; nothing was sent.").arg(m_fileName));
        return;
    }
    Q_EMIT sendRequested(result.bytes);
}

void Composer::updateFileButton()
{
    if (m_fileRead) {
        const int permille = m_fileRead->progressValue();
        m_fileButton->setText(tr("Stop reading (%1 %)").arg(permille / 10));
        m_fileButton->setToolTip(tr("Reading %1 to send it; click to stop").arg(m_fileName));
        m_fileButton->setEnabled(true);
    } else {
        m_fileButton->setText(tr("Send file…"));
        m_fileButton->setToolTip(tr("Sends a file's bytes as one message in the current message type (up to %1)")
                                         .arg(Format::byteSize(MaxFileBytes)));
        m_fileButton->setEnabled(m_open);
    }
}

void Composer::onPingClicked()
{
    if (m_open)
        Q_EMIT pingRequested(m_pingPayload->text().toUtf8().left(MaxPingPayloadBytes));
}

void Composer::onCloseClicked()
{
    const QByteArray reason = m_closeReason->text().toUtf8();
    if (reason.size() > MaxCloseReasonBytes) {
        Q_EMIT problem(tr("A close reason may have at most %1 UTF-8 bytes; this one has %2.")
                               .arg(MaxCloseReasonBytes)
                               .arg(reason.size()));
        return;
    }
    Q_EMIT closeRequested(quint16(m_closeCode->currentData().toUInt()), m_closeReason->text());
}

bool Composer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_message && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        if (enter && !(key->modifiers() & Qt::ShiftModifier)) {
            onSendClicked();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace Wsw::Ui
