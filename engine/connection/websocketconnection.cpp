#include "connection/websocketconnection.h"

#include <cstring>
#include <utility>

#include <QDateTime>
#include <QMetaEnum>
#include <QNetworkProxyFactory>

#include "api/messagewebsocket.h"
#include "codec/closecode.h"
#include "codec/errortable.h"
#include "codec/permessagedeflate.h"
#include "api/chainvalidation.h"
#include "api/spkipin.h"
#include "connection/tcptransport.h"
#include "connection/tlstransport.h"

namespace Wsw {

using namespace Codec;

namespace {

constexpr qsizetype ReadChunkBytes = 256 * 1024;
constexpr int MaxPendingPings = 64;
/** Queued frames are handed to the socket at once from this size on, else from the event loop. */
constexpr qint64 FlushNowBytes = 256 * 1024;
/** One-frame messages up to this size are copied into a reused buffer (no allocation per message). */
constexpr qsizetype RecycledMessageBytes = 64 * 1024;
constexpr std::chrono::milliseconds BandwidthSampleInterval{1000};
/** A frame with at least this much payload still to come is read straight into its message... */
constexpr quint64 InPlaceMinBytes = ReadChunkBytes;
/** ...at most this much per read (within the message's announced size). */
constexpr qsizetype InPlaceMaxBytes = 4 * 1024 * 1024;
/**
 * Longest a burst of received data keeps the event loop before other work gets a turn. Short,
 * because Qt's glib loop runs timers only every other turn while a socket stays readable.
 */
constexpr std::chrono::milliseconds ReadRoundBudget{4};

bool isConnecting(ConnectionState s)
{
    return s == ConnectionState::Connecting || s == ConnectionState::TlsHandshaking
            || s == ConnectionState::AwaitingServerValidation || s == ConnectionState::AwaitingUpgrade;
}

QByteArray environment(const char *lower, const char *upper)
{
    const QByteArray value = qgetenv(lower);
    return value.isEmpty() ? qgetenv(upper) : value;
}

/** Whether no_proxy names host (curl's rules: "*", a name or a domain suffix, an optional :port). */
bool excludedByNoProxy(const QString &host, int port)
{
    const QByteArray list = environment("no_proxy", "NO_PROXY");
    for (QByteArray entry : list.split(',')) {
        entry = entry.trimmed().toLower();
        if (entry.isEmpty())
            continue;
        if (entry == "*")
            return true;
        if (const qsizetype colon = entry.lastIndexOf(':'); colon > 0 && !entry.contains(']') && entry.count(':') == 1) {
            if (entry.sliced(colon + 1).toInt() != port)
                continue;
            entry.truncate(colon);
        }
        if (entry.startsWith('.'))
            entry.remove(0, 1);
        const QByteArray name = host.toLower().toUtf8();
        if (name == entry || name.endsWith(QByteArray("." + entry)))
            return true;
    }
    return false;
}

/**
 * all_proxy, which libproxy 0.4 (Debian 12's) does not read: used for a URL whose own variable
 * (http_proxy / https_proxy) is unset and that no_proxy does not exclude, as curl does.
 */
QNetworkProxy allProxyFor(const QUrl &url, bool secure)
{
    if (!(secure ? environment("https_proxy", "HTTPS_PROXY") : environment("http_proxy", "HTTP_PROXY")).isEmpty())
        return QNetworkProxy(QNetworkProxy::NoProxy); // the scheme's own variable decided
    const QUrl all = QUrl::fromEncoded(environment("all_proxy", "ALL_PROXY").trimmed());
    if (!all.isValid() || all.host().isEmpty() || excludedByNoProxy(url.host(), url.port(secure ? 443 : 80)))
        return QNetworkProxy(QNetworkProxy::NoProxy);
    const QString scheme = all.scheme().toLower();
    QNetworkProxy proxy;
    if (scheme == u"http")
        proxy = QNetworkProxy(QNetworkProxy::HttpProxy, all.host(), quint16(all.port(1080)));
    else if (scheme == u"socks5" || scheme == u"socks5h" || scheme.isEmpty())
        proxy = QNetworkProxy(QNetworkProxy::Socks5Proxy, all.host(), quint16(all.port(1080)));
    else
        return QNetworkProxy(QNetworkProxy::NoProxy);
    proxy.setUser(all.userName());
    proxy.setPassword(all.password());
    return proxy;
}

/**
 * The proxy of a connection to url, and what Information says about it. System asks with ws
 * mapped to http and wss to https, so that https_proxy applies to wss:// (libproxy and Qt's own
 * code both pick the variable by scheme), and takes the first answer that a TCP socket can use.
 */
QNetworkProxy proxyFor(const ProxySettings &settings, const QUrl &url, ProxyInformation *info)
{
    *info = ProxyInformation();
    QNetworkProxy proxy(QNetworkProxy::NoProxy);
    switch (settings.type) {
    case ProxyType::None:
        break;
    case ProxyType::Http:
        proxy = QNetworkProxy(QNetworkProxy::HttpProxy, settings.host, settings.port);
        break;
    case ProxyType::Socks5:
        proxy = QNetworkProxy(QNetworkProxy::Socks5Proxy, settings.host, settings.port);
        break;
    case ProxyType::System: {
        info->fromSystem = true;
        QUrl query = url;
        query.setScheme(url.scheme().compare(u"wss", Qt::CaseInsensitive) == 0 ? QStringLiteral("https")
                                                                                : QStringLiteral("http"));
        const QList<QNetworkProxy> answers =
                QNetworkProxyFactory::systemProxyForQuery(QNetworkProxyQuery(query));
        for (const QNetworkProxy &answer : answers) {
            if (answer.type() == QNetworkProxy::HttpProxy || answer.type() == QNetworkProxy::Socks5Proxy
                || answer.type() == QNetworkProxy::NoProxy) {
                proxy = answer;
                break;
            }
        }
        if (proxy.type() == QNetworkProxy::NoProxy)
            proxy = allProxyFor(url, query.scheme() == u"https");
        break;
    }
    }
    if (proxy.type() == QNetworkProxy::HttpProxy || proxy.type() == QNetworkProxy::Socks5Proxy) {
        info->type = proxy.type() == QNetworkProxy::HttpProxy ? ProxyType::Http : ProxyType::Socks5;
        info->host = proxy.hostName();
        info->port = proxy.port();
    }
    return proxy;
}

bool isEnded(ConnectionState s)
{
    return s == ConnectionState::Idle || s == ConnectionState::Closed || s == ConnectionState::Failed;
}

bool isAllowedTransition(ConnectionState from, ConnectionState to)
{
    using S = ConnectionState;
    switch (from) {
    case S::Idle:
    case S::Closed:
    case S::Failed:
        return to == S::Connecting;
    case S::Connecting:
        return to == S::TlsHandshaking || to == S::AwaitingUpgrade || to == S::Failed;
    case S::TlsHandshaking:
        return to == S::AwaitingServerValidation || to == S::AwaitingUpgrade || to == S::Failed;
    case S::AwaitingServerValidation:
        return to == S::AwaitingUpgrade || to == S::Failed;
    case S::AwaitingUpgrade:
        // Connecting: a 401 answered with Control.serverCredential, on a fresh connection
        return to == S::Open || to == S::Connecting || to == S::Failed;
    case S::Open:
        return to == S::Closing || to == S::Closed || to == S::Failed;
    case S::Closing:
        return to == S::Closed || to == S::Failed;
    }
    return false;
}

/** A close reason made from our error message: at most 123 bytes, cut on a code point. */
QByteArray closeReasonFor(ErrorDetail detail)
{
    QByteArray reason = QByteArray(errorInfo(detail).message);
    if (reason.size() > MaxCloseReasonBytes) {
        qsizetype cut = MaxCloseReasonBytes;
        while (cut > 0 && (quint8(reason[cut]) & 0xC0) == 0x80)
            --cut;
        reason.truncate(cut);
    }
    return reason;
}

/** WebErrorStatus for a non-101 HTTP status: its own value where the enum has one. */
WebErrorStatus statusForHttp(int httpStatus)
{
    const QMetaEnum meta = QMetaEnum::fromType<WebErrorStatus>();
    if (httpStatus >= 300 && meta.valueToKey(httpStatus))
        return WebErrorStatus(httpStatus);
    return WebErrorStatus::UnexpectedStatusCode;
}

bool hasControlCharacter(const QString &text)
{
    for (QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            return true;
    }
    return false;
}

/** The request-target of a request as built (between "GET " and " HTTP/1.1"): Digest's uri. */
QByteArray requestTargetOf(const QByteArray &request)
{
    const qsizetype start = request.indexOf(' ') + 1;
    const qsizetype end = request.indexOf(' ', start);
    return start > 0 && end > start ? request.mid(start, end - start) : QByteArray("/");
}

/** "Digest SHA-256", "Basic": how Information and messages name the answered challenge. */
QString schemeName(const AuthSelection &selection)
{
    if (selection.scheme == AuthScheme::Basic)
        return QStringLiteral("Basic");
    return u"Digest " + QString::fromLatin1(digestAlgorithmName(selection.digest.algorithm));
}

/** The schemes a 401 offers, "Digest, Basic", for a message; what is wrong with them when unreadable. */
QString offeredSchemes(const QList<QByteArray> &values)
{
    QList<AuthChallenge> challenges;
    QString problem;
    if (parseAuthChallenges(values, &challenges, &problem) != ErrorDetail::None)
        return values.isEmpty() ? QStringLiteral("no WWW-Authenticate challenge")
                                : u"an unreadable WWW-Authenticate (" + problem + u')';
    QStringList names;
    for (const AuthChallenge &challenge : std::as_const(challenges)) {
        const QString name = QString::fromLatin1(challenge.scheme);
        if (!names.contains(name, Qt::CaseInsensitive))
            names.append(name);
    }
    return u"offered: " + names.join(u", ");
}

} // namespace

WebSocketConnection::WebSocketConnection(MessageWebSocket *facade)
    : QObject(facade)
    , m_facade(facade)
    , m_decoder(Role::Client)
{
    for (QTimer *timer : {&m_connectTimer, &m_validationTimer, &m_handshakeTimer, &m_closeTimer, &m_idleTimer})
        timer->setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, &WebSocketConnection::onConnectTimeout);
    connect(&m_validationTimer, &QTimer::timeout, this, &WebSocketConnection::onValidationTimeout);
    connect(&m_handshakeTimer, &QTimer::timeout, this, &WebSocketConnection::onHandshakeTimeout);
    connect(&m_closeTimer, &QTimer::timeout, this, &WebSocketConnection::onCloseTimeout);
    connect(&m_idleTimer, &QTimer::timeout, this, &WebSocketConnection::onIdleTimeout);
    connect(&m_pongTimer, &QTimer::timeout, this, &WebSocketConnection::onPongTimer);
    connect(&m_bandwidthTimer, &QTimer::timeout, this, &WebSocketConnection::onBandwidthTimer);
    m_decoder.setFrameObserver(this);
}

WebSocketConnection::~WebSocketConnection()
{
    if (!m_transport)
        return;
    m_transport->disconnect(this);
    m_transport->setReadListener(nullptr);
    if (m_state == ConnectionState::Open && !m_closeSent) {
        // best effort: what was sent, then a close frame telling the server we are going away
        const QByteArray payload = buildClosePayload(quint16(CloseCode::GoingAway), {});
        writeFrame(m_queue.grow(frameHeaderSize(quint64(payload.size()), true) + payload.size()), Opcode::Close, {},
                   payload, m_keys->nextMaskKey());
        m_transport->writeFinal(m_queue.pending(), m_queue.size());
    }
    delete m_transport; // its socket aborts
}

// --- settings --------------------------------------------------------------------------------

bool WebSocketConnection::refuse(ErrorDetail detail, const QString &extra)
{
    m_lastError = WebSocketError(detail, extra);
    return false;
}

bool WebSocketConnection::setControl(const MessageWebSocketControl &control)
{
    if (!isEnded(m_state) && !control.differsOnlyInMessageType(m_control))
        return refuse(ErrorDetail::InvalidState,
                      QStringLiteral("only MessageType may change while connecting or connected"));
    QStringList seen;
    for (const QString &protocol : control.supportedProtocols) {
        if (validateSubprotocol(protocol) != ErrorDetail::None)
            return refuse(ErrorDetail::InvalidSubprotocol, QStringLiteral("\"%1\"").arg(protocol));
        if (seen.contains(protocol))
            return refuse(ErrorDetail::InvalidSubprotocol, QStringLiteral("\"%1\" is listed twice").arg(protocol));
        seen.append(protocol);
    }
    QString deflateProblem;
    if (validateDeflateOptions(control.compression, &deflateProblem) != ErrorDetail::None)
        return refuse(ErrorDetail::InvalidArgument, deflateProblem);
    const Timeouts &t = control.timeouts;
    if (control.desiredUnsolicitedPongInterval.count() < 0 || t.idle.count() < 0)
        return refuse(ErrorDetail::InvalidArgument, QStringLiteral("intervals and timeouts may not be negative"));
    if (t.connect.count() <= 0 || t.handshake.count() <= 0 || t.close.count() <= 0 || t.validation.count() <= 0)
        return refuse(ErrorDetail::InvalidArgument,
                      QStringLiteral("the connect, handshake, close and validation timeouts must be positive: every "
                                     "wait is bounded"));
    for (ChainValidationResult result : control.ignorableServerCertificateErrors) {
        if (!ChainValidation::isIgnorable(result))
            return refuse(ErrorDetail::InvalidArgument,
                          u"ignorableServerCertificateErrors: " + ChainValidation::name(result)
                                  + (result == ChainValidationResult::Success
                                             ? QStringLiteral(" is not an error")
                                             : QStringLiteral(" may never be ignored (spec §7.4)")));
    }
    for (const QString &pin : control.pinnedPublicKeys) {
        if (SpkiPin::digestOf(pin).isEmpty())
            return refuse(ErrorDetail::InvalidArgument,
                          u"pinnedPublicKeys: \"" + pin + u"\" is not a pin; write sha256/ and the base64 of 32 bytes");
    }
    if (control.proxy.type == ProxyType::Http || control.proxy.type == ProxyType::Socks5) {
        if (control.proxy.host.trimmed().isEmpty())
            return refuse(ErrorDetail::InvalidArgument, QStringLiteral("proxy.host: empty (an HTTP or SOCKS5 proxy needs one)"));
        if (control.proxy.port == 0)
            return refuse(ErrorDetail::InvalidArgument, QStringLiteral("proxy.port: 0 (must be 1-65535)"));
    }
    if (const std::optional<PasswordCredential> &credential = control.serverCredential) {
        // the values themselves never appear in a message
        if (credential->userName.isEmpty())
            return refuse(ErrorDetail::InvalidArgument, QStringLiteral("serverCredential.userName: empty"));
        if (hasControlCharacter(credential->userName) || hasControlCharacter(credential->password))
            return refuse(ErrorDetail::ControlCharacterInCredentials,
                          QStringLiteral("serverCredential: the user name or password has a control character"));
    }
    if (const std::optional<PasswordCredential> &credential = control.proxyCredential) {
        // the values themselves never appear in a message
        if (credential->userName.isEmpty())
            return refuse(ErrorDetail::InvalidArgument, QStringLiteral("proxyCredential.userName: empty"));
        // SOCKS5 username/password authentication carries each in at most 255 bytes (RFC 1929)
        if (control.proxy.type == ProxyType::Socks5
            && (credential->userName.toUtf8().size() > 255 || credential->password.toUtf8().size() > 255))
            return refuse(ErrorDetail::InvalidArgument,
                          QStringLiteral("proxyCredential: a SOCKS5 user name or password has at most 255 bytes"));
    }
    for (const QSslCertificate &ca : control.additionalCaCertificates) {
        if (ca.isNull())
            return refuse(ErrorDetail::InvalidArgument, QStringLiteral("additionalCaCertificates: a null certificate"));
    }
    if (const std::optional<ClientCertificate> &client = control.clientCertificate) {
        if (client->isNull())
            return refuse(ErrorDetail::InvalidArgument, QStringLiteral("clientCertificate: a null certificate"));
        if (!ClientCertificate::keyMatches(client->certificate, client->privateKey))
            return refuse(ErrorDetail::ClientCertificateKeyMismatch, client->certificate.subjectDisplayName());
    }
    m_control = control;
    return true;
}

MessageWebSocketInformation WebSocketConnection::information() const
{
    MessageWebSocketInformation info = m_info;
    info.actualUnsolicitedPongInterval =
            MessageWebSocketControl::actualPongInterval(m_control.desiredUnsolicitedPongInterval);
    return info;
}

bool WebSocketConnection::setRequestHeader(const QByteArray &name, const QByteArray &value)
{
    if (!isEnded(m_state))
        return refuse(ErrorDetail::InvalidState, QStringLiteral("request headers must be set before connectAsync()"));
    const ErrorDetail error = validateRequestHeader(name, value);
    if (error != ErrorDetail::None)
        return refuse(error, QString::fromLatin1(name));
    for (auto &header : m_requestHeaders) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
            header.second = value;
            return true;
        }
    }
    m_requestHeaders.append({name, value});
    return true;
}

bool WebSocketConnection::clearRequestHeaders()
{
    if (!isEnded(m_state))
        return refuse(ErrorDetail::InvalidState);
    m_requestHeaders.clear();
    return true;
}

void WebSocketConnection::setMaskKeySource(MaskKeySource *source)
{
    m_keys = source ? source : &m_systemKeys;
}

// --- connecting ------------------------------------------------------------------------------

bool WebSocketConnection::connectAsync(const QUrl &url)
{
    if (!isEnded(m_state))
        return refuse(ErrorDetail::InvalidState, QStringLiteral("already connecting or connected"));
    if (m_closedPending)
        return refuse(ErrorDetail::InvalidState,
                      QStringLiteral("the previous connection is still ending: connect again from closed() or later"));
    const ErrorDetail urlError = validateUrl(url);
    if (urlError != ErrorDetail::None)
        return refuse(urlError, url.toDisplayString());
    const bool secure = url.scheme().compare(u"wss", Qt::CaseInsensitive) == 0;
    if (secure) {
        const QString unavailable = TlsTransport::unavailableReason();
        if (!unavailable.isEmpty())
            return refuse(ErrorDetail::SslUnavailable, unavailable);
    }

    // per call: Information (counters, transcript), the error, the one authentication retry
    m_url = url;
    m_secure = secure;
    m_info = MessageWebSocketInformation();
    m_lastError = WebSocketError();
    m_authRetried = false;
    m_authSelection.reset();
    m_acceptedLeaf.reset();
    m_acceptedByOverride = false;
    m_proxy = proxyFor(m_control.proxy, url, &m_info.proxy);
    m_lastWireIn = m_lastWireOut = 0;
    if (m_readBuffer.size() != ReadChunkBytes)
        m_readBuffer.resize(ReadChunkBytes);
    startAttempt();
    return true;
}

void WebSocketConnection::startAttempt()
{
    // per attempt: parser, decoder, key, queue, transport, timers
    m_key.clear();
    m_response.reset();
    m_decoder.reset();
    m_decoder.assembler().setMaxMessageSize(m_control.maxMessageSize);
    m_decoder.assembler().setPartialMode(m_control.receiveMode == MessageWebSocketReceiveMode::PartialMessage);
    m_closeSent = m_closeReceived = m_stopReading = m_finished = false;
    m_receivedCloseCode = quint16(CloseCode::AbnormalClosure);
    m_receivedCloseReason.clear();
    m_fragmentOpen = false;
    m_fragmentCompressed = false;
    m_deflater.reset();
    m_compressOutgoing = false;
    m_pendingPings.clear();
    m_queue.clear();
    m_flushScheduled = false;
    m_wroteThrough = false;
    m_handedBytes = 0;
    m_requestBytes = 0;
    m_reportedBytes = 0;
    m_writeFailed = false;
    m_receiveProgressReported = false;

    m_transport = createTransport(m_secure, m_proxy);
    connect(m_transport, &Transport::securing, this, &WebSocketConnection::onTransportSecuring);
    connect(m_transport, &Transport::established, this, &WebSocketConnection::onTransportEstablished);
    m_transport->setReadListener(this);
    connect(m_transport, &Transport::progressed, this, &WebSocketConnection::onTransportProgressed);
    connect(m_transport, &Transport::peerClosed, this, &WebSocketConnection::onTransportPeerClosed);
    connect(m_transport, &Transport::failed, this, &WebSocketConnection::onTransportFailed);

    setState(ConnectionState::Connecting);
    m_connectTimer.start(m_control.timeouts.connect);
    m_transport->connectToHost(m_url.host(), quint16(m_url.port(m_secure ? 443 : 80)));
    // Mask keys: over TLS from OpenSSL's DRBG (set up anyway, about 1 ns per key); over plain TCP
    // from the kernel (about 10 ns per key), which spares a ws:// connection OpenSSL's set-up
    // (about 1 ms and 2-3 MiB of memory on first use). The first block is fetched while TCP
    // connects, so no set-up falls on the first message.
    m_systemKeys.setPrimary(m_secure ? &fillFromOpenSslDrbg : nullptr);
    m_systemKeys.prefill();
}

Transport *WebSocketConnection::createTransport(bool secure, const QNetworkProxy &proxy)
{
    TransportOptions options;
    options.noDelay = m_control.noDelay;
    options.sendBufferSizeBytes = m_control.outboundBufferSizeInBytes;
    options.proxy = proxy;
    options.proxyCredential = m_control.proxyCredential;
    if (!secure)
        return new TcpTransport(options, this);
    TlsSettings tls;
    tls.trust.ignorable = m_control.ignorableServerCertificateErrors;
    for (const QString &pin : std::as_const(m_control.pinnedPublicKeys))
        tls.trust.pinDigests.append(SpkiPin::digestOf(pin));
    tls.trust.overridable = m_control.allowCustomValidationOverride && m_facade->isServerValidationConnected();
    tls.additionalCaCertificates = m_control.additionalCaCertificates;
    tls.clientCertificate = m_control.clientCertificate;
    return new TlsTransport(options, tls, this);
}

void WebSocketConnection::cancelConnect()
{
    if (!isConnecting(m_state))
        return;
    retireTransport(false);
    finish(ConnectionState::Failed, WebSocketError(ErrorDetail::OperationCanceled, QStringLiteral("connect canceled")),
           std::nullopt);
}

void WebSocketConnection::onTransportSecuring()
{
    if (m_state == ConnectionState::Connecting)
        setState(ConnectionState::TlsHandshaking);
}

void WebSocketConnection::onTransportEstablished()
{
    m_connectTimer.stop();
    m_transport->fillInformation(m_info);
    if (m_authRetried && m_info.tls.encrypted && m_acceptedLeaf && m_info.serverCertificate == m_acceptedLeaf) {
        // the retry after a 401 meets the leaf the first attempt accepted: not asked again
        m_info.tls.acceptedByOverride = m_acceptedByOverride;
        sendUpgradeRequest();
        return;
    }
    // a TLS session whose chain the application wants to see, or must decide on
    if (m_info.tls.encrypted && (m_facade->isServerValidationConnected() || !m_info.tls.defaultValidationPassed)) {
        startServerValidation();
        return;
    }
    sendUpgradeRequest();
}

void WebSocketConnection::startServerValidation()
{
    if (!m_facade->isServerValidationConnected()) {
        // the chain waits for an override, but the handler has gone since connectAsync()
        failValidation(WebSocketError(ErrorDetail::CertificateRejected,
                                      QStringLiteral("no serverCustomValidationRequested handler to accept it")));
        return;
    }
    setState(ConnectionState::AwaitingServerValidation);
    m_validationTimer.start(m_control.timeouts.validation);
    auto *args = new WebSocketServerCustomValidationRequestedEventArgs(
            m_info, [this] { onServerValidationSettled(); }, this);
    m_validation = args;
    deliverDeferredSignals(); // the handler must run now: whatever came before goes first
    Q_EMIT m_facade->serverCustomValidationRequested(args);
    if (m_validation == args) // the handler may have ended the connection
        args->endEmission();
}

void WebSocketConnection::onServerValidationSettled()
{
    if (m_state != ConnectionState::AwaitingServerValidation || !m_validation)
        return;
    m_validationTimer.stop();
    const auto outcome = m_validation->outcome();
    m_validation->deleteLater();
    m_validation = nullptr;
    using Outcome = WebSocketServerCustomValidationRequestedEventArgs::Outcome;
    switch (outcome) {
    case Outcome::Accepted:
        m_info.tls.acceptedByOverride = !m_info.tls.defaultValidationPassed;
        sendUpgradeRequest();
        return;
    case Outcome::Rejected:
        failValidation(WebSocketError(ErrorDetail::ServerValidationRejected));
        return;
    case Outcome::Abandoned:
        failValidation(WebSocketError(ErrorDetail::ServerValidationAbandoned));
        return;
    case Outcome::NotAccepted:
        failValidation(WebSocketError(ErrorDetail::CertificateRejected,
                                      QStringLiteral("default validation refused it and the validation handler "
                                                     "did not call acceptDespiteErrors()")));
        return;
    }
}

void WebSocketConnection::onValidationTimeout()
{
    if (m_state != ConnectionState::AwaitingServerValidation)
        return;
    failValidation(WebSocketError(ErrorDetail::ServerValidationTimeout));
}

void WebSocketConnection::failValidation(WebSocketError error)
{
    error.setCertificateErrors(m_info.sslErrors, m_info.serverCertificateErrors);
    if (error.detail() == ErrorDetail::CertificateRejected) {
        QList<ChainValidationResult> refused;
        for (ChainValidationResult result : std::as_const(m_info.serverCertificateErrors)) {
            if (!m_control.ignorableServerCertificateErrors.contains(result))
                refused.append(result);
        }
        error.setStatus(ChainValidation::statusFor(refused));
    }
    retireTransport(true); // TLS is up: close it properly (close_notify), nothing else was sent
    finish(ConnectionState::Failed, error, std::nullopt);
}

void WebSocketConnection::sendUpgradeRequest()
{
    m_key = generateKey();
    if (m_info.tls.encrypted && m_info.serverCertificate) {
        m_acceptedLeaf = m_info.serverCertificate;
        m_acceptedByOverride = m_info.tls.acceptedByOverride;
    }
    HandshakeRequestOptions options;
    options.url = m_url;
    options.key = m_key;
    options.protocols = m_control.supportedProtocols;
    options.extensions = buildDeflateOffer(m_control.compression);
    options.extraHeaders = m_requestHeaders;
    QByteArray request = buildHandshakeRequest(options);
    if (m_authSelection && m_control.serverCredential) {
        // the retry after a 401: the same request with Authorization (in place of one the
        // application set); Digest answers for the request-target as sent, method GET
        const PasswordCredential &credential = *m_control.serverCredential;
        QByteArray value;
        QString problem;
        ErrorDetail error = ErrorDetail::None;
        if (m_authSelection->scheme == AuthScheme::Basic) {
            error = basicAuthorization(credential.userName, credential.password, &value, &problem);
        } else {
            DigestSession session(m_authSelection->digest, systemCnonce);
            error = session.authorization(credential.userName, credential.password, "GET",
                                          requestTargetOf(request), &value, &problem);
        }
        if (error != ErrorDetail::None) {
            // problem names the rule, never the values
            retireTransport(false);
            finish(ConnectionState::Failed, WebSocketError(error, u"serverCredential: " + problem), std::nullopt);
            return;
        }
        options.extraHeaders.removeIf([](const auto &header) {
            return header.first.compare("Authorization", Qt::CaseInsensitive) == 0;
        });
        options.extraHeaders.append({QByteArrayLiteral("Authorization"), value});
        request = buildHandshakeRequest(options);
    }
    // the transcript never holds a credential (the application's own Authorization neither)
    m_info.handshake.request = redactCredentials(request);
    setState(ConnectionState::AwaitingUpgrade);
    m_handshakeTimer.start(m_control.timeouts.handshake);
    writeData(request);
    request.fill('\0');
}

void WebSocketConnection::onUpgradeRefused()
{
    const int status = m_response.statusCode();
    const QList<QByteArray> challenges = m_response.headerValues("WWW-Authenticate");
    if (status != 401) {
        failHandshake(ErrorDetail::NotSwitchingProtocols);
        return;
    }
    if (m_authRetried) {
        // the answered challenge was refused: a wrong credential (or one the server does not know)
        QString extra = u"HTTP 401 to the request answered with " + schemeName(*m_authSelection);
        if (m_info.authentication.passwordInClear)
            extra += QStringLiteral("; the password was sent in clear (Basic over ws://)");
        failHandshake(ErrorDetail::CredentialRejected, extra);
        return;
    }
    if (!m_control.serverCredential) {
        failHandshake(ErrorDetail::NotSwitchingProtocols); // its message names the schemes offered
        return;
    }
    WebSocketError error;
    if (!prepareAuthorization(challenges, &error)) {
        failHandshake(error);
        return;
    }
    // keep this attempt in the transcript, then start again on a fresh connection (the server
    // may close after a 401): TLS again for wss://, through the same proxy
    HandshakeAttempt attempt;
    attempt.request = m_info.handshake.request;
    attempt.responseHeaders = m_response.rawHeaders();
    attempt.responseBody = m_response.body();
    attempt.httpStatus = status;
    m_info.handshake.earlierAttempts.append(attempt);
    m_info.handshake.request.clear();
    m_authRetried = true;
    m_handshakeTimer.stop();
    retireTransport(false);
    setState(ConnectionState::Connecting);
    startAttempt();
}

bool WebSocketConnection::prepareAuthorization(const QList<QByteArray> &challengeValues, WebSocketError *error)
{
    QList<AuthChallenge> challenges;
    QString problem;
    ErrorDetail detail = parseAuthChallenges(challengeValues, &challenges, &problem);
    AuthSelection selection;
    if (detail == ErrorDetail::None)
        detail = chooseAuthChallenge(challenges, AuthScheme::Basic | AuthScheme::Digest, &selection, &problem);
    if (detail != ErrorDetail::None) {
        *error = WebSocketError(detail, u"HTTP 401: " + problem);
        return false;
    }
    if (selection.scheme == AuthScheme::Basic) {
        // what Basic cannot carry (a ':' in the user name) fails now, before another connection
        QByteArray value;
        detail = basicAuthorization(m_control.serverCredential->userName, m_control.serverCredential->password,
                                    &value, &problem);
        value.fill('\0');
        if (detail != ErrorDetail::None) {
            *error = WebSocketError(detail, u"serverCredential: " + problem);
            return false;
        }
    }
    m_authSelection = selection;
    ServerAuthenticationInformation &info = m_info.authentication;
    info.scheme = schemeName(selection);
    info.realm = QString::fromUtf8(selection.realm);
    info.passwordInClear = sendsPasswordInClear(selection.scheme) && !m_secure;
    info.note = u"The server asked for authentication (401); answered with " + info.scheme
            + (info.realm.isEmpty() ? QString() : u" for realm \"" + info.realm + u'"');
    if (info.passwordInClear)
        info.note += QStringLiteral(". The password went in clear: Basic over ws:// is only base64-encoded, "
                                    "readable by anyone on the path");
    return true;
}

void WebSocketConnection::processHandshakeBytes(QByteArrayView bytes)
{
    qsizetype used = 0;
    const HandshakeResponseParser::Result result = m_response.feed(bytes, &used);
    if (result == HandshakeResponseParser::Result::NeedMore)
        return;
    if (result == HandshakeResponseParser::Result::Error) {
        failHandshake(m_response.error());
        return;
    }
    if (m_response.statusCode() != 101) {
        onUpgradeRefused();
        return;
    }
    QString protocol;
    const ErrorDetail error = m_response.validateUpgrade(m_key, m_control.supportedProtocols, &protocol);
    if (error != ErrorDetail::None) {
        failHandshake(error);
        return;
    }
    DeflateAgreement deflate;
    QString problem;
    const ErrorDetail extensionError = negotiateDeflate(
            m_control.compression, m_response.headerValues("Sec-WebSocket-Extensions"), &deflate, &problem);
    if (extensionError != ErrorDetail::None) {
        failHandshake(extensionError, problem);
        return;
    }
    applyDeflateAgreement(deflate);
    m_info.protocol = protocol;
    Transport *transport = m_transport;
    completeHandshake();
    // bytes after the empty line are already frames (RFC 6455 §4.1); the connected() slot may
    // have closed or dropped the connection meanwhile
    if (used < bytes.size() && transport == m_transport && !m_finished && !m_stopReading)
        processFrames(bytes.sliced(used));
}

void WebSocketConnection::applyDeflateAgreement(const DeflateAgreement &deflate)
{
    CompressionInformation &info = m_info.compression;
    info = CompressionInformation();
    if (!deflate.active)
        return;
    m_decoder.enableDeflate(deflate.serverMaxWindowBits, deflate.serverNoContextTakeover);
    m_compressOutgoing = deflate.compressOutgoing;
    if (m_compressOutgoing) {
        m_deflater.configure(deflate.clientMaxWindowBits, m_control.compression.compressionLevel,
                             deflate.clientNoContextTakeover);
        m_compressOutgoing = m_deflater.isConfigured(); // zlib out of memory: uncompressed is always allowed
    }
    info.negotiated = true;
    info.extension = QString::fromLatin1(deflate.response);
    info.clientMaxWindowBits = deflate.clientMaxWindowBits;
    info.serverMaxWindowBits = deflate.serverMaxWindowBits;
    info.clientNoContextTakeover = deflate.clientNoContextTakeover;
    info.serverNoContextTakeover = deflate.serverNoContextTakeover;
    info.outgoingCompressed = m_compressOutgoing;
    if (!deflate.compressOutgoing)
        info.note = QStringLiteral("The server asked for client_max_window_bits=8, a window zlib cannot compress "
                                   "with: our messages go uncompressed (RFC 7692 allows it); the server's are inflated.");
    else if (!m_compressOutgoing)
        info.note = QStringLiteral("zlib could not start a compressor: our messages go uncompressed.");
    else if (m_control.compression.thresholdBytes > 0)
        info.note = QStringLiteral("Messages shorter than %1 bytes go uncompressed.")
                            .arg(m_control.compression.thresholdBytes);
}

void WebSocketConnection::completeHandshake()
{
    m_handshakeTimer.stop();
    m_info.handshake.responseHeaders = m_response.rawHeaders();
    m_info.handshake.httpStatus = m_response.statusCode();
    setState(ConnectionState::Open);
    if (m_control.timeouts.idle.count() > 0) {
        m_idleTimer.start(m_control.timeouts.idle);
        m_lastTraffic.start();
    }
    const auto pongInterval = MessageWebSocketControl::actualPongInterval(m_control.desiredUnsolicitedPongInterval);
    if (pongInterval.count() > 0)
        m_pongTimer.start(pongInterval);
    m_bandwidthTimer.start(BandwidthSampleInterval);
    deliver([this, transcript = m_info.handshake] {
        Q_EMIT m_facade->handshakeCompleted(transcript);
        Q_EMIT m_facade->connected();
    });
}

void WebSocketConnection::failHandshake(ErrorDetail detail, const QString &extra)
{
    failHandshake(WebSocketError(detail, extra));
}

void WebSocketConnection::failHandshake(WebSocketError error)
{
    const ErrorDetail detail = error.detail();
    if (m_response.headersComplete()) {
        m_info.handshake.responseHeaders = m_response.rawHeaders();
        m_info.handshake.responseBody = m_response.body();
        m_info.handshake.httpStatus = m_response.statusCode();
        error.setHttpResponse(m_response.statusCode(), m_response.headers(), m_response.body());
        if (detail == ErrorDetail::NotSwitchingProtocols) {
            QString text = QStringLiteral("HTTP %1 %2")
                                   .arg(m_response.statusCode())
                                   .arg(QString::fromLatin1(m_response.reasonPhrase()));
            if (m_response.statusCode() == 401)
                text += u"; the server asks for authentication (" + offeredSchemes(m_response.headerValues("WWW-Authenticate"))
                        + u") and Control.serverCredential is not set";
            error = WebSocketError(detail, text);
            error.setHttpResponse(m_response.statusCode(), m_response.headers(), m_response.body());
            error.setStatus(statusForHttp(m_response.statusCode()));
        }
    } else if (!m_response.rawHeaders().isEmpty()) {
        m_info.handshake.responseHeaders = m_response.rawHeaders();
    }
    deliver([this, transcript = m_info.handshake] { Q_EMIT m_facade->handshakeCompleted(transcript); });
    if (m_finished) // a slot of handshakeCompleted may have ended the connection
        return;
    retireTransport(false);
    finish(ConnectionState::Failed, error, std::nullopt);
}

// --- receiving -------------------------------------------------------------------------------

void WebSocketConnection::onTransportReadyRead()
{
    if (m_readRoundQueuedFor && m_readRoundQueuedFor == m_transport)
        return; // the queued round reads this too; reading now would take two rounds in one turn of the loop
    Transport *transport = m_transport;
    // A burst is read in rounds, so timers and painting get their turn between them. The clock
    // starts once a read says a burst is on: a round trip's one small read needs none.
    QElapsedTimer round;
    const auto roundOver = [&round] {
        return round.nsecsElapsed() >= std::chrono::nanoseconds(ReadRoundBudget).count();
    };
    while (transport == m_transport && !m_finished) {
        const InPlaceRead inPlace = readPayloadInPlace(transport, round);
        if (inPlace == InPlaceRead::PeerGone)
            return;
        if (inPlace == InPlaceRead::ReadOn) {
            if (!roundOver())
                continue;
            postReadRound(transport);
            break;
        }
        const qint64 n = transport->read(m_readBuffer.data(), m_readBuffer.size());
        if (n < 0) {
            // an unbuffered socket reports the peer's close only like this
            handlePeerGone();
            return;
        }
        if (n == 0)
            break;
        const bool mayHaveMore = transport->mayHaveMore(n);
        if (mayHaveMore && !round.isValid())
            round.start(); // before the chunk is processed: its messages count against the round
        m_wroteThrough = false; // new data: a new round for scheduleFlush()
        m_info.counters.wireBytesReceived += quint64(n);
        const QByteArrayView chunk(m_readBuffer.constData(), qsizetype(n));
        if (m_state == ConnectionState::AwaitingUpgrade)
            processHandshakeBytes(chunk);
        else if ((m_state == ConnectionState::Open || m_state == ConnectionState::Closing) && !m_stopReading)
            processFrames(chunk);
        // else: data after the closing handshake is ignored (RFC 6455 §1.4)
        if (!mayHaveMore) {
            // After a reply, look once more before going back to the event loop: a quick peer's
            // answer may be here already, and reading it now saves a whole turn of the loop
            // (about 3 000 instructions). Bounded by the round's budget, as a burst is.
            if (!m_wroteThrough)
                break;
            if (!round.isValid())
                round.start();
            else if (roundOver())
                break; // the socket notifier says whether more came
            continue;
        }
        if (roundOver()) {
            postReadRound(transport);
            break;
        }
    }
    if (Q_UNLIKELY(m_facade->isReceiveProgressConnected()) && transport == m_transport && !m_finished
        && m_state != ConnectionState::AwaitingUpgrade)
        reportReceiveProgress();
    reportWritten();
    if (m_idleTimer.isActive())
        m_lastTraffic.start(); // onIdleTimeout() waits on for the rest: no timer restarted per read
}

void WebSocketConnection::postReadRound(Transport *transport)
{
    // more may be waiting (in the kernel, or decrypted in a TLS socket that will not say so
    // again): read on from the event loop once it has done its other work
    if (m_readRoundQueuedFor == transport)
        return;
    m_readRoundQueuedFor = transport;
    QMetaObject::invokeMethod(this, [this, transport] {
        if (m_readRoundQueuedFor == transport)
            m_readRoundQueuedFor = nullptr;
        if (transport == m_transport && !m_finished)
            onTransportReadyRead();
    }, Qt::QueuedConnection);
}

WebSocketConnection::InPlaceRead WebSocketConnection::readPayloadInPlace(Transport *transport,
                                                                        QElapsedTimer &round)
{
    // the rest of a large frame goes from the socket straight into the message: no copy through
    // m_readBuffer (one copy less per byte of a 256 MiB message, and fewer, larger reads)
    if ((m_state != ConnectionState::Open && m_state != ConnectionState::Closing) || m_stopReading)
        return InPlaceRead::NotApplicable;
    char *target = nullptr;
    const qsizetype room = m_decoder.reserveInPlace(InPlaceMinBytes, InPlaceMaxBytes, &target);
    if (room == 0)
        return InPlaceRead::NotApplicable;
    if (!round.isValid())
        round.start(); // a large payload: a burst
    const qint64 n = transport->read(target, room);
    const ErrorDetail error = m_decoder.commitInPlace(n > 0 ? qsizetype(n) : 0, *this);
    if (n < 0) {
        handlePeerGone(); // an unbuffered socket reports the peer's close only like this
        return InPlaceRead::PeerGone;
    }
    if (n > 0) {
        m_wroteThrough = false; // new data: a new round for scheduleFlush()
        m_info.counters.wireBytesReceived += quint64(n);
    }
    if (error != ErrorDetail::None && transport == m_transport && !m_finished)
        failProtocol(error);
    // read on while the socket filled all it was given (else it is most likely empty now)
    return n == room && transport == m_transport && !m_finished ? InPlaceRead::ReadOn : InPlaceRead::NotApplicable;
}

void WebSocketConnection::processFrames(QByteArrayView bytes)
{
    Transport *transport = m_transport;
    const ErrorDetail error = m_decoder.feed(bytes, *this);
    if (error != ErrorDetail::None && transport == m_transport && !m_finished)
        failProtocol(error);
}

bool WebSocketConnection::onMessage(SocketMessageType type, QByteArray &&data, bool isComplete)
{
    if (Q_UNLIKELY(m_receiveProgressReported) && isComplete) {
        m_receiveProgressReported = false;
        const auto total = qint64(m_decoder.assembler().currentMessageSize());
        deliver([this, total] { Q_EMIT m_facade->receiveProgress(total, total); });
    }
    if (isComplete)
        ++m_info.counters.messagesReceived;
    m_info.counters.messageBytesReceived += quint64(data.size());
    if (isComplete && handsToHandlerNow())
        return callMessageHandler(type, data);
    Transport *transport = m_transport;
    deliver([this, args = MessageWebSocketMessageReceivedEventArgs(type, std::move(data), isComplete)] {
        deliverMessage(args);
    });
    // the application may have closed, aborted or reconnected from its slot
    return transport == m_transport && !m_finished && !m_stopReading;
}

void WebSocketConnection::deliverMessage(const MessageWebSocketMessageReceivedEventArgs &args)
{
    // a message that had to wait goes where messages go at the moment it is delivered
    if (m_messageHandler && args.isMessageComplete()
        && m_control.receiveMode == MessageWebSocketReceiveMode::FullMessage)
        callMessageHandler(args.messageType(), args.data());
    else
        Q_EMIT m_facade->messageReceived(args);
}

void WebSocketConnection::afterMessageHandler()
{
    if (m_handlerReplaced && m_messageHandlerDepth == 0) {
        // replaced (or cleared) from inside: only now is the old one no longer running
        m_messageHandler = std::exchange(m_nextMessageHandler, {});
        m_handlerReplaced = false;
    }
    if (!m_deferredSignals.isEmpty() && m_publicCallDepth == 0)
        deliverDeferredSignals(); // what the handler's own calls raised, as after a slot
}

void WebSocketConnection::setMessageHandler(std::function<void(SocketMessageType, QByteArrayView)> handler)
{
    if (m_messageHandlerDepth > 0) {
        m_nextMessageHandler = std::move(handler);
        m_handlerReplaced = true;
        return;
    }
    m_messageHandler = std::move(handler);
}

void WebSocketConnection::reportReceiveProgress()
{
    MessageAssembler &assembler = m_decoder.assembler();
    if (!assembler.isMessageInProgress())
        return;
    // what has arrived: every payload byte announced so far but the rest of the frame being read
    // (a control frame between fragments is no part of the message)
    const FrameReader &reader = m_decoder.reader();
    const bool inDataPayload = reader.isInPayload() && !isControlOpcode(reader.header().opcode);
    const quint64 announced = assembler.currentMessageSize();
    const auto received = qint64(announced - (inDataPayload ? reader.payloadRemaining() : 0));
    const qint64 total = assembler.isMessageSizeKnown() ? qint64(announced) : -1;
    m_receiveProgressReported = true;
    deliver([this, received, total] { Q_EMIT m_facade->receiveProgress(received, total); });
}

bool WebSocketConnection::onWholeMessage(SocketMessageType type, QByteArrayView data)
{
    // one frame whose payload is data: counted and shown here (wantsWholeFrames() is false)
    ++m_info.counters.framesReceived;
    m_info.counters.payloadBytesReceived += quint64(data.size());
    if (Q_UNLIKELY(m_facade->isFrameObserverConnected())) // observingFrames(), inline
        observeWholeFrame(type, data);
    if (handsToHandlerNow()) {
        // no copy at all: the handler sees the bytes where they lie in the read buffer
        ++m_info.counters.messagesReceived;
        m_info.counters.messageBytesReceived += quint64(data.size());
        return callMessageHandler(type, data);
    }
    if (data.size() > RecycledMessageBytes)
        return onMessage(type, data.toByteArray(), true);
    // Implicit sharing makes this safe: once the slots of the last message have returned without
    // keeping a copy, nobody shares m_messageBuffer and it is refilled without an allocation; a
    // copy kept anywhere (a log, a queued connection) stays as it was and a new buffer is made.
    if (m_messageBuffer.isDetached()) {
        if (m_messageBuffer.size() != data.size()) // a stream of equal sizes skips even this
            m_messageBuffer.resize(data.size());
        if (!data.isEmpty())
            std::memcpy(m_messageBuffer.data(), data.data(), size_t(data.size()));
    } else {
        m_messageBuffer = data.toByteArray();
    }
    return onMessage(type, QByteArray(m_messageBuffer), true);
}

bool WebSocketConnection::onControlFrame(Opcode opcode, QByteArray &&payload)
{
    Transport *transport = m_transport;
    switch (opcode) {
    case Opcode::Ping:
        // RFC 6455 §5.5.2: answer with a pong carrying the same payload, unless closing
        if (!m_closeSent)
            writeControl(Opcode::Pong, payload);
        break;
    case Opcode::Pong: {
        ++m_info.counters.pongsReceived;
        // RFC 6455 §5.5.3: a pong may answer only the latest ping; unsolicited pongs are ignored
        for (qsizetype i = 0; i < m_pendingPings.size(); ++i) {
            if (m_pendingPings[i].payload == payload) {
                const auto rtt = std::chrono::milliseconds(m_pendingPings[i].sent.elapsed());
                m_pendingPings.remove(0, i + 1);
                m_info.lastPingRoundTrip = rtt;
                deliver([this, rtt, payload] { Q_EMIT m_facade->pongReceived(rtt, payload); });
                break;
            }
        }
        break;
    }
    case Opcode::Close: {
        ClosePayload close;
        const ErrorDetail error = parseClosePayload(payload, &close);
        if (error != ErrorDetail::None) {
            failProtocol(error);
            return false;
        }
        m_closeReceived = true;
        m_receivedCloseCode = close.code;
        m_receivedCloseReason = close.reason;
        m_stopReading = true; // nothing after a close frame counts (RFC 6455 §5.5.1)
        if (!m_closeSent) {
            // echo the status code (RFC 6455 §5.5.1); an empty close is answered with an empty one
            sendCloseFrame(close.code == quint16(CloseCode::NoStatusReceived)
                                   ? QByteArray()
                                   : buildClosePayload(close.code, {}));
        }
        if (m_state == ConnectionState::Open)
            setState(ConnectionState::Closing);
        // the server closes TCP first (RFC 6455 §7.1.1); the close timer bounds the wait
        m_closeTimer.start(m_control.timeouts.close);
        return false;
    }
    default:
        break;
    }
    return transport == m_transport && !m_finished && !m_stopReading;
}

void WebSocketConnection::onFrameHeader(const FrameHeader &header)
{
    ++m_info.counters.framesReceived;
    m_info.counters.payloadBytesReceived += header.payloadLength;
    m_incomingFrameHead.clear();
}

bool WebSocketConnection::observingFrames() const
{
    return m_facade->isFrameObserverConnected();
}

void WebSocketConnection::observeWholeFrame(SocketMessageType type, QByteArrayView payload)
{
    // what the decoder took: a final, unmasked data frame without reserved bits
    FrameHeader header;
    header.fin = true;
    header.opcode = type == SocketMessageType::Utf8 ? Opcode::Text : Opcode::Binary;
    header.payloadLength = quint64(payload.size());
    header.headerSize = payload.size() < 126 ? 2 : payload.size() <= 0xFFFF ? 4 : 10;
    m_incomingFrameHead.clear();
    onFramePayload(payload, 0);
    onFrameComplete(header, -1);
}

void WebSocketConnection::onFramePayload(QByteArrayView chunk, quint64 offset)
{
    if (offset >= quint64(FramePayloadHeadBytes) || !observingFrames())
        return;
    m_incomingFrameHead.append(chunk.first(std::min(chunk.size(), FramePayloadHeadBytes - qsizetype(offset))));
}

void WebSocketConnection::onFrameComplete(const FrameHeader &header, qint64 uncompressedLength)
{
    if (header.rsv1 && !isControlOpcode(header.opcode))
        ++m_info.counters.compressedMessagesReceived;
    if (!observingFrames())
        return;
    FrameInfo info;
    info.direction = FrameDirection::Incoming;
    info.opcode = quint8(header.opcode);
    info.fin = header.fin;
    info.rsv1 = header.rsv1;
    info.rsv2 = header.rsv2;
    info.rsv3 = header.rsv3;
    info.masked = header.masked;
    info.maskKey = header.maskKey;
    info.payloadLength = header.payloadLength;
    info.uncompressedLength = uncompressedLength;
    info.timestampMs = QDateTime::currentMSecsSinceEpoch();
    info.payloadHead = m_incomingFrameHead;
    deliver([this, info] { Q_EMIT m_facade->frameObserved(info); });
}

void WebSocketConnection::observeOutgoing(const FrameHeader &header, qint64 uncompressedLength,
                                          QByteArrayView payload)
{
    FrameInfo info;
    info.direction = FrameDirection::Outgoing;
    info.opcode = quint8(header.opcode);
    info.fin = header.fin;
    info.rsv1 = header.rsv1;
    info.masked = header.masked;
    info.maskKey = header.maskKey;
    info.payloadLength = header.payloadLength;
    info.uncompressedLength = uncompressedLength;
    info.timestampMs = QDateTime::currentMSecsSinceEpoch();
    info.payloadHead = payload.first(std::min(payload.size(), FramePayloadHeadBytes)).toByteArray();
    deliver([this, info] { Q_EMIT m_facade->frameObserved(info); });
}

// --- sending ---------------------------------------------------------------------------------

bool WebSocketConnection::isSendable() const
{
    return m_state == ConnectionState::Open && !m_closeSent && m_transport;
}

qint64 WebSocketConnection::bufferedAmount() const
{
    return m_queue.size() + (m_transport ? m_transport->bufferedBytes() : 0);
}

void WebSocketConnection::writeData(const QByteArray &bytes)
{
    // the upgrade request: counted on the wire, but bytesWritten reports frame bytes only
    m_info.counters.wireBytesSent += quint64(bytes.size());
    m_requestBytes += bytes.size();
    m_queue.append(bytes.constData(), bytes.size());
    flushNow();
}

void WebSocketConnection::scheduleFlush()
{
    // The first send of an event-loop round goes straight out (request/response waits for
    // nothing, and costs no posted event); later ones are batched until the round ends or much
    // is waiting, so a burst of small messages costs few system calls.
    if (!m_flushScheduled && !m_wroteThrough) {
        m_wroteThrough = true;
        flushNow();
    } else if (m_queue.size() >= FlushNowBytes) {
        flushNow();
    }
    if (m_flushScheduled)
        return; // the rest of a burst: the flush already on its way takes it (no per-message checks)
    const bool reportDue = m_facade->isBytesWrittenConnected() && unreportedWritten() > 0;
    if (!m_queue.isEmpty() || reportDue) {
        m_flushScheduled = true;
        QMetaObject::invokeMethod(this, &WebSocketConnection::flushQueued, Qt::QueuedConnection);
    }
}

void WebSocketConnection::flushQueued()
{
    m_flushScheduled = false;
    m_wroteThrough = false;
    flushNow();
    reportWritten();
}

void WebSocketConnection::flushNow()
{
    if (!m_transport || m_queue.isEmpty())
        return;
    const OutboundQueue::FlushResult result = m_queue.flushTo(*m_transport);
    m_handedBytes += result.handed;
    if (result.failed && !m_writeFailed) {
        // a write to a reset connection: Qt drops the socket without disconnected(), so the
        // loss is reported from here, from the event loop
        m_writeFailed = true;
        QMetaObject::invokeMethod(
                this,
                [this, transport = QPointer<Transport>(m_transport)] {
                    if (transport && transport == m_transport)
                        handlePeerGone();
                },
                Qt::QueuedConnection);
    }
}

qint64 WebSocketConnection::unreportedWritten() const
{
    if (!m_transport)
        return 0;
    // what left the transport, oldest first: the upgrade request, then frames
    const qint64 framesOut = m_handedBytes - m_transport->bufferedBytes() - m_requestBytes;
    return framesOut - m_reportedBytes;
}

void WebSocketConnection::reportWritten()
{
    const qint64 bytes = unreportedWritten();
    if (bytes <= 0)
        return;
    m_reportedBytes += bytes;
    if (!m_facade->isBytesWrittenConnected())
        return; // told to nobody, as an emit without receivers would (without its cost per read)
    deliver([this, bytes] { Q_EMIT m_facade->bytesWritten(bytes); });
}

bool WebSocketConnection::sendMessage(SocketMessageType type, QByteArrayView data)
{
    if (!isSendable())
        return refuse(ErrorDetail::InvalidState, QStringLiteral("the connection is not open"));
    if (m_fragmentOpen)
        return refuse(ErrorDetail::FragmentedMessageInProgress);
    if (type == SocketMessageType::Utf8 && !Utf8Validator::isValidUtf8(data))
        return refuse(ErrorDetail::InvalidUtf8InOutgoingText);
    if (m_control.maxBufferedAmountBytes > 0 && quint64(bufferedAmount()) >= m_control.maxBufferedAmountBytes)
        return refuse(ErrorDetail::SendBufferFull);

    const Opcode opcode = type == SocketMessageType::Utf8 ? Opcode::Text : Opcode::Binary;
    if (m_compressOutgoing && quint64(data.size()) >= m_control.compression.thresholdBytes) {
        sendCompressedMessage(opcode, data);
        return true;
    }
    const qint64 before = m_queue.size();
    quint64 frames = 0;
    const quint64 frameSize = m_control.outboundFrameSizeInBytes;
    if (!observingFrames() && (frameSize == 0 || quint64(data.size()) <= frameSize)) {
        // the common case: one frame, nobody watching
        writeFrame(m_queue.grow(frameHeaderSize(quint64(data.size()), true) + data.size()), opcode, {}, data,
                   m_keys->nextMaskKey());
        frames = 1;
    } else {
        qsizetype offset = 0; // where the reported frame's payload starts in data
        writeMessage(m_queue, opcode, data, frameSize, *m_keys, [&](const FrameHeader &h) {
            ++frames;
            if (observingFrames())
                observeOutgoing(h, -1, data.sliced(offset, qsizetype(h.payloadLength)));
            offset += qsizetype(h.payloadLength);
        });
    }
    m_info.counters.wireBytesSent += quint64(m_queue.size() - before);
    scheduleFlush();
    ++m_info.counters.messagesSent;
    m_info.counters.framesSent += frames;
    m_info.counters.payloadBytesSent += quint64(data.size());
    m_info.counters.messageBytesSent += quint64(data.size());
    return true;
}

void WebSocketConnection::sendCompressedMessage(Opcode opcode, QByteArrayView data)
{
    // Each frame carries a part of the message compressed on its own (sync flush), so the frame
    // inspector can say how much of the message each frame holds; one part when not split.
    const quint64 frameSize = m_control.outboundFrameSizeInBytes;
    const qsizetype step = (frameSize == 0 || quint64(data.size()) <= frameSize)
            ? std::max<qsizetype>(data.size(), 1)
            : qsizetype(frameSize);
    qsizetype pos = 0;
    Opcode op = opcode;
    do {
        const qsizetype n = std::min(step, data.size() - pos);
        FrameFlags flags;
        flags.fin = pos + n == data.size();
        flags.rsv1 = pos == 0; // RFC 7692 §6.1: the first frame of the message only
        m_compressBuffer.clear();
        m_deflater.compress(data.sliced(pos, n), flags.fin, &m_compressBuffer);
        queueFrame(op, flags, m_compressBuffer, n);
        op = Opcode::Continuation;
        pos += n;
    } while (pos < data.size());
    if (m_compressBuffer.capacity() > 1024 * 1024)
        m_compressBuffer = QByteArray(); // a big message's buffer is not kept
    ++m_info.counters.messagesSent;
    ++m_info.counters.compressedMessagesSent;
    m_info.counters.messageBytesSent += quint64(data.size());
    scheduleFlush();
}

bool WebSocketConnection::sendFrame(QByteArrayView data, bool fin)
{
    if (!isSendable())
        return refuse(ErrorDetail::InvalidState, QStringLiteral("the connection is not open"));
    if (m_control.maxBufferedAmountBytes > 0 && quint64(bufferedAmount()) >= m_control.maxBufferedAmountBytes)
        return refuse(ErrorDetail::SendBufferFull);
    Opcode opcode = Opcode::Continuation;
    Utf8Validator validator = m_fragmentUtf8;
    SocketMessageType type = m_fragmentType;
    if (!m_fragmentOpen) {
        type = m_control.messageType;
        opcode = type == SocketMessageType::Utf8 ? Opcode::Text : Opcode::Binary;
        validator.reset();
    }
    if (type == SocketMessageType::Utf8) {
        // text may be split inside a code point, but must be valid once complete
        if (!validator.write(data) || (fin && !validator.finish()))
            return refuse(ErrorDetail::InvalidUtf8InOutgoingText);
    }
    const bool first = !m_fragmentOpen;
    m_fragmentOpen = !fin;
    m_fragmentType = type;
    m_fragmentUtf8 = validator;
    // a message sent in parts is compressed whenever compression is in force (its size is unknown)
    if (first)
        m_fragmentCompressed = m_compressOutgoing;

    FrameFlags flags;
    flags.fin = fin;
    flags.rsv1 = first && m_fragmentCompressed;
    QByteArrayView payload = data;
    if (m_fragmentCompressed) {
        m_compressBuffer.clear();
        m_deflater.compress(data, fin, &m_compressBuffer);
        payload = m_compressBuffer;
    }
    queueFrame(opcode, flags, payload, m_fragmentCompressed ? qint64(data.size()) : -1);
    scheduleFlush();
    m_info.counters.messageBytesSent += quint64(data.size());
    if (fin) {
        ++m_info.counters.messagesSent;
        if (m_fragmentCompressed)
            ++m_info.counters.compressedMessagesSent;
    }
    return true;
}

bool WebSocketConnection::ping(QByteArrayView payload)
{
    if (!isSendable())
        return refuse(ErrorDetail::InvalidState, QStringLiteral("the connection is not open"));
    if (quint64(payload.size()) > MaxControlPayloadBytes)
        return refuse(ErrorDetail::ControlPayloadTooLong);
    if (m_pendingPings.size() >= MaxPendingPings)
        m_pendingPings.removeFirst(); // bound the list; a pong for it can no longer be timed
    PendingPing pending;
    pending.payload = payload.toByteArray();
    pending.sent.start();
    m_pendingPings.append(pending);
    ++m_info.counters.pingsSent;
    writeControl(Opcode::Ping, payload);
    return true;
}

void WebSocketConnection::writeControl(Opcode opcode, QByteArrayView payload)
{
    if (!m_transport)
        return;
    queueFrame(opcode, {}, payload);
    scheduleFlush();
}

void WebSocketConnection::queueFrame(Opcode opcode, FrameFlags flags, QByteArrayView payload,
                                     qint64 uncompressedLength)
{
    const quint32 key = m_keys->nextMaskKey();
    const qsizetype size = frameHeaderSize(quint64(payload.size()), true) + payload.size();
    writeFrame(m_queue.grow(size), opcode, flags, payload, key);
    m_info.counters.wireBytesSent += quint64(size);
    ++m_info.counters.framesSent;
    m_info.counters.payloadBytesSent += quint64(payload.size());
    if (observingFrames()) {
        FrameHeader h;
        h.fin = flags.fin;
        h.rsv1 = flags.rsv1;
        h.opcode = opcode;
        h.masked = true;
        h.maskKey = key;
        h.payloadLength = quint64(payload.size());
        observeOutgoing(h, uncompressedLength, payload);
    }
}

void WebSocketConnection::sendCloseFrame(QByteArrayView payload)
{
    writeControl(Opcode::Close, payload);
    m_closeSent = true;
    m_pongTimer.stop();
}

// --- closing ---------------------------------------------------------------------------------

bool WebSocketConnection::close(std::optional<quint16> code, const QString &reason)
{
    if (isConnecting(m_state)) {
        // closing before the upgrade completed abandons the connect
        cancelConnect();
        return true;
    }
    if (m_state != ConnectionState::Open || m_closeSent)
        return refuse(ErrorDetail::InvalidState, QStringLiteral("the connection is not open"));
    QByteArray payload;
    if (code) {
        const ErrorDetail error = validateOutgoingClose(*code, reason);
        if (error != ErrorDetail::None)
            return refuse(error, QString::number(*code));
        payload = buildClosePayload(*code, reason);
    } else if (!reason.isEmpty()) {
        return refuse(ErrorDetail::InvalidArgument, QStringLiteral("a close reason needs a close code"));
    }
    // queued after every message sent before, so nothing is lost
    sendCloseFrame(payload);
    setState(ConnectionState::Closing);
    m_closeTimer.start(m_control.timeouts.close);
    return true;
}

void WebSocketConnection::abort()
{
    if (isConnecting(m_state)) {
        cancelConnect();
        return;
    }
    if (m_state != ConnectionState::Open && m_state != ConnectionState::Closing)
        return;
    retireTransport(false);
    finish(ConnectionState::Closed, std::nullopt,
           WebSocketClosedEventArgs(quint16(CloseCode::AbnormalClosure), QString(), false));
}

void WebSocketConnection::failProtocol(ErrorDetail detail)
{
    // RFC 6455 §7.1.7: fail the connection, sending the close code the rule asks for
    const ErrorInfo info = errorInfo(detail);
    const quint16 code = info.closeCodeToSend ? info.closeCodeToSend : quint16(CloseCode::ProtocolError);
    const QByteArray reason = closeReasonFor(detail);
    if (!m_closeSent && m_transport) {
        QByteArray payload = buildClosePayload(code, {});
        payload.append(reason);
        sendCloseFrame(payload);
    }
    retireTransport(true);
    finish(ConnectionState::Failed, WebSocketError(detail),
           WebSocketClosedEventArgs(code, QString::fromUtf8(reason), false));
}

void WebSocketConnection::onTransportProgressed()
{
    // the transport has room again for the queue
    flushNow();
    reportWritten();
}

void WebSocketConnection::onTransportPeerClosed()
{
    // whatever the server sent before closing still counts
    Transport *transport = m_transport;
    if (m_transport && m_transport->bytesAvailable() > 0)
        onTransportReadyRead();
    if (transport != m_transport) // that answer was a 401 answered on a fresh connection
        return;
    handlePeerGone();
}

void WebSocketConnection::handlePeerGone()
{
    if (m_finished || !m_transport)
        return;
    switch (m_state) {
    case ConnectionState::AwaitingUpgrade:
        if (m_response.headersComplete()
            && m_response.finishAtEndOfStream() == HandshakeResponseParser::Result::Complete
            && m_response.statusCode() != 101) {
            onUpgradeRefused();
        } else {
            failHandshake(ErrorDetail::ConnectionAborted, QStringLiteral("during the opening handshake"));
        }
        return;
    case ConnectionState::Closing:
        if (m_closeReceived) {
            // the server closed with its code; clean only if our answer could be written too
            retireTransport(false);
            finish(ConnectionState::Closed, std::nullopt,
                   WebSocketClosedEventArgs(m_receivedCloseCode, m_receivedCloseReason,
                                            m_closeSent && !m_writeFailed));
            return;
        }
        [[fallthrough]]; // we closed and the server dropped TCP without answering
    case ConnectionState::Open:
        retireTransport(false);
        finish(ConnectionState::Failed, WebSocketError(ErrorDetail::ConnectionAborted),
               WebSocketClosedEventArgs(quint16(CloseCode::AbnormalClosure), QString(), false));
        return;
    default:
        retireTransport(false);
        finish(ConnectionState::Failed, WebSocketError(ErrorDetail::ConnectionAborted), std::nullopt);
        return;
    }
}

void WebSocketConnection::onTransportFailed(const WebSocketError &error)
{
    if (m_finished || !m_transport)
        return;
    // what the TLS handshake saw (certificates, errors) stays in Information after a failure
    m_transport->fillInformation(m_info);
    const bool wasOpen = m_state == ConnectionState::Open || m_state == ConnectionState::Closing;
    if (m_state == ConnectionState::AwaitingUpgrade) {
        failHandshake(error);
        return;
    }
    retireTransport(false);
    finish(ConnectionState::Failed, error,
           wasOpen ? std::optional(WebSocketClosedEventArgs(quint16(CloseCode::AbnormalClosure), QString(), false))
                   : std::nullopt);
}

void WebSocketConnection::onConnectTimeout()
{
    if (m_state != ConnectionState::Connecting && m_state != ConnectionState::TlsHandshaking)
        return;
    const bool inTls = m_state == ConnectionState::TlsHandshaking;
    if (m_transport)
        m_transport->fillInformation(m_info);
    retireTransport(false);
    // through a proxy, Connecting lasts until the proxy has opened the tunnel to the server
    const ProxyInformation &proxy = m_info.proxy;
    finish(ConnectionState::Failed,
           !inTls && proxy.type != ProxyType::None
                   ? WebSocketError(ErrorDetail::ProxyConnectTimeout,
                                    u"the proxy " + proxy.host + u':' + QString::number(proxy.port)
                                            + u" did not open the tunnel to the server within the connect timeout")
                   : WebSocketError(ErrorDetail::ConnectTimeout,
                                    inTls ? QStringLiteral("during the TLS handshake") : QString()),
           std::nullopt);
}

void WebSocketConnection::onHandshakeTimeout()
{
    if (m_state != ConnectionState::AwaitingUpgrade)
        return;
    // a refusal whose body never ends is still a refusal: report the status we got
    if (m_response.headersComplete() && m_response.statusCode() != 101) {
        m_response.finishAtEndOfStream();
        onUpgradeRefused();
        return;
    }
    failHandshake(ErrorDetail::HandshakeTimeout);
}

void WebSocketConnection::onCloseTimeout()
{
    if (m_state != ConnectionState::Closing)
        return;
    retireTransport(false);
    if (m_closeSent && m_closeReceived) {
        // both close frames were exchanged; the server only failed to close TCP
        finish(ConnectionState::Closed, std::nullopt,
               WebSocketClosedEventArgs(m_receivedCloseCode, m_receivedCloseReason, true));
        return;
    }
    finish(ConnectionState::Failed, WebSocketError(ErrorDetail::CloseTimeout),
           WebSocketClosedEventArgs(quint16(CloseCode::AbnormalClosure), QString(), false));
}

void WebSocketConnection::onIdleTimeout()
{
    if (m_state != ConnectionState::Open)
        return;
    // reads only mark the time: the timer runs out once per idle period and waits on for the rest
    const auto quiet = std::chrono::milliseconds(m_lastTraffic.elapsed());
    if (quiet < m_control.timeouts.idle) {
        m_idleTimer.start(m_control.timeouts.idle - quiet);
        return;
    }
    retireTransport(false);
    finish(ConnectionState::Failed, WebSocketError(ErrorDetail::IdleTimeout),
           WebSocketClosedEventArgs(quint16(CloseCode::AbnormalClosure), QString(), false));
}

void WebSocketConnection::onPongTimer()
{
    // RFC 6455 §5.5.3: an unsolicited pong is a one-way heartbeat; no answer is expected
    if (isSendable())
        writeControl(Opcode::Pong, {});
}

void WebSocketConnection::onBandwidthTimer()
{
    const quint64 in = m_info.counters.wireBytesReceived - m_lastWireIn;
    const quint64 out = m_info.counters.wireBytesSent - m_lastWireOut;
    const qint64 seconds = std::chrono::duration_cast<std::chrono::seconds>(BandwidthSampleInterval).count();
    BandwidthStatistics &bw = m_info.bandwidthStatistics;
    const quint64 inBits = in * 8 / quint64(seconds);
    const quint64 outBits = out * 8 / quint64(seconds);
    bw.inboundBitsPerSecondInstability = inBits > bw.inboundBitsPerSecond ? inBits - bw.inboundBitsPerSecond
                                                                          : bw.inboundBitsPerSecond - inBits;
    bw.outboundBitsPerSecondInstability = outBits > bw.outboundBitsPerSecond ? outBits - bw.outboundBitsPerSecond
                                                                             : bw.outboundBitsPerSecond - outBits;
    bw.inboundBitsPerSecond = inBits;
    bw.outboundBitsPerSecond = outBits;
    m_lastWireIn = m_info.counters.wireBytesReceived;
    m_lastWireOut = m_info.counters.wireBytesSent;
}

// --- the end of a connection -----------------------------------------------------------------

void WebSocketConnection::setState(ConnectionState state)
{
    if (state == m_state)
        return;
    Q_ASSERT_X(isAllowedTransition(m_state, state), "WebSocketConnection::setState", "transition not allowed");
    m_state = state;
    deliver([this, state] { Q_EMIT m_facade->stateChanged(state); });
}

void WebSocketConnection::stopTimers()
{
    for (QTimer *timer : {&m_connectTimer, &m_validationTimer, &m_handshakeTimer, &m_closeTimer, &m_idleTimer,
                          &m_pongTimer, &m_bandwidthTimer})
        timer->stop();
    if (m_validation) {
        // a deferral completed from now on finds no one
        m_validation->deleteLater();
        m_validation = nullptr;
    }
}

void WebSocketConnection::retireTransport(bool graceful)
{
    Transport *transport = m_transport;
    if (!transport)
        return;
    m_transport = nullptr;
    transport->disconnect(this);
    transport->setReadListener(nullptr);
    // what is queued (our close frame last) goes out before the connection is closed
    if (graceful && !m_queue.isEmpty())
        transport->write(m_queue.pending(), m_queue.size());
    m_queue.clear();
    transport->retire(graceful, m_control.timeouts.close);
}

void WebSocketConnection::finish(ConnectionState finalState, const std::optional<WebSocketError> &error,
                                 const std::optional<WebSocketClosedEventArgs> &closedArgs)
{
    if (m_finished)
        return;
    m_finished = true;
    stopTimers();
    m_fragmentOpen = false;
    if (error)
        m_lastError = *error;
    setState(finalState);
    // until closed() is out, a new connection would receive the old one's closed()
    m_closedPending = closedArgs.has_value();
    deliver([this, error, closedArgs] {
        if (error)
            Q_EMIT m_facade->errorOccurred(*error);
        m_closedPending = false;
        if (closedArgs)
            Q_EMIT m_facade->closed(*closedArgs);
    });
}

void WebSocketConnection::deliverDeferredSignals()
{
    m_deferredPosted = false;
    // one at a time: a slot may call a public function that defers more, which then come next
    while (!m_deferredSignals.isEmpty())
        m_deferredSignals.takeFirst()();
}

} // namespace Wsw
