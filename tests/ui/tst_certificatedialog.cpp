// The certificate dialog, filled from the test PKI: by hand-built information (a valid chain, an
// expired leaf) and from real connections to the TLS echo server that failed, or passed thanks
// to a pin. Widgets are found by their accessible names, as a screen reader finds them.
#include "dialogs/certificatedialog.h"

#include <QAbstractButton>
#include <QAction>
#include <QClipboard>
#include <QCryptographicHash>
#include <QGuiApplication>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include "api/chainvalidation.h"
#include "api/messagewebsocket.h"
#include "api/spkipin.h"
#include "echoserver.h"
#include "testpki.h"
#include "theme.h"
#include "widgetlookup.h"

using namespace Wsw;
using namespace Qt::Literals::StringLiterals;
using R = ChainValidationResult;
using Wsw::Test::named;
using Wsw::Ui::CertificateDialog;

Q_DECLARE_METATYPE(Wsw::ChainValidationResult)

namespace {

constexpr int ConnectWaitMs = 15000;

/** The error table's columns. */
enum { ColError, ColSeverity, ColExplanation, ColCertificate, ColIgnored };

QString hexDigest(const QSslCertificate &certificate, QCryptographicHash::Algorithm algorithm)
{
    return QString::fromLatin1(certificate.digest(algorithm).toHex(':').toUpper());
}

/** A control that trusts the test root, as the system would trust a public CA. */
MessageWebSocketControl trustingControl()
{
    MessageWebSocketControl control;
    control.additionalCaCertificates = TestPki::certificates(u"root-ca.pem"_s);
    return control;
}

/** What the engine reports for a connection to a server presenting leaf (+ its intermediate). */
MessageWebSocketInformation handBuilt(const QString &leaf, const QList<QSslError::SslError> &errors,
                                      bool passed)
{
    MessageWebSocketInformation info;
    const QSslCertificate certificate = TestPki::certificate(leaf + u".pem");
    info.serverCertificate = certificate;
    info.serverIntermediateCertificates = TestPki::certificates(u"intermediate-ca.pem"_s);
    for (QSslError::SslError error : errors)
        info.sslErrors.append(QSslError(error, certificate));
    info.serverCertificateErrors = ChainValidation::resultsFor(info.sslErrors);
    info.serverCertificateErrorSeverity = ChainValidation::severityOf(info.serverCertificateErrors);
    info.tls.encrypted = passed;
    if (passed) {
        info.tls.protocol = u"TLSv1.3"_s;
        info.tls.cipher = u"TLS_AES_256_GCM_SHA384"_s;
        info.tls.cipherBits = 256;
    }
    info.tls.defaultValidationPassed = passed;
    info.tls.peerVerifyName = u"localhost"_s;
    info.tls.presentedPins = {SpkiPin::of(certificate), TestPki::pin(u"intermediate-ca"_s)};
    return info;
}

/** The value shown for a field, with the line breaks that wrap long hex taken out. */
QString field(QWidget *dialog, const QString &name)
{
    const QLabel *label = named<QLabel>(dialog, name);
    if (!label) {
        qWarning("no field %s", qPrintable(name));
        return {};
    }
    QString text = label->text();
    if (name.contains(u"fingerprint"_s) || name == u"Serial number"_s)
        text.remove(u'\n');
    return text;
}

QTreeWidget *chainOf(QWidget *dialog)
{
    return named<QTreeWidget>(dialog, u"Certificate chain"_s);
}

QTableWidget *errorsOf(QWidget *dialog)
{
    return named<QTableWidget>(dialog, u"Certificate errors"_s);
}

QStringList column(const QTableWidget *table, int column)
{
    QStringList cells;
    for (int row = 0; row < table->rowCount(); ++row)
        cells << table->item(row, column)->text();
    return cells;
}

bool saveScreenshot(QWidget *dialog, const QString &path)
{
    dialog->show();
    if (!QTest::qWaitForWindowExposed(dialog))
        return false;
    QCoreApplication::processEvents();
    return dialog->grab().save(path);
}

/** A real connection to the TLS echo server presenting leaf; waits until it connected or failed. */
struct RealConnection
{
    RealConnection(const QString &leaf, bool withIntermediate, const MessageWebSocketControl &control,
                   const QString &host)
    {
        server.setTlsConfiguration(TestPki::serverConfiguration(leaf, withIntermediate));
        listening = server.listen();
        configured = ws.setControl(control);
        started = listening && configured && ws.connectAsync(server.url(u"/"_s, host));
    }
    bool waitEnded()
    {
        return QTest::qWaitFor([this] { return !errors.isEmpty() || !closed.isEmpty(); }, ConnectWaitMs);
    }

    Wsw::Test::EchoServer server;
    MessageWebSocket ws;
    QSignalSpy connected{&ws, &MessageWebSocket::connected};
    QSignalSpy errors{&ws, &MessageWebSocket::errorOccurred};
    QSignalSpy closed{&ws, &MessageWebSocket::closed};
    bool listening = false;
    bool configured = false;
    bool started = false;
};

} // namespace

class tst_CertificateDialog final : public QObject
{
    Q_OBJECT

private slots:
    void validChain();
    void selectingACertificateShowsIt();
    void expiredLeaf();
    void controlIgnoringExpired();
    void realFailedConnections_data();
    void realFailedConnections();
    void pinWaivesUntrusted();
    void exportWritesTheChain();
    void exportFailureIsReported();
    void copyButtonsAndContextMenu();
    void noCertificate();
    void summaryOfMatchesTheDialog();
    void everyControlIsNamedAndNothingIsModal();
};

void tst_CertificateDialog::validChain()
{
    CertificateDialog dialog;
    dialog.showConnection(handBuilt(u"server"_s, {}, true), trustingControl(), u"localhost"_s);
    QVERIFY2(dialog.summary().startsWith(u"Trusted: the certificate chain is valid for localhost"_s),
             qPrintable(dialog.summary()));

    QTreeWidget *chain = chainOf(&dialog);
    QVERIFY(chain);
    QCOMPARE(chain->topLevelItemCount(), 3);
    QCOMPARE(chain->topLevelItem(0)->text(0), u"localhost"_s);
    QCOMPARE(chain->topLevelItem(1)->text(0), u"WSW Test Intermediate CA"_s);
    QCOMPARE(chain->topLevelItem(2)->text(0), u"WSW Test Root CA (from the trust store, not sent)"_s);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(chain->topLevelItem(i)->text(1), u"OK"_s);
    const QList<QSslCertificate> expected{TestPki::certificate(u"server.pem"_s),
                                          TestPki::certificate(u"intermediate-ca.pem"_s),
                                          TestPki::certificate(u"root-ca.pem"_s)};
    QCOMPARE(dialog.chainCertificates(), expected);

    // the leaf is selected first
    const QSslCertificate leaf = expected.constFirst();
    QCOMPARE(chain->currentItem(), chain->topLevelItem(0));
    QVERIFY(field(&dialog, u"Subject"_s).contains(u"Common name (CN): localhost"_s));
    QVERIFY(field(&dialog, u"Subject"_s).contains(u"Organization (O): WSW Test PKI"_s));
    QVERIFY(field(&dialog, u"Issuer"_s).contains(u"Common name (CN): WSW Test Intermediate CA"_s));
    const QString sans = field(&dialog, u"Subject alternative names"_s);
    QVERIFY2(sans.contains(u"DNS:localhost"_s) && sans.contains(u"IP:127.0.0.1"_s), qPrintable(sans));
    QCOMPARE(field(&dialog, u"SHA-256 fingerprint"_s), hexDigest(leaf, QCryptographicHash::Sha256));
    QCOMPARE(field(&dialog, u"SHA-1 fingerprint"_s), hexDigest(leaf, QCryptographicHash::Sha1));
    QCOMPARE(field(&dialog, u"SPKI pin"_s), SpkiPin::of(leaf));
    QCOMPARE(field(&dialog, u"SPKI pin"_s), TestPki::pin(u"server"_s));
    QCOMPARE(field(&dialog, u"Serial number"_s).remove(u':').toLower(),
             QString::fromLatin1(leaf.serialNumber()).remove(u':').toLower());
    QVERIFY(field(&dialog, u"Version"_s).startsWith(u"3"_s));
    QVERIFY(field(&dialog, u"Extended key usage"_s).contains(u"serverAuth"_s));
    QVERIFY(field(&dialog, u"Key usage"_s).contains(u"Digital Signature"_s));
    QVERIFY(field(&dialog, u"Basic constraints"_s).contains(u"CA: no"_s));
    QVERIFY(field(&dialog, u"Public key"_s).contains(u"256 bits"_s));
    QVERIFY(!field(&dialog, u"Signature algorithm"_s).isEmpty());
    QVERIFY(field(&dialog, u"Days remaining"_s).section(u' ', 0, 0).toLongLong() > 3000);
    QCOMPARE(named<QPlainTextEdit>(&dialog, u"PEM"_s)->toPlainText().toLatin1(), leaf.toPem());

    QTableWidget *errors = errorsOf(&dialog);
    QCOMPARE(errors->rowCount(), 0);
    QVERIFY(errors->isHidden());
    QVERIFY(!named<QLabel>(&dialog, u"No certificate errors"_s)->isHidden());
    QVERIFY(named<QLabel>(&dialog, u"Pin note"_s)->isHidden());
    QCOMPARE(named<QLabel>(&dialog, u"Host name"_s)->text(), u"localhost"_s);
    QCOMPARE(named<QLabel>(&dialog, u"TLS session"_s)->text(),
             u"TLSv1.3, TLS_AES_256_GCM_SHA384 (256 bits)"_s);
    QVERIFY(named<QLabel>(&dialog, u"Trusted CAs"_s)->text().contains(u"1 from Control"_s));

    QVERIFY(saveScreenshot(&dialog, u"/tmp/certdialog-valid.png"_s));
}

void tst_CertificateDialog::selectingACertificateShowsIt()
{
    CertificateDialog dialog;
    dialog.showConnection(handBuilt(u"server"_s, {}, true), trustingControl(), u"localhost"_s);
    QTreeWidget *chain = chainOf(&dialog);
    chain->setCurrentItem(chain->topLevelItem(1));
    const QSslCertificate intermediate = TestPki::certificate(u"intermediate-ca.pem"_s);
    QVERIFY(field(&dialog, u"Subject"_s).contains(u"WSW Test Intermediate CA"_s));
    QCOMPARE(field(&dialog, u"Basic constraints"_s), u"CA: yes, path length ≤ 0"_s);
    QVERIFY(field(&dialog, u"Key usage"_s).contains(u"Certificate Sign"_s));
    QVERIFY(field(&dialog, u"Key usage"_s).contains(u"(critical)"_s));
    QCOMPARE(field(&dialog, u"SPKI pin"_s), TestPki::pin(u"intermediate-ca"_s));
    QCOMPARE(field(&dialog, u"SHA-256 fingerprint"_s), hexDigest(intermediate, QCryptographicHash::Sha256));

    chain->setCurrentItem(chain->topLevelItem(2));
    QVERIFY(field(&dialog, u"Issuer"_s).contains(u"(self-issued)"_s));
    QCOMPARE(field(&dialog, u"SPKI pin"_s), TestPki::pin(u"root-ca"_s));
    QVERIFY(named<QLabel>(&dialog, u"Selected certificate"_s)
                ->text()
                .contains(u"from the trust store, not sent"_s));
}

void tst_CertificateDialog::expiredLeaf()
{
    CertificateDialog dialog;
    dialog.showConnection(handBuilt(u"expired"_s, {QSslError::CertificateExpired}, false), trustingControl(),
                          u"localhost"_s);
    QVERIFY2(dialog.summary().startsWith(u"Not trusted: Expired."_s), qPrintable(dialog.summary()));
    QVERIFY2(dialog.summary().contains(u"“localhost” expired on 2021-01-01"_s), qPrintable(dialog.summary()));

    QTreeWidget *chain = chainOf(&dialog);
    QCOMPARE(chain->topLevelItemCount(), 3);
    QTreeWidgetItem *leafItem = chain->topLevelItem(0);
    QCOMPARE(leafItem->text(1), u"Expired"_s);
    QCOMPARE(leafItem->foreground(0).color(), Wsw::Ui::Theme::errorColor());
    QVERIFY(!leafItem->icon(0).isNull());
    QCOMPARE(chain->topLevelItem(1)->text(1), u"OK"_s);

    const CertificateDetails details = certificateDetails(TestPki::certificate(u"expired.pem"_s));
    const QString days = field(&dialog, u"Days remaining"_s);
    QVERIFY2(days.startsWith(u'-'), qPrintable(days));
    QCOMPARE(days.section(u' ', 0, 0).toLongLong(), details.daysRemaining());
    QVERIFY(days.contains(u"expired"_s));
    QVERIFY(field(&dialog, u"Valid until"_s).startsWith(u"2021-01-01 00:00:00 UTC"_s));
    QVERIFY(field(&dialog, u"Valid until"_s).contains(u"expired"_s));
    // highlighted: the expired fields are styled, the others not
    QVERIFY(!named<QLabel>(&dialog, u"Valid until"_s)->styleSheet().isEmpty());
    QVERIFY(!named<QLabel>(&dialog, u"Days remaining"_s)->styleSheet().isEmpty());
    QVERIFY(named<QLabel>(&dialog, u"Valid from"_s)->styleSheet().isEmpty());

    QTableWidget *errors = errorsOf(&dialog);
    QCOMPARE(errors->rowCount(), 1);
    QVERIFY(!errors->isHidden());
    QCOMPARE(errors->item(0, ColError)->text(), u"Expired"_s);
    QCOMPARE(errors->item(0, ColSeverity)->text(), u"Ignorable"_s);
    QVERIFY(errors->item(0, ColExplanation)->text().contains(u"expired on 2021-01-01"_s));
    QVERIFY(errors->item(0, ColExplanation)->toolTip().contains(ChainValidation::explanation(R::Expired)));
    QCOMPARE(errors->item(0, ColCertificate)->text(), u"localhost"_s);
    QCOMPARE(errors->item(0, ColIgnored)->text(), u"No"_s);

    QVERIFY(saveScreenshot(&dialog, u"/tmp/certdialog-expired.png"_s));
}

void tst_CertificateDialog::controlIgnoringExpired()
{
    MessageWebSocketControl control = trustingControl();
    control.ignorableServerCertificateErrors = {R::Expired};
    CertificateDialog dialog;
    // as the engine reports it once Control's ignorable errors let the chain pass
    dialog.showConnection(handBuilt(u"expired"_s, {QSslError::CertificateExpired}, true), control,
                          u"localhost"_s);
    QVERIFY2(dialog.summary().startsWith(u"Trusted, but not by the normal certificate chain:"_s),
             qPrintable(dialog.summary()));
    QVERIFY(dialog.summary().contains(u"Expired is ignored by Control"_s));
    QCOMPARE(chainOf(&dialog)->topLevelItem(0)->text(1), u"Expired (ignored)"_s);
    QTableWidget *errors = errorsOf(&dialog);
    QCOMPARE(errors->rowCount(), 1);
    QVERIFY(errors->item(0, ColIgnored)->text().startsWith(u"Yes"_s));

    // the same control before the handshake passed: the errors are resolved, so the reason is elsewhere
    dialog.showConnection(handBuilt(u"expired"_s, {QSslError::CertificateExpired}, false), control,
                          u"localhost"_s);
    QVERIFY(errorsOf(&dialog)->item(0, ColIgnored)->text().startsWith(u"Yes"_s));
    QVERIFY(dialog.summary().startsWith(u"Not trusted: Control ignores every certificate error"_s));
}

void tst_CertificateDialog::realFailedConnections_data()
{
    QTest::addColumn<QString>("leaf");
    QTest::addColumn<bool>("withIntermediate");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QList<ChainValidationResult>>("results");
    QTest::addColumn<int>("certificates");
    QTest::addColumn<QString>("summaryDetail");
    const QString ip = u"127.0.0.1"_s;
    QTest::newRow("expired") << u"expired"_s << true << ip << QList<R>{R::Expired} << 3
                             << u"“localhost” expired on 2021-01-01"_s;
    QTest::newRow("wrong host") << u"wrong-host"_s << true << ip << QList<R>{R::InvalidName} << 3
                                << u"The certificate is for DNS:wrong-host.example, not for “127.0.0.1”."_s;
    QTest::newRow("self-signed") << u"self-signed"_s << true << ip << QList<R>{R::Untrusted} << 1
                                 << u"“localhost” is self-signed and is not among the trusted CAs."_s;
    QTest::newRow("missing intermediate")
        << u"server"_s << false << ip << QList<R>{R::IncompleteChain} << 1
        << u"The issuer of “localhost”, “WSW Test Intermediate CA”, was not sent by the server"_s;
}

void tst_CertificateDialog::realFailedConnections()
{
    QFETCH(QString, leaf);
    QFETCH(bool, withIntermediate);
    QFETCH(QString, host);
    QFETCH(QList<ChainValidationResult>, results);
    QFETCH(int, certificates);
    QFETCH(QString, summaryDetail);

    const MessageWebSocketControl control = trustingControl();
    RealConnection connection(leaf, withIntermediate, control, host);
    QVERIFY(connection.started);
    QVERIFY(connection.waitEnded());
    QCOMPARE(connection.connected.size(), 0);
    const MessageWebSocketInformation info = connection.ws.information();
    QCOMPARE(info.serverCertificateErrors, results);

    CertificateDialog dialog;
    dialog.showConnection(info, control, host);
    QVERIFY2(dialog.summary().startsWith(u"Not trusted: "_s + ChainValidation::name(results.constFirst())),
             qPrintable(dialog.summary()));
    QVERIFY2(dialog.summary().contains(summaryDetail), qPrintable(dialog.summary()));
    QCOMPARE(CertificateDialog::summaryOf(info, control), dialog.summary());

    QCOMPARE(dialog.chainCertificates().size(), certificates);
    QCOMPARE(dialog.chainCertificates().constFirst(), TestPki::certificate(leaf + u".pem"));
    QTreeWidget *chain = chainOf(&dialog);
    QVERIFY(chain->topLevelItem(0)->text(1).contains(ChainValidation::name(results.constFirst())));
    if (results.constFirst() == R::IncompleteChain) {
        // the issuer nobody had, shown as missing and not selectable
        QCOMPARE(chain->topLevelItemCount(), certificates + 1);
        QTreeWidgetItem *missing = chain->topLevelItem(certificates);
        QCOMPARE(missing->text(0), u"WSW Test Intermediate CA"_s);
        QVERIFY(missing->text(1).startsWith(u"Missing"_s));
        QVERIFY(!(missing->flags() & Qt::ItemIsSelectable));
    } else {
        QCOMPARE(chain->topLevelItemCount(), certificates);
    }
    if (certificates == 3)
        QVERIFY(chain->topLevelItem(2)->text(0).endsWith(u"(from the trust store, not sent)"_s));
    QCOMPARE(named<QLabel>(&dialog, u"TLS session"_s)->text(), u"not established"_s);
    if (results.constFirst() == R::IncompleteChain)
        QVERIFY(saveScreenshot(&dialog, u"/tmp/certdialog-missing-intermediate.png"_s));

    QTableWidget *errors = errorsOf(&dialog);
    QStringList expectedNames;
    for (R r : results)
        expectedNames << ChainValidation::name(r);
    QCOMPARE(column(errors, ColError), expectedNames);
    for (int row = 0; row < errors->rowCount(); ++row) {
        QCOMPARE(errors->item(row, ColSeverity)->text(), u"Ignorable"_s);
        QCOMPARE(errors->item(row, ColIgnored)->text(), u"No"_s);
        QVERIFY(!errors->item(row, ColExplanation)->toolTip().isEmpty());
    }
    QCOMPARE(field(&dialog, u"SPKI pin"_s), SpkiPin::of(TestPki::certificate(leaf + u".pem")));

    // the same failure with a Control that would ignore it
    MessageWebSocketControl ignoring = control;
    ignoring.ignorableServerCertificateErrors = results;
    dialog.showConnection(info, ignoring, host);
    for (int row = 0; row < errors->rowCount(); ++row)
        QVERIFY(errors->item(row, ColIgnored)->text().startsWith(u"Yes"_s));
}

void tst_CertificateDialog::pinWaivesUntrusted()
{
    MessageWebSocketControl control = trustingControl();
    control.pinnedPublicKeys = {TestPki::pin(u"self-signed"_s)};
    RealConnection connection(u"self-signed"_s, true, control, u"127.0.0.1"_s);
    QVERIFY(connection.started);
    QVERIFY(QTest::qWaitFor([&] { return !connection.connected.isEmpty() || !connection.errors.isEmpty(); },
                            ConnectWaitMs));
    QCOMPARE(connection.connected.size(), 1);

    CertificateDialog dialog;
    dialog.showConnection(connection.ws.information(), control, u"127.0.0.1"_s);
    QVERIFY2(dialog.summary().startsWith(u"Trusted, but not by the normal certificate chain:"_s),
             qPrintable(dialog.summary()));
    QVERIFY2(
        dialog.summary().contains(u"Untrusted is waived because the server's key matches the pinned key "_s +
                                  TestPki::pin(u"self-signed"_s)),
        qPrintable(dialog.summary()));
    QTableWidget *errors = errorsOf(&dialog);
    QCOMPARE(column(errors, ColError), QStringList{u"Untrusted"_s});
    QVERIFY(errors->item(0, ColIgnored)->text().startsWith(u"Waived"_s));
    const QLabel *note = named<QLabel>(&dialog, u"Pin note"_s);
    QVERIFY(!note->isHidden());
    QVERIFY(note->text().contains(u"waives Untrusted and IncompleteChain"_s));
    QCOMPARE(chainOf(&dialog)->topLevelItem(0)->text(1), u"Untrusted (waived by pin)"_s);
    QCOMPARE(named<QLabel>(&dialog, u"Pinned keys"_s)->text(), u"1 key, matched the key of “localhost”"_s);
    QVERIFY(saveScreenshot(&dialog, u"/tmp/certdialog-pinned.png"_s));

    // a pin of another key waives nothing
    MessageWebSocketControl other = control;
    other.pinnedPublicKeys = {TestPki::pin(u"other-server"_s)};
    dialog.showConnection(connection.ws.information(), other, u"127.0.0.1"_s);
    QCOMPARE(errors->item(0, ColIgnored)->text(), u"No"_s);
    QVERIFY(note->text().contains(u"none of them the server's"_s));
}

void tst_CertificateDialog::exportWritesTheChain()
{
    CertificateDialog dialog;
    dialog.showConnection(handBuilt(u"server"_s, {}, true), trustingControl(), u"localhost"_s);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"chain.pem"_s);
    QString error;
    QVERIFY2(dialog.exportChain(path, &error), qPrintable(error));
    const QList<QSslCertificate> written = QSslCertificate::fromPath(path, QSsl::Pem);
    QCOMPARE(written, (QList<QSslCertificate>{TestPki::certificate(u"server.pem"_s),
                                              TestPki::certificate(u"intermediate-ca.pem"_s),
                                              TestPki::certificate(u"root-ca.pem"_s)}));
}

void tst_CertificateDialog::exportFailureIsReported()
{
    CertificateDialog dialog;
    QString error;
    QVERIFY(!dialog.exportChain(u"/nonexistent-dir/x.pem"_s, &error)); // nothing shown yet
    QVERIFY(!error.isEmpty());
    dialog.showConnection(handBuilt(u"server"_s, {}, true), trustingControl(), u"localhost"_s);
    error.clear();
    QVERIFY(!dialog.exportChain(u"/nonexistent-dir/x.pem"_s, &error));
    QVERIFY2(error.contains(u"/nonexistent-dir/x.pem"_s), qPrintable(error));
}

void tst_CertificateDialog::copyButtonsAndContextMenu()
{
    CertificateDialog dialog;
    dialog.showConnection(handBuilt(u"server"_s, {}, true), trustingControl(), u"localhost"_s);
    const QSslCertificate leaf = TestPki::certificate(u"server.pem"_s);
    QClipboard *clipboard = QGuiApplication::clipboard();

    clipboard->clear();
    QTest::mouseClick(named<QPushButton>(&dialog, u"Copy SHA-256"_s), Qt::LeftButton);
    QCOMPARE(clipboard->text(), hexDigest(leaf, QCryptographicHash::Sha256));
    QTest::mouseClick(named<QPushButton>(&dialog, u"Copy pin"_s), Qt::LeftButton);
    QCOMPARE(clipboard->text(), TestPki::pin(u"server"_s));
    QVERIFY(named<QLabel>(&dialog, u"Status"_s)->text().contains(u"copied"_s));

    // the buttons act on the selected certificate
    QTreeWidget *chain = chainOf(&dialog);
    chain->setCurrentItem(chain->topLevelItem(1));
    QTest::mouseClick(named<QPushButton>(&dialog, u"Copy pin"_s), Qt::LeftButton);
    QCOMPARE(clipboard->text(), TestPki::pin(u"intermediate-ca"_s));

    // every field has a Copy action that copies the whole value (not the wrapped text)
    QLabel *sha1 = named<QLabel>(&dialog, u"SHA-1 fingerprint"_s);
    QCOMPARE(sha1->contextMenuPolicy(), Qt::ActionsContextMenu);
    QCOMPARE(sha1->actions().size(), 1);
    sha1->actions().constFirst()->trigger();
    QCOMPARE(clipboard->text(),
             hexDigest(TestPki::certificate(u"intermediate-ca.pem"_s), QCryptographicHash::Sha1));
    QVERIFY(!clipboard->text().contains(u'\n'));
}

void tst_CertificateDialog::noCertificate()
{
    CertificateDialog dialog;
    dialog.showConnection(MessageWebSocketInformation(), MessageWebSocketControl(), u"example.org"_s);
    QVERIFY2(dialog.summary().startsWith(u"No server certificate"_s), qPrintable(dialog.summary()));
    QCOMPARE(chainOf(&dialog)->topLevelItemCount(), 0);
    QVERIFY(!named<QPushButton>(&dialog, u"Copy SHA-256"_s)->isEnabled());
    QVERIFY(!named<QPushButton>(&dialog, u"Copy pin"_s)->isEnabled());
    QVERIFY(!named<QPushButton>(&dialog, u"Export chain…"_s)->isEnabled());
    QVERIFY(named<QPushButton>(&dialog, u"Close"_s)->isEnabled());
    QCOMPARE(errorsOf(&dialog)->rowCount(), 0);
}

void tst_CertificateDialog::summaryOfMatchesTheDialog()
{
    const MessageWebSocketInformation info = handBuilt(u"expired"_s, {QSslError::CertificateExpired}, false);
    CertificateDialog dialog;
    dialog.showConnection(info, trustingControl(), info.tls.peerVerifyName);
    QCOMPARE(CertificateDialog::summaryOf(info, trustingControl()), dialog.summary());
    QVERIFY(named<QLabel>(&dialog, u"Trust summary"_s)->text() == dialog.summary());

    // a manual acceptance is never presented as normal trust
    MessageWebSocketInformation accepted = info;
    accepted.tls.encrypted = true;
    accepted.tls.acceptedByOverride = true;
    QVERIFY(CertificateDialog::summaryOf(accepted, trustingControl())
                .startsWith(u"Trusted by a manual acceptance, not by the certificate chain"_s));

    // a valid chain whose keys match no pin
    MessageWebSocketInformation valid = handBuilt(u"server"_s, {}, true);
    MessageWebSocketControl pinned = trustingControl();
    pinned.pinnedPublicKeys = {TestPki::pin(u"other-server"_s)};
    QVERIFY(CertificateDialog::summaryOf(valid, pinned)
                .startsWith(u"Not trusted: no key the server presented"_s));
    pinned.pinnedPublicKeys = {TestPki::pin(u"intermediate-ca"_s)};
    const QString summary = CertificateDialog::summaryOf(valid, pinned);
    QVERIFY2(summary.startsWith(u"Trusted: "_s) && summary.contains(TestPki::pin(u"intermediate-ca"_s)),
             qPrintable(summary));
}

void tst_CertificateDialog::everyControlIsNamedAndNothingIsModal()
{
    CertificateDialog dialog;
    dialog.showConnection(handBuilt(u"expired"_s, {QSslError::CertificateExpired}, false), trustingControl(),
                          u"localhost"_s);
    for (QWidget *widget : dialog.findChildren<QWidget *>()) {
        if (qobject_cast<QAbstractButton *>(widget) || qobject_cast<QTreeWidget *>(widget) ||
            qobject_cast<QTableWidget *>(widget) || qobject_cast<QPlainTextEdit *>(widget) ||
            qobject_cast<QTabWidget *>(widget)) {
            if (qobject_cast<QAbstractItemView *>(widget->parentWidget()))
                continue; // the corner button of a table is part of the table
            QVERIFY2(!widget->accessibleName().isEmpty(), widget->metaObject()->className());
        }
    }
    for (const QString &button : {u"Export chain…"_s, u"Copy SHA-256"_s, u"Copy pin"_s, u"Close"_s})
        QVERIFY2(named<QPushButton>(&dialog, button), qPrintable(button));
    // each field's label is its buddy
    for (QLabel *value : dialog.findChildren<QLabel *>()) {
        if (value->accessibleName() != u"SHA-256 fingerprint"_s)
            continue;
        bool hasBuddy = false;
        for (QLabel *label : dialog.findChildren<QLabel *>())
            hasBuddy = hasBuddy || label->buddy() == value;
        QVERIFY(hasBuddy);
    }

    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(!dialog.isModal());
    // refilling while shown must not block or open anything
    dialog.showConnection(handBuilt(u"server"_s, {}, true), trustingControl(), u"localhost"_s);
    QCOMPARE(QApplication::topLevelWidgets().count(&dialog), 1);
    QTest::mouseClick(named<QPushButton>(&dialog, u"Close"_s), Qt::LeftButton);
    QVERIFY(!dialog.isVisible());
}

QTEST_MAIN(tst_CertificateDialog)
#include "tst_certificatedialog.moc"
