// Export and import of a session's log: a real session against our echo server, written as JSON
// Lines and as HAR and read back byte for byte; a browser's HAR; credentials never in the file;
// corrupt files refused with the line and the reason; the read-only view of an imported log.
#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QAbstractItemView>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include "export/harformat.h"
#include "export/jsonlinesformat.h"
#include "export/sessionfile.h"
#include "models/framelogmodel.h"
#include "models/messagelogfiltermodel.h"
#include "models/messagelogmodel.h"
#include "server/localechoserver.h"
#include "session.h"
#include "widgetlookup.h"
#include "widgets/importedsessionview.h"

using namespace Wsw;
using namespace Wsw::Ui;
using namespace Qt::Literals::StringLiterals;

namespace {

using Dir = LogEntry::Direction;
using Tester = QAbstractItemModelTester;

// what the session sends; the echo server sends each back
const QByteArray NonAsciiText = "Grüße, мир ✓ 𝄞 日本語";
const QByteArray JsonText = "{\"a\":[1,2,{\"b\":\"ü\"}],\"n\":null,\"t\":true}";
// the credentials the session's request carries: none may reach a file
const QByteArray BasicToken = "dXNlcjpodW50ZXIy"; // user:hunter2
const QByteArray Password = "hunter2";
const QByteArray CookieValue = "s3cr3tcookie";

QByteArray allByteValues()
{
    QByteArray bytes(256, Qt::Uninitialized);
    for (int i = 0; i < 256; ++i)
        bytes[i] = char(i);
    return bytes;
}

QByteArray oneMebibyte()
{
    QByteArray bytes(1024 * 1024, Qt::Uninitialized);
    QRandomGenerator generator(6455);
    for (char &c : bytes)
        c = char(generator.bounded(256));
    return bytes;
}

struct Sent {
    SocketMessageType type;
    QByteArray data;
};

QList<Sent> messagesToSend()
{
    return {{SocketMessageType::Utf8, QByteArray("")},
            {SocketMessageType::Utf8, NonAsciiText},
            {SocketMessageType::Utf8, JsonText},
            {SocketMessageType::Binary, allByteValues()},
            {SocketMessageType::Binary, oneMebibyte()}};
}

QList<LogEntry> messagesOf(const SessionRecord &record, Dir direction)
{
    QList<LogEntry> out;
    for (const LogEntry &e : record.entries) {
        if (e.kind == LogEntry::Kind::Message && e.direction == direction)
            out << e;
    }
    return out;
}

int countReceived(MessageLogModel *log)
{
    log->flush();
    int n = 0;
    for (int row = 0; row < log->rowCount(); ++row)
        n += log->entry(row).direction == Dir::Received ? 1 : 0;
    return n;
}

bool hasEventStartingWith(MessageLogModel *log, const QString &start)
{
    log->flush();
    for (int row = 0; row < log->rowCount(); ++row) {
        if (log->entry(row).kind == LogEntry::Kind::Event && log->entry(row).text.startsWith(start))
            return true;
    }
    return false;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

/** A small record made by hand, with a raw (unredacted) transcript and a URL with a password. */
SessionRecord handMadeRecord()
{
    SessionRecord r;
    r.url = QUrl(u"ws://alice:hunter2@127.0.0.1:9/chat?room=1"_s);
    HandshakeTranscript t;
    t.request = "GET /chat?room=1 HTTP/1.1\r\nHost: 127.0.0.1:9\r\nAuthorization: Basic " + BasicToken
            + "\r\nProxy-Authorization: Basic " + BasicToken + "\r\nCookie: sid=" + CookieValue + "\r\n\r\n";
    t.responseHeaders = "HTTP/1.1 401 Unauthorized\r\nSet-Cookie: sid=" + CookieValue + "; HttpOnly\r\n"
                        "Content-Type: text/plain\r\n\r\n";
    t.responseBody = "who are you?";
    t.httpStatus = 401;
    const qint64 t0 = 1'765'000'000'123;
    LogEntry sent = LogEntry::message(Dir::Sent, SocketMessageType::Utf8, "hello", t0);
    LogEntry raw = LogEntry::message(Dir::Sent, SocketMessageType::Utf8, QByteArray("\xff\xfe not UTF-8", 13), t0 + 5);
    raw.text = u"sent raw"_s;
    LogEntry back = LogEntry::message(Dir::Received, SocketMessageType::Binary, QByteArray("\x00\x01\x02", 3), t0 + 7);
    back.compressed = true;
    // every character JSON must escape, and the DEL and NUL bytes
    LogEntry escapes = LogEntry::message(Dir::Received, SocketMessageType::Utf8,
                                         QByteArray("\"q\" \\ / \t\n\r\b\f \x01\x1f\x7f \0 end", 23), t0 + 8);
    r.entries = {LogEntry::event(u"connecting"_s, t0 - 1), sent, raw, back, escapes,
                 LogEntry::error(u"it broke \"badly\"\n"_s, t0 + 9)};
    FrameInfo f;
    f.direction = FrameDirection::Outgoing;
    f.opcode = 1;
    f.fin = true;
    f.masked = true;
    f.maskKey = 0x0badf00d;
    f.payloadLength = 5;
    f.payloadHead = "hello";
    f.timestampMs = t0;
    r.frames = {f};
    r.exportedAtMs = t0 + 100;
    r.appVersion = u"test"_s;
    // what takeRecord() does to a session's facts
    r.url = withoutCredentials(r.url);
    r.handshake = redactedTranscript(t);
    return r;
}

/** The hand-made record with its transcript not yet redacted, to prove the writers' own redaction. */
SessionRecord handMadeRecordUnredacted()
{
    SessionRecord r = handMadeRecord();
    r.url = QUrl(u"ws://alice:hunter2@127.0.0.1:9/chat?room=1"_s);
    r.handshake.request = "GET /chat HTTP/1.1\r\nAuthorization: Basic " + BasicToken + "\r\nCookie: sid=" + CookieValue
            + "\r\n\r\n";
    return r;
}

} // namespace

class tst_SessionExport final : public QObject
{
    Q_OBJECT

private:
    void compareRecords(const SessionRecord &imported, const SessionRecord &original)
    {
        QCOMPARE(imported.url, original.url);
        QCOMPARE(imported.exportedAtMs, original.exportedAtMs);
        QCOMPARE(imported.entries.size(), original.entries.size());
        for (qsizetype i = 0; i < original.entries.size(); ++i) {
            const LogEntry &a = imported.entries[i];
            const LogEntry &b = original.entries[i];
            QVERIFY2(sameEntry(a, b), qPrintable(u"entry %1 (%2 bytes, time %3 vs %4) differs"_s.arg(i).arg(b.data.size())
                                                         .arg(a.timestampMs)
                                                         .arg(b.timestampMs)));
        }
        QCOMPARE(imported.frames.size(), original.frames.size());
        for (qsizetype i = 0; i < original.frames.size(); ++i)
            QVERIFY2(sameFrame(imported.frames[i], original.frames[i]), qPrintable(u"frame %1 differs"_s.arg(i)));
        QCOMPARE(imported.handshake.request, original.handshake.request);
        QCOMPARE(imported.handshake.responseHeaders, original.handshake.responseHeaders);
        QCOMPARE(imported.handshake.responseBody, original.handshake.responseBody);
        QCOMPARE(imported.handshake.httpStatus, original.handshake.httpStatus);
        QCOMPARE(imported.handshake.earlierAttempts.size(), original.handshake.earlierAttempts.size());
    }

    SessionImport importBytes(const QByteArray &bytes, const QString &name, const SessionReadLimits &limits = {})
    {
        const QString path = m_dir.filePath(name);
        if (!writeAll(path, bytes))
            qFatal("cannot write %s", qPrintable(path));
        return importSessionLog(path, limits);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.listen(0, &error), qPrintable(error));

        Session session;
        QSignalSpy closed(&session, &Session::closed);
        const Codec::HeaderList headers{{"Authorization", "Basic " + BasicToken}, {"Cookie", "sid=" + CookieValue}};
        QVERIFY(session.connectTo(m_server.serverUrl().toString(), MessageWebSocketControl{}, headers));
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), ConnectionState::Open, 10000);
        for (const Sent &m : messagesToSend()) {
            session.setMessageType(m.type);
            QVERIFY2(session.send(m.data), qPrintable(session.lastError().message()));
        }
        QVERIFY(session.ping("are you there?"));
        QTRY_COMPARE_WITH_TIMEOUT(countReceived(session.messageLog()), int(messagesToSend().size()), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(hasEventStartingWith(session.messageLog(), u"pong after"_s), 10000);
        QVERIFY(session.close(1000, u"done"_s));
        QVERIFY(closed.wait(10000));

        m_record = takeRecord(session);
        m_jsonlPath = m_dir.filePath(u"session.jsonl"_s);
        m_harPath = m_dir.filePath(u"session.har"_s);
        QVERIFY2(writeSessionLog(m_record, m_jsonlPath, SessionLogFormat::JsonLines, &error), qPrintable(error));
        QVERIFY2(writeSessionLog(m_record, m_harPath, SessionLogFormat::Har, &error), qPrintable(error));
        // what File ▸ Export calls: the same record, taken a moment later
        m_exportedPath = m_dir.filePath(u"exported.jsonl"_s);
        QVERIFY2(exportSessionLog(session, m_exportedPath, SessionLogFormat::JsonLines, &error), qPrintable(error));
        m_server.close();
    }

    void recordHoldsTheSession()
    {
        // the record itself is what a round trip has to keep: check it has everything first
        const QList<Sent> sent = messagesToSend();
        const QList<LogEntry> out = messagesOf(m_record, Dir::Sent);
        const QList<LogEntry> in = messagesOf(m_record, Dir::Received);
        QCOMPARE(out.size(), sent.size());
        QCOMPARE(in.size(), sent.size());
        for (qsizetype i = 0; i < sent.size(); ++i) {
            QCOMPARE(out[i].type, sent[i].type);
            QCOMPARE(out[i].data, sent[i].data);
            QCOMPARE(in[i].type, sent[i].type);
            QCOMPARE(in[i].data, sent[i].data);
        }
        QVERIFY(m_record.url.toString().startsWith(u"ws://127.0.0.1:"_s));
        QVERIFY(m_record.handshake.request.startsWith("GET / HTTP/1.1"));
        QCOMPARE(m_record.handshake.httpStatus, 101);
        QVERIFY(m_record.frames.size() >= 2 * sent.size() + 2); // messages both ways, ping and pong, close
        const bool hasPing = std::any_of(m_record.frames.cbegin(), m_record.frames.cend(),
                                         [](const FrameInfo &f) { return f.opcode == 0x9 && f.masked; });
        QVERIFY(hasPing);
    }

    void jsonLinesRoundTrip()
    {
        const SessionImport imported = importSessionLog(m_jsonlPath);
        QVERIFY2(imported.ok(), qPrintable(imported.error));
        QCOMPARE(imported.format, SessionLogFormat::JsonLines);
        QCOMPARE(imported.skipped, 0);
        compareRecords(*imported.record, m_record);
        // the file is what it says: a header line, then one object per line
        const QList<QByteArray> lines = readAll(m_jsonlPath).split('\n');
        const QJsonObject header = QJsonDocument::fromJson(lines.first()).object();
        QCOMPARE(header[u"format"_s].toString(), u"wsworkbench-session"_s);
        QCOMPARE(header[u"version"_s].toInt(), 1);
        QVERIFY(lines.first().startsWith("{\"format\":\"wsworkbench-session\",\"version\":1,"));
        QVERIFY(lines[1].startsWith("{\"kind\":\"handshake\","));
        QVERIFY(readAll(m_jsonlPath).contains("\"text\":\"Grüße, мир ✓ 𝄞 日本語\""));
    }

    void exportSessionLogWritesTheSession()
    {
        const SessionImport imported = importSessionLog(m_exportedPath);
        QVERIFY2(imported.ok(), qPrintable(imported.error));
        QVERIFY(imported.record->exportedAtMs >= m_record.exportedAtMs);
        SessionRecord expected = m_record;
        expected.exportedAtMs = imported.record->exportedAtMs;
        compareRecords(*imported.record, expected);
    }

    void harRoundTrip()
    {
        const SessionImport imported = importSessionLog(m_harPath);
        QVERIFY2(imported.ok(), qPrintable(imported.error));
        QCOMPARE(imported.format, SessionLogFormat::Har);
        compareRecords(*imported.record, m_record);
    }

    void harLooksLikeChromes()
    {
        const QJsonObject log = QJsonDocument::fromJson(readAll(m_harPath)).object()[u"log"_s].toObject();
        QCOMPARE(log[u"version"_s].toString(), u"1.2"_s);
        const QJsonObject entry = log[u"entries"_s].toArray().first().toObject();
        QCOMPARE(entry[u"_resourceType"_s].toString(), u"websocket"_s);
        QCOMPARE(entry[u"request"_s][u"method"_s].toString(), u"GET"_s);
        QCOMPARE(entry[u"response"_s][u"status"_s].toInt(), 101);
        QVERIFY(entry[u"timings"_s].isObject());
        const QJsonArray messages = entry[u"_webSocketMessages"_s].toArray();
        const QList<LogEntry> originals = [this] {
            QList<LogEntry> all;
            for (const LogEntry &e : m_record.entries) {
                if (e.kind == LogEntry::Kind::Message)
                    all << e;
            }
            return all;
        }();
        QCOMPARE(messages.size(), originals.size());
        for (qsizetype i = 0; i < messages.size(); ++i) {
            const QJsonObject m = messages[i].toObject();
            const LogEntry &e = originals[i];
            QCOMPARE(m[u"type"_s].toString(), e.direction == Dir::Sent ? u"send"_s : u"receive"_s);
            QCOMPARE(m[u"opcode"_s].toInt(), e.isText() ? 1 : 2);
            QCOMPARE(qRound64(m[u"time"_s].toDouble() * 1000), e.timestampMs);
            const QString data = m[u"data"_s].toString();
            QCOMPARE(e.isText() ? data.toUtf8() : QByteArray::fromBase64(data.toLatin1()), e.data);
        }
    }

    void harFromBrowserImportsMessages()
    {
        // as Chrome DevTools writes it: no extension; binary data in base64
        const QByteArray har = "{\"log\": {\"version\": \"1.2\", \"creator\": {\"name\": \"WebInspector\", \"version\": \"537.36\"},\n"
        "  \"pages\": [], \"entries\": [\n"
        "  {\"startedDateTime\": \"2026-12-07T10:00:00.000Z\", \"time\": 12.5,\n"
        "   \"request\": {\"method\": \"GET\", \"url\": \"wss://echo.example/socket?x=1\", \"httpVersion\": \"HTTP/1.1\",\n"
        "     \"headers\": [{\"name\": \"Host\", \"value\": \"echo.example\"}, {\"name\": \"Cookie\", \"value\": \"sid=s3cr3tcookie\"},\n"
        "                 {\"name\": \"Upgrade\", \"value\": \"websocket\"}],\n"
        "     \"queryString\": [{\"name\": \"x\", \"value\": \"1\"}], \"cookies\": [], \"headersSize\": -1, \"bodySize\": 0},\n"
        "   \"response\": {\"status\": 101, \"statusText\": \"Switching Protocols\", \"httpVersion\": \"HTTP/1.1\",\n"
        "     \"headers\": [{\"name\": \"Upgrade\", \"value\": \"websocket\"}], \"cookies\": [],\n"
        "     \"content\": {\"size\": 0, \"mimeType\": \"x-unknown\"}, \"redirectURL\": \"\", \"headersSize\": -1, \"bodySize\": -1},\n"
        "   \"cache\": {}, \"timings\": {\"blocked\": -1, \"dns\": -1, \"ssl\": -1, \"connect\": -1, \"send\": 0, \"wait\": 12.5, \"receive\": 0},\n"
        "   \"_resourceType\": \"websocket\",\n"
        "   \"_webSocketMessages\": [\n"
        "     {\"type\": \"send\", \"time\": 1765101600.123, \"opcode\": 1, \"data\": \"hi ✓\"},\n"
        "     {\"type\": \"receive\", \"time\": 1765101600.456, \"opcode\": 1, \"data\": \"hi ✓\"},\n"
        "     {\"type\": \"receive\", \"time\": 1765101601.5, \"opcode\": 2, \"data\": \"AAEC/w==\"}\n"
        "   ]}]}}";
        const SessionImport imported = importBytes(har, u"chrome.har"_s);
        QVERIFY2(imported.ok(), qPrintable(imported.error));
        const SessionRecord &r = *imported.record;
        QCOMPARE(r.url, QUrl(u"wss://echo.example/socket?x=1"_s));
        QCOMPARE(r.entries.size(), 3);
        QCOMPARE(r.entries[0].direction, Dir::Sent);
        QCOMPARE(r.entries[0].type, SocketMessageType::Utf8);
        QCOMPARE(r.entries[0].data, "hi ✓"_ba);
        QCOMPARE(r.entries[0].timestampMs, 1765101600123);
        QCOMPARE(r.entries[1].direction, Dir::Received);
        QCOMPARE(r.entries[1].timestampMs, 1765101600456);
        QCOMPARE(r.entries[2].type, SocketMessageType::Binary);
        QCOMPARE(r.entries[2].data, QByteArray("\x00\x01\x02\xff", 4));
        QVERIFY(r.frames.isEmpty());
        QCOMPARE(r.handshake.httpStatus, 101);
        QVERIFY(r.handshake.request.startsWith("GET /socket?x=1 HTTP/1.1\r\n"));
        QVERIFY(!r.handshake.request.contains(CookieValue)); // redacted on the way in too
    }

    void handMadeRecordRoundTrips_data()
    {
        QTest::addColumn<SessionLogFormat>("format");
        QTest::newRow("JSON Lines") << SessionLogFormat::JsonLines;
        QTest::newRow("HAR") << SessionLogFormat::Har;
    }

    void handMadeRecordRoundTrips()
    {
        // events and errors between messages, text that is not UTF-8, notes, a compressed flag, a 401
        QFETCH(SessionLogFormat, format);
        const SessionRecord original = handMadeRecord();
        const QString path = m_dir.filePath(u"handmade"_s);
        QString error;
        QVERIFY2(writeSessionLog(original, path, format, &error), qPrintable(error));
        const SessionImport imported = importSessionLog(path);
        QVERIFY2(imported.ok(), qPrintable(imported.error));
        compareRecords(*imported.record, original);
    }

    void credentialsNeverInTheFile_data()
    {
        QTest::addColumn<QString>("which");
        QTest::newRow("session JSON Lines") << u"session.jsonl"_s;
        QTest::newRow("session HAR") << u"session.har"_s;
        QTest::newRow("hand-made JSON Lines") << u"handmade.jsonl"_s;
        QTest::newRow("hand-made HAR") << u"handmade.har"_s;
    }

    void credentialsNeverInTheFile()
    {
        QFETCH(QString, which);
        if (which.startsWith(u"handmade"_s)) {
            // the writers get a record whose transcript and URL were never redacted: they redact anyway
            QString error;
            QVERIFY2(writeSessionLog(handMadeRecordUnredacted(), m_dir.filePath(which),
                                     which.endsWith(u".har"_s) ? SessionLogFormat::Har : SessionLogFormat::JsonLines,
                                     &error),
                     qPrintable(error));
        }
        const QByteArray bytes = readAll(m_dir.filePath(which));
        QVERIFY(bytes.size() > 100);
        QVERIFY(!bytes.contains(Password));
        QVERIFY(!bytes.contains(BasicToken));
        QVERIFY(!bytes.contains(CookieValue));
        QVERIFY(!bytes.contains("alice"));
        QVERIFY(bytes.contains("Authorization: Basic ‹redacted›") || bytes.contains("\"value\":\"Basic ‹redacted›\"")
                || bytes.contains("\"value\": \"Basic ‹redacted›\""));
    }

    void corruptInputIsRefused_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");

        const QByteArray good = JsonLines::write(handMadeRecord());
        QList<QByteArray> lines = good.split('\n');
        QVERIFY(lines.size() > 6);
        auto joined = [](QList<QByteArray> l) { return l.join('\n'); };

        QList<QByteArray> badJson = lines;
        badJson[2] = "{\"kind\": \"message\", oops}";
        QTest::newRow("bad JSON on line 3") << joined(badJson) << u"Line 3: not valid JSON"_s;

        QList<QByteArray> wrongFormat = lines;
        wrongFormat[0] = "{\"format\": \"something-else\", \"version\": 1}";
        QTest::newRow("wrong format") << joined(wrongFormat) << u"Line 1: the format is “something-else”"_s;

        QList<QByteArray> newer = lines;
        newer[0] = "{\"format\": \"wsworkbench-session\", \"version\": 7}";
        QTest::newRow("newer version") << joined(newer) << u"Line 1: version 7 was written by a newer program"_s;

        QList<QByteArray> badBase64 = lines;
        qsizetype binaryLine = 0;
        while (!badBase64[binaryLine].contains("\"base64\":\""))
            ++binaryLine;
        QJsonObject o = QJsonDocument::fromJson(badBase64[binaryLine]).object();
        o[u"base64"_s] = u"!!not*base64!!"_s;
        badBase64[binaryLine] = QJsonDocument(o).toJson(QJsonDocument::Compact);
        QTest::newRow("bad base64") << joined(badBase64)
                                    << u"Line %1: “base64” is not valid base64"_s.arg(binaryLine + 1);

        QTest::newRow("truncated in a line") << good.left(good.size() * 2 / 3) << u"cut short"_s;
        QTest::newRow("truncated at a line's end") << joined(lines.mid(0, lines.size() - 2)) + '\n' << u"cut short"_s;

        QList<QByteArray> miscounted = lines;
        miscounted.removeAt(3);
        QTest::newRow("a line missing") << joined(miscounted) << u"the closing line counts"_s;

        QTest::newRow("not JSON at all") << QByteArray("hello\nworld\n") << u"nor a HAR file: not valid JSON"_s;
        QTest::newRow("empty") << QByteArray("\n  \n") << u"is empty"_s;

        const QByteArray har = Har::write(handMadeRecord());
        QTest::newRow("HAR truncated") << har.left(har.size() / 2) << u"nor a HAR file: not valid JSON"_s;
        QByteArray harBadBase64 = har;
        harBadBase64.replace("\"data\": \"AAEC\"", "\"data\": \"A*EC\"");
        QVERIFY(harBadBase64 != har);
        QTest::newRow("HAR bad base64") << harBadBase64 << u"WebSocket message 3: the binary data is not valid base64"_s;
        QJsonObject doc = QJsonDocument::fromJson(har).object();
        QJsonObject log = doc[u"log"_s].toObject();
        QJsonArray entries = log[u"entries"_s].toArray();
        QJsonObject entry = entries[0].toObject();
        QJsonArray messages = entry[u"_webSocketMessages"_s].toArray();
        const qsizetype harMessages = messages.size();
        messages.removeAt(0);
        entry[u"_webSocketMessages"_s] = messages;
        entries[0] = entry;
        log[u"entries"_s] = entries;
        doc[u"log"_s] = log;
        QTest::newRow("HAR edited after the export") << QJsonDocument(doc).toJson()
                                                     << u"extension counts %1 messages but the HAR has %2"_s
                                                                .arg(harMessages)
                                                                .arg(harMessages - 1);
        QJsonObject badType = messages[0].toObject();
        badType[u"type"_s] = u"sideways"_s;
        messages[0] = badType;
        entry[u"_webSocketMessages"_s] = messages;
        entry.remove(u"_wsworkbench"_s);
        entries[0] = entry;
        log[u"entries"_s] = entries;
        doc[u"log"_s] = log;
        QTest::newRow("HAR message of no direction") << QJsonDocument(doc).toJson()
                                                     << u"WebSocket message 1: the type “sideways”"_s;
        QTest::newRow("HAR without a WebSocket")
                << QByteArray("{\"log\": {\"version\": \"1.2\", \"entries\": [{\"request\": {\"url\": \"https://x/\"}}]}}")
                << u"no WebSocket entry"_s;
    }

    void corruptInputIsRefused()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const SessionImport imported = importBytes(bytes, u"corrupt"_s);
        QVERIFY(!imported.ok());
        QVERIFY2(imported.error.contains(expected), qPrintable(imported.error));
    }

    void unknownKindsAreSkipped()
    {
        QList<QByteArray> lines = JsonLines::write(handMadeRecord()).split('\n');
        lines.insert(2, "{\"kind\": \"bookmark\", \"name\": \"here\"}");
        lines.insert(3, "{\"note\": \"no kind\"}");
        const SessionImport imported = importBytes(lines.join('\n'), u"unknown.jsonl"_s);
        QVERIFY2(imported.ok(), qPrintable(imported.error));
        QCOMPARE(imported.skipped, 2);
        QCOMPARE(imported.warnings.size(), 2);
        QVERIFY2(imported.warnings[0].contains(u"Line 3: unknown kind “bookmark”"_s), qPrintable(imported.warnings[0]));
        compareRecords(*imported.record, handMadeRecord());

        ImportedSessionView view(*imported.record, u"unknown.jsonl"_s);
        QVERIFY(!view.bannerText().contains(u"skipped"_s));
        view.setImportWarnings(imported.skipped, imported.warnings);
        QVERIFY(view.bannerText().contains(u"2 lines or entries of the file were skipped"_s));
    }

    void fileNamesForTheDialogs()
    {
        const qint64 t = QDateTime(QDate(2026, 12, 7), QTime(12, 23, 44)).toMSecsSinceEpoch();
        QCOMPARE(suggestedSessionLogFileName(QUrl(u"ws://127.0.0.1:8765/chat"_s), t, SessionLogFormat::JsonLines),
                 u"wsworkbench-127.0.0.1-8765-20261207-122344.jsonl"_s);
        QCOMPARE(suggestedSessionLogFileName(QUrl(u"wss://[::1]/"_s), t, SessionLogFormat::Har),
                 u"wsworkbench-__1-20261207-122344.har"_s);
        QVERIFY(sessionLogImportFilter().startsWith(u"Session logs (*.jsonl *.har);;"_s));
    }

    void sizesAreBounded()
    {
        const QByteArray good = JsonLines::write(handMadeRecord());
        SessionReadLimits smallFile;
        smallFile.maxFileBytes = good.size() - 1;
        SessionImport imported = importBytes(good, u"big.jsonl"_s, smallFile);
        QVERIFY(!imported.ok());
        QVERIFY2(imported.error.contains(u"an import reads at most"_s), qPrintable(imported.error));

        SessionReadLimits shortLines;
        shortLines.maxLineBytes = 100;
        imported = importBytes(good, u"long.jsonl"_s, shortLines);
        QVERIFY(!imported.ok());
        QVERIFY2(imported.error.startsWith(u"Line 1: the line is"_s), qPrintable(imported.error));
    }

    void importedView()
    {
        const SessionImport imported = importSessionLog(m_jsonlPath);
        QVERIFY2(imported.ok(), qPrintable(imported.error));
        ImportedSessionView view(*imported.record, m_jsonlPath);
        Tester messages(view.messageLog(), Tester::FailureReportingMode::Fatal);
        Tester frames(view.frameLog(), Tester::FailureReportingMode::Fatal);
        auto *filter = view.findChild<MessageLogFilterModel *>();
        QVERIFY(filter);
        Tester filtered(filter, Tester::FailureReportingMode::Fatal);

        QCOMPARE(view.messageLog()->rowCount(), int(m_record.entries.size()));
        QCOMPARE(view.frameLog()->rowCount(), int(m_record.frames.size()));
        for (int row = 0; row < view.messageLog()->rowCount(); ++row)
            QVERIFY(sameEntry(view.messageLog()->entry(row), m_record.entries[row])); // original times
        QCOMPARE(view.title(), u"Imported: session.jsonl"_s);
        QVERIFY(view.bannerText().startsWith(u"Imported from session.jsonl — read-only."_s));
        QVERIFY(view.bannerText().contains(m_record.url.toDisplayString()));
        QVERIFY(view.bannerText().contains(u"10 messages"_s));

        view.resize(1200, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // nothing that changes or connects: no Clear, no Keep, no Connect, no composer
        auto *clear = Test::named<QPushButton>(&view, u"Clear log"_s);
        QVERIFY(clear);
        QVERIFY(!clear->isVisible());
        QVERIFY(!Test::named<QPushButton>(&view, u"Connect"_s));
        QVERIFY(!Test::named<QWidget>(&view, u"Message to send"_s));

        // typing in the filter narrows the imported log like a live one
        auto *filterEdit = Test::named<QLineEdit>(&view, u"Filter"_s);
        QVERIFY(filterEdit);
        filterEdit->setText(u"Grüße"_s);
        QCOMPARE(filter->rowCount(), 2); // sent and echoed
        filterEdit->clear();

        auto *table = Test::named<QAbstractItemView>(&view, u"Message log"_s);
        QVERIFY(table);
        table->setCurrentIndex(filter->index(4, 0)); // the non-ASCII text
        const QString shots = u"/tmp/export-shots"_s;
        QDir().mkpath(shots);
        QVERIFY(view.grab().save(shots + u"/imported-view.png"_s));
        auto *details = Test::named<QTabWidget>(&view, u"Imported details"_s);
        QVERIFY(details);
        details->setCurrentIndex(1);
        auto *frameTable = Test::named<QAbstractItemView>(&view, u"Frames"_s);
        QVERIFY(frameTable);
        frameTable->setCurrentIndex(view.frameLog()->index(1, 0));
        QVERIFY(view.grab().save(shots + u"/imported-frames.png"_s));
        details->setCurrentIndex(2);
        QVERIFY(view.grab().save(shots + u"/imported-handshake.png"_s));
    }

private:
    QTemporaryDir m_dir;
    LocalEchoServer m_server;
    SessionRecord m_record;
    QString m_jsonlPath;
    QString m_harPath;
    QString m_exportedPath;
};

QTEST_MAIN(tst_SessionExport)
#include "tst_sessionexport.moc"
