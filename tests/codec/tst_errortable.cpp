// The single table of failures (spec §12.8): every enumerator has a sentence, and the close
// codes and statuses follow the rules.
#include "codec/errortable.h"

#include <QMetaEnum>
#include <QSet>
#include <QTest>

using namespace Wsw;
using namespace Wsw::Codec;
using namespace Qt::Literals::StringLiterals;

class tst_ErrorTable final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyDetailHasADistinctSentence()
    {
        const QMetaEnum details = QMetaEnum::fromType<ErrorDetail>();
        QSet<QString> seen;
        for (int i = 0; i < details.keyCount(); ++i) {
            const auto detail = ErrorDetail(details.value(i));
            const QString message = errorMessage(detail);
            QVERIFY2(!message.isEmpty(), details.key(i));
            QVERIFY2(message != u"Unknown error", details.key(i));
            QVERIFY2(!message.endsWith(u'.'), details.key(i));
            QVERIFY2(!seen.contains(message), details.key(i));
            seen.insert(message);
        }
    }

    void closeCodesFollowTheRule_data()
    {
        QTest::addColumn<ErrorDetail>("detail");
        QTest::addColumn<int>("closeCode");
        QTest::addColumn<WebErrorStatus>("status");

        using D = ErrorDetail;
        using S = WebErrorStatus;
        for (D d : {D::MaskedServerFrame, D::ReservedBitsSet, D::ReservedOpcode, D::ControlFrameTooLong,
                    D::FragmentedControlFrame, D::NonMinimalLength, D::LengthTopBitSet, D::UnexpectedContinuation,
                    D::ExpectedContinuation, D::InvalidClosePayloadLength, D::InvalidCloseCodeReceived})
            QTest::newRow(QMetaEnum::fromType<D>().valueToKey(int(d))) << d << 1002 << S::UnexpectedServerError;
        QTest::newRow("InvalidUtf8") << D::InvalidUtf8 << 1007 << S::UnexpectedServerError;
        QTest::newRow("InvalidUtf8InCloseReason") << D::InvalidUtf8InCloseReason << 1007 << S::UnexpectedServerError;
        QTest::newRow("MessageTooBig") << D::MessageTooBig << 1009 << S::UnexpectedServerError;
        QTest::newRow("AcceptKeyMismatch") << D::AcceptKeyMismatch << 0 << S::ErrorHttpInvalidServerResponse;
        QTest::newRow("UnrequestedSubprotocol") << D::UnrequestedSubprotocol << 0 << S::ErrorHttpInvalidServerResponse;
        QTest::newRow("HostNotFound") << D::HostNotFound << 0 << S::HostNameNotResolved;
        QTest::newRow("ConnectionRefused") << D::ConnectionRefused << 0 << S::CannotConnect;
        QTest::newRow("HandshakeTimeout") << D::HandshakeTimeout << 0 << S::Timeout;
        QTest::newRow("ConnectionAborted") << D::ConnectionAborted << 0 << S::ConnectionAborted;
        QTest::newRow("OperationCanceled") << D::OperationCanceled << 0 << S::OperationCanceled;
        QTest::newRow("ProxyAuthenticationRequired") << D::ProxyAuthenticationRequired << 0 << S::ProxyAuthenticationRequired;
        QTest::newRow("ProxyConnectionRefused") << D::ProxyConnectionRefused << 0 << S::CannotConnect;
        QTest::newRow("ProxyNotFound") << D::ProxyNotFound << 0 << S::CannotConnect;
        QTest::newRow("ProxyRefusedTarget") << D::ProxyRefusedTarget << 0 << S::CannotConnect;
        QTest::newRow("ProxyConnectTimeout") << D::ProxyConnectTimeout << 0 << S::Timeout;
        QTest::newRow("ProxyConnectionClosed") << D::ProxyConnectionClosed << 0 << S::ConnectionAborted;
        QTest::newRow("ProxyProtocolError") << D::ProxyProtocolError << 0 << S::ErrorHttpInvalidServerResponse;
        QTest::newRow("InvalidState") << D::InvalidState << 0 << S::UnexpectedClientError;
        QTest::newRow("NoUsableAuthScheme") << D::NoUsableAuthScheme << 0 << S::Unauthorized;
        QTest::newRow("CredentialRejected") << D::CredentialRejected << 0 << S::Unauthorized;
    }
    void closeCodesFollowTheRule()
    {
        QFETCH(ErrorDetail, detail);
        QFETCH(int, closeCode);
        QFETCH(WebErrorStatus, status);
        QCOMPARE(int(errorInfo(detail).closeCodeToSend), closeCode);
        QCOMPARE(errorInfo(detail).status, status);
    }

    void enumeratorsAreContiguous()
    {
        // "every enumerator from None+1 to the last" is every key of the meta-enum
        const QMetaEnum details = QMetaEnum::fromType<ErrorDetail>();
        for (int i = 0; i < details.keyCount(); ++i)
            QCOMPARE(details.value(i), i);
        QCOMPARE(QString::fromLatin1(details.valueToKey(int(ErrorDetail::None) + 1)), u"InvalidState"_s);
    }

    void messageMatchesTheTable()
    {
        const QMetaEnum details = QMetaEnum::fromType<ErrorDetail>();
        for (int i = 0; i < details.keyCount(); ++i) {
            const auto detail = ErrorDetail(details.value(i));
            QCOMPARE(errorMessage(detail), QString::fromUtf8(errorInfo(detail).message));
        }
        // a value outside the enumeration still yields a sentence, never a null pointer
        QVERIFY(errorInfo(ErrorDetail(9999)).message != nullptr);
        QVERIFY(!errorMessage(ErrorDetail(9999)).isEmpty());
    }

    void handshakeFailuresSendNoCloseFrame_data()
    {
        QTest::addColumn<ErrorDetail>("detail");
        QTest::addColumn<WebErrorStatus>("status");
        using D = ErrorDetail;
        using S = WebErrorStatus;
        // RFC 6455 §4.1: before the upgrade there is no WebSocket connection to close
        for (D d : {D::HeaderLineTooLong, D::TooManyHeaders, D::HeaderTooLarge,
                    D::MalformedStatusLine, D::UnsupportedHttpVersion, D::MalformedHeader, D::MissingUpgradeHeader,
                    D::MissingConnectionUpgrade, D::MissingAcceptKey, D::DuplicateAcceptKey, D::AcceptKeyMismatch,
                    D::UnrequestedSubprotocol, D::MultipleSubprotocols, D::UnrequestedExtension})
            QTest::newRow(QMetaEnum::fromType<D>().valueToKey(int(d))) << d << S::ErrorHttpInvalidServerResponse;
        QTest::newRow("NotSwitchingProtocols") << D::NotSwitchingProtocols << S::UnexpectedStatusCode;
    }
    void handshakeFailuresSendNoCloseFrame()
    {
        QFETCH(ErrorDetail, detail);
        QFETCH(WebErrorStatus, status);
        QCOMPARE(int(errorInfo(detail).closeCodeToSend), 0);
        QCOMPARE(errorInfo(detail).status, status);
    }

    void apiMisuseIsTheCallersFault()
    {
        using D = ErrorDetail;
        for (D d : {D::InvalidState, D::InvalidArgument, D::InvalidUrl, D::UnsupportedScheme, D::ForbiddenHeader,
                    D::InvalidHeader, D::InvalidCloseCode, D::CloseReasonTooLong, D::InvalidUtf8InOutgoingText,
                    D::FragmentedMessageInProgress, D::NoFragmentedMessageInProgress, D::SendBufferFull,
                    D::ControlPayloadTooLong, D::InvalidSubprotocol}) {
            QCOMPARE(int(errorInfo(d).closeCodeToSend), 0);
            QCOMPARE(errorInfo(d).status, WebErrorStatus::UnexpectedClientError);
        }
    }

    void onlyServerFaultsSendACloseCode()
    {
        const QMetaEnum details = QMetaEnum::fromType<ErrorDetail>();
        for (int i = 0; i < details.keyCount(); ++i) {
            const ErrorInfo info = errorInfo(ErrorDetail(details.value(i)));
            if (info.closeCodeToSend != 0) {
                QVERIFY2(info.status == WebErrorStatus::UnexpectedServerError, details.key(i));
                QVERIFY(info.closeCodeToSend == 1002 || info.closeCodeToSend == 1007 || info.closeCodeToSend == 1009);
            }
        }
    }
};

QTEST_APPLESS_MAIN(tst_ErrorTable)
#include "tst_errortable.moc"
