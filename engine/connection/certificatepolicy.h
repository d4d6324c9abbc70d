#pragma once

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QSslError>
#include <QString>

#include "codec/wswenums.h"

namespace Wsw {

/** What Control says about trusting a server's chain, in the form the judge needs. */
struct TrustPolicy
{
    QList<ChainValidationResult> ignorable;
    /** SHA-256 digests of pinned SubjectPublicKeyInfos (SpkiPin::digestOf). */
    QList<QByteArray> pinDigests;
    /** A handler is connected and may accept despite errors (Control.allowCustomValidationOverride). */
    bool overridable = false;
};

/** Default validation's verdict on the errors OpenSSL found in a chain. */
struct ChainJudgement
{
    enum class Outcome {
        Accepted,      // no error left, or every one ignorable-listed or waived by a pinned leaf
        NeedsOverride, // errors left, all Ignorable, and the handler may accept them
        Rejected,
    };
    Outcome outcome = Outcome::Accepted;
    /** Every distinct error, in the order OpenSSL found them. */
    QList<ChainValidationResult> results;
    /** The errors neither listed as ignorable nor waived: the reason for a rejection. */
    QList<ChainValidationResult> unresolved;
    SocketSslErrorSeverity severity = SocketSslErrorSeverity::None;
};

/**
 * Judges the errors of a server's chain by the policy (spec §12.7). A pinned leaf waives only
 * the trust errors (Untrusted, IncompleteChain): its key is proven by the handshake, so the pin
 * stands in for the missing trust anchor. No socket is involved: unit-tested on its own.
 */
ChainJudgement judgeChain(const QList<QSslError> &errors, const QSslCertificate &leaf,
                          const TrustPolicy &policy);

/**
 * After the handshake, with pins given: the pin of the first presented key that matches, or an
 * empty string. When the chain had trust errors only the leaf's key counts, since the server
 * could send anyone's CA certificate beside its own leaf.
 */
QString matchPin(const QList<QSslCertificate> &presented, const QList<QByteArray> &pinDigests, bool leafOnly);

/** Whether a set of results includes a trust error (Untrusted or IncompleteChain). */
bool hasTrustError(const QList<ChainValidationResult> &results);

} // namespace Wsw
