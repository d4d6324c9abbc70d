// bench_ca_from_env.cpp - linked into the harness's unchanged qws_client.cpp to make qws_client_ca:
// QWebSocket over wss://, trusting the benchmark's test CA the way an application would.
//
// WSW_BENCH_CA=FILE (PEM, one or more certificates) does two things; unset, nothing changes.
//
// 1. A Q_COREAPP_STARTUP_FUNCTION (run inside QCoreApplication's constructor, before any socket
//    exists) sets Qt's default TLS configuration to trust the system CAs plus FILE's: the same set
//    `wscli bench --ca FILE` gives its TlsTransport. Peer verification stays Qt's default for
//    clients (VerifyPeer, host name or IP checked); QWebSocket aborts on any sslErrors() it is not
//    told to ignore, and qws_client ignores none. A wrong CA makes it fail.
//
// 2. The harness's contract passes ws://HOST:PORT, and its parse_args() (common.hpp) accepts no
//    other scheme, so qws_client.cpp cannot be handed a wss:// URL. The link option
//    --wrap=_ZN10QWebSocket4openERK4QUrl (see CMakeLists.txt) routes qws_client's one call of
//    QWebSocket::open(const QUrl &) through __wrap_ below, which changes the scheme ws to wss and
//    calls the real open(). That is the whole change: QWebSocket then opens its own QSslSocket,
//    exactly as for a wss:// URL an application passed.
#include <QCoreApplication>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QUrl>
#include <QWebSocket>

#include <cstdio>
#include <cstdlib>

namespace {

bool wssWanted()
{
    return !qEnvironmentVariableIsEmpty("WSW_BENCH_CA");
}

void addBenchCa()
{
    if (!wssWanted())
        return;
    const QString file = qEnvironmentVariable("WSW_BENCH_CA");
    const QList<QSslCertificate> cas = QSslCertificate::fromPath(file);
    if (cas.isEmpty()) {
        std::fprintf(stderr, "qws_client_ca: no PEM certificate in WSW_BENCH_CA=%s\n", qPrintable(file));
        std::exit(2);
    }
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setCaCertificates(QSslConfiguration::systemCaCertificates() + cas);
    QSslConfiguration::setDefaultConfiguration(config);
}

} // namespace

Q_COREAPP_STARTUP_FUNCTION(addBenchCa)

// QWebSocket::open(const QUrl &) under the Itanium C++ ABI: `this` comes first.
extern "C" void __real__ZN10QWebSocket4openERK4QUrl(QWebSocket *self, const QUrl &url);

extern "C" void __wrap__ZN10QWebSocket4openERK4QUrl(QWebSocket *self, const QUrl &url)
{
    if (!wssWanted() || url.scheme() != u"ws") {
        __real__ZN10QWebSocket4openERK4QUrl(self, url);
        return;
    }
    QUrl secure = url;
    secure.setScheme(QStringLiteral("wss"));
    __real__ZN10QWebSocket4openERK4QUrl(self, secure);
}
