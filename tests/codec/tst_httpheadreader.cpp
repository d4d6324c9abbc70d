// The bounded HTTP head reader shared by both handshake parsers: start line, header lines and the
// empty line from bytes split anywhere, each bound reporting the caller's ErrorDetail, CRLF and
// bare LF, whitespace and obsolete line folding, and nothing consumed after the empty line.
#include "codec/httpheadreader.h"

#include <QTest>

using namespace Wsw;
using namespace Wsw::Codec;

namespace {

using Result = HttpHeadReader::Result;

constexpr qsizetype LineBytes = 16;
constexpr int Headers = 3;
constexpr qsizetype HeadBytes = 64;

/** Small bounds, and a different ErrorDetail for every rule so that each can be told apart. */
HttpHeadReader::Options smallOptions()
{
    HttpHeadReader::Options options;
    options.maxLineBytes = LineBytes;
    options.maxHeaders = Headers;
    options.maxHeadBytes = HeadBytes;
    options.startLineForbidden = ErrorDetail::RequestLineMalformed;
    options.startLineTooLong = ErrorDetail::RequestLineTooLong;
    options.headerLineTooLong = ErrorDetail::RequestHeaderLineTooLong;
    options.headTooLarge = ErrorDetail::RequestHeaderTooLarge;
    options.malformedHeader = ErrorDetail::RequestHeaderMalformed;
    options.tooManyHeaders = ErrorDetail::RequestTooManyHeaders;
    return options;
}

/** What the server's parser adds: empty lines skipped, controls refused on the request line and in values. */
HttpHeadReader::Options strictOptions()
{
    HttpHeadReader::Options options = smallOptions();
    options.skipEmptyLinesBeforeStartLine = true;
    options.refuseControlsInValues = true;
    options.isForbiddenInStartLine = [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && c != '\r' && c != '\n') || u >= 0x7F;
    };
    return options;
}

struct Outcome {
    Result last = Result::NeedMore;
    int startLines = 0;
    QByteArray startLine;
    HeaderList headers;
    QByteArray raw;
    qsizetype consumed = 0;
    ErrorDetail error = ErrorDetail::None;
};

/** Feeds the chunks as a parser does: past StartLine, and no further once the head ended or failed. */
Outcome drive(const HttpHeadReader::Options &options, const QList<QByteArrayView> &chunks)
{
    HttpHeadReader reader(options);
    Outcome out;
    for (QByteArrayView chunk : chunks) {
        qsizetype pos = 0;
        for (;;) {
            qsizetype used = -1;
            out.last = reader.feed(chunk.sliced(pos), &used);
            pos += used;
            out.consumed += used;
            if (out.last != Result::StartLine)
                break;
            ++out.startLines;
            out.startLine = reader.startLine().toByteArray();
        }
        if (out.last == Result::HeadComplete || out.last == Result::Error)
            break;
        if (pos != chunk.size()) {
            out.last = Result::Error; // NeedMore must have consumed the whole chunk
            break;
        }
    }
    out.headers = reader.headers();
    out.raw = reader.raw();
    out.error = reader.error();
    return out;
}

Outcome driveWhole(const HttpHeadReader::Options &options, const QByteArray &bytes)
{
    return drive(options, {bytes});
}

QByteArray repeat(char c, qsizetype n)
{
    return QByteArray(n, c);
}

} // namespace

class tst_HttpHeadReader final : public QObject
{
    Q_OBJECT

private slots:
    void headAtEverySplit_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QByteArray>("startLine");
        QTest::addColumn<HeaderList>("headers");
        QTest::newRow("CRLF") << QByteArray("HTTP/1.1 101 OK\r\nA: 1\r\nB-b: two\r\n\r\n") << QByteArray("HTTP/1.1 101 OK")
                              << HeaderList{{"A", "1"}, {"B-b", "two"}};
        QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\nA: 1\nB: 2\n\n") << QByteArray("GET / HTTP/1.1")
                                 << HeaderList{{"A", "1"}, {"B", "2"}};
        QTest::newRow("mixed") << QByteArray("GET / HTTP/1.1\nA: 1\r\nB: 2\n\r\n") << QByteArray("GET / HTTP/1.1")
                               << HeaderList{{"A", "1"}, {"B", "2"}};
        QTest::newRow("no headers") << QByteArray("HTTP/1.1 204 X\r\n\r\n") << QByteArray("HTTP/1.1 204 X") << HeaderList{};
        QTest::newRow("order and repeats kept") << QByteArray("S\r\nb: 1\r\nA: 2\r\nb: 3\r\n\r\n") << QByteArray("S")
                                                << HeaderList{{"b", "1"}, {"A", "2"}, {"b", "3"}};
        QTest::newRow("only the last CR goes") << QByteArray("S\r\r\nA: 1\r\n\r\n") << QByteArray("S\r")
                                               << HeaderList{{"A", "1"}};
    }

    void headAtEverySplit()
    {
        QFETCH(QByteArray, head);
        QFETCH(QByteArray, startLine);
        QFETCH(HeaderList, headers);
        const QByteArray frames("\x81\x02hi\r\n\r\n", 8); // what follows the head is never read
        const QByteArray bytes = head + frames;

        for (qsizetype split = 0; split <= bytes.size(); ++split) {
            const QByteArrayView view(bytes);
            const Outcome out = drive(smallOptions(), {view.first(split), view.sliced(split)});
            QCOMPARE(out.last, Result::HeadComplete);
            QCOMPARE(out.startLines, 1);
            QCOMPARE(out.startLine, startLine);
            QCOMPARE(out.headers, headers);
            QCOMPARE(out.raw, head);
            QCOMPARE(out.consumed, head.size());
        }

        QList<QByteArrayView> bytewise;
        for (qsizetype i = 0; i < bytes.size(); ++i)
            bytewise.append(QByteArrayView(bytes).sliced(i, 1));
        const Outcome out = drive(smallOptions(), bytewise);
        QCOMPARE(out.last, Result::HeadComplete);
        QCOMPARE(out.headers, headers);
        QCOMPARE(out.consumed, head.size());
    }

    void stopsAtTheEmptyLine()
    {
        HttpHeadReader reader(smallOptions());
        const QByteArray bytes = "S\r\nA: 1\r\n\r\nframes";
        qsizetype used = 0;
        QCOMPARE(reader.feed(bytes, &used), Result::StartLine);
        QCOMPARE(used, 3);
        QCOMPARE(reader.startLine(), "S");
        QCOMPARE(reader.feed(QByteArrayView(bytes).sliced(3), &used), Result::HeadComplete);
        QCOMPARE(used, bytes.size() - 3 - 6);
        QVERIFY(reader.isHeadComplete());
        QCOMPARE(reader.feed("more", &used), Result::HeadComplete); // done: nothing more is read
        QCOMPARE(used, 0);
        QCOMPARE(reader.raw(), "S\r\nA: 1\r\n\r\n");
        QCOMPARE(reader.feed({}, nullptr), Result::HeadComplete);
    }

    void nothingToReadIsNeedMore()
    {
        HttpHeadReader reader(smallOptions());
        qsizetype used = -1;
        QCOMPARE(reader.feed({}, &used), Result::NeedMore);
        QCOMPARE(used, 0);
        QCOMPARE(reader.feed("HTTP/1.1 1", &used), Result::NeedMore);
        QCOMPARE(used, 10);
        QCOMPARE(reader.feed("01 X\r\n", &used), Result::StartLine);
        QCOMPARE(reader.startLine(), "HTTP/1.1 101 X");
        QCOMPARE(reader.feed({}, &used), Result::NeedMore);
        QCOMPARE(used, 0);
    }

    void whitespaceAndFolding_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("strict");
        QTest::addColumn<ErrorDetail>("error");
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        const auto ok = ErrorDetail::None;
        const auto bad = ErrorDetail::RequestHeaderMalformed;
        for (const bool strict : {false, true}) {
            const char *mode = strict ? "strict: " : "lenient: ";
            auto row = [&](const char *name) -> QTestData & { return QTest::addRow("%s%s", mode, name); };
            row("OWS trimmed") << QByteArray("A:  \t v \t ") << strict << ok << QByteArray("A") << QByteArray("v");
            row("no space") << QByteArray("A:v") << strict << ok << QByteArray("A") << QByteArray("v");
            row("inner spaces kept") << QByteArray("A: x  y") << strict << ok << QByteArray("A") << QByteArray("x  y");
            row("empty value") << QByteArray("A:") << strict << ok << QByteArray("A") << QByteArray("");
            row("colon in value") << QByteArray("H: a:80") << strict << ok << QByteArray("H") << QByteArray("a:80");
            row("HTAB in value") << QByteArray("A: x\ty") << strict << ok << QByteArray("A") << QByteArray("x\ty");
            row("obs-text in value") << QByteArray("A: \xC3\xA9") << strict << ok << QByteArray("A") << QByteArray("\xC3\xA9");
            row("trailing CR trimmed") << QByteArray("A: v\r") << strict << ok << QByteArray("A") << QByteArray("v");
            row("obs-fold SP") << QByteArray(" folded") << strict << bad << QByteArray() << QByteArray();
            row("obs-fold HTAB") << QByteArray("\tfolded") << strict << bad << QByteArray() << QByteArray();
            row("space before colon") << QByteArray("A : v") << strict << bad << QByteArray() << QByteArray();
            row("no colon") << QByteArray("A v") << strict << bad << QByteArray() << QByteArray();
            row("empty name") << QByteArray(": v") << strict << bad << QByteArray() << QByteArray();
            row("name not a token") << QByteArray("A(b): v") << strict << bad << QByteArray() << QByteArray();
            // controls in a value: refused only when the caller asks (the server's parser does)
            const ErrorDetail control = strict ? bad : ok;
            row("NUL in value") << QByteArray("A: x\0y", 6) << strict << control << QByteArray("A") << QByteArray("x\0y", 3);
            row("bare CR in value") << QByteArray("A: x\ry") << strict << control << QByteArray("A") << QByteArray("x\ry");
            row("DEL in value") << QByteArray("A: x\x7Fy") << strict << control << QByteArray("A") << QByteArray("x\x7Fy");
        }
    }

    void whitespaceAndFolding()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, strict);
        QFETCH(ErrorDetail, error);
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        const QByteArray head = "S\r\n" + line + "\r\n\r\n";
        const Outcome out = driveWhole(strict ? strictOptions() : smallOptions(), head);
        QCOMPARE(out.error, error);
        if (error != ErrorDetail::None) {
            QCOMPARE(out.last, Result::Error);
            QCOMPARE(out.consumed, 3 + line.size() + 2); // the malformed line was read
            QVERIFY(out.headers.isEmpty());
            return;
        }
        QCOMPARE(out.last, Result::HeadComplete);
        QCOMPARE(out.headers, (HeaderList{{name, value}}));
    }

    void lineBound_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<ErrorDetail>("error");
        const QByteArray header = "A: " + repeat('a', LineBytes - 3); // exactly LineBytes
        QTest::newRow("start line at the bound") << QByteArray(repeat('s', LineBytes) + "\r\n\r\n") << ErrorDetail::None;
        QTest::newRow("start line over it") << QByteArray(repeat('s', LineBytes + 1) + "\r\n\r\n")
                                            << ErrorDetail::RequestLineTooLong;
        QTest::newRow("header at the bound") << QByteArray("S\r\n" + header + "\r\n\r\n") << ErrorDetail::None;
        QTest::newRow("header at the bound, LF") << QByteArray("S\n" + header + "\n\n") << ErrorDetail::None;
        QTest::newRow("header over it") << QByteArray("S\r\n" + header + "a\r\n\r\n") << ErrorDetail::RequestHeaderLineTooLong;
        // the bound allows two bytes for the line end, whichever it is
        QTest::newRow("one over, bare LF") << QByteArray("S\n" + header + "a\n\n") << ErrorDetail::None;
        QTest::newRow("two over, bare LF") << QByteArray("S\n" + header + "aa\n\n") << ErrorDetail::RequestHeaderLineTooLong;
        QTest::newRow("endless line") << QByteArray("S\r\n" + repeat('a', HeadBytes)) << ErrorDetail::RequestHeaderLineTooLong;
        QTest::newRow("empty terminating line with spaces is a fold")
            << QByteArray("S\r\n \r\n\r\n") << ErrorDetail::RequestHeaderMalformed;
    }

    void lineBound()
    {
        QFETCH(QByteArray, head);
        QFETCH(ErrorDetail, error);
        for (qsizetype split = 0; split <= head.size(); ++split) {
            const QByteArrayView view(head);
            const Outcome out = drive(smallOptions(), {view.first(split), view.sliced(split)});
            QCOMPARE(out.error, error);
            QCOMPARE(out.last, error == ErrorDetail::None ? Result::HeadComplete : Result::Error);
            QVERIFY(out.raw.size() <= HeadBytes);
            if (error == ErrorDetail::RequestLineTooLong || error == ErrorDetail::RequestHeaderLineTooLong) {
                // the refused piece is neither read nor kept
                QCOMPARE(out.raw.size(), out.consumed);
                qsizetype lineStart = out.raw.lastIndexOf('\n') + 1;
                QVERIFY(out.raw.size() - lineStart <= LineBytes + 2);
            }
        }
    }

    void headerCountBound()
    {
        QByteArray atBound = "S\r\n";
        for (int i = 0; i < Headers; ++i)
            atBound += "H" + QByteArray::number(i) + ": v\r\n";
        Outcome out = driveWhole(smallOptions(), atBound + "\r\n");
        QCOMPARE(out.last, Result::HeadComplete);
        QCOMPARE(out.headers.size(), Headers);

        out = driveWhole(smallOptions(), atBound + "X: v\r\n\r\n");
        QCOMPARE(out.error, ErrorDetail::RequestTooManyHeaders);
        QCOMPARE(out.headers.size(), Headers);
        QCOMPARE(out.consumed, atBound.size() + 6);

        // a malformed line is reported as such even past the count
        out = driveWhole(smallOptions(), atBound + " X\r\n\r\n");
        QCOMPARE(out.error, ErrorDetail::RequestHeaderMalformed);
        out = driveWhole(strictOptions(), atBound + QByteArray("X: \0\r\n\r\n", 8));
        QCOMPARE(out.error, ErrorDetail::RequestHeaderMalformed);
    }

    void headBound_data()
    {
        QTest::addColumn<qsizetype>("extra");
        QTest::addColumn<ErrorDetail>("error");
        QTest::newRow("at the bound") << qsizetype(0) << ErrorDetail::None;
        QTest::newRow("one over") << qsizetype(1) << ErrorDetail::RequestHeaderTooLarge;
    }

    void headBound()
    {
        QFETCH(qsizetype, extra);
        QFETCH(ErrorDetail, error);
        // lines at their bound, then a filler header and the empty line: HeadBytes + extra in all
        QByteArray head = repeat('s', LineBytes) + "\r\n";
        for (int i = 0; i < Headers - 1; ++i)
            head += "H" + QByteArray::number(i) + ": " + repeat('v', LineBytes - 4) + "\r\n";
        const qsizetype filler = HeadBytes + extra - head.size() - 7; // "F: " + value + "\r\n" + "\r\n"
        QVERIFY(filler >= 0 && filler + 3 <= LineBytes);
        head += "F: " + repeat('f', filler) + "\r\n\r\n";
        QCOMPARE(head.size(), HeadBytes + extra);

        for (qsizetype split = 0; split <= head.size(); ++split) {
            const QByteArrayView view(head);
            const Outcome out = drive(smallOptions(), {view.first(split), view.sliced(split)});
            QCOMPARE(out.error, error);
            QVERIFY(out.raw.size() <= HeadBytes);
            if (error != ErrorDetail::None) {
                QCOMPARE(out.last, Result::Error);
                QCOMPARE(out.raw.size(), out.consumed); // the piece over the bound is not read
            }
        }
    }

    void emptyLinesBeforeTheStartLine()
    {
        const QByteArray head = "\r\n\n\r\nGET / HTTP/1.1\r\nA: 1\r\n\r\n";
        for (qsizetype split = 0; split <= head.size(); ++split) {
            const QByteArrayView view(head);
            const Outcome skipped = drive(strictOptions(), {view.first(split), view.sliced(split)});
            QCOMPARE(skipped.last, Result::HeadComplete);
            QCOMPARE(skipped.startLines, 1);
            QCOMPARE(skipped.startLine, "GET / HTTP/1.1");
            QCOMPARE(skipped.raw, head); // kept as received
        }
        // without the option an empty first line is the start line, for the caller to refuse
        const Outcome kept = driveWhole(smallOptions(), head);
        QCOMPARE(kept.startLines, 1);
        QCOMPARE(kept.startLine, "");
        QCOMPARE(kept.consumed, 3);
        QCOMPARE(kept.last, Result::HeadComplete); // "\n" then ends the (empty) head
    }

    void forbiddenStartLineBytes_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<qsizetype>("consumed");
        QTest::addColumn<ErrorDetail>("error");
        // a TLS ClientHello to a plain port: refused at its first piece, consumed with it
        QTest::newRow("ClientHello") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) << qsizetype(11)
                                     << ErrorDetail::RequestLineMalformed;
        QTest::newRow("up to the LF") << QByteArray("GET /\x01 HTTP/1.1\r\nA: 1\r\n\r\n") << qsizetype(17)
                                      << ErrorDetail::RequestLineMalformed;
        QTest::newRow("in a skipped empty line") << QByteArray("\x7F\r\nGET / HTTP/1.1\r\n\r\n") << qsizetype(3)
                                                 << ErrorDetail::RequestLineMalformed;
        QTest::newRow("before the length bound") << QByteArray(repeat('s', LineBytes + 8) + "\x80\r\n")
                                                 << qsizetype(LineBytes + 11) << ErrorDetail::RequestLineMalformed;
        QTest::newRow("not looked for in headers") << QByteArray("GET / HTTP/1.1\r\nA: \x80\r\n\r\n") << qsizetype(24)
                                                   << ErrorDetail::None;
    }

    void forbiddenStartLineBytes()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(qsizetype, consumed);
        QFETCH(ErrorDetail, error);
        const Outcome out = driveWhole(strictOptions(), bytes);
        QCOMPARE(out.error, error);
        QCOMPARE(out.consumed, consumed);
        if (error != ErrorDetail::None)
            QVERIFY(out.raw.isEmpty()); // refused bytes are not kept

        // the lenient reader does not look at the bytes at all
        const Outcome lenient = driveWhole(smallOptions(), bytes);
        QVERIFY(lenient.error != ErrorDetail::RequestLineMalformed);
    }

    void startLineParserOverload()
    {
        // what both parsers use: the start line goes to the caller's parser and reading goes on
        const QByteArray bytes = "\r\nGET / HTTP/1.1\r\nA: 1\r\n\r\nframes";
        for (qsizetype split = 0; split <= bytes.size(); ++split) {
            HttpHeadReader reader(strictOptions());
            QList<QByteArray> seen;
            auto parse = [&](QByteArrayView line) {
                seen.append(line.toByteArray());
                return ErrorDetail::None;
            };
            qsizetype first = -1;
            qsizetype second = -1;
            const Result r1 = reader.feed(QByteArrayView(bytes).first(split), &first, parse);
            QVERIFY(r1 == Result::NeedMore || r1 == Result::HeadComplete);
            const Result r2 = r1 == Result::NeedMore ? reader.feed(QByteArrayView(bytes).sliced(split), &second, parse)
                                                     : reader.feed({}, &second, parse);
            QCOMPARE(r2, Result::HeadComplete);
            QCOMPARE(first + second, bytes.size() - 6);
            QCOMPARE(seen, QList<QByteArray>{"GET / HTTP/1.1"});
            QCOMPARE(reader.headers(), (HeaderList{{"A", "1"}}));
        }

        HttpHeadReader reader(smallOptions());
        qsizetype used = -1;
        auto refuse = [](QByteArrayView) { return ErrorDetail::MalformedStatusLine; };
        QCOMPARE(reader.feed("HTTP/1.1 999\r\nA: 1\r\n\r\n", &used, refuse), Result::Error);
        QCOMPARE(used, 14); // the start line was read, nothing after it
        QCOMPARE(reader.error(), ErrorDetail::MalformedStatusLine);
        QCOMPARE(reader.raw(), "HTTP/1.1 999\r\n");
        QCOMPARE(reader.feed("A: 1\r\n", &used, refuse), Result::Error);
        QCOMPARE(used, 0);
        QCOMPARE(reader.feed("x", nullptr, refuse), Result::Error);
    }

    void errorsAreFinal()
    {
        HttpHeadReader reader(smallOptions());
        qsizetype used = 0;
        QCOMPARE(reader.feed("S\r\n", &used), Result::StartLine);
        QCOMPARE(reader.feed(" fold\r\n", &used), Result::Error);
        QCOMPARE(used, 7);
        QCOMPARE(reader.feed("A: 1\r\n\r\n", &used), Result::Error);
        QCOMPARE(used, 0);
        QCOMPARE(reader.error(), ErrorDetail::RequestHeaderMalformed);
        QVERIFY(!reader.isHeadComplete());
    }

    void nextHeadKeepsRawAndItsBound()
    {
        // an interim 1xx answer: its headers go, its bytes stay and still count
        HttpHeadReader reader(smallOptions());
        const QByteArray interim = "HTTP/1.1 103 E\r\nLink: </a>\r\n\r\n";
        qsizetype used = 0;
        QCOMPARE(reader.feed(interim, &used), Result::StartLine);
        QCOMPARE(reader.feed(QByteArrayView(interim).sliced(used), &used), Result::HeadComplete);
        QCOMPARE(reader.headers().size(), 1);
        reader.startNextHead();
        QVERIFY(!reader.isHeadComplete());
        QVERIFY(reader.headers().isEmpty());

        const QByteArray final = "HTTP/1.1 101 S\r\nA: 1\r\n\r\n";
        QCOMPARE(reader.feed(final, &used), Result::StartLine);
        QCOMPARE(reader.startLine(), "HTTP/1.1 101 S");
        QCOMPARE(reader.feed(QByteArrayView(final).sliced(used), &used), Result::HeadComplete);
        QCOMPARE(reader.headers(), (HeaderList{{"A", "1"}}));
        QCOMPARE(reader.raw(), interim + final);

        reader.startNextHead();
        const QByteArray tooMuch = "HTTP/1.1 101 S\r\n";
        QVERIFY(reader.raw().size() + tooMuch.size() > HeadBytes);
        QCOMPARE(reader.feed(tooMuch, &used), Result::Error);
        QCOMPARE(reader.error(), ErrorDetail::RequestHeaderTooLarge);
    }

    void headerLookups()
    {
        const HeaderList headers = {{"Upgrade", "websocket"}, {"X-Empty", ""}, {"upgrade", "h2c"}, {"X-Null", {}}};
        QCOMPARE(headerValue(headers, "UPGRADE"), "websocket");
        QVERIFY(headerValue(headers, "Missing").isNull());
        QVERIFY(!headerValue(headers, "X-Null").isNull()); // present but empty: not null
        QVERIFY(headerValue(headers, "X-Null").isEmpty());
        QVERIFY(!headerValue(headers, "X-Empty").isNull());
        QCOMPARE(headerValues(headers, "upgrade"), (QList<QByteArray>{"websocket", "h2c"}));
        QVERIFY(headerValues(headers, "Missing").isEmpty());
    }
};

QTEST_APPLESS_MAIN(tst_HttpHeadReader)
#include "tst_httpheadreader.moc"
