#include "mainwindow.h"

#include <algorithm>

#include <QButtonGroup>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTime>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

constexpr qsizetype TextPreviewChars = 4000; // a log line stays readable; the rest is elided
constexpr qsizetype BinaryPreviewBytes = 1024;
constexpr int LogMaxLines = 10000; // bounded: the oldest lines go first

struct StateLook
{
    QString text;
    QString background;
    QString foreground;
};

StateLook stateLook(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Idle:
        return {MainWindow::tr("Not connected"), u"#e4e7eb"_s, u"#38424c"_s};
    case ConnectionState::Connecting:
    case ConnectionState::TlsHandshaking:
    case ConnectionState::AwaitingServerValidation:
    case ConnectionState::AwaitingUpgrade:
        return {MainWindow::tr("Connecting…"), u"#fff1c2"_s, u"#6b5000"_s};
    case ConnectionState::Open:
        return {MainWindow::tr("Open"), u"#d3f0dc"_s, u"#145a2a"_s};
    case ConnectionState::Closing:
        return {MainWindow::tr("Closing…"), u"#fff1c2"_s, u"#6b5000"_s};
    case ConnectionState::Closed:
        return {MainWindow::tr("Closed"), u"#e4e7eb"_s, u"#38424c"_s};
    case ConnectionState::Failed:
        return {MainWindow::tr("Failed"), u"#f9d9d9"_s, u"#8a1c1c"_s};
    }
    return {};
}

bool isHexDigit(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F');
}

bool isEnded(ConnectionState state)
{
    return state == ConnectionState::Idle || state == ConnectionState::Closed ||
           state == ConnectionState::Failed;
}

/** One log line per message: line breaks inside a text message are shown, not followed. */
QString textPreview(const QByteArray &data)
{
    QString text = QString::fromUtf8(data);
    const bool elided = text.size() > TextPreviewChars;
    if (elided)
        text.truncate(TextPreviewChars);
    text.replace(u"\r\n"_s, u"␍↵"_s).replace(u'\n', u'↵').replace(u'\r', u'␍');
    return elided ? text + u" …"_s : text;
}

QString describe(SocketMessageType type, const QByteArray &data)
{
    if (type == SocketMessageType::Utf8)
        return MainWindow::tr("text, %1 bytes: %2").arg(data.size()).arg(textPreview(data));
    const bool elided = data.size() > BinaryPreviewBytes;
    const QString hex = QString::fromLatin1(data.first(std::min(data.size(), BinaryPreviewBytes)).toHex(' '));
    return MainWindow::tr("binary, %1 bytes: %2").arg(data.size()).arg(elided ? hex + u" …"_s : hex);
}

/** Hex bytes as typed in Binary mode ("01 ff 7e", "01ff7e"); an error message names the first bad character.
 */
QByteArray parseHex(const QString &text, QString *error)
{
    QByteArray digits;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isSpace())
            continue;
        if (!isHexDigit(c)) {
            *error =
                MainWindow::tr("“%1” (character %2) is not a hex digit. In Binary mode a message is typed "
                               "as hex bytes, e.g. 01 ff 7e.")
                    .arg(c)
                    .arg(i + 1);
            return {};
        }
        digits.append(char(c.unicode()));
    }
    if (digits.size() % 2 != 0) {
        *error = MainWindow::tr("%1 hex digits is an odd number: every byte takes two digits, e.g. 01 ff 7e.")
                     .arg(digits.size());
        return {};
    }
    return QByteArray::fromHex(digits);
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_url(new QLineEdit)
    , m_connectButton(new QPushButton(tr("Connect")))
    , m_closeButton(new QPushButton(tr("Close (1000)")))
    , m_stateLabel(new QLabel)
    , m_textButton(new QToolButton)
    , m_binaryButton(new QToolButton)
    , m_typeGroup(new QButtonGroup(this))
    , m_log(new QPlainTextEdit)
    , m_composer(new QLineEdit)
    , m_sendButton(new QPushButton(tr("Send")))
    , m_pingButton(new QPushButton(tr("Ping")))
    , m_status(new QLabel)
{
    setWindowTitle(tr("WebSocket Workbench"));
    setWindowIcon(QIcon(u":/icons/wsworkbench.svg"_s));

    m_url->setPlaceholderText(tr("ws://host:port/path"));
    m_url->setClearButtonEnabled(true);
    m_connectButton->setDefault(true);
    m_closeButton->setToolTip(tr("Starts the close handshake with code 1000 (normal closure)"));
    m_stateLabel->setAlignment(Qt::AlignCenter);
    m_stateLabel->setMinimumWidth(m_stateLabel->fontMetrics().horizontalAdvance(tr("Not connected")) + 28);

    // Text/Binary: a two-segment switch, because it decides how the next message goes out
    m_textButton->setText(tr("Text"));
    m_textButton->setObjectName(u"textType"_s);
    m_textButton->setToolTip(tr("MessageType Utf8: the next message goes out as text (valid UTF-8)"));
    m_binaryButton->setText(tr("Binary"));
    m_binaryButton->setObjectName(u"binaryType"_s);
    m_binaryButton->setToolTip(tr("MessageType Binary: the next message goes out as binary, typed as hex"));
    auto *typeSwitch = new QWidget;
    typeSwitch->setStyleSheet(uR"(
        QToolButton { border: 1px solid #7b8794; background: #ffffff; color: #1f2d3a;
                      padding: 4px 16px; font-weight: bold; }
        QToolButton:hover:!checked { background: #e6eef5; }
        QToolButton:checked { background: #1f5f8b; border-color: #1f5f8b; color: #ffffff; }
        QToolButton#textType { border-top-left-radius: 4px; border-bottom-left-radius: 4px; }
        QToolButton#binaryType { border-left: none; border-top-right-radius: 4px; border-bottom-right-radius: 4px; }
    )"_s);
    auto *typeLayout = new QHBoxLayout(typeSwitch);
    typeLayout->setContentsMargins(0, 0, 0, 0);
    typeLayout->setSpacing(0);
    for (QToolButton *b : {m_textButton, m_binaryButton}) {
        b->setCheckable(true);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
        typeLayout->addWidget(b);
        m_typeGroup->addButton(b);
    }
    m_typeGroup->setExclusive(true);
    m_textButton->setChecked(true);
    m_socket.setMessageType(SocketMessageType::Utf8);

    m_log->setReadOnly(true);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setMaximumBlockCount(LogMaxLines);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setPlaceholderText(tr("Messages appear here: > sent, < received, · events, ! errors, "
                                 "with millisecond timestamps."));
    m_composer->setPlaceholderText(tr("Message to send (Enter)"));
    m_pingButton->setToolTip(tr("Sends a ping; the pong's round-trip time is logged"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setStyleSheet(u"QLabel { background: #fdecea; color: #8a1c1c; border: 1px solid #f1b8b4;"
                            " border-radius: 4px; padding: 5px 8px; }"_s);
    m_status->hide();

    auto *connectionRow = new QHBoxLayout;
    connectionRow->addWidget(new QLabel(tr("URL")));
    connectionRow->addWidget(m_url, 1);
    connectionRow->addWidget(m_connectButton);
    connectionRow->addWidget(m_closeButton);
    connectionRow->addWidget(m_stateLabel);

    auto *composerRow = new QHBoxLayout;
    composerRow->addWidget(typeSwitch);
    composerRow->addSpacing(4);
    composerRow->addWidget(m_composer, 1);
    composerRow->addWidget(m_sendButton);
    composerRow->addWidget(m_pingButton);

    auto *layout = new QVBoxLayout;
    layout->addLayout(connectionRow);
    layout->addWidget(m_log, 1);
    layout->addWidget(m_status);
    layout->addLayout(composerRow);
    auto *central = new QWidget;
    central->setLayout(layout);
    setCentralWidget(central);
    resize(960, 620);

    connect(m_connectButton, &QPushButton::clicked, this, &MainWindow::onConnectClicked);
    connect(m_url, &QLineEdit::returnPressed, this, &MainWindow::onConnectClicked);
    connect(m_closeButton, &QPushButton::clicked, this, &MainWindow::onCloseClicked);
    connect(m_sendButton, &QPushButton::clicked, this, &MainWindow::onSendClicked);
    connect(m_composer, &QLineEdit::returnPressed, this, &MainWindow::onSendClicked);
    connect(m_pingButton, &QPushButton::clicked, this, &MainWindow::onPingClicked);
    connect(m_typeGroup, &QButtonGroup::buttonToggled, this, &MainWindow::onMessageTypeToggled);

    connect(&m_socket, &MessageWebSocket::stateChanged, this, &MainWindow::updateEnabledState);
    connect(&m_socket, &MessageWebSocket::connected, this, &MainWindow::onConnected);
    connect(&m_socket, &MessageWebSocket::messageReceived, this, &MainWindow::onMessageReceived);
    connect(&m_socket, &MessageWebSocket::pongReceived, this, &MainWindow::onPongReceived);
    connect(&m_socket, &MessageWebSocket::closed, this, &MainWindow::onClosed);
    connect(&m_socket, &MessageWebSocket::errorOccurred, this, &MainWindow::onError);
    updateEnabledState();
}

void MainWindow::connectTo(const QUrl &url)
{
    m_url->setText(url.toString());
    onConnectClicked();
}

QString MainWindow::logText() const
{
    return m_log->toPlainText();
}

void MainWindow::onConnectClicked()
{
    const ConnectionState state = m_socket.state();
    if (state == ConnectionState::Open || state == ConnectionState::Closing) {
        m_socket.abort(); // "Disconnect": no close frame; Close (1000) is the polite way
        appendLog(u"·", tr("dropped the connection without a close frame"));
        return;
    }
    if (!isEnded(state)) {
        m_socket.cancelConnect();
        return;
    }
    clearError();
    const QString text = m_url->text().trimmed();
    if (text.isEmpty()) {
        showError(tr("Type the server's URL first, e.g. ws://127.0.0.1:8080/chat"));
        return;
    }
    if (!m_socket.connectAsync(QUrl::fromUserInput(text)))
        showError(m_socket.lastError().toString());
}

void MainWindow::onCloseClicked()
{
    if (!m_socket.close(1000, {}))
        showError(m_socket.lastError().toString());
}

void MainWindow::onSendClicked()
{
    QByteArray payload;
    if (m_binaryButton->isChecked()) {
        QString error;
        payload = parseHex(m_composer->text(), &error);
        if (!error.isEmpty()) {
            showError(error); // the text stays in the composer to be corrected
            return;
        }
    } else {
        payload = m_composer->text().toUtf8();
    }
    if (!m_socket.sendMessage(payload)) {
        showError(m_socket.lastError().toString());
        return;
    }
    appendLog(u">", describe(m_socket.control().messageType, payload));
    m_composer->clear();
    clearError();
}

void MainWindow::onPingClicked()
{
    if (!m_socket.ping("workbench"))
        showError(m_socket.lastError().toString());
}

void MainWindow::onMessageTypeToggled()
{
    // MessageType is the one Control property that may change while connected
    const bool binary = m_binaryButton->isChecked();
    m_socket.setMessageType(binary ? SocketMessageType::Binary : SocketMessageType::Utf8);
    m_composer->setPlaceholderText(binary ? tr("Hex bytes to send, e.g. 01 ff 7e (Enter)")
                                          : tr("Message to send (Enter)"));
}

void MainWindow::onConnected()
{
    const QString protocol = m_socket.information().protocol;
    appendLog(u"·", protocol.isEmpty() ? tr("connected to %1").arg(m_url->text())
                                       : tr("connected to %1 (subprotocol %2)").arg(m_url->text(), protocol));
    const CompressionInformation compression = m_socket.information().compression;
    if (compression.negotiated)
        appendLog(u"·", compression.note.isEmpty() ? tr("compression: %1").arg(compression.extension)
                                                   : tr("compression: %1 (%2)").arg(compression.extension, compression.note));
    else
        appendLog(u"·", tr("compression: not negotiated (the server declined permessage-deflate)"));
    clearError();
    m_composer->setFocus();
}

void MainWindow::onMessageReceived(const MessageWebSocketMessageReceivedEventArgs &args)
{
    appendLog(u"<", describe(args.messageType(), args.data()));
}

void MainWindow::onPongReceived(std::chrono::milliseconds roundTrip)
{
    appendLog(u"·", roundTrip.count() < 1 ? tr("pong after < 1 ms")
                                          : tr("pong after %1 ms").arg(roundTrip.count()));
}

void MainWindow::onClosed(const WebSocketClosedEventArgs &args)
{
    const QString reason = args.reason().isEmpty() ? QString() : u" “"_s + args.reason() + u'”';
    appendLog(u"·", tr("closed: code %1%2, %3")
                        .arg(args.code())
                        .arg(reason, args.wasClean() ? tr("clean") : tr("not clean")));
}

void MainWindow::onError(const WebSocketError &error)
{
    QString text = error.toString();
    if (error.httpStatus() > 0 && !error.httpBody().isEmpty())
        text +=
            u'\n' + textPreview(error.httpBody().first(std::min<qsizetype>(error.httpBody().size(), 2000)));
    showError(text);
    appendLog(u"!", error.message());
}

void MainWindow::updateEnabledState()
{
    const ConnectionState state = m_socket.state();
    const bool open = state == ConnectionState::Open;
    const bool ended = isEnded(state);

    const StateLook look = stateLook(state);
    m_stateLabel->setText(look.text);
    m_stateLabel->setStyleSheet(u"QLabel { background: %1; color: %2; border-radius: 10px; padding: 3px 12px;"
                                " font-weight: bold; }"_s.arg(look.background, look.foreground));

    m_url->setReadOnly(!ended);
    if (ended)
        m_connectButton->setText(tr("Connect"));
    else if (open || state == ConnectionState::Closing)
        m_connectButton->setText(tr("Disconnect"));
    else
        m_connectButton->setText(tr("Cancel"));
    m_connectButton->setToolTip(open || state == ConnectionState::Closing
                                    ? tr("Drops the connection at once, without a close frame")
                                    : QString());
    m_closeButton->setEnabled(open);
    m_composer->setEnabled(open);
    m_sendButton->setEnabled(open);
    m_pingButton->setEnabled(open);
}

void MainWindow::appendLog(QStringView direction, const QString &text)
{
    m_log->appendPlainText(QTime::currentTime().toString(u"HH:mm:ss.zzz"_s) + u' ' + direction + u' ' + text);
}

void MainWindow::showError(const QString &text)
{
    m_status->setText(text);
    m_status->show();
}

void MainWindow::clearError()
{
    m_status->clear();
    m_status->hide();
}

} // namespace Wsw::Ui
