// Persistence: the Control as JSON, connection profile files (with and without encrypted
// passwords), the window's settings across a restart (a temporary INI file), and the profile dialogs.
#include "persistence/connectionprofile.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTemporaryDir>
#include <QTest>

#include "api/chainvalidation.h"
#include "api/websocketerror.h"
#include "dialogs/profilepassphrasedialog.h"
#include "dialogs/saveprofiledialog.h"
#include "persistence/controljson.h"
#include "persistence/workbenchsettings.h"
#include "testpki.h"
#include "widgetlookup.h"

using namespace Wsw;
using namespace Wsw::Ui;
using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr int FastIterations = SecretBox::MinimumIterations;
const QString ServerPassword = u"srv-Secret-4711"_s;
const QString ProxyPassword = u"pxy-Secret-0815"_s;
const QString Passphrase = u"team passphrase 2026"_s;
const QString WrongPassphraseError =
        u"encrypted passwords: the passphrase is wrong, or the encrypted passwords were changed after saving"_s;

ClientCertificate clientCertificate()
{
    WebSocketError error;
    const std::optional<ClientCertificate> loaded =
            ClientCertificate::load(TestPki::path(u"client.pem"_s), TestPki::path(u"client.key"_s), {}, &error);
    if (!loaded)
        qFatal("test client certificate missing");
    ClientCertificate certificate = *loaded;
    certificate.intermediates = {TestPki::certificate(u"intermediate-ca.pem"_s)};
    return certificate;
}

/** Every field different from its default. */
MessageWebSocketControl everyFieldSet()
{
    MessageWebSocketControl c;
    c.messageType = SocketMessageType::Utf8;
    c.maxMessageSize = 123456;
    c.outboundBufferSizeInBytes = 65536;
    c.outboundFrameSizeInBytes = 4096;
    c.maxBufferedAmountBytes = 5ull * 1024 * 1024 * 1024; // beyond 32 bits
    c.supportedProtocols = {u"chat.v2"_s, u"chat"_s};
    c.desiredUnsolicitedPongInterval = 15s;
    c.receiveMode = MessageWebSocketReceiveMode::PartialMessage;
    c.noDelay = false;
    c.timeouts = {5s, 6s, 7s, 8s, 9s};
    c.compression = {false, true, 12, 10, true, true, 3, 256}; // offerClientMaxWindowBits: see controlRoundTrip
    c.proxy = {ProxyType::Socks5, u"proxy.example"_s, 1080};
    c.proxyCredential = PasswordCredential{u"proxy-user"_s, ProxyPassword};
    c.serverCredential = PasswordCredential{u"server-user"_s, ServerPassword};
    c.ignorableServerCertificateErrors = {ChainValidationResult::Expired, ChainValidationResult::Untrusted};
    c.additionalCaCertificates = {TestPki::certificate(u"root-ca.pem"_s)};
    c.pinnedPublicKeys = {TestPki::pin(u"server"_s)};
    c.clientCertificate = clientCertificate();
    c.allowCustomValidationOverride = true;
    return c;
}

ConnectionProfile sampleProfile()
{
    ConnectionProfile p;
    p.name = u"Staging chat"_s;
    p.url = u"wss://staging.example:8443/chat?room=1"_s;
    p.control = everyFieldSet();
    p.headers = {{"Authorization-Hint", "team"}, {"X-Trace", "on ü"}};
    p.savedMessages = {{u"hello"_s, SocketMessageType::Utf8, "{\"hello\": 1}"},
                       {u"bytes"_s, SocketMessageType::Binary, QByteArray("\x00\xff\x80", 3)}};
    return p;
}

/** The profile as it comes back without its secrets: user names kept, passwords empty, no client certificate. */
ConnectionProfile withoutSecrets(ConnectionProfile p)
{
    p.control.serverCredential->password.clear();
    p.control.proxyCredential->password.clear();
    p.control.clientCertificate.reset();
    return p;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(bytes);
}

/** The base64 of the private key's body, which must never reach a file in clear. */
QByteArray privateKeyBody()
{
    const QList<QByteArray> lines = clientCertificate().privateKey.toPem().split('\n');
    return lines.value(1); // the first line of base64 after -----BEGIN PRIVATE KEY-----
}

/** Fails the test when the text holds any secret of sampleProfile() in clear. */
bool holdsNoSecret(const QByteArray &text)
{
    return !text.contains(ServerPassword.toUtf8()) && !text.contains(ProxyPassword.toUtf8())
            && !text.contains("PRIVATE KEY") && !text.contains(privateKeyBody());
}

void saveShot(QWidget *widget, const QString &name)
{
    QDir().mkpath(u"/tmp/profiles-shots"_s);
    widget->grab().save(u"/tmp/profiles-shots/"_s + name);
}

} // namespace

class tst_Profiles final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // --- the Control as JSON ---------------------------------------------------------------

    void everyFieldDiffersFromItsDefault()
    {
        // guards the round trip below: a field left at its default would pass unnoticed
        const QJsonObject defaults = ControlJson::toJson(MessageWebSocketControl());
        const QJsonObject custom = ControlJson::toJson(everyFieldSet());
        QCOMPARE(custom.keys(), defaults.keys());
        for (const QString &key : defaults.keys()) {
            if (defaults.value(key).isObject()) {
                const QJsonObject d = defaults.value(key).toObject();
                const QJsonObject c = custom.value(key).toObject();
                for (const QString &inner : d.keys())
                    if (inner != u"offerClientMaxWindowBits"_s) // off needs clientMaxWindowBits 0: controlRoundTrip
                        QVERIFY2(c.value(inner) != d.value(inner), qPrintable(key + u'.' + inner));
            } else {
                QVERIFY2(custom.value(key) != defaults.value(key), qPrintable(key));
            }
        }
        QCOMPARE(defaults.size(), 19); // one key per Control field: add the new field to everyFieldSet()
    }

    void controlRoundTrip()
    {
        const MessageWebSocketControl control = everyFieldSet();
        // through the text, as a file would carry it
        const QByteArray text = QJsonDocument(ControlJson::toJson(control)).toJson();
        QVERIFY(holdsNoSecret(text));
        const ControlJson::ReadResult read =
                ControlJson::fromJson(QJsonDocument::fromJson(text).object(), ControlJson::secretsOf(control));
        QVERIFY2(read.control, qPrintable(read.error));
        QCOMPARE(read.warnings, QStringList());
        QVERIFY(*read.control == control);

        MessageWebSocketControl noClientWindow = control;
        noClientWindow.compression.offerClientMaxWindowBits = false;
        noClientWindow.compression.clientMaxWindowBits = 0;
        const ControlJson::ReadResult again =
                ControlJson::fromJson(ControlJson::toJson(noClientWindow), ControlJson::secretsOf(noClientWindow));
        QVERIFY2(again.control, qPrintable(again.error));
        QVERIFY(*again.control == noClientWindow);
    }

    void controlDefaultsRoundTrip()
    {
        const ControlJson::ReadResult read = ControlJson::fromJson(ControlJson::toJson(MessageWebSocketControl()));
        QVERIFY2(read.control, qPrintable(read.error));
        QVERIFY(*read.control == MessageWebSocketControl());
        QCOMPARE(read.warnings, QStringList());
        // a missing key keeps the default, so an empty object is the default Control
        QVERIFY(*ControlJson::fromJson(QJsonObject()).control == MessageWebSocketControl());
    }

    void secretsOfNamesOnlySecrets()
    {
        const QJsonObject secrets = ControlJson::secretsOf(everyFieldSet());
        QCOMPARE(secrets.keys(), (QStringList{u"clientCertificateKey"_s, u"proxyPassword"_s, u"serverPassword"_s}));
        QCOMPARE(secrets.value(u"serverPassword"_s).toString(), ServerPassword);
        QVERIFY(ControlJson::secretsOf(MessageWebSocketControl()).isEmpty());
        // the probe used on files below does find each secret in clear text
        QVERIFY(!privateKeyBody().isEmpty());
        QVERIFY(!holdsNoSecret(QJsonDocument(secrets).toJson()));
        QVERIFY(!holdsNoSecret(ServerPassword.toUtf8()));
        QVERIFY(!holdsNoSecret(ProxyPassword.toUtf8()));
    }

    void controlWithoutSecretsSaysWhatIsMissing()
    {
        const MessageWebSocketControl control = everyFieldSet();
        const ControlJson::ReadResult read = ControlJson::fromJson(ControlJson::toJson(control));
        QVERIFY2(read.control, qPrintable(read.error));
        QCOMPARE(read.control->serverCredential->userName, u"server-user"_s);
        QVERIFY(read.control->serverCredential->password.isEmpty());
        QCOMPARE(read.control->proxyCredential->userName, u"proxy-user"_s);
        QVERIFY(!read.control->clientCertificate);
        QCOMPARE(read.warnings.size(), 3);
        QVERIFY(read.warnings.at(0).startsWith(u"control.proxyCredential: the password is not in the profile"_s));
        QVERIFY(read.warnings.at(1).startsWith(u"control.serverCredential: the password is not in the profile"_s));
        QVERIFY(read.warnings.at(2).startsWith(u"control.clientCertificate: the private key of \"WSW Test Client\""_s));
    }

    void controlErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("negative timeout") << QByteArray("{\"timeoutsMs\": {\"connect\": -5}}")
                                          << u"control.timeoutsMs.connect: must be a whole number from 1 to 2147483647, not -5"_s;
        QTest::newRow("zero close timeout") << QByteArray("{\"timeoutsMs\": {\"close\": 0}}")
                                            << u"control.timeoutsMs.close: must be a whole number from 1 to 2147483647, not 0"_s;
        QTest::newRow("timeouts not an object") << QByteArray("{\"timeoutsMs\": 5}")
                                                << u"control.timeoutsMs: must be an object, not 5"_s;
        QTest::newRow("unknown message type") << QByteArray("{\"messageType\": \"json\"}")
                                              << u"control.messageType: must be one of \"binary\", \"text\", not \"json\""_s;
        QTest::newRow("message type a number") << QByteArray("{\"messageType\": 1}")
                                               << u"control.messageType: must be a string, not 1"_s;
        QTest::newRow("noDelay a string") << QByteArray("{\"noDelay\": \"yes\"}")
                                          << u"control.noDelay: must be true or false, not \"yes\""_s;
        QTest::newRow("fractional size") << QByteArray("{\"maxMessageSize\": 1.5}")
                                         << u"control.maxMessageSize: must be a whole number from 0 to 4294967295, not 1.5"_s;
        QTest::newRow("size beyond 32 bits") << QByteArray("{\"maxMessageSize\": 4294967296}")
                                             << u"control.maxMessageSize: must be a whole number from 0 to 4294967295, not 4294967296"_s;
        QTest::newRow("protocols not a list") << QByteArray("{\"supportedProtocols\": \"chat\"}")
                                              << u"control.supportedProtocols: must be an array, not \"chat\""_s;
        QTest::newRow("protocol not a token") << QByteArray("{\"supportedProtocols\": [\"chat\", \"a b\"]}")
                                              << u"control.supportedProtocols[1]: \"a b\" is not a subprotocol name (an HTTP token: letters, digits and !#$%&'*+-.^_`|~)"_s;
        QTest::newRow("protocol twice") << QByteArray("{\"supportedProtocols\": [\"chat\", \"chat\"]}")
                                        << u"control.supportedProtocols[1]: \"chat\" is listed twice"_s;
        QTest::newRow("protocol a number") << QByteArray("{\"supportedProtocols\": [7]}")
                                           << u"control.supportedProtocols[0]: must be a string, not 7"_s;
        QTest::newRow("proxy without host") << QByteArray("{\"proxy\": {\"type\": \"http\", \"host\": \" \", \"port\": 8080}}")
                                            << u"control.proxy.host: empty (an HTTP or SOCKS5 proxy needs one)"_s;
        QTest::newRow("proxy port too big") << QByteArray("{\"proxy\": {\"type\": \"http\", \"host\": \"p\", \"port\": 70000}}")
                                            << u"control.proxy.port: must be a whole number from 0 to 65535, not 70000"_s;
        QTest::newRow("proxy port zero") << QByteArray("{\"proxy\": {\"type\": \"socks5\", \"host\": \"p\"}}")
                                         << u"control.proxy.port: must be from 1 to 65535 for an HTTP or SOCKS5 proxy"_s;
        QTest::newRow("unknown proxy type") << QByteArray("{\"proxy\": {\"type\": \"pac\"}}")
                                            << u"control.proxy.type: must be one of \"none\", \"system\", \"http\", \"socks5\", not \"pac\""_s;
        QTest::newRow("window bits out of range") << QByteArray("{\"compression\": {\"serverMaxWindowBits\": 16}}")
                                                  << u"control.compression.serverMaxWindowBits: must be a whole number from 0 to 15, not 16"_s;
        QTest::newRow("level out of range") << QByteArray("{\"compression\": {\"compressionLevel\": 10}}")
                                            << u"control.compression.compressionLevel: must be a whole number from -1 to 9, not 10"_s;
        QTest::newRow("credential without user") << QByteArray("{\"serverCredential\": {\"userName\": \"\"}}")
                                                 << u"control.serverCredential.userName: empty (a credential needs a user name)"_s;
        QTest::newRow("credential a string") << QByteArray("{\"proxyCredential\": \"user:pass\"}")
                                             << u"control.proxyCredential: must be an object, not \"user:pass\""_s;
        QTest::newRow("fatal error not ignorable") << QByteArray("{\"ignorableServerCertificateErrors\": [\"Expired\", \"Revoked\"]}")
                                                   << u"control.ignorableServerCertificateErrors[1]: Revoked may never be ignored (spec §7.4)"_s;
        QTest::newRow("pin not a pin") << QByteArray("{\"pinnedPublicKeys\": [\"md5/abc\"]}")
                                       << u"control.pinnedPublicKeys[0]: \"md5/abc\" is not a pin; write sha256/ and the base64 of 32 bytes"_s;
        QTest::newRow("CA not PEM") << QByteArray("{\"additionalCaCertificates\": [\"hello\"]}")
                                    << u"control.additionalCaCertificates[0]: not a PEM certificate (-----BEGIN CERTIFICATE-----)"_s;
        QTest::newRow("client certificate missing its certificate") << QByteArray("{\"clientCertificate\": {}}")
                                                                    << u"control.clientCertificate.certificate: missing"_s;
    }
    void controlErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        const ControlJson::ReadResult read = ControlJson::fromJson(QJsonDocument::fromJson(json).object());
        QVERIFY(!read.control);
        QCOMPARE(read.error, error);
    }

    void compressionRulesOfTheCodec()
    {
        const ControlJson::ReadResult read = ControlJson::fromJson(
                QJsonDocument::fromJson("{\"compression\": {\"clientMaxWindowBits\": 5}}").object());
        QVERIFY(!read.control);
        QVERIFY2(read.error.startsWith(u"control.compression.clientMaxWindowBits: "_s), qPrintable(read.error));
    }

    void unknownKeysAreReported()
    {
        const ControlJson::ReadResult read = ControlJson::fromJson(
                QJsonDocument::fromJson("{\"colour\": \"red\", \"timeoutsMs\": {\"connectt\": 5}, \"noDelay\": false}").object());
        QVERIFY2(read.control, qPrintable(read.error));
        QVERIFY(!read.control->noDelay); // the known keys are read all the same
        QCOMPARE(read.warnings, (QStringList{u"control.timeoutsMs.connectt: unknown key, ignored"_s,
                                             u"control.colour: unknown key, ignored"_s}));
    }

    void secretsThatDoNotFit()
    {
        const QJsonObject json = ControlJson::toJson(everyFieldSet());
        QJsonObject secrets = ControlJson::secretsOf(everyFieldSet());
        secrets.insert(u"clientCertificateKey"_s, QString::fromLatin1(TestPki::bytes(u"server.key"_s)));
        ControlJson::ReadResult read = ControlJson::fromJson(json, secrets);
        QVERIFY(!read.control);
        QCOMPARE(read.error, u"control.clientCertificate: the saved private key does not belong to the certificate"_s);
        secrets = ControlJson::secretsOf(everyFieldSet());
        secrets.insert(u"serverPassword"_s, 42);
        read = ControlJson::fromJson(json, secrets);
        QVERIFY(!read.control);
        QCOMPARE(read.error, u"secrets.serverPassword: must be a string"_s);
    }

    // --- profile files -----------------------------------------------------------------------

    void profileWithoutPasswords()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"staging.wsprofile.json"_s);
        QString error;
        QVERIFY2(ProfileFile::save(path, sampleProfile(), {}, &error), qPrintable(error));
        const QByteArray bytes = readAll(path);
        QVERIFY(holdsNoSecret(bytes));
        QVERIFY(bytes.contains("\"format\": \"wsworkbench-profile\""));
        QVERIFY(bytes.contains("server-user")); // user names are not secrets
        QVERIFY(!bytes.contains("\"secrets\""));

        const ProfileFile::LoadResult loaded = ProfileFile::load(path);
        QVERIFY2(loaded.profile, qPrintable(loaded.error));
        QVERIFY(!loaded.hasEncryptedSecrets);
        QVERIFY(*loaded.profile == withoutSecrets(sampleProfile()));
        QCOMPARE(loaded.warnings.size(), 3); // two passwords and the client certificate's key
    }

    void profileWithEncryptedPasswords()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"staging.wsprofile.json"_s);
        QString error;
        const ProfileFile::SaveOptions options{true, Passphrase, FastIterations};
        QVERIFY2(ProfileFile::save(path, sampleProfile(), options, &error), qPrintable(error));
        const QByteArray bytes = readAll(path);
        QVERIFY(holdsNoSecret(bytes));
        QVERIFY(!bytes.contains(Passphrase.toUtf8()));
        QVERIFY(bytes.contains("\"cipher\": \"AES-256-GCM\""));

        const ProfileFile::LoadResult opened = ProfileFile::load(path, Passphrase);
        QVERIFY2(opened.profile, qPrintable(opened.error));
        QVERIFY(opened.hasEncryptedSecrets);
        QVERIFY(!opened.secretsLeftOut);
        QCOMPARE(opened.warnings, QStringList());
        QVERIFY(*opened.profile == sampleProfile());

        const ProfileFile::LoadResult without = ProfileFile::load(path);
        QVERIFY2(without.profile, qPrintable(without.error));
        QVERIFY(without.secretsLeftOut);
        QVERIFY(without.warnings.contains(u"the profile holds encrypted passwords; opened without them"_s));
        QVERIFY(*without.profile == withoutSecrets(sampleProfile()));
    }

    void encryptingNothingAsksForNoPassphrase()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"plain.json"_s);
        ConnectionProfile profile;
        profile.url = u"ws://127.0.0.1:9/"_s;
        QVERIFY(ProfileFile::save(path, profile, {true, Passphrase, FastIterations}));
        const ProfileFile::LoadResult loaded = ProfileFile::load(path);
        QVERIFY(loaded.profile);
        QVERIFY(!loaded.hasEncryptedSecrets);
    }

    void savingWithAnEmptyPassphraseFails()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"x.json"_s);
        QString error;
        QVERIFY(!ProfileFile::save(path, sampleProfile(), {true, QString(), FastIterations}, &error));
        QCOMPARE(error, u"the passphrase is empty"_s);
        QVERIFY(!QFile::exists(path));
    }

    void wrongPassphrase()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"p.json"_s);
        QVERIFY(ProfileFile::save(path, sampleProfile(), {true, Passphrase, FastIterations}));
        const ProfileFile::LoadResult loaded = ProfileFile::load(path, u"team passphrase 2025"_s);
        QVERIFY(!loaded.profile);
        QVERIFY(loaded.passphraseRejected);
        QCOMPARE(loaded.error, WrongPassphraseError);
    }

    void tamperedCiphertext()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"p.json"_s);
        QVERIFY(ProfileFile::save(path, sampleProfile(), {true, Passphrase, FastIterations}));
        QJsonObject document = QJsonDocument::fromJson(readAll(path)).object();
        QJsonObject box = document.value(u"secrets"_s).toObject();
        QByteArray ciphertext = QByteArray::fromBase64(box.value(u"ciphertext"_s).toString().toLatin1());
        ciphertext[10] = char(ciphertext.at(10) ^ 0x20);
        box.insert(u"ciphertext"_s, QString::fromLatin1(ciphertext.toBase64()));
        document.insert(u"secrets"_s, box);
        writeAll(path, QJsonDocument(document).toJson());
        const ProfileFile::LoadResult loaded = ProfileFile::load(path, Passphrase);
        QVERIFY(!loaded.profile);
        QVERIFY(loaded.passphraseRejected);
        QCOMPARE(loaded.error, WrongPassphraseError);
    }

    void brokenFiles_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("error"); // after "<path>"
        const QByteArray good = QJsonDocument(*ProfileFile::toJson(sampleProfile())).toJson();
        QTest::newRow("empty") << QByteArray() << u" is not valid JSON: illegal value at byte 0"_s;
        QTest::newRow("truncated") << good.left(200)
                                   << u" is not valid JSON: unterminated string at byte 201"_s;
        QTest::newRow("cut after an object") << good.left(good.indexOf("\"savedMessages\""))
                                             << u" is not valid JSON: unterminated object at byte %1"_s.arg(good.indexOf("\"savedMessages\""));
        QTest::newRow("an array") << QByteArray("[1, 2]") << u" is not a connection profile: its top level is not a JSON object"_s;
        QTest::newRow("no format") << QByteArray("{\"version\": 1}")
                                   << u": not a WebSocket Workbench profile: it has no \"format\": \"wsworkbench-profile\""_s;
        QTest::newRow("other format") << QByteArray("{\"format\": \"postman-collection\", \"version\": 1}")
                                      << u": not a WebSocket Workbench profile: \"format\" is \"postman-collection\", not \"wsworkbench-profile\""_s;
        QTest::newRow("newer version") << QByteArray("{\"format\": \"wsworkbench-profile\", \"version\": 2}")
                                       << u": profile version 2 is newer than this workbench reads (1); update the workbench"_s;
        QTest::newRow("version a string") << QByteArray("{\"format\": \"wsworkbench-profile\", \"version\": \"1\"}")
                                          << u": \"version\" must be 1, not \"1\""_s;
        QTest::newRow("url a number") << QByteArray("{\"format\": \"wsworkbench-profile\", \"version\": 1, \"url\": 5}")
                                      << u": url: must be a string, not 5"_s;
        QTest::newRow("header with a line break")
                << QByteArray("{\"format\": \"wsworkbench-profile\", \"version\": 1, \"headers\": [{\"name\": \"X-A\", \"value\": \"1\\r\\nX-B: 2\"}]}")
                << u": headers[0].name: \"X-A\" cannot be sent as a request header (forbidden name, or a line break or control character)"_s;
        QTest::newRow("header a string") << QByteArray("{\"format\": \"wsworkbench-profile\", \"version\": 1, \"headers\": [\"X-A: 1\"]}")
                                         << u": headers[0]: must be an object {\"name\", \"value\"}, not \"X-A: 1\""_s;
        QTest::newRow("saved message of no type")
                << QByteArray("{\"format\": \"wsworkbench-profile\", \"version\": 1, \"savedMessages\": [{\"name\": \"m\", \"type\": \"xml\", \"text\": \"\"}]}")
                << u": savedMessages[0]: saved message \"m\": type must be \"text\" or \"binary\", not \"xml\""_s;
        QTest::newRow("control wrong inside")
                << QByteArray("{\"format\": \"wsworkbench-profile\", \"version\": 1, \"control\": {\"timeoutsMs\": {\"idle\": -1}}}")
                << u": control.timeoutsMs.idle: must be a whole number from 0 to 2147483647, not -1"_s;
        QTest::newRow("secrets not a box") << QByteArray("{\"format\": \"wsworkbench-profile\", \"version\": 1, \"secrets\": \"hunter2\"}")
                                           << u": secrets: must be an object, not \"hunter2\""_s;
    }
    void brokenFiles()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, error);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"broken.json"_s);
        writeAll(path, bytes);
        const ProfileFile::LoadResult loaded = ProfileFile::load(path);
        QVERIFY(!loaded.profile);
        QCOMPARE(loaded.error, path + error);
    }

    void missingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"none.json"_s);
        const ProfileFile::LoadResult loaded = ProfileFile::load(path);
        QVERIFY(!loaded.profile);
        QVERIFY2(loaded.error.startsWith(u"cannot open %1: "_s.arg(path)), qPrintable(loaded.error));
    }

    void unknownProfileKeysAreReported()
    {
        QJsonObject document = *ProfileFile::toJson(ConnectionProfile());
        document.insert(u"comment"_s, u"made by hand"_s);
        const ProfileFile::LoadResult loaded = ProfileFile::fromJson(document);
        QVERIFY(loaded.profile);
        QCOMPARE(loaded.warnings, QStringList{u"comment: unknown key, ignored"_s});
    }

    void savingReplacesAtomically()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"p.json"_s);
        QVERIFY(ProfileFile::save(path, sampleProfile()));
        ConnectionProfile second = sampleProfile();
        second.name = u"second"_s;
        QVERIFY(ProfileFile::save(path, second));
        QCOMPARE(ProfileFile::load(path).profile->name, u"second"_s);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"p.json"_s}); // no temporary left behind
        QString error;
        QVERIFY(!ProfileFile::save(dir.filePath(u"no/such/folder/p.json"_s), second, {}, &error));
        QVERIFY2(error.startsWith(u"cannot write "_s), qPrintable(error));
    }

    // --- the window's settings ---------------------------------------------------------------

    void settingsSurviveARestart()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(u"workbench.ini"_s);
        ConnectionProfile second;
        second.name = u"local"_s;
        second.url = u"ws://127.0.0.1:8080/"_s;
        {
            WorkbenchSettings settings(ini);
            settings.addUrlToHistory(u"ws://127.0.0.1:1/"_s);
            settings.addUrlToHistory(u"wss://staging.example:8443/chat?room=1"_s);
            settings.setOpenTabs({sampleProfile(), second}, 1);
            settings.setWindowGeometry("geometry-bytes");
            settings.setWindowState(QByteArray("\x00\x01state", 7));
            settings.setViewState(u"logSplitter"_s, "splitter-bytes");
            settings.setLastProfileDirectory(dir.path());
            settings.sync();
        }
        QVERIFY(holdsNoSecret(readAll(ini)));
        WorkbenchSettings restarted(ini);
        QCOMPARE(restarted.urlHistory(),
                 (QStringList{u"wss://staging.example:8443/chat?room=1"_s, u"ws://127.0.0.1:1/"_s}));
        const WorkbenchSettings::OpenTabs tabs = restarted.openTabs();
        QCOMPARE(tabs.tabs.size(), 2);
        QVERIFY(tabs.tabs.at(0) == withoutSecrets(sampleProfile()));
        QVERIFY(tabs.tabs.at(1) == second);
        QCOMPARE(tabs.current, 1);
        QCOMPARE(restarted.windowGeometry(), QByteArray("geometry-bytes"));
        QCOMPARE(restarted.windowState(), QByteArray("\x00\x01state", 7));
        QCOMPARE(restarted.viewState(u"logSplitter"_s), QByteArray("splitter-bytes"));
        QCOMPARE(restarted.viewState(u"other"_s), QByteArray());
        QCOMPARE(restarted.lastProfileDirectory(), dir.path());
        // the restored tab's missing passwords are noted, for the log
        const QStringList notes = restarted.takeNotes();
        QVERIFY2(notes.size() == 3 && notes.at(0).startsWith(u"settings: tabs[0].control.proxyCredential:"_s),
                 qPrintable(notes.join(u'\n')));
        QCOMPARE(restarted.takeNotes(), QStringList());
    }

    void windowLayoutSurvivesARestart()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(u"workbench.ini"_s);
        QList<int> sizes;
        {
            QMainWindow window;
            auto *splitter = new QSplitter(&window);
            splitter->addWidget(new QLabel(u"left"_s));
            splitter->addWidget(new QLabel(u"right"_s));
            window.setCentralWidget(splitter);
            window.resize(900, 600);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            splitter->setSizes({200, 700});
            sizes = splitter->sizes();
            WorkbenchSettings settings(ini);
            settings.setWindowGeometry(window.saveGeometry());
            settings.setWindowState(window.saveState());
            settings.setViewState(u"mainSplitter"_s, splitter->saveState());
        }
        WorkbenchSettings settings(ini);
        QMainWindow window;
        auto *splitter = new QSplitter(&window);
        splitter->addWidget(new QLabel(u"left"_s));
        splitter->addWidget(new QLabel(u"right"_s));
        window.setCentralWidget(splitter);
        QVERIFY(window.restoreGeometry(settings.windowGeometry()));
        QVERIFY(window.restoreState(settings.windowState()));
        QVERIFY(splitter->restoreState(settings.viewState(u"mainSplitter"_s)));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.size(), QSize(900, 600));
        QCOMPARE(splitter->sizes(), sizes);
    }

    void urlHistoryBoundsAndOrder()
    {
        QTemporaryDir dir;
        WorkbenchSettings settings(dir.filePath(u"s.ini"_s));
        for (int i = 0; i < WorkbenchSettings::MaxUrlHistory + 5; ++i)
            settings.addUrlToHistory(u"ws://127.0.0.1:%1/"_s.arg(1000 + i));
        QStringList history = settings.urlHistory();
        QCOMPARE(history.size(), WorkbenchSettings::MaxUrlHistory);
        QCOMPARE(history.first(), u"ws://127.0.0.1:%1/"_s.arg(1000 + WorkbenchSettings::MaxUrlHistory + 4));
        QCOMPARE(history.last(), u"ws://127.0.0.1:1005/"_s); // the five oldest fell off
        // using an older URL again moves it to the front, once
        settings.addUrlToHistory(u"  ws://127.0.0.1:1010/ "_s);
        history = settings.urlHistory();
        QCOMPARE(history.first(), u"ws://127.0.0.1:1010/"_s);
        QCOMPARE(history.count(u"ws://127.0.0.1:1010/"_s), 1);
        QCOMPARE(history.size(), WorkbenchSettings::MaxUrlHistory);
        settings.addUrlToHistory(u"   "_s);
        QCOMPARE(settings.urlHistory(), history);
        settings.clearUrlHistory();
        QCOMPARE(settings.urlHistory(), QStringList());
    }

    void oneUrlSurvivesTheIniFormat()
    {
        // an INI file gives a one-element list back as a plain string
        QTemporaryDir dir;
        const QString ini = dir.filePath(u"s.ini"_s);
        WorkbenchSettings(ini).addUrlToHistory(u"ws://127.0.0.1:1/"_s);
        QCOMPARE(WorkbenchSettings(ini).urlHistory(), QStringList{u"ws://127.0.0.1:1/"_s});
    }

    void corruptSettingsAreIgnoredWithANote()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(u"s.ini"_s);
        writeAll(ini, "[history]\nurls=@ByteArray(\\x1\\x2)\n"
                      "[session]\ntabs={\"tabs\": [1, \n"
                      "[window]\ngeometry=just text\nstate=@Variant(garbage)\n"
                      "[profiles]\nlastDirectory=@ByteArray(x)\n");
        WorkbenchSettings settings(ini);
        QCOMPARE(settings.urlHistory(), QStringList());
        QCOMPARE(settings.openTabs().tabs.size(), 0);
        QCOMPARE(settings.windowGeometry(), QByteArray());
        QCOMPARE(settings.windowState(), QByteArray());
        QCOMPARE(settings.lastProfileDirectory(), QString());
        const QStringList notes = settings.takeNotes();
        QCOMPARE(notes.size(), 4); // window/state: QSettings itself drops an unreadable @Variant
        QCOMPARE(notes.at(0), u"settings: history/urls is not a list of URLs; the URL history starts empty"_s);
        QVERIFY2(notes.at(1).startsWith(u"settings: session/tabs is not readable ("_s), qPrintable(notes.at(1)));
        QCOMPARE(notes.at(2), u"settings: window/geometry is not a saved state; the default is used"_s);
    }

    void oneBadTabDoesNotCostTheOthers()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(u"s.ini"_s);
        {
            QSettings raw(ini, QSettings::IniFormat);
            raw.setValue(u"session/tabs"_s,
                         u"{\"tabs\": [{\"url\": 7}, {\"name\": \"ok\", \"url\": \"ws://127.0.0.1:2/\"}, 5], \"current\": 1}"_s);
        }
        QSettings raw(ini, QSettings::IniFormat);
        WorkbenchSettings settings(raw);
        const WorkbenchSettings::OpenTabs tabs = settings.openTabs();
        QCOMPARE(tabs.tabs.size(), 1);
        QCOMPARE(tabs.tabs.at(0).name, u"ok"_s);
        QCOMPARE(tabs.current, 0);
        QCOMPARE(settings.takeNotes(), (QStringList{u"settings: a saved tab was skipped: tabs[0].url: must be a string, not 7"_s,
                                                    u"settings: a saved tab was skipped: tabs[2] is not an object"_s}));
    }

    // --- dialogs -----------------------------------------------------------------------------

    void saveDialogRows()
    {
        QTemporaryDir dir;
        SaveProfileDialog dialog(sampleProfile(), dir.path());
        dialog.setKeyDerivationIterations(FastIterations);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        // every line edit has a buddy label and an accessible name
        QList<QWidget *> buddies;
        for (QLabel *label : dialog.findChildren<QLabel *>())
            buddies.append(label->buddy());
        for (QLineEdit *edit : dialog.findChildren<QLineEdit *>()) {
            QVERIFY2(!edit->accessibleName().isEmpty(), qPrintable(edit->objectName()));
            QVERIFY2(buddies.contains(edit), qPrintable(edit->accessibleName()));
        }
        auto *name = Test::named<QLineEdit>(&dialog, u"Profile name"_s);
        auto *file = Test::named<QLineEdit>(&dialog, u"Profile file"_s);
        auto *include = Test::named<QCheckBox>(&dialog, u"Include passwords, encrypted with a passphrase"_s);
        auto *passphrase = Test::named<QLineEdit>(&dialog, u"Passphrase"_s);
        auto *confirm = Test::named<QLineEdit>(&dialog, u"Confirm passphrase"_s);
        QVERIFY(name && file && include && passphrase && confirm);
        QCOMPARE(name->text(), u"Staging chat"_s);
        QCOMPARE(file->text(), QDir::toNativeSeparators(QDir(dir.path()).filePath(u"Staging-chat.wsprofile.json"_s)));
        QVERIFY(include->isEnabled());
        QVERIFY(!passphrase->isEnabled());
        QCOMPARE(passphrase->echoMode(), QLineEdit::Password);
        QCOMPARE(confirm->echoMode(), QLineEdit::Password);

        include->setChecked(true);
        QVERIFY(passphrase->isEnabled() && confirm->isEnabled());
        QTest::keyClicks(passphrase, Passphrase);
        QTest::keyClicks(confirm, Passphrase + u'x');
        saveShot(&dialog, u"save-profile-dialog.png"_s);
        QString error;
        QVERIFY(!dialog.save(&error));
        QCOMPARE(error, u"Confirm passphrase: the two passphrases differ."_s);
        auto *problem = dialog.findChild<QLabel *>(u"saveError"_s);
        QVERIFY(problem->isVisible());
        QCOMPARE(problem->text(), error);
        QCOMPARE(passphrase->text(), Passphrase); // nothing typed is lost
        saveShot(&dialog, u"save-profile-dialog-error.png"_s);

        passphrase->setText(u"short"_s);
        confirm->setText(u"short"_s);
        QVERIFY(!dialog.save(&error));
        QCOMPARE(error, u"Passphrase: at least 8 characters."_s);

        passphrase->setText(Passphrase);
        confirm->setText(Passphrase);
        name->clear();
        QVERIFY(!dialog.save(&error));
        QCOMPARE(error, u"Profile name: empty; give the profile a name."_s);
        name->setText(u"Shared staging"_s);
        file->setText(dir.filePath(u"missing/x.json"_s));
        QVERIFY(!dialog.save(&error));
        QVERIFY2(error.startsWith(u"File: the folder "_s), qPrintable(error));
        file->setText(dir.filePath(u"shared.wsprofile.json"_s));

        QTest::mouseClick(Test::named<QPushButton>(&dialog, u"Save"_s), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.savedPath(), dir.filePath(u"shared.wsprofile.json"_s));
        QVERIFY(holdsNoSecret(readAll(dialog.savedPath())));
        const ProfileFile::LoadResult loaded = ProfileFile::load(dialog.savedPath(), Passphrase);
        QVERIFY2(loaded.profile, qPrintable(loaded.error));
        ConnectionProfile expected = sampleProfile();
        expected.name = u"Shared staging"_s;
        QVERIFY(*loaded.profile == expected);
    }

    void saveDialogWithoutSecrets()
    {
        QTemporaryDir dir;
        ConnectionProfile profile;
        profile.url = u"ws://127.0.0.1:8080/echo"_s;
        SaveProfileDialog dialog(profile, dir.path());
        auto *include = Test::named<QCheckBox>(&dialog, u"Include passwords, encrypted with a passphrase"_s);
        QVERIFY(!include->isEnabled());
        QCOMPARE(Test::named<QLineEdit>(&dialog, u"Profile name"_s)->text(), u"127.0.0.1"_s);
        QString error;
        QVERIFY2(dialog.save(&error), qPrintable(error));
        QVERIFY(ProfileFile::load(dialog.savedPath()).profile);
    }

    void passphraseDialog()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"team.wsprofile.json"_s);
        QVERIFY(ProfileFile::save(path, sampleProfile(), {true, Passphrase, FastIterations}));
        ProfilePassphraseDialog dialog(path);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *passphrase = Test::named<QLineEdit>(&dialog, u"Passphrase"_s);
        auto *open = Test::named<QPushButton>(&dialog, u"Open"_s);
        QVERIFY(passphrase && open && Test::named<QPushButton>(&dialog, u"Open without passwords"_s));
        QCOMPARE(passphrase->echoMode(), QLineEdit::Password);
        QTest::keyClicks(passphrase, u"not it at all"_s);
        QTest::mouseClick(open, Qt::LeftButton);
        QVERIFY(dialog.isVisible()); // a wrong passphrase keeps the dialog open
        auto *problem = dialog.findChild<QLabel *>(u"passphraseError"_s);
        QVERIFY(problem->isVisible());
        QCOMPARE(problem->text(), WrongPassphraseError);
        QCOMPARE(passphrase->selectedText(), u"not it at all"_s);
        saveShot(&dialog, u"profile-passphrase-dialog.png"_s);

        passphrase->setText(Passphrase);
        QTest::mouseClick(open, Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.loadResult().profile);
        QVERIFY(*dialog.loadResult().profile == sampleProfile());
    }

    void openWithoutPasswords()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"team.wsprofile.json"_s);
        QVERIFY(ProfileFile::save(path, sampleProfile(), {true, Passphrase, FastIterations}));
        ProfilePassphraseDialog dialog(path);
        dialog.show();
        QTest::mouseClick(Test::named<QPushButton>(&dialog, u"Open without passwords"_s), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        const ProfileFile::LoadResult &result = dialog.loadResult();
        QVERIFY(result.profile);
        QVERIFY(result.secretsLeftOut);
        QVERIFY(*result.profile == withoutSecrets(sampleProfile()));
    }
};

QTEST_MAIN(tst_Profiles)
#include "tst_profiles.moc"
