#include "codec/utf8validator.h" // first: the header under test is self-contained

#include <QByteArray>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using Wsw::Codec::Utf8Validator;

namespace {

QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced)); // spaces are skipped
}

/**
 * The oracle: well-formed UTF-8 byte sequences, Unicode Standard Table 3-7 (= RFC 3629 §4),
 * written out independently of the codec. Returns the index of the first byte that can no
 * longer start or continue valid UTF-8 (-1: none), and the number of bytes of a sequence left
 * open at the end.
 */
struct Reference {
    qsizetype failAt = -1;
    int pending = 0;
    bool isValid() const { return failAt < 0 && pending == 0; }
};

Reference reference(QByteArrayView s)
{
    Reference r;
    qsizetype i = 0;
    const qsizetype n = s.size();
    while (i < n) {
        const auto c = quint8(s[i]);
        int len = 0;
        quint8 lo = 0x80;
        quint8 hi = 0xBF;
        if (c <= 0x7F) {
            ++i;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c == 0xE0) {
            len = 3;
            lo = 0xA0;
        } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
            len = 3;
        } else if (c == 0xED) {
            len = 3;
            hi = 0x9F;
        } else if (c == 0xF0) {
            len = 4;
            lo = 0x90;
        } else if (c >= 0xF1 && c <= 0xF3) {
            len = 4;
        } else if (c == 0xF4) {
            len = 4;
            hi = 0x8F;
        } else {
            r.failAt = i;
            return r;
        }
        for (int k = 1; k < len; ++k) {
            if (i + k >= n) {
                r.pending = k;
                return r;
            }
            const auto d = quint8(s[i + k]);
            if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF)) {
                r.failAt = i + k;
                return r;
            }
        }
        i += len;
    }
    return r;
}

/** UTF-8 encoding of cp in exactly length bytes (longer than needed gives an overlong form). */
QByteArray encode(quint32 cp, int length)
{
    QByteArray out;
    switch (length) {
    case 1:
        out.append(char(cp));
        break;
    case 2:
        out.append(char(0xC0 | (cp >> 6)));
        out.append(char(0x80 | (cp & 0x3F)));
        break;
    case 3:
        out.append(char(0xE0 | (cp >> 12)));
        out.append(char(0x80 | ((cp >> 6) & 0x3F)));
        out.append(char(0x80 | (cp & 0x3F)));
        break;
    default:
        out.append(char(0xF0 | (cp >> 18)));
        out.append(char(0x80 | ((cp >> 12) & 0x3F)));
        out.append(char(0x80 | ((cp >> 6) & 0x3F)));
        out.append(char(0x80 | (cp & 0x3F)));
        break;
    }
    return out;
}

int minimalLength(quint32 cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** Feeds text in the given chunks; returns the index of the first chunk write() refused (-1: none). */
int firstRefusedChunk(Utf8Validator &v, const QList<QByteArrayView> &chunks)
{
    for (int i = 0; i < chunks.size(); ++i)
        if (!v.write(chunks.at(i)))
            return i;
    return -1;
}

// A long valid text: ASCII runs and every sequence length, more than 64 bytes so that the
// block-at-a-time path runs, with sequences that straddle 32-byte block borders.
QByteArray longValidText(int repeat)
{
    QByteArray out;
    for (int i = 0; i < repeat; ++i) {
        out += "Hello-";
        out += hex("c2b5 40 c39f c3b6 c3a4 c3bc c3a0 c3a1"); // µ@ßöäüàá (Autobahn 6.2.1)
        out += hex("cebae1bdb9cf83cebcceb5");               // κόσμε (Autobahn 6.5.1)
        out += hex("f09f9880 e282ac f4 8f bf bf");          // 😀 € U+10FFFF
        out += "-UTF-8!!";
    }
    return out;
}

} // namespace

class tst_Utf8Validator final : public QObject
{
    Q_OBJECT

private slots:
    // Happy flows
    void validText_data();
    void validText();
    void validTextAtEveryPairOfSplitPoints_data();
    void validTextAtEveryPairOfSplitPoints();
    void truncatedText_data();
    void truncatedText();
    // Rainy day flows
    void invalidText_data();
    void invalidText();
    void failFastAcrossFragments_data();
    void failFastAcrossFragments();
    void failureSticksUntilReset();
    // Exhaustive and randomized comparison with the reference
    void everyCodePointAndEncodingLength();
    void everyPairOfBytesAfterEveryLead();
    void randomTextsMatchReference();
    void everyOffsetInLongText();
    void decodeKeepsALeadingBom();
};

// ---------------------------------------------------------------------------------------------
// Happy flows

void tst_Utf8Validator::validText_data()
{
    QTest::addColumn<QByteArray>("text");

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("ASCII") << QByteArray("Hello, World!");
    QTest::newRow("NUL byte (U+0000 is valid)") << hex("00");
    // every lead-byte range of RFC 3629 §4, first and last code point
    QTest::newRow("U+007F last 1-byte (Autobahn 6.9.1)") << hex("7f");
    QTest::newRow("U+0080 first 2-byte C2 (Autobahn 6.7.2)") << hex("c280");
    QTest::newRow("U+07FF last 2-byte DF (Autobahn 6.9.2)") << hex("dfbf");
    QTest::newRow("U+0800 first 3-byte E0 A0 (Autobahn 6.7.3)") << hex("e0a080");
    QTest::newRow("U+0FFF last E0") << hex("e0bfbf");
    QTest::newRow("U+1000 first E1") << hex("e18080");
    QTest::newRow("U+CFFF last EC") << hex("ecbfbf");
    QTest::newRow("U+D000 first ED") << hex("ed8080");
    QTest::newRow("U+D7FF last before surrogates (Autobahn 6.11.1)") << hex("ed9fbf");
    QTest::newRow("U+E000 first after surrogates (Autobahn 6.11.2)") << hex("ee8080");
    QTest::newRow("U+FFFD (Autobahn 6.11.3)") << hex("efbfbd");
    QTest::newRow("U+FFFF last 3-byte (Autobahn 6.9.3)") << hex("efbfbf");
    QTest::newRow("U+10000 first 4-byte F0 90 (Autobahn 6.7.4)") << hex("f0908080");
    QTest::newRow("U+3FFFF last F0") << hex("f0bfbfbf");
    QTest::newRow("U+40000 first F1") << hex("f1808080");
    QTest::newRow("U+FFFFF last F3") << hex("f3bfbfbf");
    QTest::newRow("U+100000 first F4") << hex("f4808080");
    QTest::newRow("U+10FFFF last code point (Autobahn 6.11.4)") << hex("f48fbfbf");
    QTest::newRow("noncharacters U+FFFE U+FFFF are valid (Autobahn 6.22.1)") << hex("efbfbe efbfbf");
    QTest::newRow("noncharacter U+10FFFE (Autobahn 6.22.34)") << hex("f48fbfbe");
    QTest::newRow("specials U+FFF9-FFFB (Autobahn 6.23.1)") << hex("efbfb9 efbfba efbfbb");
    QTest::newRow("Hello-µ@ßöäüàá-UTF-8!! (Autobahn 6.2.1)")
            << QByteArray("Hello-" + hex("c2b5 40 c39f c3b6 c3a4 c3bc c3a0 c3a1") + "-UTF-8!!");
    QTest::newRow("κόσμε (Autobahn 6.5.1)") << hex("cebae1bdb9cf83cebcceb5");
    QTest::newRow("long mixed text, 1 block and a half") << longValidText(2);
    QTest::newRow("long mixed text, several blocks") << longValidText(7);
    QTest::newRow("long ASCII then a 4-byte sequence on the block border")
            << QByteArray(QByteArray(62, 'a') + hex("f09f9880") + QByteArray(40, 'b'));
    QTest::newRow("4-byte sequences only") << hex("f09f9880").repeated(40);
}

void tst_Utf8Validator::validText()
{
    QFETCH(QByteArray, text);
    QVERIFY(reference(text).isValid()); // the row itself is right

    QVERIFY(Utf8Validator::isValidUtf8(text));

    Utf8Validator whole;
    QVERIFY(whole.write(text));
    QVERIFY(whole.finish());
    QVERIFY(whole.isValid());
    QCOMPARE(whole.pendingBytes(), 0);

    // every split point: the state carries over inside a multi-byte sequence
    for (qsizetype split = 0; split <= text.size(); ++split) {
        Utf8Validator v;
        QVERIFY2(v.write(QByteArrayView(text).first(split)), qPrintable(QString::number(split)));
        QCOMPARE(v.pendingBytes(), reference(QByteArrayView(text).first(split)).pending);
        QCOMPARE(v.finish(), reference(QByteArrayView(text).first(split)).pending == 0);
        QVERIFY2(v.write(QByteArrayView(text).sliced(split)), qPrintable(QString::number(split)));
        QVERIFY2(v.finish(), qPrintable(QString::number(split)));
    }

    // one byte at a time (Autobahn 6.2.3, 6.2.4: text sent octet by octet)
    Utf8Validator bytewise;
    for (qsizetype i = 0; i < text.size(); ++i) {
        QVERIFY(bytewise.write(QByteArrayView(text).sliced(i, 1)));
        QCOMPARE(bytewise.pendingBytes(), reference(QByteArrayView(text).first(i + 1)).pending);
    }
    QVERIFY(bytewise.finish());

    // empty writes change nothing
    Utf8Validator withEmpty;
    QVERIFY(withEmpty.write({}));
    QVERIFY(withEmpty.write(text));
    QVERIFY(withEmpty.write({}));
    QVERIFY(withEmpty.finish());
}

void tst_Utf8Validator::validTextAtEveryPairOfSplitPoints_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("κόσμε (Autobahn 6.5.1)") << hex("cebae1bdb9cf83cebcceb5");
    QTest::newRow("every sequence length") << hex("41 c3a9 e282ac f09f9880 42");
    QTest::newRow("Autobahn 6.2.1") << QByteArray("Hello-" + hex("c2b5 40 c39f c3b6 c3a4 c3bc c3a0 c3a1")
                                                  + "-UTF-8!!");
}

void tst_Utf8Validator::validTextAtEveryPairOfSplitPoints()
{
    QFETCH(QByteArray, text);
    const QByteArrayView all(text);
    for (qsizetype a = 0; a <= all.size(); ++a) {
        for (qsizetype b = a; b <= all.size(); ++b) {
            Utf8Validator v;
            const int refused = firstRefusedChunk(v, {all.first(a), all.sliced(a, b - a), all.sliced(b)});
            QVERIFY2(refused == -1 && v.finish(), qPrintable(u"split %1/%2"_s.arg(a).arg(b)));
        }
    }
}

void tst_Utf8Validator::truncatedText_data()
{
    // valid as far as it goes, but a sequence is still open at the end
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("rest");
    QTest::addColumn<int>("pending");

    QTest::newRow("2-byte lead only (Autobahn 6.6.1 / 6.14.1)") << hex("ce") << hex("ba") << 1;
    QTest::newRow("3-byte missing 1 (Autobahn 6.14.7)") << hex("e282") << hex("ac") << 2;
    QTest::newRow("3-byte missing 2 (Autobahn 6.14.2)") << hex("e2") << hex("82ac") << 1;
    QTest::newRow("4-byte missing 1 (Autobahn 6.14.8)") << hex("f09f98") << hex("80") << 3;
    QTest::newRow("4-byte missing 3") << hex("f4") << hex("8fbfbf") << 1;
    QTest::newRow("κόσμε then a cut 3-byte (Autobahn 6.6.4)") << hex("cebae1bd") << hex("b9") << 2;
    QTest::newRow("long text then a cut 4-byte")
            << QByteArray(longValidText(3) + hex("f09f")) << hex("9880") << 2;
}

void tst_Utf8Validator::truncatedText()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, rest);
    QFETCH(int, pending);

    QVERIFY(!Utf8Validator::isValidUtf8(text)); // RFC 6455 §8.1: a message may not end inside a code point

    Utf8Validator v;
    QVERIFY(v.write(text)); // nothing is wrong yet: more may come
    QVERIFY(v.isValid());
    QVERIFY(!v.finish());
    QCOMPARE(v.pendingBytes(), pending);

    QVERIFY(v.write(rest));
    QVERIFY(v.finish());
    QCOMPARE(v.pendingBytes(), 0);
    QVERIFY(Utf8Validator::isValidUtf8(QByteArray(text + rest)));
}

// ---------------------------------------------------------------------------------------------
// Rainy day flows

void tst_Utf8Validator::invalidText_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("failAt"); // the first byte that can no longer be valid UTF-8

    // bytes that never appear in UTF-8
    QTest::newRow("lone continuation 80 (Autobahn 6.12.1)") << hex("80") << 0;
    QTest::newRow("lone continuation BF (Autobahn 6.12.2)") << hex("bf") << 0;
    QTest::newRow("two continuations (Autobahn 6.12.3)") << hex("80bf") << 0;
    QTest::newRow("continuation after ASCII") << hex("41 80") << 1;
    QTest::newRow("extra continuation after a 2-byte") << hex("c3a9 a9") << 2;
    QTest::newRow("C0 (Autobahn 6.17.1 overlong '/')") << hex("c0af") << 0;
    QTest::newRow("C1 (Autobahn 6.18.1 max overlong 2-byte)") << hex("c1bf") << 0;
    QTest::newRow("C0 80 overlong NUL (Autobahn 6.19.1)") << hex("c080") << 0;
    QTest::newRow("F5 first lead above U+10FFFF") << hex("f5808080") << 0;
    QTest::newRow("F7 (Autobahn 6.10.1)") << hex("f7bfbfbf") << 0;
    QTest::newRow("F8 5-byte (Autobahn 6.8.1)") << hex("f888808080") << 0;
    QTest::newRow("FB 5-byte (Autobahn 6.10.2)") << hex("fbbfbfbfbf") << 0;
    QTest::newRow("FC 6-byte (Autobahn 6.8.2)") << hex("fc8480808080") << 0;
    QTest::newRow("FD 6-byte (Autobahn 6.10.3)") << hex("fdbfbfbfbfbf") << 0;
    QTest::newRow("FE (Autobahn 6.16.1)") << hex("fe") << 0;
    QTest::newRow("FF (Autobahn 6.16.2)") << hex("ff") << 0;
    QTest::newRow("FE FE FF FF (Autobahn 6.16.3)") << hex("fefeffff") << 0;
    // overlong forms: caught at the first byte that proves it
    QTest::newRow("E0 80 overlong 3-byte (Autobahn 6.17.2)") << hex("e080af") << 1;
    QTest::newRow("E0 9F max overlong 3-byte (Autobahn 6.18.2)") << hex("e09fbf") << 1;
    QTest::newRow("E0 80 80 overlong NUL (Autobahn 6.19.2)") << hex("e08080") << 1;
    QTest::newRow("F0 80 overlong 4-byte (Autobahn 6.17.3)") << hex("f08080af") << 1;
    QTest::newRow("F0 8F max overlong 4-byte (Autobahn 6.18.3)") << hex("f08fbfbf") << 1;
    QTest::newRow("F0 80 80 80 overlong NUL (Autobahn 6.19.3)") << hex("f0808080") << 1;
    // UTF-16 surrogates U+D800-DFFF
    QTest::newRow("U+D800 (Autobahn 6.20.1)") << hex("eda080") << 1;
    QTest::newRow("U+DB7F (Autobahn 6.20.2)") << hex("edadbf") << 1;
    QTest::newRow("U+DB80 (Autobahn 6.20.3)") << hex("edae80") << 1;
    QTest::newRow("U+DBFF (Autobahn 6.20.4)") << hex("edafbf") << 1;
    QTest::newRow("U+DC00 (Autobahn 6.20.5)") << hex("edb080") << 1;
    QTest::newRow("U+DF80 (Autobahn 6.20.6)") << hex("edbe80") << 1;
    QTest::newRow("U+DFFF (Autobahn 6.20.7)") << hex("edbfbf") << 1;
    QTest::newRow("paired surrogates U+D800 U+DC00 (Autobahn 6.21.1)") << hex("eda080edb080") << 1;
    QTest::newRow("paired surrogates U+DBFF U+DFFF (Autobahn 6.21.8)") << hex("edafbfedbfbf") << 1;
    // above U+10FFFF
    QTest::newRow("U+110000 F4 90 (Autobahn 6.11.5)") << hex("f4908080") << 1;
    QTest::newRow("U+13FFFF F4 BF") << hex("f4bfbfbf") << 1;
    // truncated sequences followed by something that is not a continuation
    QTest::newRow("2-byte cut by ASCII") << hex("c3 41") << 1;
    QTest::newRow("3-byte cut by ASCII after 1") << hex("e2 41") << 1;
    QTest::newRow("3-byte cut by ASCII after 2") << hex("e282 41") << 2;
    QTest::newRow("4-byte cut by ASCII after 3") << hex("f09f98 41") << 3;
    QTest::newRow("2-byte cut by a lead") << hex("c3 c3a9") << 1;
    QTest::newRow("3-byte cut by a lead after 2") << hex("e282 e282ac") << 2;
    QTest::newRow("lonely start characters (Autobahn 6.13.1)") << hex("c020c120c220") << 0;
    QTest::newRow("lonely C2 then space (Autobahn 6.13.1 without C0)") << hex("c220c320") << 1;
    QTest::newRow("concatenated incomplete sequences (Autobahn 6.15.1)")
            << hex("c0e080f08080f8808080fc80808080df efbf f7bfbf fbbfbfbf fdbfbfbfbf") << 0;
    QTest::newRow("incomplete then incomplete (6.15.1 from DF)") << hex("dfefbf") << 1;
    // Autobahn 6.3.1: κόσμε, then U+D800 as 3 bytes, then "edited"
    QTest::newRow("κόσμε-surrogate-edited (Autobahn 6.3.1)")
            << hex("cebae1bdb9cf83cebcceb5eda080656469746564") << 12;
    // Autobahn 6.4.x: κόσμε, then U+110000, then "edited"
    QTest::newRow("κόσμε-F4 90 80 80-edited (Autobahn 6.4.1)")
            << hex("cebae1bdb9cf83cebcceb5f4908080656469746564") << 12;
    // long texts: the error lies in the block-at-a-time path, or right after it
    const QByteArray longText = longValidText(4);
    QTest::newRow("long text, error in the first block") << QByteArray(hex("41 80") + longText) << 1;
    QTest::newRow("long text, surrogate in a later block")
            << QByteArray(longText + hex("eda080") + longText) << int(longText.size() + 1);
    QTest::newRow("long text, lone continuation at the end")
            << QByteArray(longText + hex("80")) << int(longText.size());
    QTest::newRow("long text, 2-byte cut by ASCII on a block border")
            << QByteArray(QByteArray(63, 'a') + hex("c3") + QByteArray(64, 'b')) << 64;
    QTest::newRow("long text, 4-byte cut on a block border")
            << QByteArray(QByteArray(62, 'a') + hex("f09f98") + QByteArray(64, 'b')) << 65;
    QTest::newRow("long ASCII, then F5")
            << QByteArray(QByteArray(100, 'a') + hex("f5") + QByteArray(100, 'b')) << 100;
}

void tst_Utf8Validator::invalidText()
{
    QFETCH(QByteArray, text);
    QFETCH(int, failAt);
    QCOMPARE(reference(text).failAt, qsizetype(failAt)); // the row itself is right

    QVERIFY(!Utf8Validator::isValidUtf8(text));

    Utf8Validator whole;
    QVERIFY(!whole.write(text));
    QVERIFY(!whole.isValid());
    QVERIFY(!whole.finish());

    // fail fast: one byte at a time, write() refuses exactly the first bad byte
    Utf8Validator bytewise;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const bool accepted = bytewise.write(QByteArrayView(text).sliced(i, 1));
        QCOMPARE(accepted, i < failAt);
        if (!accepted)
            break;
    }
    QVERIFY(!bytewise.isValid());

    // every split point: the first part is refused exactly when it holds the bad byte
    for (qsizetype split = 0; split <= text.size(); ++split) {
        Utf8Validator v;
        const int refused = firstRefusedChunk(v, {QByteArrayView(text).first(split), QByteArrayView(text).sliced(split)});
        QCOMPARE(refused, split > failAt ? 0 : 1);
        QVERIFY(!v.finish());
    }
}

void tst_Utf8Validator::failFastAcrossFragments_data()
{
    QTest::addColumn<QByteArrayList>("fragments");
    QTest::addColumn<int>("refusedFragment"); // -1: none (then the text must be valid)

    const QByteArray kosme = hex("cebae1bdb9cf83cebcceb5");
    QTest::newRow("Autobahn 6.4.1: κόσμε | F4 90 80 80 | edited")
            << QByteArrayList{kosme, hex("f4908080"), "edited"} << 1;
    QTest::newRow("Autobahn 6.4.2: κόσμε F4 | 90 | 80 80 edited")
            << QByteArrayList{kosme + hex("f4"), hex("90"), hex("8080") + "edited"} << 1;
    QTest::newRow("Autobahn 6.4.3: κόσμε | F4 90 80 80 in its own chunk")
            << QByteArrayList{kosme, hex("f4908080"), "edited"} << 1;
    QTest::newRow("Autobahn 6.4.4: κόσμε | F4 | 90 | 80 | 80 | edited")
            << QByteArrayList{kosme, hex("f4"), hex("90"), hex("80"), hex("80"), "edited"} << 2;
    QTest::newRow("surrogate lead in one fragment, bad byte in the next")
            << QByteArrayList{"ab", hex("ed"), hex("a0"), hex("80")} << 2;
    QTest::newRow("Autobahn 6.2.2: split at a code point boundary")
            << QByteArrayList{"Hello-" + hex("c2b5 40 c39f c3b6"), hex("c3a4 c3bc c3a0 c3a1") + "-UTF-8!!"} << -1;
    QTest::newRow("split inside a 4-byte sequence three times")
            << QByteArrayList{hex("f0"), hex("9f"), hex("98"), hex("80")} << -1;
}

void tst_Utf8Validator::failFastAcrossFragments()
{
    QFETCH(QByteArrayList, fragments);
    QFETCH(int, refusedFragment);

    QList<QByteArrayView> views;
    for (const QByteArray &f : fragments)
        views.append(f);
    Utf8Validator v;
    QCOMPARE(firstRefusedChunk(v, views), refusedFragment);
    QCOMPARE(v.finish(), refusedFragment == -1);
}

void tst_Utf8Validator::failureSticksUntilReset()
{
    Utf8Validator v;
    QVERIFY(v.write("ok"));
    QVERIFY(!v.write(hex("ff")));
    // nothing written afterwards can make it valid again
    QVERIFY(!v.write("more ASCII"));
    QVERIFY(!v.write({}));
    QVERIFY(!v.isValid());
    QVERIFY(!v.finish());

    v.reset();
    QVERIFY(v.isValid());
    QVERIFY(v.finish());
    QVERIFY(v.write(hex("e282")));
    QCOMPARE(v.pendingBytes(), 2);
    v.reset(); // also drops an open sequence
    QCOMPARE(v.pendingBytes(), 0);
    QVERIFY(v.finish());
    QVERIFY(v.write("A")); // an ASCII byte is fine again, no continuation is expected
    QVERIFY(v.finish());
}

// ---------------------------------------------------------------------------------------------
// Exhaustive and randomized

void tst_Utf8Validator::everyCodePointAndEncodingLength()
{
    // every code point in every encoding length: valid exactly in the minimal form and outside
    // the surrogates and beyond U+10FFFF (RFC 3629 §3)
    int checked = 0;
    for (quint32 cp = 0; cp <= 0x1FFFFF; ++cp) {
        const int minimal = minimalLength(cp);
        for (int length = minimal; length <= 4; ++length) {
            if (cp > 0x10FFFF && length != 4)
                continue;
            // outside the interesting edges, a sample of the overlong forms is enough
            if (length != minimal && (cp & 0xFF) != 0 && cp > 0x1000)
                continue;
            const QByteArray bytes = encode(cp, length);
            const bool expected = length == minimal && !(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF;
            if (Utf8Validator::isValidUtf8(bytes) != expected)
                QFAIL(qPrintable(u"U+%1 in %2 bytes (%3): expected %4"_s.arg(cp, 4, 16, QLatin1Char('0'))
                                         .arg(length)
                                         .arg(QString::fromLatin1(bytes.toHex(' ')))
                                         .arg(expected ? u"valid"_s : u"invalid"_s)));
            ++checked;
        }
    }
    QVERIFY(checked > 0x200000);
}

void tst_Utf8Validator::everyPairOfBytesAfterEveryLead()
{
    // every 2-byte prefix, followed by continuations or by ASCII, compared with the reference;
    // also fed one byte at a time to check the position of the failure
    const QByteArray tails[] = {hex("80 80"), hex("bf bf"), "AB", hex("c3a9")};
    for (int a = 0; a < 256; ++a) {
        for (int b = 0; b < 256; ++b) {
            for (const QByteArray &tail : tails) {
                QByteArray text;
                text.append(char(a));
                text.append(char(b));
                text += tail;
                const Reference ref = reference(text);
                if (Utf8Validator::isValidUtf8(text) != ref.isValid())
                    QFAIL(qPrintable(u"isValidUtf8(%1)"_s.arg(QString::fromLatin1(text.toHex(' ')))));
                Utf8Validator v;
                qsizetype refusedAt = -1;
                for (qsizetype i = 0; i < text.size() && refusedAt < 0; ++i)
                    if (!v.write(QByteArrayView(text).sliced(i, 1)))
                        refusedAt = i;
                if (refusedAt != ref.failAt)
                    QFAIL(qPrintable(u"bytewise %1: refused at %2, expected %3"_s
                                             .arg(QString::fromLatin1(text.toHex(' ')))
                                             .arg(refusedAt)
                                             .arg(ref.failAt)));
            }
        }
    }
}

void tst_Utf8Validator::randomTextsMatchReference()
{
    // Texts built from valid sequences with an occasional wrong byte, long enough for the
    // block-at-a-time path, fed in random chunks: write() must refuse exactly the chunk that
    // holds the first bad byte, and the end result must match the reference.
    QRandomGenerator rng(20240611); // fixed: a failure can be reproduced
    const QByteArray pieces[] = {"a", "Hello world ", hex("c3a9"), hex("e282ac"), hex("f09f9880"),
                                 hex("ed9fbf"), hex("f48fbfbf"), hex("dfbf"), hex("ee8080")};
    const QByteArray bad[] = {hex("80"), hex("c0"), hex("ed a0"), hex("f4 90"), hex("ff"), hex("e0 80"),
                              hex("c3"), hex("f0 9f 98"), hex("f8")};
    for (int round = 0; round < 4000; ++round) {
        QByteArray text;
        const int target = int(rng.bounded(400));
        const bool spoil = rng.bounded(3) != 0;
        while (text.size() < target) {
            if (spoil && rng.bounded(200) == 0)
                text += bad[rng.bounded(int(std::size(bad)))];
            else
                text += pieces[rng.bounded(int(std::size(pieces)))];
        }
        const Reference ref = reference(text);
        QCOMPARE(Utf8Validator::isValidUtf8(text), ref.isValid());

        Utf8Validator v;
        qsizetype pos = 0;
        bool refused = false;
        while (pos < text.size()) {
            const qsizetype n = std::min<qsizetype>(text.size() - pos, 1 + rng.bounded(150));
            const bool accepted = v.write(QByteArrayView(text).sliced(pos, n));
            const bool holdsFirstBadByte = ref.failAt >= pos && ref.failAt < pos + n;
            if (accepted == holdsFirstBadByte)
                QFAIL(qPrintable(u"round %1: chunk [%2, %3) accepted=%4, first bad byte at %5"_s.arg(round)
                                         .arg(pos)
                                         .arg(pos + n)
                                         .arg(int(accepted))
                                         .arg(ref.failAt)));
            pos += n;
            if (!accepted) {
                refused = true;
                break;
            }
        }
        QCOMPARE(refused, ref.failAt >= 0);
        if (!refused)
            QCOMPARE(v.pendingBytes(), ref.pending);
        QCOMPARE(v.finish(), ref.isValid());
    }
}

void tst_Utf8Validator::everyOffsetInLongText()
{
    // A sequence (good or bad) at every offset of a text long enough for the 32-byte blocks,
    // so that it sits inside a block, straddles two, or opens right at the end of the last one.
    const QByteArray probes[] = {hex("c3a9"), hex("e282ac"), hex("f09f9880"), hex("f48fbfbf"), hex("ed9fbf"),
                                 hex("80"), hex("c0af"), hex("c3"), hex("e282"), hex("f09f98"), hex("eda080"),
                                 hex("e09fbf"), hex("f08fbfbf"), hex("f4908080"), hex("f5"), hex("ff"),
                                 hex("c3a9a9"), hex("e282ac80")};
    const QByteArray fillers[] = {"a", hex("c3a9"), hex("e282ac"), hex("f09f9880")};
    for (const QByteArray &filler : fillers) {
        for (const QByteArray &probe : probes) {
            for (int offset = 0; offset <= 140; ++offset) {
                QByteArray text = filler.repeated(offset / int(filler.size()) + 1).left(offset);
                if (!reference(text).isValid())
                    continue; // the filler was cut inside a sequence: not the case to test
                text += probe;
                const QByteArray after = filler.repeated(200 / int(filler.size()));
                for (const QByteArray &full : {text, QByteArray(text + after)}) {
                    const Reference ref = reference(full);
                    if (Utf8Validator::isValidUtf8(full) != ref.isValid())
                        QFAIL(qPrintable(u"probe %1 at offset %2 after filler %3 (%4 bytes): expected %5"_s
                                                 .arg(QString::fromLatin1(probe.toHex(' ')))
                                                 .arg(offset)
                                                 .arg(QString::fromLatin1(filler.toHex()))
                                                 .arg(full.size())
                                                 .arg(ref.isValid() ? u"valid"_s : u"invalid"_s)));
                    Utf8Validator v;
                    const bool accepted = v.write(full);
                    if (accepted != (ref.failAt < 0) || (accepted && v.pendingBytes() != ref.pending))
                        QFAIL(qPrintable(u"write(): probe %1 at offset %2 after filler %3"_s
                                                 .arg(QString::fromLatin1(probe.toHex(' ')))
                                                 .arg(offset)
                                                 .arg(QString::fromLatin1(filler.toHex()))));
                }
            }
        }
    }
}

void tst_Utf8Validator::decodeKeepsALeadingBom()
{
    // U+FEFF at the start of a message is content; QString::fromUtf8 would drop it (Autobahn 6.1.15)
    const QByteArray text("\xef\xbb\xbf" "a");
    const QString decoded = Wsw::Codec::decodeUtf8(text);
    QCOMPARE(decoded.size(), 2);
    QCOMPARE(decoded.at(0), QChar(0xFEFF));
    QCOMPARE(decoded.toUtf8(), text);
}

QTEST_APPLESS_MAIN(tst_Utf8Validator)
#include "tst_utf8validator.moc"
