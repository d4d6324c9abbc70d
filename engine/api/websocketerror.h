#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QSslError>
#include <QString>

#include "codec/wswenums.h"

namespace Wsw {

/**
 * Why something failed (Windows' WebSocketError + WebErrorStatus, spec §12.8): a coarse
 * status, the exact rule or cause (detail), a readable message, and for a failed upgrade the
 * server's HTTP status, headers and body.
 */
class WebSocketError
{
public:
    WebSocketError() = default;
    explicit WebSocketError(ErrorDetail detail, const QString &extra = {});

    WebErrorStatus status() const { return m_status; }
    ErrorDetail detail() const { return m_detail; }
    QString message() const { return m_message; }
    bool isError() const { return m_detail != ErrorDetail::None; }

    /** HTTP status of the upgrade answer, or 0 when none was received. */
    int httpStatus() const { return m_httpStatus; }
    QList<QPair<QByteArray, QByteArray>> httpHeaders() const { return m_httpHeaders; }
    QByteArray httpBody() const { return m_httpBody; }

    void setHttpResponse(int status, const QList<QPair<QByteArray, QByteArray>> &headers,
                         const QByteArray &body);
    void setStatus(WebErrorStatus status) { m_status = status; }

    /** For a certificate failure: the errors as OpenSSL reported them, and their Windows names. */
    QList<QSslError> sslErrors() const { return m_sslErrors; }
    QList<ChainValidationResult> certificateErrors() const { return m_certificateErrors; }
    void setCertificateErrors(const QList<QSslError> &errors, const QList<ChainValidationResult> &results);

    /** "Timeout (ConnectTimeout): ..." for logs and the CLI. */
    QString toString() const;

private:
    WebErrorStatus m_status = WebErrorStatus::Unknown;
    ErrorDetail m_detail = ErrorDetail::None;
    QString m_message;
    int m_httpStatus = 0;
    QList<QPair<QByteArray, QByteArray>> m_httpHeaders;
    QByteArray m_httpBody;
    QList<QSslError> m_sslErrors;
    QList<ChainValidationResult> m_certificateErrors;
};

} // namespace Wsw

Q_DECLARE_METATYPE(Wsw::WebSocketError)
