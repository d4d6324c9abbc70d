#include "persistence/controljson.h"

#include <memory>

#include <QJsonArray>
#include <QSslKey>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "api/chainvalidation.h"
#include "api/spkipin.h"
#include "codec/handshake.h"
#include "codec/permessagedeflate.h"
#include "persistence/jsonfields.h"

using namespace Qt::Literals::StringLiterals;

namespace Wsw::Ui::ControlJson {

namespace {

const QStringList MessageTypeWords{u"binary"_s, u"text"_s};             // SocketMessageType's order
const QStringList ReceiveModeWords{u"fullMessage"_s, u"partialMessage"_s}; // MessageWebSocketReceiveMode's order
const QStringList ProxyTypeWords{u"none"_s, u"system"_s, u"http"_s, u"socks5"_s}; // ProxyType's order

const QString ServerPasswordKey = u"serverPassword"_s;
const QString ProxyPasswordKey = u"proxyPassword"_s;
const QString ClientKeyKey = u"clientCertificateKey"_s;

constexpr qint64 MaxTimerMs = 2147483647; // QTimer's int milliseconds
constexpr qint64 MaxExactJsonInteger = 9007199254740992; // 2^53

struct BioFree {
    void operator()(BIO *bio) const { BIO_free(bio); }
};
struct KeyFree {
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};

/** Unencrypted PKCS#8 PEM of any key the engine loads (Qt's own, or OpenSSL's behind Qt::HANDLE). */
QByteArray keyToPem(const QSslKey &key)
{
    if (key.algorithm() != QSsl::Opaque)
        return key.toPem();
    auto *handle = static_cast<EVP_PKEY *>(key.handle());
    std::unique_ptr<BIO, BioFree> out(BIO_new(BIO_s_mem()));
    if (!handle || !out || !PEM_write_bio_PKCS8PrivateKey(out.get(), handle, nullptr, nullptr, 0, nullptr, nullptr))
        return {};
    char *data = nullptr;
    const long size = BIO_get_mem_data(out.get(), &data);
    return QByteArray(data, qsizetype(size));
}

/** keyToPem()'s inverse: Qt's key types first, OpenSSL's handle for the rest (Ed25519…). */
QSslKey keyFromPem(const QByteArray &pem)
{
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    std::unique_ptr<BIO, BioFree> in(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    std::unique_ptr<EVP_PKEY, KeyFree> key(in ? PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!key)
        return {};
    return QSslKey(Qt::HANDLE(key.release()), QSsl::PrivateKey); // the QSslKey owns the handle now
}

QString pemText(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.toPem());
}

QJsonArray pemArray(const QList<QSslCertificate> &certificates)
{
    QJsonArray array;
    for (const QSslCertificate &certificate : certificates)
        array.append(pemText(certificate));
    return array;
}

QJsonObject credentialJson(const PasswordCredential &credential)
{
    return {{u"userName"_s, credential.userName}, {u"hasPassword"_s, !credential.password.isEmpty()}};
}

/** The Control reader: one function per section, all sharing the warnings and the secrets. */
class Reader
{
public:
    Reader(const std::optional<QJsonObject> &secrets, QStringList *warnings)
        : m_secrets(secrets)
        , m_warnings(warnings)
    {
    }

    bool read(JsonFields &fields, MessageWebSocketControl *control);

private:
    bool readMessages(JsonFields &fields, MessageWebSocketControl *control);
    bool readTimeouts(JsonFields &parent, Timeouts *timeouts);
    bool readCompression(JsonFields &parent, DeflateOptions *options);
    bool readProxy(JsonFields &parent, ProxySettings *proxy);
    bool readCredential(JsonFields &parent, const QString &key, const QString &secretKey,
                        std::optional<PasswordCredential> *credential);
    bool readTls(JsonFields &fields, MessageWebSocketControl *control);
    bool readCertificates(JsonFields &fields, const QString &key, QList<QSslCertificate> *certificates);
    bool readClientCertificate(JsonFields &parent, std::optional<ClientCertificate> *client);
    /** The secret's text when the secrets hold a string under key; nullopt otherwise. */
    std::optional<QString> secret(const QString &key) const;

    const std::optional<QJsonObject> &m_secrets;
    QStringList *m_warnings;
};

std::optional<QString> Reader::secret(const QString &key) const
{
    if (!m_secrets || !m_secrets->value(key).isString())
        return std::nullopt;
    return m_secrets->value(key).toString();
}

bool Reader::read(JsonFields &fields, MessageWebSocketControl *control)
{
    if (!readMessages(fields, control) || !readTimeouts(fields, &control->timeouts)
        || !readCompression(fields, &control->compression) || !readProxy(fields, &control->proxy)
        || !readCredential(fields, u"proxyCredential"_s, ProxyPasswordKey, &control->proxyCredential)
        || !readCredential(fields, u"serverCredential"_s, ServerPasswordKey, &control->serverCredential)
        || !readTls(fields, control))
        return false;
    if (m_secrets) {
        for (auto it = m_secrets->constBegin(); it != m_secrets->constEnd(); ++it)
            if (it.key() != ServerPasswordKey && it.key() != ProxyPasswordKey && it.key() != ClientKeyKey)
                m_warnings->append(u"secrets.%1: unknown key, ignored"_s.arg(it.key()));
            else if (!it.value().isString()) // the value itself never goes into a message
                return fields.failAt(u"secrets.%1"_s.arg(it.key()), u"must be a string"_s);
    }
    fields.finish();
    return fields.ok();
}

bool Reader::readMessages(JsonFields &fields, MessageWebSocketControl *control)
{
    int messageType = int(control->messageType);
    int receiveMode = int(control->receiveMode);
    qint64 pongMs = control->desiredUnsolicitedPongInterval.count();
    fields.readChoice(u"messageType"_s, MessageTypeWords, &messageType);
    fields.readNumber(u"maxMessageSize"_s, 0, 0xFFFFFFFFll, &control->maxMessageSize);
    bool hasBuffer = false;
    quint32 buffer = 0;
    if (fields.readNumber(u"outboundBufferSizeInBytes"_s, 1, 0x7FFFFFFFll, &buffer, &hasBuffer))
        control->outboundBufferSizeInBytes = hasBuffer ? std::optional<quint32>(buffer) : std::nullopt;
    fields.readNumber(u"outboundFrameSizeInBytes"_s, 0, 0xFFFFFFFFll, &control->outboundFrameSizeInBytes);
    fields.readNumber(u"maxBufferedAmountBytes"_s, 0, MaxExactJsonInteger, &control->maxBufferedAmountBytes);
    QStringList protocols = control->supportedProtocols;
    if (fields.readStringList(u"supportedProtocols"_s, &protocols)) {
        for (qsizetype i = 0; i < protocols.size(); ++i) {
            if (Codec::validateSubprotocol(protocols.at(i)) != ErrorDetail::None)
                return fields.fail(u"supportedProtocols[%1]"_s.arg(i),
                                   u"\"%1\" is not a subprotocol name (an HTTP token: letters, digits and "
                                   "!#$%&'*+-.^_`|~)"_s.arg(protocols.at(i)));
            if (protocols.indexOf(protocols.at(i)) != i)
                return fields.fail(u"supportedProtocols[%1]"_s.arg(i), u"\"%1\" is listed twice"_s.arg(protocols.at(i)));
        }
        control->supportedProtocols = protocols;
    }
    fields.readNumber(u"desiredUnsolicitedPongIntervalMs"_s, 0, MaxTimerMs, &pongMs);
    fields.readChoice(u"receiveMode"_s, ReceiveModeWords, &receiveMode);
    fields.readBool(u"noDelay"_s, &control->noDelay);
    control->messageType = SocketMessageType(messageType);
    control->receiveMode = MessageWebSocketReceiveMode(receiveMode);
    control->desiredUnsolicitedPongInterval = std::chrono::milliseconds(pongMs);
    return fields.ok();
}

bool Reader::readTimeouts(JsonFields &parent, Timeouts *timeouts)
{
    QJsonObject json;
    bool present = false;
    if (!parent.readObject(u"timeoutsMs"_s, &json, &present) || !present)
        return parent.ok();
    JsonFields fields(json, parent.pathOf(u"timeoutsMs"_s), m_warnings);
    const auto readMs = [&fields](const QString &key, qint64 min, std::chrono::milliseconds *out) {
        qint64 ms = out->count();
        fields.readInteger(key, min, MaxTimerMs, &ms);
        *out = std::chrono::milliseconds(ms);
    };
    readMs(u"connect"_s, 1, &timeouts->connect); // every wait but idle is bounded
    readMs(u"handshake"_s, 1, &timeouts->handshake);
    readMs(u"close"_s, 1, &timeouts->close);
    readMs(u"idle"_s, 0, &timeouts->idle);
    readMs(u"validation"_s, 1, &timeouts->validation);
    fields.finish();
    return parent.adopt(fields);
}

bool Reader::readCompression(JsonFields &parent, DeflateOptions *options)
{
    QJsonObject json;
    bool present = false;
    if (!parent.readObject(u"compression"_s, &json, &present) || !present)
        return parent.ok();
    const QString path = parent.pathOf(u"compression"_s);
    JsonFields fields(json, path, m_warnings);
    fields.readBool(u"enabled"_s, &options->enabled);
    fields.readBool(u"offerClientMaxWindowBits"_s, &options->offerClientMaxWindowBits);
    fields.readNumber(u"clientMaxWindowBits"_s, 0, 15, &options->clientMaxWindowBits);
    fields.readNumber(u"serverMaxWindowBits"_s, 0, 15, &options->serverMaxWindowBits);
    fields.readBool(u"clientNoContextTakeover"_s, &options->clientNoContextTakeover);
    fields.readBool(u"serverNoContextTakeover"_s, &options->serverNoContextTakeover);
    fields.readNumber(u"compressionLevel"_s, -1, 9, &options->compressionLevel);
    fields.readNumber(u"thresholdBytes"_s, 0, 0xFFFFFFFFll, &options->thresholdBytes);
    fields.finish();
    if (!parent.adopt(fields))
        return false;
    QString problem;
    if (Codec::validateDeflateOptions(*options, &problem) != ErrorDetail::None)
        // the codec's words, which already name the field ("compression.clientMaxWindowBits …")
        return parent.failAt(parent.pathOf(u"compression"_s).chopped(u"compression"_s.size()) + problem.section(u' ', 0, 0),
                             problem.section(u' ', 1));
    return true;
}

bool Reader::readProxy(JsonFields &parent, ProxySettings *proxy)
{
    QJsonObject json;
    bool present = false;
    if (!parent.readObject(u"proxy"_s, &json, &present) || !present)
        return parent.ok();
    const QString path = parent.pathOf(u"proxy"_s);
    JsonFields fields(json, path, m_warnings);
    int type = int(proxy->type);
    fields.readChoice(u"type"_s, ProxyTypeWords, &type);
    fields.readString(u"host"_s, &proxy->host);
    fields.readNumber(u"port"_s, 0, 65535, &proxy->port);
    proxy->type = ProxyType(type);
    if (fields.ok() && (proxy->type == ProxyType::Http || proxy->type == ProxyType::Socks5)) {
        if (proxy->host.trimmed().isEmpty())
            fields.fail(u"host"_s, u"empty (an HTTP or SOCKS5 proxy needs one)"_s);
        else if (proxy->port == 0)
            fields.fail(u"port"_s, u"must be from 1 to 65535 for an HTTP or SOCKS5 proxy"_s);
    }
    fields.finish();
    return parent.adopt(fields);
}

bool Reader::readCredential(JsonFields &parent, const QString &key, const QString &secretKey,
                            std::optional<PasswordCredential> *credential)
{
    QJsonObject json;
    bool present = false;
    if (!parent.readObject(key, &json, &present))
        return false;
    if (!present) {
        *credential = std::nullopt;
        return true;
    }
    const QString path = parent.pathOf(key);
    JsonFields fields(json, path, m_warnings);
    PasswordCredential result;
    bool hasPassword = false;
    fields.readString(u"userName"_s, &result.userName);
    fields.readBool(u"hasPassword"_s, &hasPassword);
    if (fields.ok() && result.userName.isEmpty())
        fields.fail(u"userName"_s, u"empty (a credential needs a user name)"_s);
    fields.finish();
    if (!parent.adopt(fields))
        return false;
    if (const std::optional<QString> password = secret(secretKey))
        result.password = *password;
    else if (hasPassword)
        m_warnings->append(u"%1: the password is not in the profile (saved without passwords, or opened without "
                           "the passphrase); type it again"_s.arg(path));
    *credential = result;
    return true;
}

bool Reader::readCertificates(JsonFields &fields, const QString &key, QList<QSslCertificate> *certificates)
{
    QStringList pems;
    const bool present = fields.contains(key);
    if (!fields.readStringList(key, &pems) || !present)
        return fields.ok();
    QList<QSslCertificate> result;
    for (qsizetype i = 0; i < pems.size(); ++i) {
        const QList<QSslCertificate> parsed = QSslCertificate::fromData(pems.at(i).toLatin1(), QSsl::Pem);
        if (parsed.size() != 1 || parsed.constFirst().isNull())
            return fields.fail(u"%1[%2]"_s.arg(key).arg(i),
                               parsed.isEmpty() ? u"not a PEM certificate (-----BEGIN CERTIFICATE-----)"_s
                                                : u"holds %1 certificates; write one per entry"_s.arg(parsed.size()));
        result.append(parsed.constFirst());
    }
    *certificates = result;
    return true;
}

bool Reader::readClientCertificate(JsonFields &parent, std::optional<ClientCertificate> *client)
{
    QJsonObject json;
    bool present = false;
    if (!parent.readObject(u"clientCertificate"_s, &json, &present))
        return false;
    *client = std::nullopt;
    if (!present)
        return true;
    const QString path = parent.pathOf(u"clientCertificate"_s);
    JsonFields fields(json, path, m_warnings);
    ClientCertificate result;
    if (!fields.contains(u"certificate"_s))
        fields.fail(u"certificate"_s, u"missing"_s);
    QString pem;
    if (fields.readString(u"certificate"_s, &pem)) {
        const QList<QSslCertificate> parsed = QSslCertificate::fromData(pem.toLatin1(), QSsl::Pem);
        if (parsed.size() != 1)
            fields.fail(u"certificate"_s, u"must be exactly one PEM certificate"_s);
        else
            result.certificate = parsed.constFirst();
    }
    readCertificates(fields, u"intermediates"_s, &result.intermediates);
    fields.finish();
    if (!parent.adopt(fields))
        return false;
    const std::optional<QString> keyPem = secret(ClientKeyKey);
    if (!keyPem) {
        m_warnings->append(u"%1: the private key of \"%2\" is not in the profile (saved without passwords, or "
                           "opened without the passphrase), so no client certificate is set; choose its files "
                           "again"_s.arg(path, result.certificate.subjectDisplayName()));
        return true;
    }
    result.privateKey = keyFromPem(keyPem->toLatin1());
    if (result.privateKey.isNull())
        return parent.fail(u"clientCertificate"_s, u"the saved private key is not a readable PEM key"_s);
    if (!ClientCertificate::keyMatches(result.certificate, result.privateKey))
        return parent.fail(u"clientCertificate"_s, u"the saved private key does not belong to the certificate"_s);
    *client = result;
    return true;
}

bool Reader::readTls(JsonFields &fields, MessageWebSocketControl *control)
{
    QStringList errorNames;
    const bool hasErrors = fields.contains(u"ignorableServerCertificateErrors"_s);
    if (fields.readStringList(u"ignorableServerCertificateErrors"_s, &errorNames) && hasErrors) {
        QList<ChainValidationResult> results;
        for (qsizetype i = 0; i < errorNames.size(); ++i) {
            const QString key = u"ignorableServerCertificateErrors[%1]"_s.arg(i);
            const std::optional<ChainValidationResult> result = ChainValidation::fromName(errorNames.at(i));
            if (!result || *result == ChainValidationResult::Success)
                return fields.fail(key, u"\"%1\" is not a certificate error; known: %2"_s.arg(
                                                errorNames.at(i), ChainValidation::names().join(u", "_s)));
            if (!ChainValidation::isIgnorable(*result))
                return fields.fail(key, u"%1 may never be ignored (spec §7.4)"_s.arg(ChainValidation::name(*result)));
            if (!results.contains(*result))
                results.append(*result);
        }
        control->ignorableServerCertificateErrors = results;
    }
    if (!readCertificates(fields, u"additionalCaCertificates"_s, &control->additionalCaCertificates))
        return false;
    QStringList pins = control->pinnedPublicKeys;
    if (fields.readStringList(u"pinnedPublicKeys"_s, &pins)) {
        for (qsizetype i = 0; i < pins.size(); ++i)
            if (SpkiPin::digestOf(pins.at(i)).isEmpty())
                return fields.fail(u"pinnedPublicKeys[%1]"_s.arg(i),
                                   u"\"%1\" is not a pin; write sha256/ and the base64 of 32 bytes"_s.arg(pins.at(i)));
        control->pinnedPublicKeys = pins;
    }
    if (!readClientCertificate(fields, &control->clientCertificate))
        return false;
    fields.readBool(u"allowCustomValidationOverride"_s, &control->allowCustomValidationOverride);
    return fields.ok();
}

} // namespace

QJsonObject toJson(const MessageWebSocketControl &control)
{
    const Timeouts &t = control.timeouts;
    const DeflateOptions &d = control.compression;
    QJsonArray ignorable;
    for (ChainValidationResult result : control.ignorableServerCertificateErrors)
        ignorable.append(ChainValidation::name(result));
    QJsonValue client = QJsonValue::Null;
    if (control.clientCertificate && !control.clientCertificate->isNull())
        client = QJsonObject{{u"certificate"_s, pemText(control.clientCertificate->certificate)},
                             {u"intermediates"_s, pemArray(control.clientCertificate->intermediates)}};
    return {
            {u"messageType"_s, MessageTypeWords.at(int(control.messageType))},
            {u"maxMessageSize"_s, qint64(control.maxMessageSize)},
            {u"outboundBufferSizeInBytes"_s, control.outboundBufferSizeInBytes
                     ? QJsonValue(qint64(*control.outboundBufferSizeInBytes)) : QJsonValue(QJsonValue::Null)},
            {u"outboundFrameSizeInBytes"_s, qint64(control.outboundFrameSizeInBytes)},
            {u"maxBufferedAmountBytes"_s, qint64(control.maxBufferedAmountBytes)},
            {u"supportedProtocols"_s, QJsonArray::fromStringList(control.supportedProtocols)},
            {u"desiredUnsolicitedPongIntervalMs"_s, qint64(control.desiredUnsolicitedPongInterval.count())},
            {u"receiveMode"_s, ReceiveModeWords.at(int(control.receiveMode))},
            {u"noDelay"_s, control.noDelay},
            {u"timeoutsMs"_s, QJsonObject{{u"connect"_s, qint64(t.connect.count())},
                                          {u"handshake"_s, qint64(t.handshake.count())},
                                          {u"close"_s, qint64(t.close.count())},
                                          {u"idle"_s, qint64(t.idle.count())},
                                          {u"validation"_s, qint64(t.validation.count())}}},
            {u"compression"_s, QJsonObject{{u"enabled"_s, d.enabled},
                                           {u"offerClientMaxWindowBits"_s, d.offerClientMaxWindowBits},
                                           {u"clientMaxWindowBits"_s, d.clientMaxWindowBits},
                                           {u"serverMaxWindowBits"_s, d.serverMaxWindowBits},
                                           {u"clientNoContextTakeover"_s, d.clientNoContextTakeover},
                                           {u"serverNoContextTakeover"_s, d.serverNoContextTakeover},
                                           {u"compressionLevel"_s, d.compressionLevel},
                                           {u"thresholdBytes"_s, qint64(d.thresholdBytes)}}},
            {u"proxy"_s, QJsonObject{{u"type"_s, ProxyTypeWords.at(int(control.proxy.type))},
                                     {u"host"_s, control.proxy.host},
                                     {u"port"_s, control.proxy.port}}},
            {u"proxyCredential"_s, control.proxyCredential ? QJsonValue(credentialJson(*control.proxyCredential))
                                                            : QJsonValue(QJsonValue::Null)},
            {u"serverCredential"_s, control.serverCredential ? QJsonValue(credentialJson(*control.serverCredential))
                                                              : QJsonValue(QJsonValue::Null)},
            {u"ignorableServerCertificateErrors"_s, ignorable},
            {u"additionalCaCertificates"_s, pemArray(control.additionalCaCertificates)},
            {u"pinnedPublicKeys"_s, QJsonArray::fromStringList(control.pinnedPublicKeys)},
            {u"clientCertificate"_s, client},
            {u"allowCustomValidationOverride"_s, control.allowCustomValidationOverride},
    };
}

QJsonObject secretsOf(const MessageWebSocketControl &control)
{
    QJsonObject secrets;
    if (control.serverCredential && !control.serverCredential->password.isEmpty())
        secrets.insert(ServerPasswordKey, control.serverCredential->password);
    if (control.proxyCredential && !control.proxyCredential->password.isEmpty())
        secrets.insert(ProxyPasswordKey, control.proxyCredential->password);
    if (control.clientCertificate && !control.clientCertificate->privateKey.isNull())
        secrets.insert(ClientKeyKey, QString::fromLatin1(keyToPem(control.clientCertificate->privateKey)));
    return secrets;
}

ReadResult fromJson(const QJsonObject &json, const std::optional<QJsonObject> &secrets, const QString &path)
{
    ReadResult result;
    MessageWebSocketControl control;
    JsonFields fields(json, path, &result.warnings);
    Reader reader(secrets, &result.warnings);
    if (!reader.read(fields, &control)) {
        result.error = fields.error();
        result.warnings.clear();
        return result;
    }
    result.control = control;
    return result;
}

} // namespace Wsw::Ui::ControlJson
