#include "mainwindow.h"

#include <QButtonGroup>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMetaEnum>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTime>
#include <QToolButton>
#include <QVBoxLayout>

namespace Wsw::Ui {

namespace {

QString stateName(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Idle:
        return MainWindow::tr("Not connected");
    case ConnectionState::Connecting:
    case ConnectionState::TlsHandshaking:
    case ConnectionState::AwaitingServerValidation:
    case ConnectionState::AwaitingUpgrade:
        return MainWindow::tr("Connecting…");
    case ConnectionState::Open:
        return MainWindow::tr("Connected");
    case ConnectionState::Closing:
        return MainWindow::tr("Closing…");
    case ConnectionState::Closed:
        return MainWindow::tr("Closed");
    case ConnectionState::Failed:
        return MainWindow::tr("Failed");
    }
    return {};
}

QString describe(SocketMessageType type, const QByteArray &data)
{
    if (type == SocketMessageType::Utf8)
        return MainWindow::tr("text, %1 bytes: %2").arg(data.size()).arg(QString::fromUtf8(data.first(std::min<qsizetype>(data.size(), 4096))));
    return MainWindow::tr("binary, %1 bytes: %2")
            .arg(data.size())
            .arg(QString::fromLatin1(data.first(std::min<qsizetype>(data.size(), 1024)).toHex(' ')));
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_url(new QLineEdit)
    , m_connectButton(new QPushButton(tr("Connect")))
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
    setWindowIcon(QIcon(QStringLiteral(":/icons/wsworkbench.svg")));

    m_url->setPlaceholderText(tr("ws://host:port/path"));
    m_url->setClearButtonEnabled(true);
    m_connectButton->setDefault(true);
    m_stateLabel->setMinimumWidth(110);

    m_textButton->setText(tr("Text"));
    m_binaryButton->setText(tr("Binary"));
    for (QToolButton *b : {m_textButton, m_binaryButton}) {
        b->setCheckable(true);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setMinimumWidth(70);
    }
    m_textButton->setToolTip(tr("MessageType Utf8: the next message goes out as text (valid UTF-8)"));
    m_binaryButton->setToolTip(tr("MessageType Binary: the next message goes out as binary, typed as hex"));
    m_typeGroup->addButton(m_textButton);
    m_typeGroup->addButton(m_binaryButton);
    m_typeGroup->setExclusive(true);
    m_textButton->setChecked(true);
    m_socket.setMessageType(SocketMessageType::Utf8);

    m_log->setReadOnly(true);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setMaximumBlockCount(10000); // bounded: the oldest lines go first
    m_log->setPlaceholderText(tr("Messages appear here: > sent, < received, with millisecond timestamps."));
    m_composer->setPlaceholderText(tr("Message to send (Enter)"));
    m_pingButton->setToolTip(tr("Sends a ping; the pong's round-trip time is logged"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *connectionRow = new QHBoxLayout;
    connectionRow->addWidget(new QLabel(tr("URL")));
    connectionRow->addWidget(m_url, 1);
    connectionRow->addWidget(m_connectButton);
    connectionRow->addWidget(m_stateLabel);

    auto *composerRow = new QHBoxLayout;
    composerRow->addWidget(m_textButton);
    composerRow->addWidget(m_binaryButton);
    composerRow->addWidget(m_composer, 1);
    composerRow->addWidget(m_sendButton);
    composerRow->addWidget(m_pingButton);

    auto *layout = new QVBoxLayout;
    layout->addLayout(connectionRow);
    layout->addWidget(m_log, 1);
    layout->addLayout(composerRow);
    layout->addWidget(m_status);
    auto *central = new QWidget;
    central->setLayout(layout);
    setCentralWidget(central);
    resize(900, 600);

    connect(m_connectButton, &QPushButton::clicked, this, &MainWindow::onConnectClicked);
    connect(m_url, &QLineEdit::returnPressed, this, &MainWindow::onConnectClicked);
    connect(m_sendButton, &QPushButton::clicked, this, &MainWindow::onSendClicked);
    connect(m_composer, &QLineEdit::returnPressed, this, &MainWindow::onSendClicked);
    connect(m_pingButton, &QPushButton::clicked, this, [this] {
        if (!m_socket.ping("workbench"))
            showStatus(m_socket.lastError().message(), true);
    });
    connect(m_typeGroup, &QButtonGroup::buttonToggled, this, &MainWindow::onMessageTypeToggled);

    connect(&m_socket, &MessageWebSocket::stateChanged, this, &MainWindow::onStateChanged);
    connect(&m_socket, &MessageWebSocket::connected, this, [this] {
        const QString protocol = m_socket.information().protocol;
        appendLog(QStringLiteral("·"), tr("connected to %1%2")
                                           .arg(m_url->text(), protocol.isEmpty() ? QString()
                                                                                  : tr(" (subprotocol %1)").arg(protocol)));
        showStatus({}, false);
        m_composer->setFocus();
    });
    connect(&m_socket, &MessageWebSocket::messageReceived, this, &MainWindow::onMessageReceived);
    connect(&m_socket, &MessageWebSocket::closed, this, &MainWindow::onClosed);
    connect(&m_socket, &MessageWebSocket::errorOccurred, this, &MainWindow::onError);
    connect(&m_socket, &MessageWebSocket::pongReceived, this,
            [this](std::chrono::milliseconds rtt, const QByteArray &) {
                appendLog(QStringLiteral("·"), tr("pong after %1 ms").arg(rtt.count()));
            });
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
    if (state == ConnectionState::Open) {
        m_socket.close(1000, {});
        return;
    }
    if (state != ConnectionState::Idle && state != ConnectionState::Closed && state != ConnectionState::Failed) {
        m_socket.cancelConnect();
        return;
    }
    const QUrl url = QUrl::fromUserInput(m_url->text().trimmed());
    if (!m_socket.connectAsync(url))
        showStatus(m_socket.lastError().message(), true);
}

void MainWindow::onSendClicked()
{
    const QString text = m_composer->text();
    QByteArray payload;
    if (m_binaryButton->isChecked()) {
        const QByteArray digits = text.toLatin1().replace(' ', QByteArray());
        payload = QByteArray::fromHex(digits);
        if (digits.size() % 2 != 0 || payload.toHex() != digits.toLower()) {
            showStatus(tr("Binary messages are typed as hex bytes, e.g. 01 ff 7e"), true);
            return;
        }
    } else {
        payload = text.toUtf8();
    }
    if (!m_socket.sendMessage(payload)) {
        showStatus(m_socket.lastError().message(), true);
        return;
    }
    appendLog(QStringLiteral(">"), describe(m_socket.control().messageType, payload));
    m_composer->clear();
    showStatus({}, false);
}

void MainWindow::onMessageTypeToggled()
{
    // MessageType is the one Control property that may change while connected
    m_socket.setMessageType(m_binaryButton->isChecked() ? SocketMessageType::Binary : SocketMessageType::Utf8);
    m_composer->setPlaceholderText(m_binaryButton->isChecked() ? tr("Hex bytes to send, e.g. 01 ff 7e (Enter)")
                                                               : tr("Message to send (Enter)"));
}

void MainWindow::onMessageReceived(const MessageWebSocketMessageReceivedEventArgs &args)
{
    appendLog(QStringLiteral("<"), describe(args.messageType(), args.data()));
}

void MainWindow::onClosed(const WebSocketClosedEventArgs &args)
{
    appendLog(QStringLiteral("·"), tr("closed: code %1%2, %3")
                                       .arg(args.code())
                                       .arg(args.reason().isEmpty() ? QString() : u' ' + args.reason())
                                       .arg(args.wasClean() ? tr("clean") : tr("not clean")));
}

void MainWindow::onError(const WebSocketError &error)
{
    QString text = error.toString();
    if (error.httpStatus() > 0 && !error.httpBody().isEmpty())
        text += u'\n' + QString::fromUtf8(error.httpBody().first(std::min<qsizetype>(error.httpBody().size(), 2000)));
    showStatus(text, true);
    appendLog(QStringLiteral("!"), error.message());
}

void MainWindow::onStateChanged(ConnectionState)
{
    updateEnabledState();
}

void MainWindow::updateEnabledState()
{
    const ConnectionState state = m_socket.state();
    const bool open = state == ConnectionState::Open;
    const bool ended = state == ConnectionState::Idle || state == ConnectionState::Closed
            || state == ConnectionState::Failed;
    m_stateLabel->setText(stateName(state));
    m_url->setReadOnly(!ended);
    m_connectButton->setText(ended ? tr("Connect") : (open ? tr("Disconnect") : tr("Cancel")));
    m_connectButton->setEnabled(state != ConnectionState::Closing);
    m_composer->setEnabled(open);
    m_sendButton->setEnabled(open);
    m_pingButton->setEnabled(open);
}

void MainWindow::appendLog(const QString &direction, const QString &text)
{
    m_log->appendPlainText(QTime::currentTime().toString(QStringLiteral("HH:mm:ss.zzz")) + u' ' + direction + u' '
                           + text);
}

void MainWindow::showStatus(const QString &text, bool isError)
{
    m_status->setText(text);
    m_status->setStyleSheet(isError ? QStringLiteral("color: #b00020;") : QString());
    m_status->setVisible(!text.isEmpty());
}

} // namespace Wsw::Ui
