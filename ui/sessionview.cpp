#include "sessionview.h"

#include <algorithm>

#include <QAction>
#include <QComboBox>
#include <QDataStream>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QUrl>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "api/chainvalidation.h"
#include "builtinechoserver.h"
#include "dialogs/certificatedialog.h"
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
#include "widgets/savedmessagespanel.h"
#include "widgets/statisticsview.h"
#include "widgets/transferprogressbar.h"
#include "models/savedmessagesmodel.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui {

namespace {

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
        return {SessionView::tr("Not connected"), Theme::idleState()};
    case ConnectionState::Connecting:
        return {SessionView::tr("Connecting…"), Theme::busyState()};
    case ConnectionState::TlsHandshaking:
        return {SessionView::tr("TLS handshake…"), Theme::busyState()};
    case ConnectionState::AwaitingServerValidation:
        return {SessionView::tr("Checking certificate…"), Theme::busyState()};
    case ConnectionState::AwaitingUpgrade:
        return {SessionView::tr("Upgrading…"), Theme::busyState()};
    case ConnectionState::Open:
        return {SessionView::tr("Open"), Theme::openState()};
    case ConnectionState::Closing:
        return {SessionView::tr("Closing…"), Theme::busyState()};
    case ConnectionState::Closed:
        return {SessionView::tr("Closed"), Theme::idleState()};
    case ConnectionState::Failed:
        return {SessionView::tr("Failed"), Theme::failedState()};
    }
    return {};
}

/** Everything an error tells a person: the message, its status and rule, the HTTP answer, certificate errors. */
QString describeError(const WebSocketError &error)
{
    QStringList lines{error.toString()};
    if (error.httpStatus() > 0) {
        QString http = SessionView::tr("The server answered HTTP %1 instead of 101 Switching Protocols.").arg(error.httpStatus());
        if (!error.httpBody().isEmpty())
            http += SessionView::tr(" Its body: %1").arg(Format::singleLinePreview(error.httpBody(), ErrorBodyPreviewChars));
        lines << http;
    }
    for (ChainValidationResult result : error.certificateErrors())
        lines << u"• %1 — %2"_s.arg(ChainValidation::name(result), ChainValidation::explanation(result));
    return lines.join(u'\n');
}

} // namespace

SessionView::SessionView(BuiltInEchoServer *echoServer, PinStore *pins, QAbstractItemModel *urlHistory, QWidget *parent)
    : QWidget(parent)
    , m_echoServer(echoServer)
    , m_pins(pins)
    , m_session(new Session(this))
{
    // built in reading order, which is also the tab order: URL bar, settings, log, inspectors, composer
    QWidget *connectionBar = buildConnectionBar(urlHistory);
    QWidget *errorPanel = buildErrorPanel();
    QWidget *settings = buildSettingsPanel();
    m_center = new QSplitter(Qt::Vertical);
    m_logPanel = new MessageLogPanel(m_session->messageLog());
    connect(m_logPanel, &MessageLogPanel::entrySelected, this, [this](const LogEntry &entry) { m_detail->showEntry(entry); });
    connect(m_logPanel, &MessageLogPanel::selectionCleared, this, [this] { m_detail->showNothing(); });
    connect(m_logPanel, &MessageLogPanel::clearRequested, m_session, &Session::clearLogs);
    m_center->addWidget(m_logPanel);
    m_center->addWidget(buildInspectors());
    m_center->setStretchFactor(0, 3);
    m_center->setStretchFactor(1, 2);
    m_center->setSizes({480, 320});
    m_center->setChildrenCollapsible(false);
    m_composer = new Composer;

    auto *work = new QWidget;
    m_workLayout = new QVBoxLayout(work);
    m_workLayout->setContentsMargins(0, 0, 0, 0);
    m_workLayout->addWidget(m_center, 1);
    m_workLayout->addWidget(new TransferProgressBar(m_session)); // shows itself for messages over 1 MiB
    m_workLayout->addWidget(m_composer);

    m_body = new QSplitter(Qt::Horizontal);
    m_body->addWidget(settings);
    m_body->addWidget(work);
    m_body->setStretchFactor(0, 0);
    m_body->setStretchFactor(1, 1);
    m_body->setSizes({std::max(450, settings->sizeHint().width()), 900}); // the Control form unclipped
    m_body->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(connectionBar);
    layout->addWidget(errorPanel);
    layout->addWidget(m_body, 1);
    connectSession();

    if (m_echoServer && m_echoServer->isRunning()) {
        m_url->setEditText(m_echoServer->url().toString());
        m_serverNote->setText(m_echoServer->description());
    } else if (m_echoServer) {
        m_serverNote->setText(m_echoServer->problem());
    }
    m_serverNote->setVisible(!m_serverNote->text().isEmpty());
    connect(m_url, &QComboBox::editTextChanged, this, [this] {
        if (m_customName.isEmpty())
            Q_EMIT titleChanged();
    });
    updateEnabledState();
}

SessionView::~SessionView() = default;

// --- panels ----------------------------------------------------------------------------------

QWidget *SessionView::buildConnectionBar(QAbstractItemModel *urlHistory)
{
    m_url = new QComboBox;
    m_url->setEditable(true);
    if (urlHistory)
        m_url->setModel(urlHistory); // one history for every tab
    m_url->setInsertPolicy(QComboBox::NoInsert); // history is ours: only URLs that were connected to
    m_url->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_url->setAccessibleName(tr("URL"));
    m_url->lineEdit()->setAccessibleName(tr("URL"));
    m_url->lineEdit()->setPlaceholderText(tr("ws://host:port/path or wss://…"));
    m_url->lineEdit()->setClearButtonEnabled(true);
    m_url->setToolTip(tr("The server's URL; earlier ones are in the list (Enter connects)"));
    connect(m_url->lineEdit(), &QLineEdit::returnPressed, this, &SessionView::toggleConnection);

    m_connectButton = new QPushButton(tr("Connect"));
    m_connectButton->setAccessibleName(tr("Connect"));
    m_connectButton->setDefault(true);
    m_connectButton->setMinimumWidth(m_connectButton->fontMetrics().horizontalAdvance(tr("Disconnect")) + 32);
    connect(m_connectButton, &QPushButton::clicked, this, &SessionView::toggleConnection);

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

QWidget *SessionView::buildErrorPanel()
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
    connect(dismiss, &QToolButton::clicked, this, &SessionView::clearProblem);
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

QWidget *SessionView::buildSettingsPanel()
{
    m_controlEditor = new ControlEditor;
    MessageWebSocketControl initial = m_session->socket().control();
    initial.allowCustomValidationOverride = true; // the workbench asks when a certificate fails (issue: fail closed)
    m_controlEditor->setControl(initial);
    connect(m_controlEditor, &ControlEditor::messageTypeChanged, m_session, &Session::setMessageType);
    m_headersEditor = new RequestHeadersEditor;

    m_settingsTabs = new QTabWidget;
    auto *tabs = m_settingsTabs;
    tabs->setAccessibleName(tr("Connection settings"));
    tabs->addTab(m_controlEditor, tr("Control"));
    tabs->addTab(m_headersEditor, tr("Request headers"));
    m_savedMessages = new SavedMessagesModel(this);
    m_savedPanel = new SavedMessagesPanel(m_savedMessages, m_session);
    tabs->addTab(m_savedPanel, tr("Saved messages"));

    auto *panel = new QWidget;
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(tabs, 1);
    panel->setMinimumWidth(360);
    return panel;
}

QWidget *SessionView::buildInspectors()
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
    // in a scroll area: the charts' minimum size must not take the log's height away
    auto *statistics = new QScrollArea;
    statistics->setWidget(new StatisticsView(m_session)); // samples even while hidden
    statistics->setWidgetResizable(true);
    statistics->setFrameShape(QFrame::NoFrame);
    m_inspectors->addTab(statistics, tr("Statistics"));
    return m_inspectors;
}

void SessionView::connectSession()
{
    connect(m_session, &Session::stateChanged, this, &SessionView::updateEnabledState);
    connect(m_session, &Session::stateChanged, this, &SessionView::stateChanged);
    connect(m_session, &Session::closed, this, &SessionView::updateEnabledState);
    connect(m_session, &Session::validationRequested, this, &SessionView::onValidationRequested);
    connect(m_session, &Session::errorChanged, this, &SessionView::onErrorChanged);
    connect(m_session, &Session::handshakeChanged, this, [this] { m_handshakeView->showTranscript(m_session->handshake()); });
    connect(m_session, &Session::informationChanged, this, &SessionView::refreshInformation);
    connect(m_session, &Session::pongReceived, m_composer, &Composer::setRoundTrip);
    connect(m_session, &Session::messageTypeChanged, this, [this](SocketMessageType type) {
        m_composer->setMessageType(type);
        m_controlEditor->setMessageType(type);
    });
    connect(m_composer, &Composer::messageTypeChanged, m_session, &Session::setMessageType);
    connect(m_composer, &Composer::sendRequested, this, &SessionView::onSendRequested);
    connect(m_composer, &Composer::saveRequested, this, [this](const SavedMessage &message) {
        m_savedPanel->addMessage(message);
        m_settingsTabs->setCurrentWidget(m_savedPanel);
    });
    connect(m_composer, &Composer::pingRequested, m_session, &Session::ping);
    connect(m_composer, &Composer::closeRequested, m_session, &Session::close);
    connect(m_composer, &Composer::problem, this, &SessionView::showProblem);
    m_composer->setMessageType(m_session->messageType());
    m_controlEditor->setMessageType(m_session->messageType());
}

// --- actions ---------------------------------------------------------------------------------

void SessionView::connectTo(const QUrl &url)
{
    m_url->setEditText(url.toString());
    toggleConnection();
}

void SessionView::toggleConnection()
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
        Q_EMIT urlConnected(m_session->url().toString());
        if (!trusted.isEmpty())
            m_session->note(
                    tr("%n trusted pin(s) kept for %1 apply (Connection ▸ Trusted certificates)", nullptr, int(trusted.size()))
                            .arg(hostKey));
    }
}

void SessionView::useBuiltInServer(bool tls)
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

void SessionView::onSendRequested(const QByteArray &payload)
{
    if (m_session->send(payload)) {
        m_composer->messageSent();
        clearProblem();
    }
}

void SessionView::onErrorChanged(const WebSocketError &error)
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

void SessionView::refreshInformation()
{
    m_informationView->showInformation(m_session->socket().information(), m_session->state());
}

void SessionView::updateEnabledState()
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

void SessionView::showProblem(const QString &text)
{
    m_errorText->setText(text);
    m_errorPanel->show();
}

void SessionView::clearProblem()
{
    m_errorCertificateButton->hide();
    m_errorText->clear();
    m_errorPanel->hide();
}

QString SessionView::errorText() const
{
    return m_errorPanel->isHidden() ? QString() : m_errorText->text();
}

void SessionView::onValidationRequested(const MessageWebSocketInformation &certificate, std::chrono::milliseconds timeLeft)
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

void SessionView::showCertificate(const MessageWebSocketInformation &info)
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

void SessionView::updateTrustNote()
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

// --- the tab ---------------------------------------------------------------------------------

QString SessionView::urlText() const
{
    return m_url->currentText();
}

void SessionView::setUrlText(const QString &url)
{
    m_url->setEditText(url);
}

void SessionView::setCustomName(const QString &name)
{
    m_customName = name.trimmed();
    Q_EMIT titleChanged();
}

QString SessionView::title() const
{
    if (!m_customName.isEmpty())
        return m_customName;
    const QUrl url = QUrl::fromUserInput(m_url->currentText().trimmed());
    if (url.host().isEmpty())
        return tr("New connection");
    QString title = url.host();
    if (url.port() > 0)
        title += u':' + QString::number(url.port());
    if (url.path().size() > 1)
        title += url.path();
    return title;
}

void SessionView::showServerCertificate()
{
    showCertificate(m_session->socket().information());
}

void SessionView::focusUrl()
{
    m_url->setFocus();
    m_url->lineEdit()->selectAll();
}

ConnectionProfile SessionView::profile() const
{
    ConnectionProfile profile;
    profile.name = m_customName;
    profile.url = m_url->currentText().trimmed();
    profile.control = m_controlEditor->control().value_or(m_session->socket().control());
    profile.headers = m_headersEditor->headers().value_or(Codec::HeaderList{});
    profile.savedMessages = m_savedMessages->messages();
    return profile;
}

void SessionView::applyProfile(const ConnectionProfile &profile)
{
    if (m_session->isActive())
        return;
    setCustomName(profile.name);
    if (!profile.url.isEmpty())
        m_url->setEditText(profile.url);
    m_controlEditor->setControl(profile.control);
    m_session->setMessageType(profile.control.messageType);
    m_headersEditor->setHeaders(profile.headers);
    m_savedMessages->setMessages(profile.savedMessages);
    Q_EMIT titleChanged();
}

QByteArray SessionView::saveLayout() const
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    out << quint8(1) << m_body->saveState() << m_center->saveState() << m_inspectors->currentIndex()
        << m_settingsTabs->currentIndex();
    return state;
}

void SessionView::restoreLayout(const QByteArray &state)
{
    QDataStream in(state);
    quint8 version = 0;
    QByteArray body;
    QByteArray center;
    int inspector = 0;
    int settings = 0;
    in >> version >> body >> center >> inspector >> settings;
    if (in.status() != QDataStream::Ok || version != 1)
        return; // a layout from another version: the default one is fine
    m_body->restoreState(body);
    m_center->restoreState(center);
    m_inspectors->setCurrentIndex(inspector);
    m_settingsTabs->setCurrentIndex(settings);
}

} // namespace Wsw::Ui
