#include "mainwindow.h"

#include <algorithm>

#include <QAction>
#include <QComboBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "api/chainvalidation.h"
#include "builtinechoserver.h"
#include "dialogs/certificatedialog.h"
#include "dialogs/pinsmanagerdialog.h"
#include "dialogs/servervalidationprompt.h"
#include "pinstore.h"
#include "format/messageformat.h"
#include "models/logentry.h"
#include "session.h"
#include "theme.h"
#include "widgets/buddylabel.h"
#include "widgets/composer.h"
#include "widgets/frameinspector.h"
#include "widgets/messagelogpanel.h"
#include "widgets/controleditor.h"
#include "widgets/handshakeview.h"
#include "widgets/informationview.h"
#include "widgets/messagedetailview.h"
#include "widgets/requestheaderseditor.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

constexpr int MaxUrlHistory = 20;
constexpr qsizetype ErrorBodyPreviewChars = 600;

struct StateLook
{
    QString text;
    Theme::StateColors colors;
};

StateLook stateLook(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Idle:
        return {MainWindow::tr("Not connected"), Theme::idleState()};
    case ConnectionState::Connecting:
        return {MainWindow::tr("Connecting…"), Theme::busyState()};
    case ConnectionState::TlsHandshaking:
        return {MainWindow::tr("TLS handshake…"), Theme::busyState()};
    case ConnectionState::AwaitingServerValidation:
        return {MainWindow::tr("Checking certificate…"), Theme::busyState()};
    case ConnectionState::AwaitingUpgrade:
        return {MainWindow::tr("Upgrading…"), Theme::busyState()};
    case ConnectionState::Open:
        return {MainWindow::tr("Open"), Theme::openState()};
    case ConnectionState::Closing:
        return {MainWindow::tr("Closing…"), Theme::busyState()};
    case ConnectionState::Closed:
        return {MainWindow::tr("Closed"), Theme::idleState()};
    case ConnectionState::Failed:
        return {MainWindow::tr("Failed"), Theme::failedState()};
    }
    return {};
}

/** Everything an error tells a person: the message, its status and rule, the HTTP answer, certificate errors. */
QString describeError(const WebSocketError &error)
{
    QStringList lines{error.toString()};
    if (error.httpStatus() > 0) {
        QString http = MainWindow::tr("The server answered HTTP %1 instead of 101 Switching Protocols.").arg(error.httpStatus());
        if (!error.httpBody().isEmpty())
            http += MainWindow::tr(" Its body: %1").arg(Format::singleLinePreview(error.httpBody(), ErrorBodyPreviewChars));
        lines << http;
    }
    for (ChainValidationResult result : error.certificateErrors())
        lines << u"• %1 — %2"_s.arg(ChainValidation::name(result), ChainValidation::explanation(result));
    return lines.join(u'\n');
}

} // namespace

MainWindow::MainWindow(BuiltInEchoServer *echoServer, PinStore *pins, QWidget *parent)
    : QMainWindow(parent)
    , m_echoServer(echoServer)
    , m_pins(pins ? pins : new PinStore({}, this))
    , m_session(new Session(this))
{
    setWindowTitle(tr("WebSocket Workbench"));
    setWindowIcon(QIcon(u":/icons/wsworkbench.svg"_s));

    // built in reading order, which is also the tab order: URL bar, settings, log, inspectors, composer
    QWidget *connectionBar = buildConnectionBar();
    QWidget *errorPanel = buildErrorPanel();
    QWidget *settings = buildSettingsPanel();
    auto *center = new QSplitter(Qt::Vertical);
    m_logPanel = new MessageLogPanel(m_session->messageLog());
    connect(m_logPanel, &MessageLogPanel::entrySelected, this, [this](const LogEntry &entry) { m_detail->showEntry(entry); });
    connect(m_logPanel, &MessageLogPanel::selectionCleared, this, [this] { m_detail->showNothing(); });
    connect(m_logPanel, &MessageLogPanel::clearRequested, m_session, &Session::clearLogs);
    center->addWidget(m_logPanel);
    center->addWidget(buildInspectors());
    center->setStretchFactor(0, 3);
    center->setStretchFactor(1, 2);
    center->setChildrenCollapsible(false);
    m_composer = new Composer;

    auto *work = new QWidget;
    auto *workLayout = new QVBoxLayout(work);
    workLayout->setContentsMargins(0, 0, 0, 0);
    workLayout->addWidget(center, 1);
    workLayout->addWidget(m_composer);

    auto *body = new QSplitter(Qt::Horizontal);
    body->addWidget(settings);
    body->addWidget(work);
    body->setStretchFactor(0, 0);
    body->setStretchFactor(1, 1);
    body->setSizes({std::max(450, settings->sizeHint().width()), 900}); // the Control form unclipped
    body->setChildrenCollapsible(false);

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(connectionBar);
    layout->addWidget(errorPanel);
    layout->addWidget(body, 1);
    setCentralWidget(central);
    buildMenus();
    connectSession();
    resize(1400, 900);

    if (m_echoServer && m_echoServer->isRunning()) {
        m_url->setEditText(m_echoServer->url().toString());
        m_serverNote->setText(m_echoServer->description());
    } else if (m_echoServer) {
        m_serverNote->setText(m_echoServer->problem());
    }
    m_serverNote->setVisible(!m_serverNote->text().isEmpty());
    updateEnabledState();
}

MainWindow::~MainWindow() = default;

// --- panels ----------------------------------------------------------------------------------

QWidget *MainWindow::buildConnectionBar()
{
    m_url = new QComboBox;
    m_url->setEditable(true);
    m_url->setInsertPolicy(QComboBox::NoInsert); // history is ours: only URLs that were connected to
    m_url->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_url->setAccessibleName(tr("URL"));
    m_url->lineEdit()->setAccessibleName(tr("URL"));
    m_url->lineEdit()->setPlaceholderText(tr("ws://host:port/path or wss://…"));
    m_url->lineEdit()->setClearButtonEnabled(true);
    m_url->setToolTip(tr("The server's URL; earlier ones are in the list (Enter connects)"));
    connect(m_url->lineEdit(), &QLineEdit::returnPressed, this, &MainWindow::onConnectClicked);

    m_connectButton = new QPushButton(tr("Connect"));
    m_connectButton->setAccessibleName(tr("Connect"));
    m_connectButton->setDefault(true);
    m_connectButton->setMinimumWidth(m_connectButton->fontMetrics().horizontalAdvance(tr("Disconnect")) + 32);
    connect(m_connectButton, &QPushButton::clicked, this, &MainWindow::onConnectClicked);

    auto *builtIn = new QToolButton;
    builtIn->setText(tr("Built-in server"));
    builtIn->setAccessibleName(tr("Built-in server"));
    builtIn->setToolTip(tr("Fill in the URL of the workbench's own echo server"));
    builtIn->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(builtIn);
    menu->addAction(tr("Echo server (ws://)"), this, [this] { useBuiltInServer(false); });
    menu->addAction(tr("Echo server (wss://, self-signed certificate)"), this, [this] { useBuiltInServer(true); });
    builtIn->setMenu(menu);
    builtIn->setEnabled(m_echoServer && m_echoServer->isRunning());

    m_stateLabel = new QLabel;
    m_stateLabel->setAccessibleName(tr("Connection state"));
    m_stateLabel->setAlignment(Qt::AlignCenter);
    m_stateLabel->setMinimumWidth(m_stateLabel->fontMetrics().horizontalAdvance(tr("Checking certificate…")) + 28);

    m_trustNote = new QLabel;
    m_trustNote->setAccessibleName(tr("Trust note"));
    m_trustNote->setStyleSheet(Theme::warningPanelStyle());
    m_trustNote->hide();

    m_serverNote = new QLabel;
    m_serverNote->setAccessibleName(tr("Built-in server"));
    m_serverNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_serverNote->setStyleSheet(u"QLabel { color: %1; }"_s.arg(Theme::eventColor().name()));

    auto *bar = new QWidget;
    auto *grid = new QVBoxLayout(bar);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    auto *row = new QHBoxLayout;
    row->addWidget(buddyLabel(tr("&URL"), m_url));
    row->addWidget(m_url, 1);
    row->addWidget(m_connectButton);
    row->addWidget(builtIn);
    row->addWidget(m_stateLabel);
    grid->addLayout(row);
    grid->addWidget(m_serverNote);
    grid->addWidget(m_trustNote);
    return bar;
}

QWidget *MainWindow::buildErrorPanel()
{
    m_errorPanel = new QFrame;
    m_errorPanel->setObjectName(u"errorPanel"_s);
    m_errorPanel->setStyleSheet(Theme::errorPanelStyle());
    m_errorText = new QLabel;
    m_errorText->setAccessibleName(tr("Error"));
    m_errorText->setWordWrap(true);
    m_errorText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *dismiss = new QToolButton;
    dismiss->setText(tr("Dismiss"));
    dismiss->setAccessibleName(tr("Dismiss error"));
    connect(dismiss, &QToolButton::clicked, this, &MainWindow::clearProblem);
    m_errorCertificateButton = new QPushButton(tr("Show certificate…"));
    m_errorCertificateButton->setAccessibleName(tr("Show certificate"));
    m_errorCertificateButton->setToolTip(tr("The chain the server presented and why it failed"));
    m_errorCertificateButton->hide();
    connect(m_errorCertificateButton, &QPushButton::clicked, this, [this] { showCertificate(m_session->socket().information()); });
    auto *layout = new QHBoxLayout(m_errorPanel);
    layout->setContentsMargins(8, 5, 8, 5);
    layout->addWidget(m_errorText, 1);
    layout->addWidget(m_errorCertificateButton, 0, Qt::AlignTop);
    layout->addWidget(dismiss, 0, Qt::AlignTop);
    m_errorPanel->hide();
    return m_errorPanel;
}

QWidget *MainWindow::buildSettingsPanel()
{
    m_controlEditor = new ControlEditor;
    MessageWebSocketControl initial = m_session->socket().control();
    initial.allowCustomValidationOverride = true; // the workbench asks when a certificate fails (issue: fail closed)
    m_controlEditor->setControl(initial);
    connect(m_controlEditor, &ControlEditor::messageTypeChanged, m_session, &Session::setMessageType);
    m_headersEditor = new RequestHeadersEditor;

    auto *tabs = new QTabWidget;
    tabs->setAccessibleName(tr("Connection settings"));
    tabs->addTab(m_controlEditor, tr("Control"));
    tabs->addTab(m_headersEditor, tr("Request headers"));

    auto *panel = new QWidget;
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(tabs, 1);
    panel->setMinimumWidth(360);
    return panel;
}

QWidget *MainWindow::buildInspectors()
{
    m_detail = new MessageDetailView;
    m_handshakeView = new HandshakeView;
    m_informationView = new InformationView;
    connect(m_informationView, &InformationView::certificateRequested, this,
            [this] { showCertificate(m_session->socket().information()); });
    m_inspectors = new QTabWidget;
    m_inspectors->setAccessibleName(tr("Inspectors"));
    m_inspectors->addTab(m_detail, tr("Message"));
    m_frameInspector = new FrameInspector(m_session->frameLog());
    m_inspectors->addTab(m_frameInspector, tr("Frames"));
    connect(m_logPanel, &MessageLogPanel::autoScrollChanged, m_frameInspector, &FrameInspector::setFollowing);
    m_inspectors->addTab(m_handshakeView, tr("Handshake"));
    m_inspectors->addTab(m_informationView, tr("Information"));
    return m_inspectors;
}

void MainWindow::buildMenus()
{
    QMenu *connection = menuBar()->addMenu(tr("&Connection"));
    QAction *connectAction = connection->addAction(tr("Connect / Disconnect"), this, &MainWindow::onConnectClicked);
    connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    connection->addAction(tr("Use the built-in echo server (ws://)"), this, [this] { useBuiltInServer(false); })
            ->setEnabled(m_echoServer && m_echoServer->isRunning());
    connection->addAction(tr("Use the built-in echo server (wss://)"), this, [this] { useBuiltInServer(true); })
            ->setEnabled(m_echoServer && m_echoServer->tlsUrl().isValid());
    connection->addSeparator();
    connection->addAction(tr("Server certificate…"), this, [this] { showCertificate(m_session->socket().information()); });
    connection->addAction(tr("Trusted certificates…"), this, &MainWindow::showPinsManager);
    connection->addSeparator();
    connection->addAction(tr("Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *log = menuBar()->addMenu(tr("&Log"));
    log->addAction(tr("Find"), QKeySequence::Find, m_logPanel, &MessageLogPanel::focusFilter);
    QAction *clear = log->addAction(tr("Clear"), m_session, &Session::clearLogs);
    clear->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    log->addAction(tr("Compose a message"), QKeySequence(Qt::CTRL | Qt::Key_M), m_composer, &Composer::focusMessage);
}

void MainWindow::connectSession()
{
    connect(m_session, &Session::stateChanged, this, &MainWindow::updateEnabledState);
    connect(m_session, &Session::closed, this, &MainWindow::updateEnabledState);
    connect(m_session, &Session::validationRequested, this, &MainWindow::onValidationRequested);
    connect(m_session, &Session::errorChanged, this, &MainWindow::onErrorChanged);
    connect(m_session, &Session::handshakeChanged, this, [this] { m_handshakeView->showTranscript(m_session->handshake()); });
    connect(m_session, &Session::informationChanged, this, &MainWindow::refreshInformation);
    connect(m_session, &Session::pongReceived, m_composer, &Composer::setRoundTrip);
    connect(m_session, &Session::messageTypeChanged, this, [this](SocketMessageType type) {
        m_composer->setMessageType(type);
        m_controlEditor->setMessageType(type);
    });
    connect(m_composer, &Composer::messageTypeChanged, m_session, &Session::setMessageType);
    connect(m_composer, &Composer::sendRequested, this, &MainWindow::onSendRequested);
    connect(m_composer, &Composer::pingRequested, m_session, &Session::ping);
    connect(m_composer, &Composer::closeRequested, m_session, &Session::close);
    connect(m_composer, &Composer::problem, this, &MainWindow::showProblem);
    m_composer->setMessageType(m_session->messageType());
    m_controlEditor->setMessageType(m_session->messageType());
}

// --- actions ---------------------------------------------------------------------------------

void MainWindow::connectTo(const QUrl &url)
{
    m_url->setEditText(url.toString());
    onConnectClicked();
}

void MainWindow::onConnectClicked()
{
    if (m_session->isActive()) {
        m_session->disconnectNow(); // no close frame; the composer's Close is the polite way
        updateEnabledState();
        return;
    }
    clearProblem();
    QString error;
    const std::optional<MessageWebSocketControl> control = m_controlEditor->control(&error);
    if (!control) {
        showProblem(tr("Control: %1").arg(error));
        return;
    }
    const std::optional<Codec::HeaderList> headers = m_headersEditor->headers(&error);
    if (!headers) {
        showProblem(tr("Request headers: %1").arg(error));
        return;
    }
    MessageWebSocketControl wanted = *control;
    const QString hostKey = PinStore::hostKey(QUrl::fromUserInput(m_url->currentText().trimmed()));
    const QStringList trusted = m_pins->pinsFor(hostKey);
    for (const QString &pin : trusted)
        if (!wanted.pinnedPublicKeys.contains(pin))
            wanted.pinnedPublicKeys << pin; // "Trust this certificate for this host" from earlier
    if (m_session->connectTo(m_url->currentText(), wanted, *headers)) {
        rememberUrl(m_session->url().toString());
        if (!trusted.isEmpty())
            m_session->note(
                    tr("%n trusted pin(s) kept for %1 apply (Connection ▸ Trusted certificates)", nullptr, int(trusted.size()))
                            .arg(hostKey));
    }
}

void MainWindow::useBuiltInServer(bool tls)
{
    if (!m_echoServer || m_session->isActive())
        return;
    if (!tls) {
        m_url->setEditText(m_echoServer->url().toString());
        return;
    }
    if (!m_echoServer->tlsUrl().isValid()) {
        showProblem(m_echoServer->tlsProblem());
        return;
    }
    m_url->setEditText(m_echoServer->tlsUrl().toString());
    m_serverNote->setText(tr("wss:// to the built-in echo server: its certificate is self-signed, so the first connection "
                             "asks whether to trust it (its key: %1).").arg(m_echoServer->certificatePin()));
    m_serverNote->show();
}

void MainWindow::onSendRequested(const QByteArray &payload)
{
    if (m_session->send(payload)) {
        m_composer->messageSent();
        clearProblem();
    }
}

void MainWindow::onErrorChanged(const WebSocketError &error)
{
    if (!error.isError()) {
        clearProblem();
        return;
    }
    QString text = describeError(error);
    const QUrl url = m_session->url();
    const QUrl builtIn = m_echoServer ? m_echoServer->tlsUrl() : QUrl();
    if (!error.certificateErrors().isEmpty() && builtIn.isValid() && url.host() == builtIn.host()
        && url.port() == builtIn.port())
        text += u'\n' + tr("This is the built-in echo server, whose certificate is self-signed: with “Ask when a "
                           "certificate fails” on (Control ▸ TLS) the workbench asks whether to trust it.");
    showProblem(text);
    m_errorCertificateButton->setVisible(m_session->socket().information().serverCertificate.has_value());
}

void MainWindow::rememberUrl(const QString &url)
{
    const int existing = m_url->findText(url);
    if (existing >= 0)
        m_url->removeItem(existing);
    m_url->insertItem(0, url);
    while (m_url->count() > MaxUrlHistory)
        m_url->removeItem(m_url->count() - 1);
    m_url->setCurrentIndex(0);
}

void MainWindow::refreshInformation()
{
    m_informationView->showInformation(m_session->socket().information(), m_session->state());
}

void MainWindow::updateEnabledState()
{
    const ConnectionState state = m_session->state();
    const bool open = state == ConnectionState::Open;
    const bool ended = !m_session->isActive();

    StateLook look = stateLook(state);
    QString stateTip;
    if (const std::optional<WebSocketClosedEventArgs> close = m_session->lastClose(); close && ended) {
        look.text += u" · %1"_s.arg(close->code()); // the peer's code at a glance; the rest in the tooltip
        stateTip = tr("%1%2, %3")
                           .arg(Format::closeCodeName(close->code()),
                                close->reason().isEmpty() ? QString() : u" “"_s + close->reason() + u'”',
                                close->wasClean() ? tr("clean close handshake") : tr("no clean close handshake"));
    }
    m_stateLabel->setText(look.text);
    m_stateLabel->setToolTip(stateTip);
    m_stateLabel->setStyleSheet(u"QLabel { background: %1; color: %2; border-radius: 10px; padding: 3px 12px;"
                                " font-weight: bold; }"_s.arg(look.colors.background.name(), look.colors.foreground.name()));

    m_url->setEnabled(ended);
    if (ended)
        m_connectButton->setText(tr("Connect"));
    else if (open || state == ConnectionState::Closing)
        m_connectButton->setText(tr("Disconnect"));
    else
        m_connectButton->setText(tr("Cancel"));
    m_connectButton->setAccessibleName(m_connectButton->text());
    m_connectButton->setToolTip(ended ? tr("Connect to the URL (Ctrl+K)")
                                      : open || state == ConnectionState::Closing
                                      ? tr("Drops the connection at once, without a close frame (Ctrl+K)")
                                      : tr("Abandons the connection attempt (Ctrl+K)"));
    m_controlEditor->setLocked(!ended);
    m_headersEditor->setLocked(!ended);
    m_composer->setOpen(open);
    updateTrustNote();
    if (open)
        m_composer->focusMessage();
}

void MainWindow::showProblem(const QString &text)
{
    m_errorText->setText(text);
    m_errorPanel->show();
}

void MainWindow::clearProblem()
{
    m_errorCertificateButton->hide();
    m_errorText->clear();
    m_errorPanel->hide();
}

QString MainWindow::errorText() const
{
    return m_errorPanel->isHidden() ? QString() : m_errorText->text();
}

void MainWindow::onValidationRequested(const MessageWebSocketInformation &certificate, std::chrono::milliseconds timeLeft)
{
    const QString hostKey = PinStore::hostKey(m_session->url());
    auto *prompt = new ServerValidationPrompt(certificate, m_session->socket().control(), hostKey, timeLeft, this);
    connect(prompt, &ServerValidationPrompt::detailsRequested, this, [this, certificate] { showCertificate(certificate); });
    connect(prompt, &ServerValidationPrompt::answered, this, [this, certificate, hostKey](ServerValidationPrompt::Answer answer) {
        if (answer == ServerValidationPrompt::Answer::TrustHost) {
            QString error;
            const QString pin = certificate.tls.presentedPins.value(0);
            const QString subject = certificate.serverCertificate ? certificate.serverCertificate->subjectDisplayName() : QString();
            if (!m_pins->add(hostKey, pin, subject, &error))
                showProblem(tr("The pin could not be kept: %1 The connection goes on this once.").arg(error));
            else
                m_session->note(tr("trusted %1 for %2 from now on").arg(pin, hostKey));
        }
        m_session->answerValidation(answer != ServerValidationPrompt::Answer::Reject);
    });
    connect(m_session, &Session::validationEnded, prompt, &QDialog::reject); // timed out or cancelled meanwhile
    prompt->open();
}

void MainWindow::showCertificate(const MessageWebSocketInformation &info)
{
    if (!info.serverCertificate) {
        showProblem(tr("There is no server certificate to show: connect to a wss:// URL first."));
        return;
    }
    auto *dialog = new CertificateDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->showConnection(info, m_session->socket().control(), m_session->url().host());
    dialog->open();
}

void MainWindow::showPinsManager()
{
    auto *dialog = new PinsManagerDialog(m_pins, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::updateTrustNote()
{
    const MessageWebSocketInformation info = m_session->socket().information();
    QString note;
    if (m_session->state() == ConnectionState::Open && info.tls.encrypted) {
        if (info.tls.acceptedByOverride)
            note = tr("⚠ Trusted because you accepted it, not because the certificate is valid.");
        else if (!info.tls.matchedPin.isEmpty() && !info.serverCertificateErrors.isEmpty())
            note = tr("⚠ Trusted because of the pinned key %1, not the certificate chain.").arg(info.tls.matchedPin);
        else if (!info.serverCertificateErrors.isEmpty())
            note = tr("⚠ Trusted although the certificate has errors that Control ignores.");
    }
    m_trustNote->setText(note);
    m_trustNote->setVisible(!note.isEmpty());
}

} // namespace Wsw::Ui

