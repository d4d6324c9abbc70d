// SecretBox: passwords sealed with a passphrase (PBKDF2-HMAC-SHA256, AES-256-GCM). Socket-free.
#include "persistence/secretbox.h"

#include <QJsonDocument>
#include <QTest>

using namespace Wsw::Ui;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int FastIterations = SecretBox::MinimumIterations; // the tests test the format, not the cost
const QString Passphrase = u"correct horse battery"_s;
const QString WrongPassphraseError = u"the passphrase is wrong, or the encrypted passwords were changed after saving"_s;

QJsonObject secrets()
{
    return {{u"serverPassword"_s, u"s3rver-Pässword"_s}, {u"proxyPassword"_s, u"pr0xy"_s}};
}

QJsonObject sealed()
{
    QString error;
    const std::optional<QJsonObject> box = SecretBox::seal(secrets(), Passphrase, FastIterations, &error);
    if (!box)
        qFatal("seal failed: %s", qPrintable(error));
    return *box;
}

/** The box with one base64 field's decoded byte at index flipped. */
QJsonObject flipped(QJsonObject box, const QString &field, int index)
{
    QByteArray bytes = QByteArray::fromBase64(box.value(field).toString().toLatin1());
    bytes[index] = char(bytes.at(index) ^ 0x01);
    box.insert(field, QString::fromLatin1(bytes.toBase64()));
    return box;
}

} // namespace

class tst_SecretBox final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip()
    {
        const QJsonObject box = sealed();
        QString error;
        const std::optional<QJsonObject> opened = SecretBox::open(box, Passphrase, &error);
        QVERIFY2(opened, qPrintable(error));
        QCOMPARE(*opened, secrets());
    }

    void boxNamesItsParameters()
    {
        const QJsonObject box = sealed();
        QCOMPARE(box.value(u"kdf"_s).toString(), u"PBKDF2-HMAC-SHA256"_s);
        QCOMPARE(box.value(u"cipher"_s).toString(), u"AES-256-GCM"_s);
        QCOMPARE(box.value(u"iterations"_s).toInt(), FastIterations);
        QCOMPARE(QByteArray::fromBase64(box.value(u"salt"_s).toString().toLatin1()).size(), 16);
        QCOMPARE(QByteArray::fromBase64(box.value(u"nonce"_s).toString().toLatin1()).size(), 12);
        QCOMPARE(QByteArray::fromBase64(box.value(u"tag"_s).toString().toLatin1()).size(), 16);
    }

    void plaintextNotInTheBox()
    {
        const QByteArray text = QJsonDocument(sealed()).toJson();
        QVERIFY(!text.contains("s3rver"));
        QVERIFY(!text.contains("pr0xy"));
        QVERIFY(!text.contains(Passphrase.toUtf8()));
    }

    void freshSaltAndNonceEveryTime()
    {
        const QJsonObject a = sealed();
        const QJsonObject b = sealed();
        QVERIFY(a.value(u"salt"_s) != b.value(u"salt"_s));
        QVERIFY(a.value(u"nonce"_s) != b.value(u"nonce"_s));
        QVERIFY(a.value(u"ciphertext"_s) != b.value(u"ciphertext"_s));
    }

    void defaultIterationsRoundTrip()
    {
        const std::optional<QJsonObject> box = SecretBox::seal(secrets(), Passphrase);
        QVERIFY(box);
        QCOMPARE(box->value(u"iterations"_s).toInt(), SecretBox::DefaultIterations);
        QCOMPARE(SecretBox::open(*box, Passphrase).value_or(QJsonObject()), secrets());
    }

    void wrongPassphrase()
    {
        QString error;
        QVERIFY(!SecretBox::open(sealed(), u"correct horse battery!"_s, &error));
        QCOMPARE(error, WrongPassphraseError);
    }

    void tampered_data()
    {
        QTest::addColumn<QJsonObject>("box");
        const QJsonObject box = sealed();
        QTest::newRow("ciphertext first byte") << flipped(box, u"ciphertext"_s, 0);
        QTest::newRow("ciphertext last byte")
                << flipped(box, u"ciphertext"_s,
                           int(QByteArray::fromBase64(box.value(u"ciphertext"_s).toString().toLatin1()).size()) - 1);
        QTest::newRow("tag") << flipped(box, u"tag"_s, 3);
        QTest::newRow("nonce") << flipped(box, u"nonce"_s, 0);
        QTest::newRow("salt") << flipped(box, u"salt"_s, 15);
        QJsonObject fewerIterations = box;
        fewerIterations.insert(u"iterations"_s, FastIterations + 1);
        QTest::newRow("iterations changed") << fewerIterations;
        QJsonObject shorter = box;
        shorter.insert(u"ciphertext"_s, QString::fromLatin1(
                QByteArray::fromBase64(box.value(u"ciphertext"_s).toString().toLatin1()).chopped(1).toBase64()));
        QTest::newRow("ciphertext truncated") << shorter;
    }
    void tampered()
    {
        QFETCH(QJsonObject, box);
        QString error;
        QVERIFY(!SecretBox::open(box, Passphrase, &error));
        QCOMPARE(error, WrongPassphraseError);
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("error");
        QTest::newRow("other kdf") << u"kdf"_s << QJsonValue(u"scrypt"_s)
                                   << u"encrypted secrets: \"kdf\" must be \"PBKDF2-HMAC-SHA256\""_s;
        QTest::newRow("other cipher") << u"cipher"_s << QJsonValue(u"AES-128-CBC"_s)
                                      << u"encrypted secrets: \"cipher\" must be \"AES-256-GCM\""_s;
        const QString iterationsError = u"encrypted secrets: \"iterations\" must be a whole number from 1000 to 10000000"_s;
        QTest::newRow("iterations too few") << u"iterations"_s << QJsonValue(999) << iterationsError;
        QTest::newRow("iterations too many") << u"iterations"_s << QJsonValue(1e9) << iterationsError;
        QTest::newRow("iterations fraction") << u"iterations"_s << QJsonValue(1000.5) << iterationsError;
        QTest::newRow("iterations text") << u"iterations"_s << QJsonValue(u"1000"_s) << iterationsError;
        QTest::newRow("salt missing") << u"salt"_s << QJsonValue(QJsonValue::Undefined)
                                      << u"encrypted secrets: \"salt\" is missing"_s;
        QTest::newRow("salt not text") << u"salt"_s << QJsonValue(16) << u"encrypted secrets: \"salt\" is not a string"_s;
        QTest::newRow("nonce not base64") << u"nonce"_s << QJsonValue(u"!!!!"_s)
                                          << u"encrypted secrets: \"nonce\" is not valid base64"_s;
        QTest::newRow("nonce too short") << u"nonce"_s << QJsonValue(u"AAAA"_s)
                                         << u"encrypted secrets: \"nonce\" must be 12 bytes, not 3"_s;
        QTest::newRow("tag missing") << u"tag"_s << QJsonValue(QJsonValue::Undefined)
                                     << u"encrypted secrets: \"tag\" is missing"_s;
    }
    void malformed()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, error);
        QJsonObject box = sealed();
        if (value.isUndefined())
            box.remove(field);
        else
            box.insert(field, value);
        QString actual;
        QVERIFY(!SecretBox::open(box, Passphrase, &actual));
        QCOMPARE(actual, error);
    }

    void sealRefusesBadArguments()
    {
        QString error;
        QVERIFY(!SecretBox::seal(secrets(), QString(), FastIterations, &error));
        QCOMPARE(error, u"the passphrase is empty"_s);
        QVERIFY(!SecretBox::seal(secrets(), Passphrase, 10, &error));
        QCOMPARE(error, u"the iteration count must be from 1000 to 10000000"_s);
    }

    void emptyPassphraseDoesNotOpen()
    {
        QString error;
        QVERIFY(!SecretBox::open(sealed(), QString(), &error));
        QCOMPARE(error, u"the passphrase is empty"_s);
    }
};

QTEST_APPLESS_MAIN(tst_SecretBox)
#include "tst_secretbox.moc"
