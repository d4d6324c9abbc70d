#include "api/websocketerror.h"

#include <QMetaEnum>

#include "codec/errortable.h"

namespace Wsw {

WebSocketError::WebSocketError(ErrorDetail detail, const QString &extra)
    : m_status(Codec::errorInfo(detail).status)
    , m_detail(detail)
    , m_message(Codec::errorMessage(detail))
{
    if (!extra.isEmpty())
        m_message += u": " + extra;
}

void WebSocketError::setHttpResponse(int status, const QList<QPair<QByteArray, QByteArray>> &headers,
                                     const QByteArray &body)
{
    m_httpStatus = status;
    m_httpHeaders = headers;
    m_httpBody = body;
}

void WebSocketError::setCertificateErrors(const QList<QSslError> &errors, const QList<ChainValidationResult> &results)
{
    m_sslErrors = errors;
    m_certificateErrors = results;
}

QString WebSocketError::toString() const
{
    const char *status = QMetaEnum::fromType<WebErrorStatus>().valueToKey(int(m_status));
    const char *detail = QMetaEnum::fromType<ErrorDetail>().valueToKey(int(m_detail));
    return QString::fromLatin1(status ? status : "Unknown") + u" (" + QString::fromLatin1(detail ? detail : "?")
            + u"): " + m_message;
}

} // namespace Wsw
