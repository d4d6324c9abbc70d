// How messages, bytes and close codes read for people (engine/format): the module the workbench
// and wscli share. Pure functions, so no event loop (QTEST_APPLESS_MAIN).
#include "format/messageformat.h"

#include <QTest>

#include "codec/closecode.h"

using namespace Qt::Literals::StringLiterals;
using namespace Wsw::Format;

namespace {

QByteArray bytesFromHex(const char *hex)
{
    return QByteArray::fromHex(hex);
}

} // namespace

class tst_MessageFormat final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // --- parseHex ---

    void parseHexAccepts_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty text is no bytes") << QString() << QByteArray();
        QTest::newRow("only separators") << u" :, -\t\n"_s << QByteArray();
        QTest::newRow("bytes separated by spaces") << u"01 ff 7e"_s << bytesFromHex("01ff7e");
        QTest::newRow("bytes packed together") << u"01ff7e"_s << bytesFromHex("01ff7e");
        QTest::newRow("upper-case digits") << u"ABCDEF"_s << bytesFromHex("abcdef");
        QTest::newRow("0x before each byte") << u"0x01 0xFF"_s << bytesFromHex("01ff");
        QTest::newRow("0X upper-case prefix") << u"0X0a"_s << bytesFromHex("0a");
        QTest::newRow("0x before a group of bytes") << u"0x01ff 7e"_s << bytesFromHex("01ff7e");
        QTest::newRow("colons") << u"01:ff:7e"_s << bytesFromHex("01ff7e");
        QTest::newRow("commas and spaces") << u"0x01, 0x02,0x03"_s << bytesFromHex("010203");
        QTest::newRow("dashes") << u"01-ff-7e"_s << bytesFromHex("01ff7e");
        QTest::newRow("tabs and line breaks") << u"01\tff\n7e\r\n00"_s << bytesFromHex("01ff7e00");
        QTest::newRow("separators around the bytes") << u"  01  "_s << bytesFromHex("01");
        QTest::newRow("group of 0x00 bytes") << u"0000"_s << QByteArray(2, '\0');
    }
    void parseHexAccepts()
    {
        QFETCH(QString, text);
        QFETCH(QByteArray, bytes);
        QString error = u"stale"_s;
        const std::optional<QByteArray> parsed = parseHex(text, &error);
        QVERIFY2(parsed.has_value(), qPrintable(error));
        QCOMPARE(*parsed, bytes);
        QVERIFY(error.isEmpty());
        QVERIFY(parseHex(text, nullptr).has_value()); // the error is optional
    }

    void parseHexRejects_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("a letter that is not hex") << u"0fg1"_s << u"“g” (character 3) is not a hex digit."_s;
        QTest::newRow("bad character first") << u"zz"_s << u"“z” (character 1) is not a hex digit."_s;
        QTest::newRow("semicolon is no separator")
            << u"01;02"_s << u"“;” (character 3) is not a hex digit."_s;
        QTest::newRow("x inside a group") << u"010x02"_s << u"“x” (character 4) is not a hex digit."_s;
        QTest::newRow("invisible character by code")
            << u"01\u00a0ff"_s << u"U+00A0 (character 3) is not a hex digit."_s;
        QTest::newRow("control character by code")
            << u"01\u0007"_s << u"U+0007 (character 3) is not a hex digit."_s;
        QTest::newRow("emoji is one character") << u"😀 01 zz"_s << u"“😀” (character 1) is not a hex digit."_s;
        QTest::newRow("position counts an emoji once")
            << u"😀"_s << u"“😀” (character 1) is not a hex digit."_s;
        QTest::newRow("odd digits in one group")
            << u"123"_s
            << u"“123” (character 1) has 3 hex digits, an odd number: every byte takes two digits, e.g. 01 ff 7e."_s;
        QTest::newRow("single digit between bytes")
            << u"01 f 7e"_s
            << u"“f” (character 4) has 1 hex digit, an odd number: every byte takes two digits, e.g. 01 ff 7e."_s;
        QTest::newRow("odd digits after 0x")
            << u"0x1"_s
            << u"“0x1” (character 1) has 1 hex digit, an odd number: every byte takes two digits, e.g. 01 ff 7e."_s;
        QTest::newRow("0x with no digits")
            << u"01 0x"_s << u"“0x” (character 4) has no hex digits after the 0x."_s;
        QTest::newRow("first problem wins")
            << u"1 zz"_s
            << u"“1” (character 1) has 1 hex digit, an odd number: every byte takes two digits, e.g. 01 ff 7e."_s;
    }
    void parseHexRejects()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        QString actual;
        QCOMPARE(parseHex(text, &actual), std::nullopt);
        QCOMPARE(actual, error);
        QCOMPARE(parseHex(text, nullptr), std::nullopt);
    }

    // --- parseBase64 ---

    void parseBase64Accepts_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QString() << QByteArray();
        QTest::newRow("padded") << u"aGVsbG8="_s << QByteArray("hello");
        QTest::newRow("padding left out") << u"aGVsbG8"_s << QByteArray("hello");
        QTest::newRow("two padding characters") << u"aGk="_s << QByteArray("hi");
        QTest::newRow("whole groups") << u"aGVs"_s << QByteArray("hel");
        QTest::newRow("whitespace ignored") << u" aGVs\nbG8=\t"_s << QByteArray("hello");
        QTest::newRow("standard alphabet") << u"+/+/"_s << bytesFromHex("fbffbf");
        QTest::newRow("URL alphabet") << u"-_-_"_s << bytesFromHex("fbffbf");
        QTest::newRow("one byte with two =") << u"AA=="_s << QByteArray(1, '\0');
    }
    void parseBase64Accepts()
    {
        QFETCH(QString, text);
        QFETCH(QByteArray, bytes);
        QString error = u"stale"_s;
        const std::optional<QByteArray> parsed = parseBase64(text, &error);
        QVERIFY2(parsed.has_value(), qPrintable(error));
        QCOMPARE(*parsed, bytes);
        QVERIFY(error.isEmpty());
    }

    void parseBase64Rejects_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("character outside the alphabet")
            << u"aGVsbG8!"_s << u"“!” (character 8) is not a Base64 character."_s;
        QTest::newRow("data after the padding")
            << u"aG=Vs"_s
            << u"The padding “=” (character 3) is followed by more data; “=” may only end the text."_s;
        QTest::newRow("one character too many")
            << u"aGVsb"_s
            << u"The text has 5 Base64 characters, so the last one makes no whole byte (one is missing or one too many)."_s;
        QTest::newRow("too much padding")
            << u"aGk=="_s << u"The padding has 2 “=” but 3 Base64 characters need 1."_s;
        QTest::newRow("padding after whole groups")
            << u"aGVs="_s << u"The padding has 1 “=” but 4 Base64 characters need none."_s;
    }
    void parseBase64Rejects()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        QString actual;
        QCOMPARE(parseBase64(text, &actual), std::nullopt);
        QCOMPARE(actual, error);
    }

    // --- hexPreview / hexDump ---

    void hexPreviewShowsBytes_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("maxBytes");
        QTest::addColumn<QString>("preview");
        QTest::newRow("no bytes") << QByteArray() << 10 << QString();
        QTest::newRow("fewer than the limit") << bytesFromHex("01ff7e") << 10 << u"01 ff 7e"_s;
        QTest::newRow("exactly the limit") << bytesFromHex("01ff7e") << 3 << u"01 ff 7e"_s;
        QTest::newRow("cut after the limit") << bytesFromHex("01ff7e") << 2 << u"01 ff …"_s;
        QTest::newRow("limit 0 shows only the ellipsis") << bytesFromHex("01") << 0 << u"…"_s;
        QTest::newRow("negative limit as 0") << bytesFromHex("01") << -5 << u"…"_s;
        QTest::newRow("limit 0, no bytes") << QByteArray() << 0 << QString();
    }
    void hexPreviewShowsBytes()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, maxBytes);
        QFETCH(QString, preview);
        QCOMPARE(hexPreview(bytes, maxBytes), preview);
    }

    void hexDumpLayout_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("maxBytes");
        QTest::addColumn<QString>("dump");
        QByteArray sixteen;
        for (int i = 0; i < 16; ++i)
            sixteen += char(i);
        QTest::newRow("no bytes") << QByteArray() << 1024 << QString();
        QTest::newRow("part of a line: the ASCII column stays aligned")
            << QByteArray("Hello World\n") << 1024
            << u"00000000  48 65 6c 6c 6f 20 57 6f  72 6c 64 0a              |Hello World.|"_s;
        QTest::newRow("one byte") << QByteArray("A") << 1024
                                  << u"00000000  41                                                |A|"_s;
        QTest::newRow("exactly one line, unprintable as dots")
            << sixteen << 1024
            << u"00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|"_s;
        QTest::newRow("second line at offset 10")
            << QByteArray("0123456789abcdefXY") << 1024
            << u"00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n"
               "00000010  58 59                                             |XY|"_s;
        QTest::newRow("high bytes and DEL are not ASCII")
            << bytesFromHex("7f80ff207e") << 1024
            << u"00000000  7f 80 ff 20 7e                                    |... ~|"_s;
        QTest::newRow("cut: a last line says how many more")
            << QByteArray("0123456789abcdefXYZW") << 16
            << u"00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n"
               "… 4 more bytes not shown"_s;
        QTest::newRow("cut to nothing, one more byte")
            << QByteArray("A") << 0 << u"… 1 more byte not shown"_s;
    }
    void hexDumpLayout()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, maxBytes);
        QFETCH(QString, dump);
        QCOMPARE(hexDump(bytes, maxBytes), dump);
    }

    void hexDumpOffsetsCountUp()
    {
        const QByteArray bytes(0x123, 'a');
        const QStringList lines = hexDump(bytes).split(u'\n');
        QCOMPARE(lines.size(), 0x13); // 0x12 full lines and 3 bytes
        QVERIFY(lines.last().startsWith(u"00000120  61 61 61  "));
        for (const QString &line : lines)
            QCOMPARE(line.indexOf(u'|'), 60); // 8 + 2 + 16 * 3 + 1 + 1
    }

    // --- singleLinePreview / messagePreview ---

    void singleLinePreviewShowsOneLine_data()
    {
        QTest::addColumn<QByteArray>("utf8");
        QTest::addColumn<int>("maxChars");
        QTest::addColumn<QString>("preview");
        QTest::newRow("empty") << QByteArray() << 10 << QString();
        QTest::newRow("plain text") << QByteArray("hello") << 200 << u"hello"_s;
        QTest::newRow("CR, LF and tab as symbols") << QByteArray("a\r\nb\tc") << 200 << u"a␍↵b⇥c"_s;
        QTest::newRow("other controls as U+2400 pictures")
            << QByteArray("\x00\x1b\x7f", 3) << 200 << u"␀␛␡"_s;
        QTest::newRow("Unicode line separators as line breaks")
            << QByteArray("a\u2028b\u2029") << 200 << u"a↵b↵"_s;
        QTest::newRow("exactly maxChars") << QByteArray("abc") << 3 << u"abc"_s;
        QTest::newRow("elided after maxChars") << QByteArray("abcdef") << 3 << u"abc …"_s;
        QTest::newRow("multi-byte character counts once") << QByteArray("wörld") << 2 << u"wö …"_s;
        QTest::newRow("emoji counts once") << QByteArray("😀x") << 1 << u"😀 …"_s;
        QTest::newRow("maxChars 0") << QByteArray("a") << 0 << u"…"_s;
        QTest::newRow("invalid UTF-8 as U+FFFD") << QByteArray("a\xff"
                                                               "b")
                                                 << 200 << u"a\ufffdb"_s;
        QTest::newRow("2-byte characters past the decoded prefix")
            << QByteArray("üüüüüüüüüüüüüüüüüüüü") << 3 << u"üüü …"_s;
        QTest::newRow("4-byte characters exactly to the limit") << QByteArray("😀😀😀") << 3 << u"😀😀😀"_s;
    }
    void singleLinePreviewShowsOneLine()
    {
        QFETCH(QByteArray, utf8);
        QFETCH(int, maxChars);
        QFETCH(QString, preview);
        QCOMPARE(singleLinePreview(utf8, maxChars), preview);
    }

    void singleLinePreviewOfALargeMessage()
    {
        const QByteArray big(16 * 1024 * 1024, 'a');
        QCOMPARE(singleLinePreview(big, 5), u"aaaaa …"_s);
    }

    void messagePreviewByType_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<bool>("isText");
        QTest::addColumn<int>("maxChars");
        QTest::addColumn<QString>("preview");
        QTest::newRow("text on one line") << QByteArray("a\nb") << true << 200 << u"a↵b"_s;
        QTest::newRow("text elided") << QByteArray("hello") << true << 2 << u"he …"_s;
        QTest::newRow("binary as hex") << bytesFromHex("01ff7e") << false << 200 << u"01 ff 7e"_s;
        QTest::newRow("text bytes sent as binary are hex") << QByteArray("hi") << false << 200 << u"68 69"_s;
        QTest::newRow("binary fitted to maxChars")
            << bytesFromHex("01020304") << false << 8 << u"01 02 03 …"_s;
        QTest::newRow("binary shows at least one byte") << bytesFromHex("0102") << false << 1 << u"01 …"_s;
        QTest::newRow("empty binary") << QByteArray() << false << 200 << QString();
    }
    void messagePreviewByType()
    {
        QFETCH(QByteArray, data);
        QFETCH(bool, isText);
        QFETCH(int, maxChars);
        QFETCH(QString, preview);
        QCOMPARE(messagePreview(data, isText, maxChars), preview);
    }

    // --- utf8Problem ---

    void utf8ProblemExplains_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        QTest::newRow("valid: empty") << QByteArray() << QString();
        QTest::newRow("valid: ASCII") << QByteArray("hello") << QString();
        QTest::newRow("valid: 2, 3 and 4-byte characters") << QByteArray("wörld € 😀") << QString();
        QTest::newRow("valid: last code point U+10FFFF") << bytesFromHex("f48fbfbf") << QString();
        QTest::newRow("valid: U+FFFF is not a surrogate") << bytesFromHex("efbfbf") << QString();
        QTest::newRow("unexpected continuation byte")
            << QByteArray("ab\x80")
            << u"byte 0x80 at offset 2 is an unexpected continuation byte: no lead byte starts a sequence before it"_s;
        QTest::newRow("continuation after a complete character")
            << bytesFromHex("c3a9a9")
            << u"byte 0xA9 at offset 2 is an unexpected continuation byte: no lead byte starts a sequence before it"_s;
        QTest::newRow("invalid lead byte 0xFF")
            << QByteArray("a\xff") << u"byte 0xFF at offset 1 is not a valid lead byte in UTF-8"_s;
        QTest::newRow("invalid lead byte 0xF8")
            << bytesFromHex("f8808080") << u"byte 0xF8 at offset 0 is not a valid lead byte in UTF-8"_s;
        QTest::newRow("lead byte 0xF5: beyond U+10FFFF")
            << bytesFromHex("f5808080")
            << u"byte 0xF5 at offset 0 would start a code point beyond U+10FFFF, the last one Unicode has"_s;
        QTest::newRow("lead byte followed by ASCII")
            << QByteArray("hello\xc3(")
            << u"byte 0xC3 at offset 5 starts a 2-byte sequence but is followed by 0x28 at offset 6, which is not a continuation byte"_s;
        QTest::newRow("3-byte sequence broken at its third byte")
            << QByteArray("\xe2\x82x")
            << u"byte 0xE2 at offset 0 starts a 3-byte sequence but is followed by 0x78 at offset 2, which is not a continuation byte"_s;
        QTest::newRow("lead byte followed by another lead byte")
            << bytesFromHex("f0c3a9")
            << u"byte 0xF0 at offset 0 starts a 4-byte sequence but is followed by 0xC3 at offset 1, which is not a continuation byte"_s;
        QTest::newRow("truncated at the end: 2 of 3 bytes")
            << QByteArray("ab\xe2\x82")
            << u"byte 0xE2 at offset 2 starts a 3-byte sequence but the data ends after 2 bytes of it (truncated)"_s;
        QTest::newRow("truncated at the end: 1 of 4 bytes")
            << bytesFromHex("f0")
            << u"byte 0xF0 at offset 0 starts a 4-byte sequence but the data ends after 1 byte of it (truncated)"_s;
        QTest::newRow("overlong 2-byte form of '/'")
            << QByteArray("a\xc0\xaf")
            << u"bytes 0xC0 0xAF at offset 1 are an overlong encoding of U+002F, which must be written in 1 byte"_s;
        QTest::newRow("0xC1 alone")
            << bytesFromHex("c1")
            << u"byte 0xC1 at offset 0 can only start an overlong encoding and never appears in UTF-8"_s;
        QTest::newRow("overlong 3-byte form of '/'")
            << bytesFromHex("e080af")
            << u"bytes 0xE0 0x80 0xAF at offset 0 are an overlong encoding of U+002F, which must be written in 1 byte"_s;
        QTest::newRow("overlong 3-byte form of U+07FF")
            << bytesFromHex("e09fbf")
            << u"bytes 0xE0 0x9F 0xBF at offset 0 are an overlong encoding of U+07FF, which must be written in 2 bytes"_s;
        QTest::newRow("overlong 4-byte form of U+FFFF")
            << bytesFromHex("f08fbfbf")
            << u"bytes 0xF0 0x8F 0xBF 0xBF at offset 0 are an overlong encoding of U+FFFF, which must be written in 3 bytes"_s;
        QTest::newRow("overlong and truncated")
            << bytesFromHex("41e080")
            << u"bytes 0xE0 0x80 at offset 1 start an overlong encoding (a longer form than the code point needs)"_s;
        QTest::newRow("high surrogate U+D800")
            << QByteArray("x\xed\xa0\x80")
            << u"bytes 0xED 0xA0 0x80 at offset 1 encode U+D800, a UTF-16 surrogate, which UTF-8 must not contain"_s;
        QTest::newRow("low surrogate U+DFFF")
            << bytesFromHex("edbfbf")
            << u"bytes 0xED 0xBF 0xBF at offset 0 encode U+DFFF, a UTF-16 surrogate, which UTF-8 must not contain"_s;
        QTest::newRow("surrogate, truncated")
            << bytesFromHex("eda0")
            << u"bytes 0xED 0xA0 at offset 0 start a UTF-16 surrogate (U+D800-U+DFFF), which UTF-8 must not contain"_s;
        QTest::newRow("beyond U+10FFFF")
            << bytesFromHex("f4908080")
            << u"bytes 0xF4 0x90 0x80 0x80 at offset 0 encode U+110000, beyond U+10FFFF, the last code point Unicode has"_s;
        QTest::newRow("beyond U+10FFFF, truncated")
            << bytesFromHex("f490")
            << u"bytes 0xF4 0x90 at offset 0 start a code point beyond U+10FFFF, the last one Unicode has"_s;
        QTest::newRow("the first problem is reported")
            << bytesFromHex("80ff")
            << u"byte 0x80 at offset 0 is an unexpected continuation byte: no lead byte starts a sequence before it"_s;
        QTest::newRow("offset after a long valid run")
            << QByteArray(100, 'a') + QByteArray("é") + QByteArray("\xff")
            << u"byte 0xFF at offset 102 is not a valid lead byte in UTF-8"_s;
    }
    void utf8ProblemExplains()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        QCOMPARE(utf8Problem(bytes), problem);
    }

    // --- JSON ---

    void prettyJsonIndents_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("pretty");
        QTest::newRow("object with a nested array")
            << QByteArray("{\"b\":1,\"a\":[1,2,{}],\"c\":\"x,y:{\"}")
            << u"{\n  \"b\": 1,\n  \"a\": [\n    1,\n    2,\n    {}\n  ],\n  \"c\": \"x,y:{\"\n}"_s;
        QTest::newRow("keeps key order and numbers as written")
            << QByteArray("{\"z\":1.50,\"a\":12345678901234567890}")
            << u"{\n  \"z\": 1.50,\n  \"a\": 12345678901234567890\n}"_s;
        QTest::newRow("escaped quote and backslash in a string")
            << QByteArray("[\"a\\\"b\\\\\", \"c\"]") << u"[\n  \"a\\\"b\\\\\",\n  \"c\"\n]"_s;
        QTest::newRow("whitespace in strings is kept")
            << QByteArray("[\" a , b \"]") << u"[\n  \" a , b \"\n]"_s;
        QTest::newRow("empty array") << QByteArray("[]") << u"[]"_s;
        QTest::newRow("empty object with spaces") << QByteArray("{ \n }") << u"{}"_s;
        QTest::newRow("whitespace is replaced") << QByteArray(" [ 1 ,\n 2 ] \n") << u"[\n  1,\n  2\n]"_s;
        QTest::newRow("UTF-8 text") << QByteArray("{\"k\":\"wörld\"}") << u"{\n  \"k\": \"wörld\"\n}"_s;
        QTest::newRow("literals") << QByteArray("[true,false,null]") << u"[\n  true,\n  false,\n  null\n]"_s;
    }
    void prettyJsonIndents()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, pretty);
        QString error = u"stale"_s;
        const std::optional<QString> actual = prettyJson(json, &error);
        QVERIFY2(actual.has_value(), qPrintable(error));
        QCOMPARE(*actual, pretty);
        QVERIFY(error.isEmpty());
        QVERIFY(isJson(json));
    }

    void prettyJsonRejects_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("empty") << QByteArray() << u"Not JSON: there is no value, only an empty text."_s;
        QTest::newRow("trailing comma in an object")
            << QByteArray("{\"a\":1,}")
            << u"Not JSON at offset 8 (line 1, column 9): object is missing after a comma."_s;
        QTest::newRow("unterminated array")
            << QByteArray("[1,2")
            << u"Not JSON at offset 4 (line 1, column 5): invalid termination by number."_s;
        QTest::newRow("missing colon")
            << QByteArray("{\"a\" 1}")
            << u"Not JSON at offset 6 (line 1, column 7): missing name separator."_s;
        QTest::newRow("garbage after the value")
            << QByteArray("[1]x")
            << u"Not JSON at offset 3 (line 1, column 4): garbage at the end of the document."_s;
        QTest::newRow("error on the second line")
            << QByteArray("{\n  \"a\": tru\n}")
            << u"Not JSON at offset 13 (line 3, column 1): illegal value."_s;
        QTest::newRow("unterminated string")
            << QByteArray("[\"abc") << u"Not JSON at offset 5 (line 1, column 6): unterminated string."_s;
        QTest::newRow("only whitespace")
            << QByteArray(" \n") << u"Not JSON: there is no value, only whitespace."_s;
        QTest::newRow("a bare string is not a document")
            << QByteArray("\"s\"")
            << u"Not a JSON document: a single value (a string, number, true, false or null) is valid JSON, but a document here is an object {…} or an array […]."_s;
        QTest::newRow("a bare number is not a document")
            << QByteArray("42")
            << u"Not a JSON document: a single value (a string, number, true, false or null) is valid JSON, but a document here is an object {…} or an array […]."_s;
    }
    void prettyJsonRejects()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        QString actual;
        QCOMPARE(prettyJson(json, &actual), std::nullopt);
        QCOMPARE(actual, error);
        QVERIFY(!isJson(json));
    }

    void isJsonRecognizes_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("json");
        QTest::newRow("object") << QByteArray("{\"a\":1}") << true;
        QTest::newRow("array with whitespace around") << QByteArray(" [1] \n") << true;
        QTest::newRow("empty object") << QByteArray("{}") << true;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("plain text") << QByteArray("hello") << false;
        QTest::newRow("a string alone") << QByteArray("\"s\"") << false;
        QTest::newRow("unclosed object") << QByteArray("{") << false;
        QTest::newRow("binary") << bytesFromHex("00ff") << false;
    }
    void isJsonRecognizes()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, json);
        QCOMPARE(isJson(bytes), json);
    }

    // --- close codes ---

    void closeCodeNames_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("name");
        QTest::newRow("1000") << 1000 << u"1000 Normal Closure"_s;
        QTest::newRow("1001") << 1001 << u"1001 Going Away"_s;
        QTest::newRow("1002") << 1002 << u"1002 Protocol Error"_s;
        QTest::newRow("1003") << 1003 << u"1003 Unsupported Data"_s;
        QTest::newRow("1004 reserved") << 1004 << u"1004 (reserved)"_s;
        QTest::newRow("1005 never sent") << 1005 << u"1005 No Status Received (never sent)"_s;
        QTest::newRow("1006 never sent") << 1006 << u"1006 Abnormal Closure (never sent)"_s;
        QTest::newRow("1007") << 1007 << u"1007 Invalid Payload Data"_s;
        QTest::newRow("1008") << 1008 << u"1008 Policy Violation"_s;
        QTest::newRow("1009") << 1009 << u"1009 Message Too Big"_s;
        QTest::newRow("1010") << 1010 << u"1010 Mandatory Extension"_s;
        QTest::newRow("1011") << 1011 << u"1011 Internal Error"_s;
        QTest::newRow("1012") << 1012 << u"1012 Service Restart"_s;
        QTest::newRow("1013") << 1013 << u"1013 Try Again Later"_s;
        QTest::newRow("1014") << 1014 << u"1014 Bad Gateway"_s;
        QTest::newRow("1015 never sent") << 1015 << u"1015 TLS Handshake (never sent)"_s;
        QTest::newRow("1016 unassigned") << 1016 << u"1016 (reserved)"_s;
        QTest::newRow("2999 extensions") << 2999 << u"2999 (reserved)"_s;
        QTest::newRow("3000 first registered") << 3000 << u"3000 (registered)"_s;
        QTest::newRow("3999 last registered") << 3999 << u"3999 (registered)"_s;
        QTest::newRow("4000 first private") << 4000 << u"4000 (application)"_s;
        QTest::newRow("4001") << 4001 << u"4001 (application)"_s;
        QTest::newRow("4999 last private") << 4999 << u"4999 (application)"_s;
        QTest::newRow("0 not used") << 0 << u"0 (invalid)"_s;
        QTest::newRow("999 not used") << 999 << u"999 (invalid)"_s;
        QTest::newRow("5000 out of range") << 5000 << u"5000 (invalid)"_s;
        QTest::newRow("65535 out of range") << 65535 << u"65535 (invalid)"_s;
    }
    void closeCodeNames()
    {
        QFETCH(int, code);
        QFETCH(QString, name);
        QCOMPARE(closeCodeName(quint16(code)), name);
    }

    void sendableStandardCodes()
    {
        const QList<quint16> expected{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011};
        QCOMPARE(sendableStandardCloseCodes(), expected);
        for (quint16 code : sendableStandardCloseCodes()) {
            QVERIFY2(Wsw::Codec::isSendableCloseCode(code), qPrintable(closeCodeName(code)));
            QVERIFY(!closeCodeName(code).contains(u'('));
        }
    }

    // --- sizes and durations ---

    void byteSizes_data()
    {
        QTest::addColumn<quint64>("bytes");
        QTest::addColumn<QString>("text");
        QTest::newRow("0") << quint64(0) << u"0 B"_s;
        QTest::newRow("1") << quint64(1) << u"1 B"_s;
        QTest::newRow("512") << quint64(512) << u"512 B"_s;
        QTest::newRow("1023: last in bytes") << quint64(1023) << u"1023 B"_s;
        QTest::newRow("1024: first KiB") << quint64(1024) << u"1.0 KiB"_s;
        QTest::newRow("1.5 KiB") << quint64(1536) << u"1.5 KiB"_s;
        QTest::newRow("1.0498 KiB rounds down") << quint64(1075) << u"1.0 KiB"_s;
        QTest::newRow("1.0508 KiB rounds up") << quint64(1076) << u"1.1 KiB"_s;
        QTest::newRow("1023.9 KiB stays in KiB") << quint64(1048524) << u"1023.9 KiB"_s;
        QTest::newRow("1023.95 KiB rounds to 1.0 MiB") << quint64(1048525) << u"1.0 MiB"_s;
        QTest::newRow("1 MiB") << quint64(1024 * 1024) << u"1.0 MiB"_s;
        QTest::newRow("3.2 MiB") << quint64(3355443) << u"3.2 MiB"_s;
        QTest::newRow("1 GiB") << (quint64(1) << 30) << u"1.0 GiB"_s;
        QTest::newRow("1 TiB") << (quint64(1) << 40) << u"1.0 TiB"_s;
        QTest::newRow("1 PiB") << (quint64(1) << 50) << u"1.0 PiB"_s;
        QTest::newRow("1 EiB") << (quint64(1) << 60) << u"1.0 EiB"_s;
        QTest::newRow("largest value") << std::numeric_limits<quint64>::max() << u"16.0 EiB"_s;
    }
    void byteSizes()
    {
        QFETCH(quint64, bytes);
        QFETCH(QString, text);
        QCOMPARE(byteSize(bytes), text);
    }

    void durations_data()
    {
        QTest::addColumn<qint64>("milliseconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("0") << qint64(0) << u"0 ms"_s;
        QTest::newRow("850 ms") << qint64(850) << u"850 ms"_s;
        QTest::newRow("999 ms: last in ms") << qint64(999) << u"999 ms"_s;
        QTest::newRow("1 s") << qint64(1000) << u"1.00 s"_s;
        QTest::newRow("1.25 s") << qint64(1250) << u"1.25 s"_s;
        QTest::newRow("1.254 s rounds down") << qint64(1254) << u"1.25 s"_s;
        QTest::newRow("1.255 s rounds up") << qint64(1255) << u"1.26 s"_s;
        QTest::newRow("59.994 s: last in seconds") << qint64(59994) << u"59.99 s"_s;
        QTest::newRow("59.995 s rounds to a minute") << qint64(59995) << u"1 min"_s;
        QTest::newRow("1 min") << qint64(60000) << u"1 min"_s;
        QTest::newRow("2 min 5 s") << qint64(125000) << u"2 min 5 s"_s;
        QTest::newRow("2 min 5.499 s") << qint64(125499) << u"2 min 5 s"_s;
        QTest::newRow("2 min 5.5 s rounds up") << qint64(125500) << u"2 min 6 s"_s;
        QTest::newRow("59 min 59 s") << qint64(3599499) << u"59 min 59 s"_s;
        QTest::newRow("rounds to an hour") << qint64(3599500) << u"1 h"_s;
        QTest::newRow("1 h 2 min") << qint64(3690000) << u"1 h 2 min"_s;
        QTest::newRow("1 d") << qint64(86400000) << u"1 d"_s;
        QTest::newRow("1 d 2 h") << qint64(93600000) << u"1 d 2 h"_s;
        QTest::newRow("negative") << qint64(-1500) << u"-1.50 s"_s;
        QTest::newRow("most negative") << std::numeric_limits<qint64>::min() << u"-106751991167 d 7 h"_s;
    }
    void durations()
    {
        QFETCH(qint64, milliseconds);
        QFETCH(QString, text);
        QCOMPARE(duration(milliseconds), text);
    }
};

QTEST_APPLESS_MAIN(tst_MessageFormat)
#include "tst_messageformat.moc"
