// The Control editor and the request headers editor, driven through their accessible names.
#include "widgets/controleditor.h"
#include "widgets/requestheaderseditor.h"

#include <QAbstractSpinBox>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include "api/chainvalidation.h"
#include "testpki.h"

using namespace Wsw;
using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;

namespace {

/** The editor whose accessible name is this (there must be exactly one). */
template<typename T>
T *byName(QWidget *root, const QString &name)
{
    T *found = nullptr;
    for (T *widget : root->findChildren<T *>()) {
        if (widget->accessibleName() == name) {
            if (found)
                qWarning("two widgets named %s", qPrintable(name));
            found = widget;
        }
    }
    if (!found)
        qWarning("no %s named \"%s\"", T::staticMetaObject.className(), qPrintable(name));
    return found;
}

/** Line edits inside spin boxes and combo boxes belong to them; they are not rows of their own. */
bool isInnerEditor(const QWidget *widget)
{
    const QWidget *parent = widget->parentWidget();
    return qobject_cast<const QAbstractSpinBox *>(parent) || qobject_cast<const QComboBox *>(parent);
}

QList<QWidget *> editors(QWidget *root)
{
    QList<QWidget *> result;
    for (QWidget *widget : root->findChildren<QWidget *>()) {
        if (isInnerEditor(widget))
            continue;
        if (qobject_cast<QComboBox *>(widget) || qobject_cast<QLineEdit *>(widget)
            || qobject_cast<QAbstractSpinBox *>(widget) || qobject_cast<QCheckBox *>(widget)
            || qobject_cast<QListWidget *>(widget) || qobject_cast<QPlainTextEdit *>(widget)
            || qobject_cast<QPushButton *>(widget) || qobject_cast<QTableWidget *>(widget))
            result.append(widget);
    }
    return result;
}

QLabel *buddyLabelOf(QWidget *root, const QWidget *editor)
{
    for (QLabel *label : root->findChildren<QLabel *>()) {
        if (label->buddy() == editor)
            return label;
    }
    return nullptr;
}

/** A Control with every field but the client certificate away from its default. */
MessageWebSocketControl everyFieldChanged()
{
    MessageWebSocketControl c;
    c.messageType = SocketMessageType::Utf8;
    c.maxMessageSize = 4294967294u;              // beyond int: QSpinBox could not hold it
    c.outboundBufferSizeInBytes = 3000000000u;   // beyond int too
    c.outboundFrameSizeInBytes = 4096;
    c.maxBufferedAmountBytes = 5'000'000'000ull; // beyond quint32
    c.supportedProtocols = {u"chat"_s, u"v2.example.com"_s, u"x-test_1"_s};
    c.desiredUnsolicitedPongInterval = 2500ms;
    c.receiveMode = MessageWebSocketReceiveMode::PartialMessage;
    c.noDelay = false;
    c.timeouts.connect = 1500ms;
    c.timeouts.handshake = 2500ms;
    c.timeouts.close = 3500ms;
    c.timeouts.idle = 120000ms;
    c.timeouts.validation = 4500ms;
    c.compression.enabled = true;
    c.compression.offerClientMaxWindowBits = true;
    c.compression.clientMaxWindowBits = 12;
    c.compression.serverMaxWindowBits = 10;
    c.compression.clientNoContextTakeover = true;
    c.compression.serverNoContextTakeover = true;
    c.compression.compressionLevel = 9;
    c.compression.thresholdBytes = 256;
    // not in list order: the order given is kept
    c.ignorableServerCertificateErrors = {ChainValidationResult::InvalidName, ChainValidationResult::Untrusted,
                                          ChainValidationResult::RevocationFailure};
    c.additionalCaCertificates = {TestPki::certificate(u"root-ca.pem"_s),
                                  TestPki::certificate(u"other-root-ca.pem"_s)};
    c.pinnedPublicKeys = {TestPki::pin(u"server"_s), TestPki::pin(u"root-ca"_s)};
    c.allowCustomValidationOverride = true;
    return c;
}

} // namespace

class tst_ControlEditor final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsRoundTrip()
    {
        Ui::ControlEditor editor;
        QString error;
        std::optional<MessageWebSocketControl> control = editor.control(&error);
        QVERIFY2(control, qPrintable(error));
        QVERIFY(error.isEmpty());
        QCOMPARE(*control, MessageWebSocketControl{});

        editor.setControl(everyFieldChanged());
        editor.setControl(MessageWebSocketControl{});
        control = editor.control(&error);
        QVERIFY2(control, qPrintable(error));
        QCOMPARE(*control, MessageWebSocketControl{});
    }

    void everyFieldRoundTrip()
    {
        Ui::ControlEditor editor;
        const MessageWebSocketControl wanted = everyFieldChanged();
        editor.setControl(wanted);
        QString error;
        const std::optional<MessageWebSocketControl> control = editor.control(&error);
        QVERIFY2(control, qPrintable(error));
        QCOMPARE(control->messageType, wanted.messageType);
        QCOMPARE(control->maxMessageSize, wanted.maxMessageSize);
        QCOMPARE(control->outboundBufferSizeInBytes, wanted.outboundBufferSizeInBytes);
        QCOMPARE(control->maxBufferedAmountBytes, wanted.maxBufferedAmountBytes);
        QCOMPARE(control->supportedProtocols, wanted.supportedProtocols);
        QCOMPARE(control->timeouts, wanted.timeouts);
        QCOMPARE(control->compression, wanted.compression);
        QCOMPARE(control->ignorableServerCertificateErrors, wanted.ignorableServerCertificateErrors);
        QCOMPARE(control->additionalCaCertificates, wanted.additionalCaCertificates);
        QCOMPARE(control->pinnedPublicKeys, wanted.pinnedPublicKeys);
        QVERIFY(*control == wanted);

        // compression off, and client_max_window_bits not offered
        MessageWebSocketControl off = wanted;
        off.compression.enabled = false;
        off.compression.offerClientMaxWindowBits = false;
        off.compression.clientMaxWindowBits = 0;
        off.compression.compressionLevel = 0;
        off.maxMessageSize = 0;
        off.outboundBufferSizeInBytes = 0; // 0 is a value, not "OS default"
        off.maxBufferedAmountBytes = 0;
        editor.setControl(off);
        QVERIFY(editor.control() == off);
    }

    void proxyRowsRoundTripAndValidate()
    {
        Ui::ControlEditor editor;
        MessageWebSocketControl control;
        control.proxy = {ProxyType::Socks5, u"127.0.0.1"_s, 1080};
        control.proxyCredential = PasswordCredential{u"alice"_s, u"s3cret"_s};
        control.serverCredential = PasswordCredential{u"bob"_s, u"hunter2"_s};
        editor.setControl(control);
        const std::optional<MessageWebSocketControl> back = editor.control();
        QVERIFY(back);
        QCOMPARE(back->proxy, control.proxy);
        QCOMPARE(back->proxyCredential, control.proxyCredential);
        QCOMPARE(back->serverCredential, control.serverCredential);
        QCOMPARE(byName<QLineEdit>(&editor, u"Server password"_s)->echoMode(), QLineEdit::Password);
        QCOMPARE(byName<QLineEdit>(&editor, u"Proxy password"_s)->echoMode(), QLineEdit::Password);

        // an HTTP proxy without a host: an error naming the row, and never the password
        byName<QComboBox>(&editor, u"Proxy"_s)->setCurrentIndex(2); // HTTP CONNECT
        byName<QLineEdit>(&editor, u"Proxy host"_s)->clear();
        QString error;
        QVERIFY(!editor.control(&error));
        QVERIFY2(error.startsWith(u"Proxy host"_s), qPrintable(error));
        QVERIFY(!error.contains(u"s3cret"_s));

        // None: host, port and credential rows are off, and no credential goes to the engine
        byName<QComboBox>(&editor, u"Proxy"_s)->setCurrentIndex(0);
        QVERIFY(!byName<QLineEdit>(&editor, u"Proxy host"_s)->isEnabled());
        QVERIFY(!byName<QLineEdit>(&editor, u"Proxy password"_s)->isEnabled());
        QCOMPARE(editor.control()->proxy.type, ProxyType::None);
        QVERIFY(!editor.control()->proxyCredential);
    }

    void byteCountsCoverTheirWholeRange()
    {
        Ui::ControlEditor editor;
        editor.show();
        auto *size = byName<QDoubleSpinBox>(&editor, u"Max message size"_s);
        QVERIFY(size);
        QCOMPARE(size->text(), u"Unlimited"_s); // the default, InfiniteMessageSize
        size->setFocus();
        QTest::keyClick(size, Qt::Key_Down); // one step down: a sensible limit, not 4 GiB - 2
        QCOMPARE(editor.control()->maxMessageSize, 16u * 1024 * 1024);
        QTest::keyClick(size, Qt::Key_Up);
        QCOMPARE(editor.control()->maxMessageSize, 16u * 1024 * 1024 + 1024);

        size->setValue(4294967294.0);
        QCOMPARE(editor.control()->maxMessageSize, 4294967294u);
        size->setValue(5e9); // beyond quint32: clamped to the maximum, never wrapped
        QCOMPARE(editor.control()->maxMessageSize, InfiniteMessageSize);
        QCOMPARE(size->text(), u"Unlimited"_s);

        // typed as a person would: digits, with or without separators and the unit; "Unlimited" too
        const QList<QPair<QString, quint32>> typed = {{u"3000000000"_s, 3000000000u},
                                                      {u"1,048,576 B"_s, 1048576u},
                                                      {u"0"_s, 0u},
                                                      {u"unlimited"_s, InfiniteMessageSize}};
        for (const auto &[text, bytes] : typed) {
            size->selectAll();
            QTest::keyClick(size, Qt::Key_Backspace);
            QTest::keyClicks(size, text);
            QTest::keyClick(size, Qt::Key_Enter);
            QCOMPARE(editor.control()->maxMessageSize, bytes);
        }
        size->selectAll();
        QTest::keyClicks(size, u"99999999999"_s); // more than 4 GiB: the last digit is refused
        QTest::keyClick(size, Qt::Key_Enter);
        QCOMPARE(editor.control()->maxMessageSize, 999999999u);

        auto *buffer = byName<QDoubleSpinBox>(&editor, u"Outbound buffer size"_s);
        QVERIFY(buffer);
        QCOMPARE(buffer->text(), u"OS default"_s);
        QVERIFY(!editor.control()->outboundBufferSizeInBytes.has_value());
        buffer->setFocus();
        QTest::keyClick(buffer, Qt::Key_Up);
        QCOMPARE(editor.control()->outboundBufferSizeInBytes, std::optional<quint32>(256 * 1024));
        buffer->setValue(4294967295.0);
        QCOMPARE(editor.control()->outboundBufferSizeInBytes, std::optional<quint32>(4294967295u));
        buffer->setValue(0);
        QCOMPARE(editor.control()->outboundBufferSizeInBytes, std::optional<quint32>(0));

        auto *buffered = byName<QDoubleSpinBox>(&editor, u"Max buffered amount"_s);
        buffered->setValue(0);
        QCOMPARE(buffered->text(), u"No limit"_s);
        QCOMPARE(editor.control()->maxBufferedAmountBytes, 0u);
    }

    void programClientCertificateRoundTrip()
    {
        Ui::ControlEditor editor;
        MessageWebSocketControl wanted;
        wanted.clientCertificate = ClientCertificate{TestPki::certificate(u"client.pem"_s), {},
                                                     TestPki::key(u"client.key"_s)};
        editor.setControl(wanted);
        auto *status = editor.findChild<QLabel *>(u"clientCertificateStatus"_s);
        QVERIFY(status);
        QVERIFY(status->text().contains(u"WSW Test Client"));
        QVERIFY(editor.control() == wanted);

        byName<QPushButton>(&editor, u"Clear client certificate"_s)->click();
        QVERIFY(!editor.control()->clientCertificate.has_value());
    }

    void clientCertificateFromFiles_data()
    {
        QTest::addColumn<QString>("certificateFile");
        QTest::addColumn<QString>("keyFile");
        QTest::newRow("PEM, encrypted key") << u"client.pem"_s << u"client-encrypted.key"_s;
        QTest::newRow("PKCS#12") << u"client.p12"_s << QString();
    }

    void clientCertificateFromFiles()
    {
        QFETCH(QString, certificateFile);
        QFETCH(QString, keyFile);
        Ui::ControlEditor editor;
        auto *certificate = byName<QLineEdit>(&editor, u"Client certificate"_s);
        auto *key = byName<QLineEdit>(&editor, u"Client key"_s);
        auto *password = byName<QLineEdit>(&editor, u"Key password"_s);
        auto *status = editor.findChild<QLabel *>(u"clientCertificateStatus"_s);
        QVERIFY(certificate && key && password && status);
        QCOMPARE(password->echoMode(), QLineEdit::Password);

        certificate->setText(TestPki::path(certificateFile));
        if (!keyFile.isEmpty())
            key->setText(TestPki::path(keyFile));

        // a wrong password: an error naming the row, shown inline, without the password
        const QString wrong = u"not-the-password-xyzzy"_s;
        QTest::keyClicks(password, wrong);
        QString error;
        QVERIFY(!editor.control(&error));
        QVERIFY2(error.startsWith(u"Client certificate: "), qPrintable(error));
        QVERIFY(!error.contains(wrong));
        QVERIFY(status->isVisibleTo(&editor));
        QVERIFY(!status->text().isEmpty());
        QVERIFY(!status->text().contains(wrong));
        QVERIFY(status->property("isError").toBool());

        password->clear();
        QTest::keyClicks(password, u"wsw-secret"_s);
        const std::optional<MessageWebSocketControl> control = editor.control(&error);
        QVERIFY2(control, qPrintable(error));
        QVERIFY(control->clientCertificate.has_value());
        QCOMPARE(control->clientCertificate->certificate, TestPki::certificate(u"client.pem"_s));
        QVERIFY(!control->clientCertificate->privateKey.isNull());
        QVERIFY(!status->property("isError").toBool());
        QVERIFY(status->text().contains(u"WSW Test Client"));
    }

    void invalidInputNamesTheRow_data()
    {
        QTest::addColumn<QString>("row");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("errorStart");
        QTest::newRow("protocol not a token") << u"Supported protocols"_s << u"chat, bad/one"_s
                                              << u"Supported protocols: "_s;
        QTest::newRow("protocol twice") << u"Supported protocols"_s << u"chat chat"_s << u"Supported protocols: "_s;
        QTest::newRow("pin not base64") << u"Pinned public keys"_s << u"sha256/abc"_s << u"Pinned public keys: "_s;
        QTest::newRow("pin of another hash") << u"Pinned public keys"_s
                                             << u"sha1/AAAAAAAAAAAAAAAAAAAAAAAAAAA="_s << u"Pinned public keys: "_s;
        QTest::newRow("pong interval below 1 s") << u"Unsolicited pong interval"_s << u"500"_s
                                                 << u"Unsolicited pong interval: "_s;
        QTest::newRow("certificate file missing") << u"Client certificate"_s << u"/nonexistent/client.pem"_s
                                                  << u"Client certificate: "_s;
        QTest::newRow("key without certificate") << u"Client key"_s << u"/tmp/some.key"_s << u"Client certificate: "_s;
    }

    void invalidInputNamesTheRow()
    {
        QFETCH(QString, row);
        QFETCH(QString, text);
        QFETCH(QString, errorStart);
        Ui::ControlEditor editor;
        QWidget *widget = byName<QWidget>(&editor, row);
        QVERIFY(widget);
        if (auto *line = qobject_cast<QLineEdit *>(widget))
            line->setText(text);
        else if (auto *plain = qobject_cast<QPlainTextEdit *>(widget))
            plain->setPlainText(u"\n"_s + TestPki::pin(u"server"_s) + u"\n"_s + text); // the bad line is the 3rd
        else if (auto *spin = qobject_cast<QSpinBox *>(widget))
            spin->setValue(text.toInt());
        else
            QFAIL("unexpected editor");
        QString error;
        QVERIFY(!editor.control(&error));
        QVERIFY2(error.startsWith(errorStart), qPrintable(error));
        if (qobject_cast<QPlainTextEdit *>(widget))
            QVERIFY2(error.contains(u"line 3"), qPrintable(error));
        // free text is flagged as it is typed, the reason in the tooltip
        if (qobject_cast<QPlainTextEdit *>(widget) || row == u"Supported protocols")
            QVERIFY(widget->toolTip().startsWith(error.mid(errorStart.size())));
    }

    void caCertificatesFromFiles()
    {
        Ui::ControlEditor editor;
        auto *list = byName<QListWidget>(&editor, u"Additional CA certificates"_s);
        auto *remove = byName<QPushButton>(&editor, u"Remove CA certificate"_s);
        QVERIFY(list && remove);

        QString error;
        QVERIFY(editor.addCaCertificatesFromFile(TestPki::path(u"root-ca.pem"_s), &error));
        QTemporaryDir dir;
        const QString der = dir.filePath(u"intermediate.der"_s);
        {
            QFile file(der);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(TestPki::certificate(u"intermediate-ca.pem"_s).toDer());
        }
        QVERIFY(editor.addCaCertificatesFromFile(der, &error));
        QCOMPARE(list->count(), 2);
        QCOMPARE(list->item(0)->text(), TestPki::certificate(u"root-ca.pem"_s)
                                                .subjectInfo(QSslCertificate::CommonName)
                                                .constFirst());
        QCOMPARE(editor.control()->additionalCaCertificates,
                 (QList<QSslCertificate>{TestPki::certificate(u"root-ca.pem"_s),
                                         TestPki::certificate(u"intermediate-ca.pem"_s)}));

        QVERIFY(!editor.addCaCertificatesFromFile(TestPki::path(u"pins.txt"_s), &error));
        QVERIFY2(error.startsWith(u"Additional CA certificates: "), qPrintable(error));
        QCOMPARE(list->count(), 2);

        list->setCurrentRow(0);
        QVERIFY(remove->isEnabled());
        remove->click();
        QCOMPARE(editor.control()->additionalCaCertificates,
                 QList<QSslCertificate>{TestPki::certificate(u"intermediate-ca.pem"_s)});
    }

    void ignorableErrorsListOnlyIgnorableValues()
    {
        Ui::ControlEditor editor;
        auto *list = byName<QListWidget>(&editor, u"Ignorable certificate errors"_s);
        QVERIFY(list);
        int expected = 0;
        for (int value = 0; value <= int(ChainValidationResult::OtherErrors); ++value)
            expected += ChainValidation::isIgnorable(ChainValidationResult(value)) ? 1 : 0;
        QCOMPARE(list->count(), expected);
        for (int i = 0; i < list->count(); ++i) {
            const auto result = ChainValidation::fromName(list->item(i)->text());
            QVERIFY(result);
            QVERIFY(ChainValidation::isIgnorable(*result));
            QCOMPARE(list->item(i)->toolTip(), ChainValidation::explanation(*result));
        }
        // a value setControl() would refuse is not shown, so never sent back
        MessageWebSocketControl c;
        c.ignorableServerCertificateErrors = {ChainValidationResult::Revoked, ChainValidationResult::Expired};
        editor.setControl(c);
        QCOMPARE(editor.control()->ignorableServerCertificateErrors,
                 QList<ChainValidationResult>{ChainValidationResult::Expired});
    }

    void lockingLeavesOnlyTheMessageType()
    {
        Ui::ControlEditor editor;
        editor.show();
        auto *note = editor.findChild<QLabel *>(u"lockNote"_s);
        QVERIFY(note);
        QVERIFY(!note->isVisible());

        editor.setLocked(true);
        QVERIFY(note->isVisible());
        QVERIFY(note->text().contains(u"Fixed while connected"));
        QWidget *messageType = byName<QComboBox>(&editor, u"Message type"_s);
        QVERIFY(messageType);
        int checked = 0;
        for (QWidget *widget : editors(&editor)) {
            if (widget == messageType)
                QVERIFY(widget->isEnabled());
            else
                QVERIFY2(!widget->isEnabled(), qPrintable(widget->accessibleName()));
            ++checked;
        }
        QVERIFY(checked >= 34);

        // the message type still changes, and says so
        QSignalSpy changed(&editor, &Ui::ControlEditor::messageTypeChanged);
        auto *combo = static_cast<QComboBox *>(messageType);
        combo->setCurrentIndex(combo->findText(u"Text"_s));
        QCOMPARE(changed.size(), 1);

        editor.setLocked(false);
        QVERIFY(!note->isVisible());
        QVERIFY(byName<QSpinBox>(&editor, u"Connect timeout"_s)->isEnabled());
        QVERIFY(byName<QDoubleSpinBox>(&editor, u"Max message size"_s)->isEnabled());
        // rows that depend on another: compression's details follow "Offer permessage-deflate"
        auto *bits = byName<QComboBox>(&editor, u"Client max window bits"_s);
        QVERIFY(bits->isEnabled());
        byName<QCheckBox>(&editor, u"Offer client_max_window_bits"_s)->setChecked(false);
        QVERIFY(!bits->isEnabled());
        byName<QCheckBox>(&editor, u"Offer permessage-deflate"_s)->setChecked(false);
        QVERIFY(!byName<QSpinBox>(&editor, u"Compression level"_s)->isEnabled());
        byName<QCheckBox>(&editor, u"Offer permessage-deflate"_s)->setChecked(true);
        QVERIFY(byName<QSpinBox>(&editor, u"Compression level"_s)->isEnabled());
    }

    void messageTypeChangedOnUserChangeOnly()
    {
        Ui::ControlEditor editor;
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QSignalSpy changed(&editor, &Ui::ControlEditor::messageTypeChanged);
        QSignalSpy edited(&editor, &Ui::ControlEditor::edited);

        editor.setMessageType(SocketMessageType::Utf8);
        QCOMPARE(editor.messageType(), SocketMessageType::Utf8);
        MessageWebSocketControl c;
        c.messageType = SocketMessageType::Binary;
        editor.setControl(c);
        editor.setControl(everyFieldChanged());
        QCOMPARE(changed.size(), 0);
        QCOMPARE(edited.size(), 0);

        auto *combo = byName<QComboBox>(&editor, u"Message type"_s);
        combo->setFocus();
        QTest::keyClick(combo, Qt::Key_Down); // Text -> Binary
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).value<SocketMessageType>(), SocketMessageType::Binary);
        QCOMPARE(editor.messageType(), SocketMessageType::Binary);
        QVERIFY(edited.size() >= 1);

        // any other row: edited, and no message type change
        const qsizetype editedBefore = edited.size();
        QTest::keyClicks(byName<QLineEdit>(&editor, u"Supported protocols"_s), u" extra"_s);
        QVERIFY(edited.size() > editedBefore);
        QCOMPARE(changed.size(), 1);
    }

    void everyEditorHasItsLabel()
    {
        Ui::ControlEditor editor;
        const QStringList rows = {
                u"Message type"_s, u"Receive mode"_s, u"Max message size"_s, u"Outbound frame size"_s,
                u"Max buffered amount"_s, u"Supported protocols"_s, u"No delay (TCP_NODELAY)"_s,
                u"Outbound buffer size"_s, u"Unsolicited pong interval"_s, u"Connect timeout"_s,
                u"Handshake timeout"_s, u"Close timeout"_s, u"Idle timeout"_s, u"Validation timeout"_s,
                u"Offer permessage-deflate"_s, u"Offer client_max_window_bits"_s, u"Client max window bits"_s,
                u"Server max window bits"_s, u"Client no context takeover"_s, u"Server no context takeover"_s,
                u"Compression level"_s, u"Compression threshold"_s, u"Ignorable certificate errors"_s,
                u"Additional CA certificates"_s, u"Pinned public keys"_s, u"Client certificate"_s,
                u"Client key"_s, u"Key password"_s, u"Ask when a certificate fails"_s,
        };
        for (const QString &row : rows) {
            QWidget *widget = byName<QWidget>(&editor, row);
            QVERIFY2(widget, qPrintable(row));
            QLabel *label = buddyLabelOf(&editor, widget);
            QVERIFY2(label, qPrintable(row));
            QCOMPARE(label->text().remove(u'&'), row);
            QVERIFY2(!widget->toolTip().isEmpty(), qPrintable(row));
            QVERIFY2(widget->toolTip().contains(u"Default") || row.startsWith(u"Client key")
                             || row == u"Key password",
                     qPrintable(row));
        }
        // and every editor of the form, rows or not, has a name; combo boxes, line edits and spin
        // boxes a buddy label with that same text
        for (QWidget *widget : editors(&editor)) {
            QVERIFY2(!widget->accessibleName().isEmpty(), widget->metaObject()->className());
            if (qobject_cast<QComboBox *>(widget) || qobject_cast<QLineEdit *>(widget)
                || qobject_cast<QAbstractSpinBox *>(widget)) {
                QLabel *label = buddyLabelOf(&editor, widget);
                QVERIFY2(label, qPrintable(widget->accessibleName()));
                QCOMPARE(label->text().remove(u'&'), widget->accessibleName());
            }
        }
    }

    void tabOrderFollowsTheRows()
    {
        Ui::ControlEditor editor;
        editor.resize(460, 4000); // everything laid out without scrolling
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        const QList<QWidget *> all = editors(&editor);
        QWidget *first = byName<QComboBox>(&editor, u"Message type"_s);
        QWidget *widget = first;
        int previousTop = -1;
        QStringList visited;
        for (int step = 0; step < 200; ++step) {
            if (all.contains(widget)) {
                const int top = widget->mapTo(&editor, QPoint(0, 0)).y();
                QVERIFY2(top >= previousTop - 6, qPrintable(visited.join(u" > ") + u" > "_s + widget->accessibleName()));
                previousTop = top;
                visited.append(widget->accessibleName());
            }
            widget = widget->nextInFocusChain();
            if (widget == first)
                break;
        }
        QCOMPARE(visited.size(), all.size()); // every editor once, none skipped
    }

    void screenshot()
    {
        Ui::ControlEditor editor;
        editor.setControl(everyFieldChanged());
        editor.resize(460, 900);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QVERIFY(editor.grab().save(u"/tmp/controleditor.png"_s));
        // the whole form, for review, with a client certificate that failed to load
        byName<QLineEdit>(&editor, u"Client certificate"_s)->setText(TestPki::path(u"client.pem"_s));
        byName<QLineEdit>(&editor, u"Client key"_s)->setText(TestPki::path(u"client-encrypted.key"_s));
        QTest::keyClicks(byName<QLineEdit>(&editor, u"Key password"_s), u"wrong"_s);
        QVERIFY(!editor.control());
        auto *scroll = editor.findChild<QAbstractScrollArea *>();
        QVERIFY(scroll);
        editor.resize(460, editor.sizeHint().height() + 2000);
        QVERIFY(editor.grab().save(u"/tmp/controleditor-full.png"_s));
        editor.setLocked(true);
        editor.resize(460, 900);
        QVERIFY(editor.grab().save(u"/tmp/controleditor-locked.png"_s));
    }

    // --- RequestHeadersEditor

    void headersRoundTrip()
    {
        Ui::RequestHeadersEditor editor;
        QCOMPARE(editor.headers(), std::optional<Ui::RequestHeadersEditor::HeaderList>(Ui::RequestHeadersEditor::HeaderList{}));
        const Ui::RequestHeadersEditor::HeaderList headers = {{"Authorization", "Bearer abc"},
                                                              {"X-Trace", "1\t2"},
                                                              {"Origin", "https://example.com"}};
        editor.setHeaders(headers);
        QString error;
        QCOMPARE(editor.headers(&error), std::optional(headers));
        QVERIFY(error.isEmpty());
    }

    void headersBadRows_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("reasonContains");
        QTest::newRow("CR LF in the value") << QByteArray("X-Evil") << QByteArray("a\r\nInjected: 1") << u"CR, LF"_s;
        QTest::newRow("LF alone") << QByteArray("X-Evil") << QByteArray("a\nb") << u"CR, LF"_s;
        QTest::newRow("NUL") << QByteArray("X-Evil") << QByteArray("a\0b", 3) << u"control"_s;
        QTest::newRow("Host") << QByteArray("Host") << QByteArray("example.com") << u"engine"_s;
        QTest::newRow("host lower case") << QByteArray("host") << QByteArray("example.com") << u"engine"_s;
        QTest::newRow("Sec-WebSocket-Key") << QByteArray("Sec-WebSocket-Key") << QByteArray("x") << u"engine"_s;
        QTest::newRow("Sec-WebSocket-Protocol") << QByteArray("Sec-WebSocket-Protocol") << QByteArray("chat")
                                                << u"engine"_s;
        QTest::newRow("Upgrade") << QByteArray("Upgrade") << QByteArray("websocket") << u"engine"_s;
        QTest::newRow("space in name") << QByteArray("X Bad") << QByteArray("1") << u"token"_s;
        QTest::newRow("colon in name") << QByteArray("X-Bad:") << QByteArray("1") << u"token"_s;
        QTest::newRow("no name") << QByteArray() << QByteArray("1") << u"name"_s;
        QTest::newRow("twice") << QByteArray("x-ok") << QByteArray("2") << u"row 1"_s;
    }

    void headersBadRows()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        QFETCH(QString, reasonContains);
        Ui::RequestHeadersEditor editor;
        editor.setHeaders({{"X-Ok", "1"}, {name, value}, {{}, {}}});
        QString error;
        QVERIFY(!editor.headers(&error));
        QVERIFY2(error.startsWith(u"Request headers, row 2"), qPrintable(error));
        QVERIFY2(error.contains(reasonContains), qPrintable(error));

        auto *table = byName<QTableWidget>(&editor, u"Request headers"_s);
        QVERIFY(table);
        QVERIFY(table->item(0, 0)->toolTip().isEmpty()); // the good row stays as it is
        QVERIFY(!table->item(1, 0)->toolTip().isEmpty());
        QVERIFY(error.endsWith(table->item(1, 0)->toolTip()));
        QVERIFY(table->item(1, 1)->background() != table->item(0, 1)->background());

        // fixing the row in place clears the mark
        table->item(1, 0)->setText(u"X-Fixed"_s);
        table->item(1, 1)->setText(u"fine"_s);
        QVERIFY2(editor.headers(&error), qPrintable(error));
        QVERIFY(table->item(1, 0)->toolTip().isEmpty());
    }

    void headersAddRemoveAndLock()
    {
        Ui::RequestHeadersEditor editor;
        editor.show();
        QSignalSpy edited(&editor, &Ui::RequestHeadersEditor::edited);
        auto *table = byName<QTableWidget>(&editor, u"Request headers"_s);
        auto *add = byName<QPushButton>(&editor, u"Add header"_s);
        auto *remove = byName<QPushButton>(&editor, u"Remove header"_s);
        QVERIFY(table && add && remove);
        QVERIFY(buddyLabelOf(&editor, table));
        QVERIFY(!remove->isEnabled());

        add->click();
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(edited.size(), 1);
        QVERIFY(editor.headers().value().isEmpty()); // an empty row is no header
        table->item(0, 0)->setText(u"X-New"_s);
        table->item(0, 1)->setText(u"v"_s);
        QCOMPARE(editor.headers().value(), (Ui::RequestHeadersEditor::HeaderList{{"X-New", "v"}}));

        editor.setLocked(true);
        QVERIFY(!add->isEnabled());
        QVERIFY(!remove->isEnabled());
        QCOMPARE(table->editTriggers(), QAbstractItemView::NoEditTriggers);
        editor.setLocked(false);
        QVERIFY(add->isEnabled());

        table->setCurrentCell(0, 0);
        QVERIFY(remove->isEnabled());
        remove->click();
        QCOMPARE(table->rowCount(), 0);
    }
};

QTEST_MAIN(tst_ControlEditor)
#include "tst_controleditor.moc"
