#include "api/certificatedetails.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <memory>
#include <vector>

#include <QCryptographicHash>
#include <QHostAddress>

#include <openssl/asn1.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "api/chainvalidation.h"
#include "api/spkipin.h"

// Qt gives the names, dates, serial, digests and PEM; the extensions it does not decode (key usage,
// extended key usage, basic constraints), the key and signature algorithms and the order of the
// name attributes and SANs are read from the DER with OpenSSL's API.

namespace Wsw {

namespace {

template<typename T, void (*Free)(T *)>
struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES, GENERAL_NAMES_free>>;
using BitStringPtr = std::unique_ptr<ASN1_BIT_STRING, Deleter<ASN1_BIT_STRING, ASN1_BIT_STRING_free>>;
using EkuPtr = std::unique_ptr<EXTENDED_KEY_USAGE, Deleter<EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free>>;
using BasicConstraintsPtr =
    std::unique_ptr<BASIC_CONSTRAINTS, Deleter<BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free>>;
using AuthorityKeyIdPtr = std::unique_ptr<AUTHORITY_KEYID, Deleter<AUTHORITY_KEYID, AUTHORITY_KEYID_free>>;

X509Ptr toX509(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return nullptr;
    const QByteArray der = certificate.toDer();
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    return X509Ptr(d2i_X509(nullptr, &p, long(der.size())));
}

QString colonHex(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toHex(':').toUpper());
}

QByteArray digestOf(const QSslCertificate &certificate)
{
    return QCryptographicHash::hash(certificate.toDer(), QCryptographicHash::Sha256);
}

/** Any ASN.1 string type as text (UTF-8 conversion done by OpenSSL); empty when it cannot be read. */
QString toText(const ASN1_STRING *string)
{
    if (!string)
        return {};
    unsigned char *utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, string);
    if (length < 0)
        return {};
    QString text = QString::fromUtf8(reinterpret_cast<const char *>(utf8), length);
    OPENSSL_free(utf8);
    return text;
}

/** "1.2.3.4" for an object OpenSSL has no name for. */
QString oidText(const ASN1_OBJECT *object)
{
    char buffer[128];
    const int length = OBJ_obj2txt(buffer, int(sizeof buffer), object, 1);
    if (length <= 0)
        return {};
    return QString::fromLatin1(buffer, std::min(length, int(sizeof buffer) - 1));
}

/** The short name ("CN") of an object, or its OID text. */
QString shortName(const ASN1_OBJECT *object)
{
    const int nid = OBJ_obj2nid(object);
    if (nid != NID_undef) {
        if (const char *sn = OBJ_nid2sn(nid))
            return QString::fromLatin1(sn);
    }
    return oidText(object);
}

QList<QPair<QString, QString>> nameAttributes(const X509_NAME *name)
{
    QList<QPair<QString, QString>> attributes;
    if (!name)
        return attributes;
    const int count = X509_NAME_entry_count(name);
    for (int i = 0; i < count; ++i) {
        const X509_NAME_ENTRY *entry = X509_NAME_get_entry(name, i);
        if (!entry)
            continue;
        attributes.append(
            {shortName(X509_NAME_ENTRY_get_object(entry)), toText(X509_NAME_ENTRY_get_data(entry))});
    }
    return attributes;
}

/** The same from Qt, for a certificate OpenSSL cannot parse (the order is then Qt's). */
QList<QPair<QString, QString>> nameAttributes(const QSslCertificate &certificate, bool subject)
{
    QList<QPair<QString, QString>> attributes;
    const QList<QByteArray> keys =
        subject ? certificate.subjectInfoAttributes() : certificate.issuerInfoAttributes();
    for (const QByteArray &key : keys) {
        const QStringList values = subject ? certificate.subjectInfo(key) : certificate.issuerInfo(key);
        for (const QString &value : values)
            attributes.append({QString::fromLatin1(key), value});
    }
    return attributes;
}

QString displayName(const QList<QPair<QString, QString>> &attributes)
{
    for (const QString &key : {QStringLiteral("CN"), QStringLiteral("O")}) {
        for (const auto &[name, value] : attributes) {
            if (name == key && !value.isEmpty())
                return value;
        }
    }
    QStringList parts;
    for (const auto &[name, value] : attributes)
        parts.append(name + u'=' + value);
    return parts.join(QStringLiteral(", "));
}

QString generalName(const GENERAL_NAME *name)
{
    int type = 0;
    void *value = GENERAL_NAME_get0_value(name, &type);
    switch (type) {
    case GEN_DNS:
        return u"DNS:" + toText(static_cast<const ASN1_STRING *>(value));
    case GEN_EMAIL:
        return u"email:" + toText(static_cast<const ASN1_STRING *>(value));
    case GEN_URI:
        return u"URI:" + toText(static_cast<const ASN1_STRING *>(value));
    case GEN_IPADD: {
        const auto *octets = static_cast<const ASN1_OCTET_STRING *>(value);
        const unsigned char *data = ASN1_STRING_get0_data(octets);
        const int length = ASN1_STRING_length(octets);
        QHostAddress address;
        if (length == 4) {
            address.setAddress(quint32(data[0]) << 24 | quint32(data[1]) << 16 | quint32(data[2]) << 8 |
                               data[3]);
        } else if (length == 16) {
            address.setAddress(data);
        } else {
            // not an address (an IP range belongs in name constraints, not here): show the bytes
            return u"IP:" + colonHex(QByteArray(reinterpret_cast<const char *>(data), length));
        }
        return u"IP:" + address.toString();
    }
    case GEN_DIRNAME: {
        QStringList parts;
        for (const auto &[key, text] : nameAttributes(static_cast<const X509_NAME *>(value)))
            parts.append(key + u'=' + text);
        return u"DirName:" + parts.join(u", ");
    }
    case GEN_RID:
        return u"Registered ID:" + shortName(static_cast<const ASN1_OBJECT *>(value));
    case GEN_OTHERNAME:
        return QStringLiteral("othername:<unsupported>");
    default:
        return QStringLiteral("<unsupported>");
    }
}

QStringList subjectAlternativeNames(const X509 *x509)
{
    QStringList names;
    GeneralNamesPtr generalNames(
        static_cast<GENERAL_NAMES *>(X509_get_ext_d2i(x509, NID_subject_alt_name, nullptr, nullptr)));
    if (!generalNames)
        return names;
    const int count = sk_GENERAL_NAME_num(generalNames.get());
    for (int i = 0; i < count; ++i) {
        if (const GENERAL_NAME *name = sk_GENERAL_NAME_value(generalNames.get(), i))
            names.append(generalName(name));
    }
    return names;
}

/** Qt's SANs (grouped by type, so not in the certificate's order), for a certificate OpenSSL cannot parse. */
QStringList subjectAlternativeNames(const QSslCertificate &certificate)
{
    QStringList names;
    const auto all = certificate.subjectAlternativeNames();
    for (auto it = all.cbegin(); it != all.cend(); ++it) {
        switch (it.key()) {
        case QSsl::DnsEntry:
            names.append(u"DNS:" + it.value());
            break;
        case QSsl::EmailEntry:
            names.append(u"email:" + it.value());
            break;
        case QSsl::IpAddressEntry:
            names.append(u"IP:" + it.value());
            break;
        }
    }
    return names;
}

void readKeyUsage(const X509 *x509, CertificateDetails &details)
{
    int critical = -1;
    BitStringPtr bits(
        static_cast<ASN1_BIT_STRING *>(X509_get_ext_d2i(x509, NID_key_usage, &critical, nullptr)));
    if (!bits)
        return;
    // RFC 5280 §4.2.1.3, bit by bit, with the names `openssl x509 -text` prints
    static const char *const Names[] = {"Digital Signature", "Non Repudiation", "Key Encipherment",
                                        "Data Encipherment", "Key Agreement",   "Certificate Sign",
                                        "CRL Sign",          "Encipher Only",   "Decipher Only"};
    for (int bit = 0; bit < int(std::size(Names)); ++bit) {
        if (ASN1_BIT_STRING_get_bit(bits.get(), bit))
            details.keyUsage.append(QString::fromLatin1(Names[bit]));
    }
    details.keyUsageCritical = critical == 1;
}

void readExtendedKeyUsage(const X509 *x509, CertificateDetails &details)
{
    int critical = -1;
    EkuPtr usages(
        static_cast<EXTENDED_KEY_USAGE *>(X509_get_ext_d2i(x509, NID_ext_key_usage, &critical, nullptr)));
    if (!usages)
        return;
    details.extendedKeyUsageCritical = critical == 1;
    const int count = sk_ASN1_OBJECT_num(usages.get());
    for (int i = 0; i < count; ++i) {
        const ASN1_OBJECT *object = sk_ASN1_OBJECT_value(usages.get(), i);
        if (!object)
            continue;
        const int nid = OBJ_obj2nid(object);
        const char *ln = nid == NID_undef ? nullptr : OBJ_nid2ln(nid);
        const char *sn = nid == NID_undef ? nullptr : OBJ_nid2sn(nid);
        if (ln && sn && qstrcmp(ln, sn) != 0)
            details.extendedKeyUsage.append(QString::fromLatin1(ln) + u" (" + QString::fromLatin1(sn) + u')');
        else if (ln || sn)
            details.extendedKeyUsage.append(QString::fromLatin1(ln ? ln : sn));
        else
            details.extendedKeyUsage.append(oidText(object));
    }
}

void readBasicConstraints(const X509 *x509, CertificateDetails &details)
{
    int critical = -1;
    BasicConstraintsPtr constraints(
        static_cast<BASIC_CONSTRAINTS *>(X509_get_ext_d2i(x509, NID_basic_constraints, &critical, nullptr)));
    if (!constraints)
        return;
    details.hasBasicConstraints = true;
    details.basicConstraintsCritical = critical == 1;
    details.isCertificateAuthority = constraints->ca != 0;
    int64_t pathLength = 0;
    if (constraints->pathlen && ASN1_INTEGER_get_int64(&pathLength, constraints->pathlen) == 1 &&
        pathLength >= 0 && pathLength <= std::numeric_limits<int>::max()) {
        details.pathLength = int(pathLength);
    }
}

void readPublicKey(X509 *x509, CertificateDetails &details)
{
    EVP_PKEY *key = X509_get0_pubkey(x509); // owned by the certificate
    if (!key)
        return;
    const int bits = EVP_PKEY_get_bits(key);
    details.publicKeyBits = bits > 0 ? bits : 0;
    const int id = EVP_PKEY_get_base_id(key);
    switch (id) {
    case EVP_PKEY_RSA:
        details.publicKeyAlgorithm = QStringLiteral("RSA");
        return;
    case EVP_PKEY_RSA_PSS:
        details.publicKeyAlgorithm = QStringLiteral("RSASSA-PSS");
        return;
    case EVP_PKEY_DSA:
        details.publicKeyAlgorithm = QStringLiteral("DSA");
        return;
    case EVP_PKEY_ED25519:
        details.publicKeyAlgorithm = QStringLiteral("Ed25519");
        return;
    case EVP_PKEY_ED448:
        details.publicKeyAlgorithm = QStringLiteral("Ed448");
        return;
    case EVP_PKEY_EC: {
        char group[80] = {};
        size_t length = 0;
        if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) ==
            1)
            details.publicKeyAlgorithm = u"EC (" + QString::fromUtf8(group, qsizetype(length)) + u')';
        else
            details.publicKeyAlgorithm = QStringLiteral("EC");
        return;
    }
    default:
        break;
    }
    if (id != NID_undef) {
        if (const char *sn = OBJ_nid2sn(id)) {
            details.publicKeyAlgorithm = QString::fromLatin1(sn);
            return;
        }
    }
    if (const char *name = EVP_PKEY_get0_type_name(key)) // a key only a provider knows
        details.publicKeyAlgorithm = QString::fromLatin1(name);
}

void readSignatureAlgorithm(const X509 *x509, CertificateDetails &details)
{
    const int nid = X509_get_signature_nid(x509);
    if (nid != NID_undef) {
        if (const char *ln = OBJ_nid2ln(nid)) {
            details.signatureAlgorithm = QString::fromLatin1(ln);
            return;
        }
        if (const char *sn = OBJ_nid2sn(nid)) {
            details.signatureAlgorithm = QString::fromLatin1(sn);
            return;
        }
    }
    const X509_ALGOR *algorithm = nullptr;
    X509_get0_signature(nullptr, &algorithm, x509);
    if (algorithm) {
        const ASN1_OBJECT *object = nullptr;
        X509_ALGOR_get0(&object, nullptr, nullptr, algorithm);
        if (object)
            details.signatureAlgorithm = oidText(object);
    }
}

// --- chain ---------------------------------------------------------------------------------------

struct Node
{
    QSslCertificate certificate;
    X509Ptr x509;
    QByteArray digest;
    bool sentByServer = true;
};

bool isSelfIssued(const X509 *x509)
{
    return X509_NAME_cmp(X509_get_subject_name(x509), X509_get_issuer_name(x509)) == 0;
}

/** Whether candidate's subject is subject's issuer and, where subject names the key that signed
 * it (authority key identifier), that key is candidate's. The signature is not checked: this orders
 * a chain for display, OpenSSL has already judged it. */
bool mayHaveIssued(X509 *candidate, const X509 *subject)
{
    if (X509_NAME_cmp(X509_get_subject_name(candidate), X509_get_issuer_name(subject)) != 0)
        return false;
    int critical = -1;
    AuthorityKeyIdPtr akid(static_cast<AUTHORITY_KEYID *>(
        X509_get_ext_d2i(subject, NID_authority_key_identifier, &critical, nullptr)));
    if (!akid)
        return critical != -2; // -2: present more than once, malformed; otherwise absent, names decide
    return X509_check_akid(candidate, akid.get()) == X509_V_OK;
}

std::optional<Node> makeNode(const QSslCertificate &certificate, bool sentByServer)
{
    X509Ptr x509 = toX509(certificate);
    if (!x509)
        return std::nullopt;
    return Node{certificate, std::move(x509), digestOf(certificate), sentByServer};
}

/** Appends the certificates that parse and are not yet in nodes (by digest). */
void addNodes(std::vector<Node> &nodes, const QList<QSslCertificate> &certificates, bool sentByServer,
              const std::vector<Node> &exclude = {})
{
    const auto contains = [](const std::vector<Node> &list, const QByteArray &digest) {
        return std::any_of(list.cbegin(), list.cend(),
                           [&](const Node &node) { return node.digest == digest; });
    };
    for (const QSslCertificate &certificate : certificates) {
        std::optional<Node> node = makeNode(certificate, sentByServer);
        if (node && !contains(nodes, node->digest) && !contains(exclude, node->digest))
            nodes.push_back(std::move(*node));
    }
}

} // namespace

qint64 CertificateDetails::daysRemaining(const QDateTime &now) const
{
    if (!notAfter.isValid() || !now.isValid())
        return 0;
    constexpr qint64 SecondsPerDay = 24 * 60 * 60;
    const qint64 seconds = now.secsTo(notAfter);
    // rounded down: an hour past notAfter is day -1, an hour before it day 0
    return seconds >= 0 ? seconds / SecondsPerDay : -((-seconds + SecondsPerDay - 1) / SecondsPerDay);
}

bool CertificateDetails::isExpired(const QDateTime &now) const
{
    return notAfter.isValid() && now > notAfter;
}

bool CertificateDetails::isNotYetValid(const QDateTime &now) const
{
    return notBefore.isValid() && now < notBefore;
}

CertificateDetails certificateDetails(const QSslCertificate &certificate)
{
    CertificateDetails details;
    if (certificate.isNull())
        return details;

    // what Qt offers
    details.serialNumber = QString::fromLatin1(certificate.serialNumber());
    details.version = certificate.version().toInt();
    details.notBefore = certificate.effectiveDate().toUTC();
    details.notAfter = certificate.expiryDate().toUTC();
    const QByteArray der = certificate.toDer();
    details.sha1Fingerprint = colonHex(QCryptographicHash::hash(der, QCryptographicHash::Sha1));
    details.sha256Fingerprint = colonHex(QCryptographicHash::hash(der, QCryptographicHash::Sha256));
    details.spkiPin = SpkiPin::of(certificate);
    details.pem = QString::fromLatin1(certificate.toPem());

    // what it does not, from the DER
    const X509Ptr x509 = toX509(certificate);
    if (!x509) {
        details.subject = nameAttributes(certificate, true);
        details.issuer = nameAttributes(certificate, false);
        details.subjectAlternativeNames = subjectAlternativeNames(certificate);
    } else {
        details.subject = nameAttributes(X509_get_subject_name(x509.get()));
        details.issuer = nameAttributes(X509_get_issuer_name(x509.get()));
        details.version = int(X509_get_version(x509.get())) + 1;
        details.subjectAlternativeNames = subjectAlternativeNames(x509.get());
        details.selfIssued = isSelfIssued(x509.get());
        readKeyUsage(x509.get(), details);
        readExtendedKeyUsage(x509.get(), details);
        readBasicConstraints(x509.get(), details);
        readPublicKey(x509.get(), details);
        readSignatureAlgorithm(x509.get(), details);
    }
    details.subjectDisplayName = displayName(details.subject);
    details.issuerDisplayName = displayName(details.issuer);
    return details;
}

QList<ChainEntry> buildDisplayChain(const QSslCertificate &leaf, const QList<QSslCertificate> &intermediates,
                                    const QList<QSslError> &sslErrors,
                                    const QList<QSslCertificate> &trustStore)
{
    // What the server sent, leaf first, each certificate once (a peer chain repeats the leaf).
    std::vector<Node> sent;
    addNodes(sent, QList<QSslCertificate>{leaf} + intermediates, true);
    if (!leaf.isNull() && (sent.empty() || sent.front().certificate != leaf)) {
        // the leaf itself does not parse: show it first anyway, the rest as sent
        sent.insert(sent.begin(), Node{leaf, nullptr, digestOf(leaf), true});
    }
    if (sent.empty())
        return {};

    // Where a missing issuer may come from: the trust store, and the certificates OpenSSL's errors
    // name (its verified chain may hold a local certificate the caller did not pass).
    std::vector<Node> local;
    addNodes(local, trustStore, false, sent);
    QList<QSslCertificate> named;
    for (const QSslError &error : sslErrors) {
        if (!error.certificate().isNull())
            named.append(error.certificate());
    }
    addNodes(local, named, false, sent);

    std::vector<bool> sentUsed(sent.size(), false);
    std::vector<bool> localUsed(local.size(), false);
    std::vector<const Node *> path{&sent.front()};
    sentUsed.front() = true;
    // Each step takes a certificate not used before, so a cycle ends the walk (at most every
    // certificate once).
    while (path.back()->x509 && !isSelfIssued(path.back()->x509.get())) {
        X509 *current = path.back()->x509.get();
        const Node *next = nullptr;
        for (size_t i = 0; i < sent.size() && !next; ++i) {
            if (!sentUsed[i] && sent[i].x509 && mayHaveIssued(sent[i].x509.get(), current)) {
                sentUsed[i] = true;
                next = &sent[i];
            }
        }
        for (size_t i = 0; i < local.size() && !next; ++i) {
            if (!localUsed[i] && mayHaveIssued(local[i].x509.get(), current)) {
                localUsed[i] = true;
                next = &local[i];
            }
        }
        if (!next)
            break;
        path.push_back(next);
    }
    // the rest of what the server sent, in its order
    for (size_t i = 0; i < sent.size(); ++i) {
        if (!sentUsed[i])
            path.push_back(&sent[i]);
    }

    QList<ChainEntry> chain;
    chain.reserve(qsizetype(path.size()));
    for (const Node *node : path)
        chain.append(ChainEntry{node->certificate, node->sentByServer, {}, {}});

    const auto indexOf = [&](const QSslCertificate &certificate) -> qsizetype {
        const QByteArray digest = digestOf(certificate);
        for (size_t i = 0; i < path.size(); ++i) {
            if (path[i]->digest == digest)
                return qsizetype(i);
        }
        return -1;
    };
    for (const QSslError &error : sslErrors) {
        if (error.error() == QSslError::NoError)
            continue;
        qsizetype index = 0; // no certificate: the leaf
        if (!error.certificate().isNull()) {
            index = indexOf(error.certificate());
            if (index < 0) {
                // a certificate of OpenSSL's chain that is not on the path: shown after it
                for (const Node &node : local) {
                    if (node.digest == digestOf(error.certificate()))
                        path.push_back(&node);
                }
                if (index = indexOf(error.certificate()); index < 0) // it did not parse: the leaf
                    index = 0;
                else
                    chain.append(ChainEntry{error.certificate(), false, {}, {}});
            }
        }
        ChainEntry &entry = chain[index];
        if (!entry.sslErrors.contains(error))
            entry.sslErrors.append(error);
        const ChainValidationResult result = ChainValidation::resultFor(error.error());
        if (!entry.results.contains(result))
            entry.results.append(result);
    }
    return chain;
}

} // namespace Wsw
