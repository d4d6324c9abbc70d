// Close codes and payloads (RFC 6455 §5.5.1, §7.4 and the IANA registry).
#include "codec/closecode.h"

#include <QTest>

#include "codec/inbounddecoder.h"
#include "framebuilder.h"
#include "recordingsink.h"

using namespace Wsw;
using namespace Wsw::Codec;

class tst_CloseCode final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyCodeIsClassified()
    {
        // sendable: 1000-1003, 1007-1014 (IANA: 1012-1014 registered), 3000-4999 (Autobahn 7.7.x / 7.9.x)
        for (int code = 0; code <= 65535; ++code) {
            const bool expected = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
                    || (code >= 3000 && code <= 4999);
            QVERIFY2(isSendableCloseCode(quint16(code)) == expected, qPrintable(QString::number(code)));
            QCOMPARE(isValidReceivedCloseCode(quint16(code)), expected);
        }
    }

    void parse_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<ErrorDetail>("error");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");

        QTest::newRow("empty: no status (1005)") << QByteArray() << ErrorDetail::None << 1005 << QString();
        QTest::newRow("1000 without reason") << QByteArray("\x03\xe8", 2) << ErrorDetail::None << 1000 << QString();
        QTest::newRow("1000 with reason") << QByteArray("\x03\xe8" "bye") << ErrorDetail::None << 1000
                                          << QStringLiteral("bye");
        QTest::newRow("4999 with UTF-8 reason") << QByteArray("\x13\x87" "\xce\xba\xcf\x8c") << ErrorDetail::None
                                                << 4999 << QString::fromUtf8("\xce\xba\xcf\x8c");
        QTest::newRow("1 byte (Autobahn 7.3.2)") << QByteArray("\x03", 1) << ErrorDetail::InvalidClosePayloadLength
                                                 << 0 << QString();
        QTest::newRow("code 999") << QByteArray("\x03\xe7", 2) << ErrorDetail::InvalidCloseCodeReceived << 0
                                  << QString();
        QTest::newRow("code 1005 on the wire") << QByteArray("\x03\xed", 2) << ErrorDetail::InvalidCloseCodeReceived
                                               << 0 << QString();
        QTest::newRow("code 1006 on the wire") << QByteArray("\x03\xee", 2) << ErrorDetail::InvalidCloseCodeReceived
                                               << 0 << QString();
        QTest::newRow("code 1015 on the wire") << QByteArray("\x03\xf7", 2) << ErrorDetail::InvalidCloseCodeReceived
                                               << 0 << QString();
        QTest::newRow("code 1004 (reserved)") << QByteArray("\x03\xec", 2) << ErrorDetail::InvalidCloseCodeReceived
                                              << 0 << QString();
        QTest::newRow("code 1012 (IANA: Service Restart)") << QByteArray("\x03\xf4", 2) << ErrorDetail::None << 1012
                                                           << QString();
        QTest::newRow("code 1014 (IANA: Bad Gateway)") << QByteArray("\x03\xf6", 2) << ErrorDetail::None << 1014
                                                       << QString();
        QTest::newRow("code 1016 (unassigned)") << QByteArray("\x03\xf8", 2) << ErrorDetail::InvalidCloseCodeReceived
                                                << 0 << QString();
        QTest::newRow("code 2999 (Autobahn 7.9.x)") << QByteArray("\x0b\xb7", 2)
                                                    << ErrorDetail::InvalidCloseCodeReceived << 0 << QString();
        QTest::newRow("code 3000 (Autobahn 7.7.x)") << QByteArray("\x0b\xb8", 2) << ErrorDetail::None << 3000
                                                    << QString();
        QTest::newRow("code 0") << QByteArray("\x00\x00", 2) << ErrorDetail::InvalidCloseCodeReceived << 0
                                << QString();
        QTest::newRow("code 65535") << QByteArray("\xff\xff", 2) << ErrorDetail::InvalidCloseCodeReceived << 0
                                    << QString();
        QTest::newRow("code 5000") << QByteArray("\x13\x88", 2) << ErrorDetail::InvalidCloseCodeReceived << 0
                                   << QString();
        QTest::newRow("invalid UTF-8 reason (Autobahn 7.5.1)") << QByteArray("\x03\xe8" "\xce\xba\xff")
                                                               << ErrorDetail::InvalidUtf8InCloseReason << 0
                                                               << QString();
        QTest::newRow("reason cut inside a code point") << QByteArray("\x03\xe8" "\xce")
                                                        << ErrorDetail::InvalidUtf8InCloseReason << 0 << QString();
    }
    void parse()
    {
        QFETCH(QByteArray, payload);
        QFETCH(ErrorDetail, error);
        QFETCH(int, code);
        QFETCH(QString, reason);
        ClosePayload parsed;
        QCOMPARE(parseClosePayload(payload, &parsed), error);
        if (error == ErrorDetail::None) {
            QCOMPARE(int(parsed.code), code);
            QCOMPARE(parsed.reason, reason);
        }
    }

    void outgoingValidation_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<ErrorDetail>("error");

        QTest::newRow("1000") << 1000 << QString() << ErrorDetail::None;
        QTest::newRow("4000 with reason") << 4000 << QStringLiteral("done") << ErrorDetail::None;
        QTest::newRow("1005 may not be sent") << 1005 << QString() << ErrorDetail::InvalidCloseCode;
        QTest::newRow("1006 may not be sent") << 1006 << QString() << ErrorDetail::InvalidCloseCode;
        QTest::newRow("2999") << 2999 << QString() << ErrorDetail::InvalidCloseCode;
        QTest::newRow("reason of 123 bytes") << 1000 << QString(123, u'r') << ErrorDetail::None;
        QTest::newRow("reason of 124 bytes") << 1000 << QString(124, u'r') << ErrorDetail::CloseReasonTooLong;
        // 62 two-byte characters = 124 bytes although only 62 characters
        QTest::newRow("124 bytes of two-byte characters") << 1000 << QString(62, QChar(0x3ba))
                                                          << ErrorDetail::CloseReasonTooLong;
    }
    void outgoingValidation()
    {
        QFETCH(int, code);
        QFETCH(QString, reason);
        QFETCH(ErrorDetail, error);
        QCOMPARE(validateOutgoingClose(quint16(code), reason), error);
    }

    void everyCodeOnTheWire()
    {
        // parseClosePayload agrees with isValidReceivedCloseCode for every 16-bit code
        for (int code = 0; code <= 65535; ++code) {
            const char bytes[2] = {char(code >> 8), char(code & 0xFF)};
            ClosePayload parsed;
            const ErrorDetail error = parseClosePayload(QByteArrayView(bytes, 2), &parsed);
            if (isValidReceivedCloseCode(quint16(code))) {
                QVERIFY2(error == ErrorDetail::None && parsed.code == code, qPrintable(QString::number(code)));
                QVERIFY(parsed.reason.isEmpty());
            } else {
                QVERIFY2(error == ErrorDetail::InvalidCloseCodeReceived, qPrintable(QString::number(code)));
            }
        }
    }

    void buildExactBytes()
    {
        // RFC 6455 §5.5.1: the code in network byte order, then the reason as UTF-8
        QCOMPARE(buildClosePayload(1000, {}), QByteArray("\x03\xe8", 2));
        QCOMPARE(buildClosePayload(4999, u"bye"), QByteArray("\x13\x87" "bye"));
        QCOMPARE(buildClosePayload(1001, QString::fromUtf8("\xce\xba")), QByteArray("\x03\xe9\xce\xba"));
    }

    void longestReasonFitsAControlFrame()
    {
        // 2 + 123 = 125 bytes, the most a control frame may carry (RFC 6455 §5.5)
        const QString reason123(MaxCloseReasonBytes, u'r');
        QCOMPARE(validateOutgoingClose(1000, reason123), ErrorDetail::None);
        QCOMPARE(buildClosePayload(1000, reason123).size(), 125);

        // a server's close frame with a 123-byte reason (built independently) is received whole
        Wsw::Test::RecordingSink sink;
        InboundDecoder decoder;
        QCOMPARE(decoder.feed(Wsw::Test::FrameBuilder::close(1000, QByteArray(123, 'r')), sink), ErrorDetail::None);
        QCOMPARE(sink.controls.size(), 1);
        QCOMPARE(sink.controls.first().opcode, Opcode::Close);
        ClosePayload parsed;
        QCOMPARE(parseClosePayload(sink.controls.first().payload, &parsed), ErrorDetail::None);
        QCOMPARE(int(parsed.code), 1000);
        QCOMPARE(parsed.reason, reason123);

        // one byte more is a control frame of 126 bytes: refused by the frame rules (Autobahn 7.3.6)
        InboundDecoder tooLong;
        QCOMPARE(tooLong.feed(Wsw::Test::FrameBuilder::close(1000, QByteArray(124, 'r')), sink),
                 ErrorDetail::ControlFrameTooLong);
        QCOMPARE(validateOutgoingClose(1000, QString(124, u'r')), ErrorDetail::CloseReasonTooLong);
    }

    void buildThenParseRoundTrips()
    {
        const QString reason = QString::fromUtf8("au revoir \xf0\x9f\x99\x82");
        const QByteArray payload = buildClosePayload(4001, reason);
        QCOMPARE(payload.left(2), QByteArray("\x0f\xa1", 2));
        ClosePayload parsed;
        QCOMPARE(parseClosePayload(payload, &parsed), ErrorDetail::None);
        QCOMPARE(int(parsed.code), 4001);
        QCOMPARE(parsed.reason, reason);
    }
};

QTEST_APPLESS_MAIN(tst_CloseCode)
#include "tst_closecode.moc"
