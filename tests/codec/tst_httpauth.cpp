// HTTP authentication of the upgrade in the codec: WWW-Authenticate parsing (RFC 7235), Basic
// (RFC 7617), Digest (RFC 7616, with RFC 2617 and RFC 2069 forms), the chooser and the
// transcript redaction. Expected digests are the RFCs' own worked examples; the others were
// computed independently with Python's hashlib, never with the code under test.

#include <QTest>

#include "codec/errortable.h"
#include "codec/httpauth.h"

using namespace Wsw;
using namespace Wsw::Codec;
using namespace Qt::Literals::StringLiterals;

namespace {

/** Challenges in one line: `Scheme{name=value,...}` or `Scheme[token68]` or `Scheme`. */
QByteArray describe(const QList<AuthChallenge> &challenges)
{
    QByteArrayList parts;
    for (const AuthChallenge &c : challenges) {
        QByteArray text = c.scheme;
        if (!c.token68.isEmpty())
            text += '[' + c.token68 + ']';
        if (!c.params.isEmpty()) {
            QByteArrayList params;
            for (auto it = c.params.cbegin(); it != c.params.cend(); ++it)
                params.append(it.key() + '=' + it.value());
            text += '{' + params.join(',') + '}';
        }
        parts.append(text);
    }
    return parts.join(' ');
}

// RFC 7616 §3.9.1
constexpr char RfcRealm[] = "http-auth@example.org";
constexpr char RfcNonce[] = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
constexpr char RfcCnonce[] = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
constexpr char RfcOpaque[] = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

QByteArray rfc7616Challenge(const char *algorithm)
{
    return "Digest realm=\"" + QByteArray(RfcRealm) + "\", qop=\"auth, auth-int\", algorithm=" + QByteArray(algorithm)
            + ", nonce=\"" + QByteArray(RfcNonce) + "\", opaque=\"" + QByteArray(RfcOpaque) + "\"";
}

QByteArray rfc7616Authorization(const char *algorithm, const char *nc, const char *response)
{
    return "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", algorithm="
            + QByteArray(algorithm) + ", nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=" + nc
            + ", cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth, response=\"" + response
            + "\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
}

DigestChallenge digestFrom(const QByteArray &header)
{
    QList<AuthChallenge> challenges;
    QString problem;
    if (parseAuthChallenges({header}, &challenges, &problem) != ErrorDetail::None || challenges.size() != 1)
        qFatal("test challenge does not parse: %s", qPrintable(problem));
    DigestChallenge d;
    if (!readDigestChallenge(challenges.first(), &d, &problem))
        qFatal("test challenge is not usable: %s", qPrintable(problem));
    return d;
}

} // namespace

class tst_HttpAuth final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QList<QByteArray>>("values");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("RFC 7235 §4.1: Newauth and Basic in one value")
                << QList<QByteArray>{"Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\""}
                << QByteArray(R"(Newauth{realm=apps,title=Login to "apps",type=1} Basic{realm=simple})");
        QTest::newRow("RFC 7235 §4.1: the same on two header lines")
                << QList<QByteArray>{"Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\"",
                                     R"(Basic realm="simple")"}
                << QByteArray(R"(Newauth{realm=apps,title=Login to "apps",type=1} Basic{realm=simple})");
        QTest::newRow("RFC 7617 §2.1: Basic with charset")
                << QList<QByteArray>{R"(Basic realm="foo", charset="UTF-8")"}
                << QByteArray("Basic{charset=UTF-8,realm=foo}");
        QTest::newRow("RFC 7616 §3.9.1: the SHA-256 and MD5 challenges")
                << QList<QByteArray>{rfc7616Challenge("SHA-256"), rfc7616Challenge("MD5")}
                << QByteArray("Digest{algorithm=SHA-256,nonce=7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v,"
                              "opaque=FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS,qop=auth, auth-int,"
                              "realm=http-auth@example.org} "
                              "Digest{algorithm=MD5,nonce=7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v,"
                              "opaque=FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS,qop=auth, auth-int,"
                              "realm=http-auth@example.org}");
        QTest::newRow("commas and a scheme name inside a quoted string")
                << QList<QByteArray>{R"(Basic realm="a, b=c, Digest nonce=x", charset=UTF-8)"}
                << QByteArray("Basic{charset=UTF-8,realm=a, b=c, Digest nonce=x}");
        QTest::newRow("scheme kept as sent, parameter names lower-cased")
                << QList<QByteArray>{R"(bAsIc ReAlM="X")"} << QByteArray("bAsIc{realm=X}");
        QTest::newRow("token68") << QList<QByteArray>{"Negotiate YIIB+a/b=="} << QByteArray("Negotiate[YIIB+a/b==]");
        QTest::newRow("token68 then another challenge")
                << QList<QByteArray>{R"(Negotiate abc, Basic realm="r")"} << QByteArray("Negotiate[abc] Basic{realm=r}");
        QTest::newRow("a trailing '=' makes realm= a token68")
                << QList<QByteArray>{"Foo realm="} << QByteArray("Foo[realm=]");
        QTest::newRow("scheme alone") << QList<QByteArray>{"Negotiate"} << QByteArray("Negotiate");
        QTest::newRow("schemes alone in a list") << QList<QByteArray>{"Negotiate, NTLM"} << QByteArray("Negotiate NTLM");
        QTest::newRow("empty list elements and spaces around commas")
                << QList<QByteArray>{R"( , Basic realm="a" ,, , Digest nonce="n",  )"}
                << QByteArray("Basic{realm=a} Digest{nonce=n}");
        QTest::newRow("whitespace around '='") << QList<QByteArray>{"Basic realm = \"x\" , charset\t=\tUTF-8"}
                                              << QByteArray("Basic{charset=UTF-8,realm=x}");
        QTest::newRow("tab after the scheme") << QList<QByteArray>{"Basic\trealm=x"} << QByteArray("Basic{realm=x}");
        QTest::newRow("empty quoted value") << QList<QByteArray>{R"(Basic realm="")"} << QByteArray("Basic{realm=}");
        QTest::newRow("quoted-pairs unescaped") << QList<QByteArray>{"Basic realm=\"a\\\\b\\\"c\\d\""}
                                               << QByteArray("Basic{realm=a\\b\"cd}");
        QTest::newRow("UTF-8 (obs-text) in a quoted string")
                << QList<QByteArray>{"Basic realm=\"caf\xc3\xa9\""} << QByteArray("Basic{realm=caf\xc3\xa9}");
        QTest::newRow("token values")
                << QList<QByteArray>{"Digest algorithm=MD5-sess, nonce=abc, stale=TRUE"}
                << QByteArray("Digest{algorithm=MD5-sess,nonce=abc,stale=TRUE}");
        QTest::newRow("16 challenges (the limit)")
                << QList<QByteArray>{QByteArrayList(16, "A").join(", ")} << QByteArrayList(16, "A").join(' ');
    }
    void parse()
    {
        QFETCH(QList<QByteArray>, values);
        QFETCH(QByteArray, expected);
        QList<AuthChallenge> challenges;
        QString problem;
        QCOMPARE(parseAuthChallenges(values, &challenges, &problem), ErrorDetail::None);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(describe(challenges), expected);
    }

    void lookupIgnoresCase()
    {
        QList<AuthChallenge> challenges;
        QCOMPARE(parseAuthChallenges({R"(DIGEST Realm="r", NONCE=n)"}, &challenges), ErrorDetail::None);
        QCOMPARE(challenges.size(), 1);
        QVERIFY(challenges[0].isScheme("digest"));
        QVERIFY(!challenges[0].isScheme("Basic"));
        QCOMPARE(challenges[0].param("Realm"), QByteArray("r"));
        QCOMPARE(challenges[0].param("nOnCe"), QByteArray("n"));
        QVERIFY(challenges[0].hasParam("REALM"));
        QVERIFY(challenges[0].param("opaque").isNull());
        QVERIFY(!challenges[0].hasParam("opaque"));
    }

    void malformed_data()
    {
        QTest::addColumn<QList<QByteArray>>("values");
        QTest::addColumn<ErrorDetail>("error");
        QTest::addColumn<QString>("problemContains");

        using D = ErrorDetail;
        QTest::newRow("no header at all") << QList<QByteArray>{} << D::MissingAuthChallenge << u"no WWW-Authenticate"_s;
        QTest::newRow("empty value") << QList<QByteArray>{""} << D::MalformedAuthChallenge << u"without a challenge"_s;
        QTest::newRow("only commas") << QList<QByteArray>{" , ,"} << D::MalformedAuthChallenge
                                     << u"without a challenge"_s;
        QTest::newRow("unterminated quoted string") << QList<QByteArray>{"Basic realm=\"abc"}
                                                    << D::MalformedAuthChallenge << u"unterminated"_s;
        QTest::newRow("backslash at the very end") << QList<QByteArray>{"Basic realm=\"abc\\"}
                                                   << D::MalformedAuthChallenge << u"unterminated"_s;
        QTest::newRow("control character in a quoted string")
                << QList<QByteArray>{"Basic realm=\"a\x01z\""} << D::MalformedAuthChallenge << u"control character"_s;
        QTest::newRow("parameter without '='") << QList<QByteArray>{R"(Basic realm "x")"}
                                               << D::MalformedAuthChallenge << u"'=' was expected after the parameter realm"_s;
        QTest::newRow("parameter without a value") << QList<QByteArray>{"Basic charset=x, realm="}
                                                   << D::MalformedAuthChallenge << u"realm= has no value"_s;
        QTest::newRow("no comma between parameters") << QList<QByteArray>{R"(Basic realm="a" charset="b")"}
                                                     << D::MalformedAuthChallenge << u"a comma was expected at byte 16"_s;
        QTest::newRow("scheme glued to a quote") << QList<QByteArray>{R"(Basic"realm")"} << D::MalformedAuthChallenge
                                                 << u"followed by '\"' at byte 5"_s;
        QTest::newRow("'%1' in a scheme stays as it is in the message")
                << QList<QByteArray>{"a%1\"x\""} << D::MalformedAuthChallenge
                << u"the auth-scheme a%1 is followed by '\"' at byte 3, not by a space"_s;
        QTest::newRow("a quoted string where the scheme goes")
                << QList<QByteArray>{R"("Basic")"} << D::MalformedAuthChallenge << u"an auth-scheme was expected at byte 0"_s;
        QTest::newRow("a parameter after a token68")
                << QList<QByteArray>{R"(Negotiate abc==, realm="x")"} << D::MalformedAuthChallenge
                << u"the auth-scheme realm is followed by '='"_s;
        QTest::newRow("CR at the end") << QList<QByteArray>{"Basic realm=x\r"} << D::MalformedAuthChallenge
                                       << u"byte 0x0d"_s;
        QTest::newRow("the second line names its line")
                << QList<QByteArray>{"Basic realm=x", "Digest ="} << D::MalformedAuthChallenge
                << u"a parameter name was expected at byte 7, not '=' (header line 2)"_s;
        QTest::newRow("duplicate parameter, names in any case")
                << QList<QByteArray>{R"(Digest nonce="a", NONCE="b")"} << D::DuplicateAuthParameter
                << u"the Digest challenge names nonce twice"_s;
        QTest::newRow("17 challenges") << QList<QByteArray>{QByteArrayList(17, "A").join(", ")}
                                       << D::TooManyAuthChallenges << u"more than 16 challenges"_s;
        QTest::newRow("17 challenges over two lines")
                << QList<QByteArray>{QByteArrayList(9, "A").join(", "), QByteArrayList(8, "B").join(", ")}
                << D::TooManyAuthChallenges << u"(header line 2)"_s;
        QByteArrayList params;
        for (int i = 0; i < 33; ++i)
            params.append("p" + QByteArray::number(i) + "=v");
        QTest::newRow("33 parameters") << QList<QByteArray>{"X " + params.join(", ")} << D::TooManyAuthParameters
                                       << u"more than 32 parameters"_s;
    }
    void malformed()
    {
        QFETCH(QList<QByteArray>, values);
        QFETCH(ErrorDetail, error);
        QFETCH(QString, problemContains);
        QList<AuthChallenge> challenges(1); // left as it is on an error
        QString problem;
        QCOMPARE(parseAuthChallenges(values, &challenges, &problem), error);
        QVERIFY2(problem.contains(problemContains), qPrintable(problem));
        QCOMPARE(challenges.size(), 1);
        QVERIFY(!errorMessage(error).isEmpty());
    }

    void basic_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<ErrorDetail>("error");
        QTest::addColumn<QByteArray>("expected");

        using D = ErrorDetail;
        QTest::newRow("RFC 7617 §2: Aladdin") << u"Aladdin"_s << u"open sesame"_s << D::None
                                              << QByteArray("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        QTest::newRow("RFC 7617 §2.1: UTF-8, test and 123£") << u"test"_s << u"123\u00a3"_s << D::None
                                                             << QByteArray("Basic dGVzdDoxMjPCow==");
        QTest::newRow("NFC: a decomposed é is sent composed") << u"e\u0301"_s << QString() << D::None
                                                              << QByteArray("Basic w6k6");
        QTest::newRow("a colon in the password is fine") << u"a"_s << u"b:c"_s << D::None << QByteArray("Basic YTpiOmM=");
        QTest::newRow("empty password") << u"a"_s << QString() << D::None << QByteArray("Basic YTo=");
        QTest::newRow("colon in the user name") << u"a:b"_s << u"c"_s << D::ColonInUserName << QByteArray();
        QTest::newRow("LF in the password") << u"a"_s << u"b\nc"_s << D::ControlCharacterInCredentials << QByteArray();
        QTest::newRow("DEL in the user name") << u"a\x7f"_s << u"b"_s << D::ControlCharacterInCredentials << QByteArray();
    }
    void basic()
    {
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(ErrorDetail, error);
        QFETCH(QByteArray, expected);
        QByteArray value = "unchanged";
        QString problem;
        QCOMPARE(basicAuthorization(user, password, &value, &problem), error);
        if (error == ErrorDetail::None) {
            QCOMPARE(value, expected);
            QVERIFY(problem.isEmpty());
        } else {
            QCOMPARE(value, QByteArray("unchanged"));
            QVERIFY(!problem.isEmpty());
        }
    }

    void digest_data()
    {
        QTest::addColumn<QByteArray>("challenge");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QByteArray>("uri");
        QTest::addColumn<QByteArray>("cnonce");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("RFC 7616 §3.9.1: MD5")
                << rfc7616Challenge("MD5") << u"Mufasa"_s << u"Circle of Life"_s << QByteArray("/dir/index.html")
                << QByteArray(RfcCnonce) << rfc7616Authorization("MD5", "00000001", "8ca523f5e9506fed4657c9700eebdbec");
        QTest::newRow("RFC 7616 §3.9.1: SHA-256")
                << rfc7616Challenge("SHA-256") << u"Mufasa"_s << u"Circle of Life"_s << QByteArray("/dir/index.html")
                << QByteArray(RfcCnonce)
                << rfc7616Authorization("SHA-256", "00000001",
                                        "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
        QTest::newRow("RFC 7616 §3.9.1 values with MD5-sess")
                << rfc7616Challenge("MD5-sess") << u"Mufasa"_s << u"Circle of Life"_s << QByteArray("/dir/index.html")
                << QByteArray(RfcCnonce) << rfc7616Authorization("MD5-sess", "00000001", "e783283f46242139c486a698fec7211d");
        QTest::newRow("RFC 7616 §3.9.1 values with SHA-256-sess, algorithm in lower case")
                << rfc7616Challenge("sha-256-SESS") << u"Mufasa"_s << u"Circle of Life"_s
                << QByteArray("/dir/index.html") << QByteArray(RfcCnonce)
                << rfc7616Authorization("SHA-256-sess", "00000001",
                                        "2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7");
        QTest::newRow("RFC 2617 §3.5: no algorithm means MD5, qop=auth")
                << QByteArray(R"(Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41")")
                << u"Mufasa"_s << u"Circle Of Life"_s << QByteArray("/dir/index.html") << QByteArray("0a4f113b")
                << QByteArray(R"(Digest username="Mufasa", realm="testrealm@host.com", uri="/dir/index.html", algorithm=MD5, nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", nc=00000001, cnonce="0a4f113b", qop=auth, response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41")");
        QTest::newRow("RFC 2069 §2.4: no qop, so no nc, cnonce or qop")
                << QByteArray(R"(Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41")")
                << u"Mufasa"_s << u"CircleOfLife"_s << QByteArray("/dir/index.html") << QByteArray()
                << QByteArray(R"(Digest username="Mufasa", realm="testrealm@host.com", uri="/dir/index.html", algorithm=MD5, nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", response="1949323746fe6a43ef61f9606e7febea", opaque="5ccc069c403ebaf9f0171e9517f40e41")");
        QTest::newRow("userhash=true: the name is H(user:realm)")
                << QByteArray(R"(Digest realm="http-auth@example.org", qop=auth, algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", userhash=true)")
                << u"Mufasa"_s << u"Circle of Life"_s << QByteArray("/dir/index.html") << QByteArray(RfcCnonce)
                << QByteArray(R"(Digest username="a947aad205e80e429958a387394944c6b496301e79f89d35a4cc23b6ee12b5b6", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", userhash=true)");
        QTest::newRow("upgrade target with a query, UTF-8 name, no opaque")
                << QByteArray(R"(Digest realm="api@example.org", qop="auth", algorithm=SHA-256, nonce="abc", charset=UTF-8)")
                << u"J\u00e4s\u00f8n Doe"_s << u"Secret, or not?"_s << QByteArray("/chat?room=1")
                << QByteArray("0123456789abcdef0123456789abcdef")
                << QByteArray("Digest username=\"J\xc3\xa4s\xc3\xb8n Doe\", realm=\"api@example.org\", uri=\"/chat?room=1\", algorithm=SHA-256, nonce=\"abc\", nc=00000001, cnonce=\"0123456789abcdef0123456789abcdef\", qop=auth, response=\"7160e577dfa9f5d86e6340ec9d00c3b5fdeff14a4e801fc531757fafc58d10e3\"");
        QTest::newRow("quote and backslash in the user name are escaped")
                << QByteArray(R"(Digest realm="r", nonce="n")") << u"a\"b\\c"_s << u"p"_s << QByteArray("/")
                << QByteArray()
                << QByteArray("Digest username=\"a\\\"b\\\\c\", realm=\"r\", uri=\"/\", algorithm=MD5, nonce=\"n\", "
                              "response=\"ec4ec15e0023e6f422a693bef1b3b82a\"");
    }
    void digest()
    {
        QFETCH(QByteArray, challenge);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QByteArray, uri);
        QFETCH(QByteArray, cnonce);
        QFETCH(QByteArray, expected);
        const DigestChallenge d = digestFrom(challenge);

        QByteArray value;
        QString problem;
        QCOMPARE(digestAuthorization(d, user, password, "GET", uri, cnonce, 1, &value, &problem), ErrorDetail::None);
        QCOMPARE(value, expected);

        // the same through a session, whose first nc is 00000001
        int cnonces = 0;
        DigestSession session(d, [&] { ++cnonces; return cnonce; });
        QCOMPARE(session.nonceCount(), 0u);
        QCOMPARE(session.authorization(user, password, "GET", uri, &value, &problem), ErrorDetail::None);
        QCOMPARE(value, expected);
        QCOMPARE(session.nonceCount(), 1u);
        QCOMPARE(cnonces, d.qopAuth ? 1 : 0); // no cnonce in the RFC 2069 form

        // the value reads back as an auth-param list with the same fields
        QList<AuthChallenge> again;
        QCOMPARE(parseAuthChallenges({value}, &again, &problem), ErrorDetail::None);
        QCOMPARE(again.size(), 1);
        QCOMPARE(again[0].param("uri"), uri);
        QCOMPARE(again[0].param("nonce"), d.nonce);
        QCOMPARE(again[0].param("realm"), d.realm);
        if (!d.userhash)
            QCOMPARE(again[0].param("username"), user.toUtf8());
    }

    void digestCountsRequests()
    {
        const DigestChallenge d = digestFrom(rfc7616Challenge("MD5"));
        DigestSession session(d, [] { return QByteArray(RfcCnonce); });
        QByteArray first, second;
        QCOMPARE(session.authorization(u"Mufasa"_s, u"Circle of Life"_s, "GET", "/dir/index.html", &first),
                 ErrorDetail::None);
        QCOMPARE(session.authorization(u"Mufasa"_s, u"Circle of Life"_s, "GET", "/dir/index.html", &second),
                 ErrorDetail::None);
        QCOMPARE(first, rfc7616Authorization("MD5", "00000001", "8ca523f5e9506fed4657c9700eebdbec"));
        QCOMPARE(second, rfc7616Authorization("MD5", "00000002", "4b5d595ecf2db9df612ea5b45cd97101"));
        QCOMPARE(session.nonceCount(), 2u);

        // nc is eight hex digits, lower case (RFC 7616 §3.4)
        QByteArray value;
        QCOMPARE(digestAuthorization(d, u"u"_s, u"p"_s, "GET", "/", "c", 0xABCu, &value), ErrorDetail::None);
        QVERIFY2(value.contains(", nc=00000abc, "), value.constData());

        // a refused request does not use up a count
        QCOMPARE(session.authorization(u"a\nb"_s, u"p"_s, "GET", "/", &value), ErrorDetail::ControlCharacterInCredentials);
        QCOMPARE(session.nonceCount(), 2u);
    }

    void defaultCnonceIsFreshHex()
    {
        const QByteArray a = systemCnonce();
        const QByteArray b = systemCnonce();
        QCOMPARE(a.size(), 32);
        QVERIFY(a != b);
        QCOMPARE(QByteArray::fromHex(a).toHex(), a);

        DigestSession session(digestFrom(rfc7616Challenge("SHA-256")));
        QByteArray value;
        QCOMPARE(session.authorization(u"u"_s, u"p"_s, "GET", "/", &value), ErrorDetail::None);
        QList<AuthChallenge> parsed;
        QCOMPARE(parseAuthChallenges({value}, &parsed), ErrorDetail::None);
        QCOMPARE(parsed[0].param("cnonce").size(), 32);
    }

    void digestChallengeReading_data()
    {
        QTest::addColumn<QByteArray>("challenge");
        QTest::addColumn<bool>("usable");
        QTest::addColumn<QString>("whyNotContains");

        QTest::newRow("qop auth-int only is skipped") << QByteArray(R"(Digest realm="r", nonce="n", qop="auth-int")")
                                                      << false << u"auth-int"_s;
        QTest::newRow("unknown qop is skipped") << QByteArray(R"(Digest realm="r", nonce="n", qop="x-auth")") << false
                                                << u"no \"auth\""_s;
        QTest::newRow("SHA-512-256 is not supported")
                << QByteArray(R"(Digest realm="r", nonce="n", qop="auth", algorithm=SHA-512-256)") << false
                << u"algorithm SHA-512-256 is not supported"_s;
        QTest::newRow("a nonce is required") << QByteArray(R"(Digest realm="r", qop="auth")") << false << u"no nonce"_s;
        QTest::newRow("-sess needs qop") << QByteArray(R"(Digest realm="r", nonce="n", algorithm=MD5-sess)") << false
                                         << u"MD5-sess needs a cnonce"_s;
        QTest::newRow("not Digest") << QByteArray(R"(Basic realm="r")") << false << u"not a Digest"_s;
        QTest::newRow("auth among others, any case") << QByteArray(R"(Digest nonce="n", qop=" auth-int , AUTH ")") << true
                                                     << QString();
    }
    void digestChallengeReading()
    {
        QFETCH(QByteArray, challenge);
        QFETCH(bool, usable);
        QFETCH(QString, whyNotContains);
        QList<AuthChallenge> parsed;
        QCOMPARE(parseAuthChallenges({challenge}, &parsed), ErrorDetail::None);
        DigestChallenge d;
        QString whyNot;
        QCOMPARE(readDigestChallenge(parsed[0], &d, &whyNot), usable);
        QVERIFY2(whyNot.contains(whyNotContains), qPrintable(whyNot));
    }

    void digestChallengeFields()
    {
        const DigestChallenge d = digestFrom(
                "Digest realm=\"r\\\"q\", nonce=\"n\", opaque=\"\", stale=TRUE, userhash=true, charset=utf-8, qop=auth");
        QCOMPARE(d.realm, QByteArray("r\"q"));
        QVERIFY(d.hasOpaque);
        QVERIFY(d.opaque.isEmpty());
        QVERIFY(d.stale);
        QVERIFY(d.userhash);
        QVERIFY(d.utf8);
        QVERIFY(d.qopAuth);
        QCOMPARE(d.algorithm, DigestAlgorithm::Md5);
        QByteArray value;
        QCOMPARE(digestAuthorization(d, u"u"_s, u"p"_s, "GET", "/", "c", 1, &value), ErrorDetail::None);
        QVERIFY2(value.contains("realm=\"r\\\"q\""), value.constData());
        QVERIFY2(value.contains(R"(, opaque="", userhash=true)"), value.constData());

        const DigestChallenge plain = digestFrom(R"(Digest realm="r", nonce="n")");
        QVERIFY(!plain.hasOpaque && !plain.stale && !plain.userhash && !plain.utf8 && !plain.qopAuth);
        QCOMPARE(digestAuthorization(plain, u"u"_s, u"p"_s, "GET", "/", "c", 1, &value), ErrorDetail::None);
        QVERIFY2(!value.contains("opaque") && !value.contains("qop") && !value.contains("nc=")
                         && !value.contains("cnonce"),
                 value.constData());
    }

    void choose_data()
    {
        QTest::addColumn<QList<QByteArray>>("values");
        QTest::addColumn<int>("acceptable");
        QTest::addColumn<ErrorDetail>("error");
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("expected"); // the scheme and algorithm chosen, or what *problem says

        const int both = int(AuthSchemes(AuthScheme::Basic | AuthScheme::Digest));
        const int basicOnly = int(AuthSchemes(AuthScheme::Basic));
        const int digestOnly = int(AuthSchemes(AuthScheme::Digest));
        const QByteArray md5 = R"(Digest realm="d", nonce="n", qop="auth")";
        const QByteArray md5Sess = R"(Digest realm="d", nonce="n", qop="auth", algorithm=MD5-sess)";
        const QByteArray sha = R"(Digest realm="d", nonce="n", qop="auth", algorithm=SHA-256)";
        const QByteArray shaSess = R"(Digest realm="d", nonce="n", qop="auth", algorithm=SHA-256-sess)";
        const QByteArray basic = R"(Basic realm="b")";
        using D = ErrorDetail;

        QTest::newRow("RFC 7616 §3.9.1: SHA-256 offered first") << QList<QByteArray>{rfc7616Challenge("SHA-256"), rfc7616Challenge("MD5")}
                                                                << both << D::None << 0 << u"Digest SHA-256"_s;
        QTest::newRow("SHA-256 over MD5 in any order") << QList<QByteArray>{md5, basic, sha} << both << D::None << 2
                                                       << u"Digest SHA-256"_s;
        QTest::newRow("SHA-256 over SHA-256-sess") << QList<QByteArray>{shaSess, sha} << both << D::None << 1
                                                   << u"Digest SHA-256"_s;
        QTest::newRow("SHA-256-sess over MD5") << QList<QByteArray>{md5, shaSess} << both << D::None << 1
                                               << u"Digest SHA-256-sess"_s;
        QTest::newRow("MD5 over MD5-sess") << QList<QByteArray>{md5Sess, md5} << both << D::None << 1
                                           << u"Digest MD5"_s;
        QTest::newRow("Digest MD5 over Basic") << QList<QByteArray>{basic, md5} << both << D::None << 1
                                               << u"Digest MD5"_s;
        QTest::newRow("the first of equals") << QList<QByteArray>{md5 + ", " + md5} << both << D::None << 0
                                             << u"Digest MD5"_s;
        QTest::newRow("Basic when Digest is not allowed") << QList<QByteArray>{sha, basic} << basicOnly << D::None << 1
                                                          << u"Basic"_s;
        QTest::newRow("Basic when Digest is auth-int only")
                << QList<QByteArray>{R"(Digest realm="d", nonce="n", qop="auth-int", Basic realm="b")"} << both
                << D::None << 1 << u"Basic"_s;
        QTest::newRow("MD5 when SHA-512-256 is offered first")
                << QList<QByteArray>{R"(Digest realm="d", nonce="n", qop="auth", algorithm=SHA-512-256)", md5} << both
                << D::None << 1 << u"Digest MD5"_s;
        QTest::newRow("RFC 2069 Digest over Basic") << QList<QByteArray>{basic, R"(Digest realm="d", nonce="n")"}
                                                    << both << D::None << 1 << u"Digest MD5"_s;
        QTest::newRow("unknown schemes only") << QList<QByteArray>{"Negotiate, NTLM", "Bearer realm=x"} << both
                                              << D::NoUsableAuthScheme << -1
                                              << u"the server offers Negotiate (not supported), NTLM (not supported), Bearer (not supported)"_s;
        QTest::newRow("Basic not allowed") << QList<QByteArray>{basic} << digestOnly << D::NoUsableAuthScheme << -1
                                           << u"the server offers Basic (not allowed)"_s;
        QTest::newRow("Digest auth-int only, Basic not allowed")
                << QList<QByteArray>{R"(Digest realm="d", nonce="n", qop="auth-int")", basic} << digestOnly
                << D::NoUsableAuthScheme << -1
                << u"the server offers Digest (qop offers no \"auth\" (auth-int needs the request body)), Basic (not allowed)"_s;
        QTest::newRow("nothing allowed") << QList<QByteArray>{sha} << 0 << D::NoUsableAuthScheme << -1
                                         << u"the server offers Digest (not allowed)"_s;
    }
    void choose()
    {
        QFETCH(QList<QByteArray>, values);
        QFETCH(int, acceptable);
        QFETCH(ErrorDetail, error);
        QFETCH(int, index);
        QFETCH(QString, expected);
        QList<AuthChallenge> challenges;
        QCOMPARE(parseAuthChallenges(values, &challenges), ErrorDetail::None);
        AuthSelection selection;
        QString problem;
        QCOMPARE(chooseAuthChallenge(challenges, AuthSchemes::fromInt(acceptable), &selection, &problem), error);
        if (error != ErrorDetail::None) {
            QCOMPARE(problem, expected);
            QCOMPARE(selection.index, -1);
            return;
        }
        QCOMPARE(selection.index, index);
        const QString chosen = selection.scheme == AuthScheme::Basic
                ? u"Basic"_s
                : u"Digest "_s + QString::fromLatin1(digestAlgorithmName(selection.digest.algorithm));
        QCOMPARE(chosen, expected);
        QCOMPARE(selection.realm, challenges[index].param("realm"));
    }

    void chooseNothing()
    {
        AuthSelection selection;
        QString problem;
        QCOMPARE(chooseAuthChallenge({}, AuthScheme::Basic | AuthScheme::Digest, &selection, &problem),
                 ErrorDetail::NoUsableAuthScheme);
        QCOMPARE(problem, u"the server offered no challenge"_s);
    }

    void passwordInClear()
    {
        QVERIFY(sendsPasswordInClear(AuthScheme::Basic));
        QVERIFY(!sendsPasswordInClear(AuthScheme::Digest));
    }

    void redact_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray r = "\xe2\x80\xb9redacted\xe2\x80\xba"; // ‹redacted›

        QTest::newRow("Basic in an upgrade request")
                << QByteArray("GET /chat HTTP/1.1\r\nHost: example.com\r\nAuthorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"
                              "Upgrade: websocket\r\n\r\n")
                << "GET /chat HTTP/1.1\r\nHost: example.com\r\nAuthorization: Basic " + r + "\r\nUpgrade: websocket\r\n\r\n";
        QTest::newRow("Digest") << rfc7616Authorization("MD5", "00000001", "8ca523f5e9506fed4657c9700eebdbec").prepend("Authorization: ") + "\r\n"
                                << "Authorization: Digest " + r + "\r\n";
        QTest::newRow("Proxy-Authorization in lower case, LF endings")
                << QByteArray("proxy-authorization: Basic abc\nHost: h\n") << "proxy-authorization: Basic " + r + "\nHost: h\n";
        QTest::newRow("no scheme to show") << QByteArray("Authorization: QWxh==\r\n") << "Authorization: " + r + "\r\n";
        QTest::newRow("empty value") << QByteArray("Authorization:\r\n") << "Authorization: " + r + "\r\n";
        QTest::newRow("folded continuation lines go too")
                << QByteArray("Authorization: Digest username=\"a\",\r\n response=\"x\",\r\n\tnonce=\"n\"\r\nHost: h\r\n")
                << "Authorization: Digest " + r + "\r\nHost: h\r\n";
        QTest::newRow("no final line ending") << QByteArray("Authorization: Bearer abc.def") << "Authorization: Bearer " + r;
        QTest::newRow("space before the colon") << QByteArray("Authorization : Basic abc\r\n")
                                                << "Authorization : Basic " + r + "\r\n";
        QTest::newRow("other headers untouched")
                << QByteArray("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nX-Authorization: t\r\n"
                              "Authorization-Info: nextnonce=\"n\"\r\n \r\n")
                << QByteArray("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nX-Authorization: t\r\n"
                              "Authorization-Info: nextnonce=\"n\"\r\n \r\n");
        QTest::newRow("empty") << QByteArray() << QByteArray();
    }
    void redact()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QByteArray, expected);
        const QByteArray once = redactCredentials(raw);
        QCOMPARE(once, expected);
        QCOMPARE(redactCredentials(once), once); // idempotent
    }
};

QTEST_APPLESS_MAIN(tst_HttpAuth)
#include "tst_httpauth.moc"
