#include "codec/frameheader.h" // first: the header under test is self-contained

#include <QTest>

#include "framebuilder.h"

using namespace Wsw;
using namespace Wsw::Codec;
using Wsw::Test::FrameBuilder;

Q_DECLARE_METATYPE(Wsw::Codec::Role)
Q_DECLARE_METATYPE(Wsw::Codec::ReservedBitsAllowed)

namespace {

QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced));
}

/** A header only (no payload bytes), as FrameBuilder writes it. */
QByteArray header(quint8 opcode, quint64 length, bool fin = true, std::optional<quint32> maskKey = {},
                  int lengthBits = 0)
{
    FrameBuilder b;
    b.opcode = opcode;
    b.fin = fin;
    b.maskKey = maskKey;
    b.lengthBits = lengthBits;
    b.declaredLength = length;
    return b.build({});
}

QByteArray withRsv(bool rsv1, bool rsv2, bool rsv3, quint8 opcode = 0x1)
{
    FrameBuilder b;
    b.opcode = opcode;
    b.rsv1 = rsv1;
    b.rsv2 = rsv2;
    b.rsv3 = rsv3;
    return b.build("x");
}

ReservedBitsAllowed allow(bool rsv1, bool rsv2, bool rsv3)
{
    ReservedBitsAllowed a;
    a.rsv1 = rsv1;
    a.rsv2 = rsv2;
    a.rsv3 = rsv3;
    return a;
}

constexpr quint32 Key = 0x3d21fa37; // RFC 6455 §5.7: mask bytes 37 fa 21 3d

} // namespace

class tst_FrameHeader final : public QObject
{
    Q_OBJECT

private slots:
    void opcodeClassification();
    // Happy flows
    void validHeader_data();
    void validHeader();
    void allowedReservedBits_data();
    void allowedReservedBits();
    // Rainy day flows
    void invalidHeader_data();
    void invalidHeader();
    void everyReservedOpcodeInEveryRole();
};

void tst_FrameHeader::opcodeClassification()
{
    // RFC 6455 §5.2: 0-2 data, 3-7 reserved non-control, 8-A control, B-F reserved control
    for (int op = 0; op < 16; ++op) {
        const bool known = op <= 2 || (op >= 8 && op <= 0xA);
        QCOMPARE(isKnownOpcode(quint8(op)), known);
        if (known)
            QCOMPARE(isControlOpcode(Opcode(op)), op >= 8);
    }
}

// ---------------------------------------------------------------------------------------------
// Happy flows

void tst_FrameHeader::validHeader_data()
{
    QTest::addColumn<QByteArray>("bytes"); // a header, possibly followed by payload bytes
    QTest::addColumn<Role>("role");
    QTest::addColumn<bool>("fin");
    QTest::addColumn<int>("opcode");
    QTest::addColumn<bool>("masked");
    QTest::addColumn<quint32>("maskKey");
    QTest::addColumn<quint64>("payloadLength");
    QTest::addColumn<int>("headerSize");

    // RFC 6455 §5.7 examples, byte for byte
    QTest::newRow("§5.7 single-frame unmasked text \"Hello\"")
            << hex("81 05 48 65 6c 6c 6f") << Role::Client << true << 1 << false << 0u << quint64(5) << 2;
    QTest::newRow("§5.7 single-frame masked text \"Hello\" (server reads)")
            << hex("81 85 37 fa 21 3d 7f 9f 4d 51 58") << Role::Server << true << 1 << true << Key << quint64(5) << 6;
    QTest::newRow("§5.7 fragmented text, first frame") << hex("01 03 48 65 6c") << Role::Client << false << 1
                                                        << false << 0u << quint64(3) << 2;
    QTest::newRow("§5.7 fragmented text, last frame") << hex("80 02 6c 6f") << Role::Client << true << 0 << false
                                                       << 0u << quint64(2) << 2;
    QTest::newRow("§5.7 unmasked ping \"Hello\"") << hex("89 05 48 65 6c 6c 6f") << Role::Client << true << 9
                                                << false << 0u << quint64(5) << 2;
    QTest::newRow("§5.7 masked pong \"Hello\"") << hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58") << Role::Server << true
                                              << 10 << true << Key << quint64(5) << 6;
    QTest::newRow("§5.7 256 bytes binary, 16-bit length")
            << hex("82 7e 01 00") << Role::Client << true << 2 << false << 0u << quint64(256) << 4;
    QTest::newRow("§5.7 64 KiB binary, 64-bit length")
            << hex("82 7f 00 00 00 00 00 01 00 00") << Role::Client << true << 2 << false << 0u << quint64(65536) << 10;

    // length boundaries of RFC 6455 §5.2, for both roles
    const quint64 lengths[] = {0, 1, 125, 126, 127, 65535, 65536, 0xFFFFFFFFull, 0x7FFFFFFFFFFFFFFFull};
    for (quint64 len : lengths) {
        const int lenSize = len < 126 ? 2 : len <= 0xFFFF ? 4 : 10;
        QTest::addRow("binary length %llu, server frame", len)
                << header(0x2, len) << Role::Client << true << 2 << false << 0u << len << lenSize;
        QTest::addRow("binary length %llu, client frame (masked)", len)
                << header(0x2, len, true, 0xA1B2C3D4u) << Role::Server << true << 2 << true << 0xA1B2C3D4u << len
                << lenSize + 4;
    }
    QTest::newRow("text, not final") << header(0x1, 10, false) << Role::Client << false << 1 << false << 0u
                                     << quint64(10) << 2;
    QTest::newRow("continuation, not final") << header(0x0, 10, false) << Role::Client << false << 0 << false << 0u
                                             << quint64(10) << 2;
    QTest::newRow("empty close") << header(0x8, 0) << Role::Client << true << 8 << false << 0u << quint64(0) << 2;
    QTest::newRow("ping with 125 bytes (largest control frame, §5.5)")
            << header(0x9, 125) << Role::Client << true << 9 << false << 0u << quint64(125) << 2;
    QTest::newRow("masked close with 125 bytes") << header(0x8, 125, true, 1u) << Role::Server << true << 8 << true
                                                 << 1u << quint64(125) << 6;
    QTest::newRow("mask key 0 is still masked") << header(0x1, 3, true, 0u) << Role::Server << true << 1 << true
                                                << 0u << quint64(3) << 6;
}

void tst_FrameHeader::validHeader()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Role, role);
    QFETCH(bool, fin);
    QFETCH(int, opcode);
    QFETCH(bool, masked);
    QFETCH(quint32, maskKey);
    QFETCH(quint64, payloadLength);
    QFETCH(int, headerSize);

    FrameHeader h;
    const HeaderParseResult r = parseFrameHeader(bytes, role, {}, &h);
    QCOMPARE(r.status, ParseStatus::Ok);
    QCOMPARE(r.error, ErrorDetail::None);
    QCOMPARE(h.fin, fin);
    QCOMPARE(h.rsv1, false);
    QCOMPARE(h.rsv2, false);
    QCOMPARE(h.rsv3, false);
    QCOMPARE(int(h.opcode), opcode);
    QCOMPARE(h.masked, masked);
    QCOMPARE(h.maskKey, maskKey);
    QCOMPARE(h.payloadLength, payloadLength);
    QCOMPARE(h.headerSize, headerSize);

    // exactly the header is enough; trailing bytes change nothing
    FrameHeader exact;
    QCOMPARE(parseFrameHeader(QByteArrayView(bytes).first(headerSize), role, {}, &exact).status, ParseStatus::Ok);
    QCOMPARE(exact.headerSize, headerSize);
    QCOMPARE(exact.payloadLength, payloadLength);
    FrameHeader longer;
    QCOMPARE(parseFrameHeader(QByteArray(bytes + QByteArray(20, '\xff')), role, {}, &longer).status, ParseStatus::Ok);
    QCOMPARE(longer.headerSize, headerSize);
    QCOMPARE(longer.payloadLength, payloadLength);

    // Beast parse_fh: "Returns false if more bytes are needed" - every shorter prefix
    for (int prefix = 0; prefix < headerSize; ++prefix) {
        FrameHeader partial;
        const HeaderParseResult p = parseFrameHeader(QByteArrayView(bytes).first(prefix), role, {}, &partial);
        QVERIFY2(p.status == ParseStatus::NeedMore, qPrintable(QString::number(prefix)));
        QCOMPARE(p.error, ErrorDetail::None);
    }
}

void tst_FrameHeader::allowedReservedBits_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("rsv1");
    QTest::addColumn<bool>("rsv2");
    QTest::addColumn<bool>("rsv3");

    // an extension (permessage-deflate: RSV1) makes a reserved bit legal (RFC 6455 §5.2, §9)
    QTest::newRow("RSV1 allowed") << withRsv(true, false, false) << true << false << false;
    QTest::newRow("RSV2 allowed") << withRsv(false, true, false) << false << true << false;
    QTest::newRow("RSV3 allowed") << withRsv(false, false, true) << false << false << true;
    QTest::newRow("all three allowed") << withRsv(true, true, true) << true << true << true;
}

void tst_FrameHeader::allowedReservedBits()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, rsv1);
    QFETCH(bool, rsv2);
    QFETCH(bool, rsv3);

    FrameHeader h;
    QCOMPARE(parseFrameHeader(bytes, Role::Client, allow(rsv1, rsv2, rsv3), &h).status, ParseStatus::Ok);
    QCOMPARE(h.rsv1, rsv1);
    QCOMPARE(h.rsv2, rsv2);
    QCOMPARE(h.rsv3, rsv3);
    // without the permission the same frame is refused
    QCOMPARE(parseFrameHeader(bytes, Role::Client, {}, &h).error, ErrorDetail::ReservedBitsSet);
}

// ---------------------------------------------------------------------------------------------
// Rainy day flows

void tst_FrameHeader::invalidHeader_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<Role>("role");
    QTest::addColumn<ReservedBitsAllowed>("allowed");
    QTest::addColumn<ErrorDetail>("error");

    const ReservedBitsAllowed none;
    // RFC 6455 §5.1: a client closes the connection on a masked frame, a server on an unmasked one
    QTest::newRow("masked text from server (§5.1)") << header(0x1, 5, true, Key) << Role::Client << none
                                                    << ErrorDetail::MaskedServerFrame;
    QTest::newRow("masked ping from server (§5.1)") << header(0x9, 0, true, Key) << Role::Client << none
                                                    << ErrorDetail::MaskedServerFrame;
    QTest::newRow("masked 64-bit frame from server (§5.1)") << header(0x2, 70000, true, Key) << Role::Client
                                                            << none << ErrorDetail::MaskedServerFrame;
    QTest::newRow("unmasked text from client (§5.1)") << header(0x1, 5) << Role::Server << none
                                                      << ErrorDetail::MaskedServerFrame;
    QTest::newRow("unmasked close from client (§5.1)") << header(0x8, 2) << Role::Server << none
                                                       << ErrorDetail::MaskedServerFrame;
    // RFC 6455 §5.2: RSV1-3 must be 0 unless an extension says otherwise (Autobahn 3.1-3.7)
    QTest::newRow("RSV1 (Autobahn 3.1)") << withRsv(true, false, false) << Role::Client << none
                                         << ErrorDetail::ReservedBitsSet;
    QTest::newRow("RSV2 (Autobahn 3.2)") << withRsv(false, true, false) << Role::Client << none
                                         << ErrorDetail::ReservedBitsSet;
    QTest::newRow("RSV3 (Autobahn 3.4)") << withRsv(false, false, true) << Role::Client << none
                                         << ErrorDetail::ReservedBitsSet;
    QTest::newRow("RSV1+RSV2+RSV3 (Autobahn 3.7)") << withRsv(true, true, true, 0x8) << Role::Client << none
                                                   << ErrorDetail::ReservedBitsSet;
    QTest::newRow("RSV2 on a ping (Autobahn 3.6)") << withRsv(false, true, false, 0x9) << Role::Client << none
                                                   << ErrorDetail::ReservedBitsSet;
    QTest::newRow("RSV1 when only RSV2 is allowed") << withRsv(true, false, false) << Role::Client
                                                    << allow(false, true, false) << ErrorDetail::ReservedBitsSet;
    QTest::newRow("RSV3 when RSV1+2 are allowed") << withRsv(true, true, true) << Role::Client
                                                  << allow(true, true, false) << ErrorDetail::ReservedBitsSet;
    QTest::newRow("RSV1 from client") << withRsv(true, false, false) << Role::Server << none
                                      << ErrorDetail::ReservedBitsSet;
    // reserved opcodes (Autobahn 4.1.x, 4.2.x)
    QTest::newRow("opcode 3 (Autobahn 4.1.1)") << header(0x3, 0) << Role::Client << none << ErrorDetail::ReservedOpcode;
    QTest::newRow("opcode 7 (Autobahn 4.1.5)") << header(0x7, 0) << Role::Client << none << ErrorDetail::ReservedOpcode;
    QTest::newRow("opcode B (Autobahn 4.2.1)") << header(0xB, 0) << Role::Client << none << ErrorDetail::ReservedOpcode;
    QTest::newRow("opcode F (Autobahn 4.2.5)") << header(0xF, 0) << Role::Client << none << ErrorDetail::ReservedOpcode;
    // RFC 6455 §5.5: control frames have at most 125 bytes and are never fragmented
    QTest::newRow("ping with 126 bytes (Autobahn 2.5)") << header(0x9, 126) << Role::Client << none
                                                        << ErrorDetail::ControlFrameTooLong;
    QTest::newRow("pong with 126 bytes") << header(0xA, 126) << Role::Client << none
                                         << ErrorDetail::ControlFrameTooLong;
    QTest::newRow("close with 126 bytes (Autobahn 7.3.6)") << header(0x8, 126) << Role::Client << none
                                                           << ErrorDetail::ControlFrameTooLong;
    QTest::newRow("ping with a 64-bit length") << header(0x9, 70000) << Role::Client << none
                                               << ErrorDetail::ControlFrameTooLong;
    QTest::newRow("masked ping with 126 bytes from client") << header(0x9, 126, true, Key) << Role::Server << none
                                                            << ErrorDetail::ControlFrameTooLong;
    QTest::newRow("fragmented ping (Autobahn 5.1)") << header(0x9, 3, false) << Role::Client << none
                                                    << ErrorDetail::FragmentedControlFrame;
    QTest::newRow("fragmented pong (Autobahn 5.2)") << header(0xA, 3, false) << Role::Client << none
                                                    << ErrorDetail::FragmentedControlFrame;
    QTest::newRow("fragmented close") << header(0x8, 2, false) << Role::Client << none
                                      << ErrorDetail::FragmentedControlFrame;
    QTest::newRow("fragmented empty ping") << header(0x9, 0, false) << Role::Client << none
                                           << ErrorDetail::FragmentedControlFrame;
    // RFC 6455 §5.2: "the minimal number of bytes MUST be used to encode the length"
    QTest::newRow("length 0 in 16 bits") << header(0x2, 0, true, {}, 16) << Role::Client << none
                                         << ErrorDetail::NonMinimalLength;
    QTest::newRow("length 1 in 16 bits") << header(0x2, 1, true, {}, 16) << Role::Client << none
                                         << ErrorDetail::NonMinimalLength;
    QTest::newRow("length 125 in 16 bits") << header(0x2, 125, true, {}, 16) << Role::Client << none
                                           << ErrorDetail::NonMinimalLength;
    QTest::newRow("length 125 in 16 bits, masked client frame") << header(0x2, 125, true, Key, 16) << Role::Server
                                                                << none << ErrorDetail::NonMinimalLength;
    QTest::newRow("length 0 in 64 bits") << header(0x2, 0, true, {}, 64) << Role::Client << none
                                         << ErrorDetail::NonMinimalLength;
    QTest::newRow("length 125 in 64 bits") << header(0x2, 125, true, {}, 64) << Role::Client << none
                                           << ErrorDetail::NonMinimalLength;
    QTest::newRow("length 126 in 64 bits") << header(0x2, 126, true, {}, 64) << Role::Client << none
                                           << ErrorDetail::NonMinimalLength;
    QTest::newRow("length 65535 in 64 bits") << header(0x2, 65535, true, {}, 64) << Role::Client << none
                                             << ErrorDetail::NonMinimalLength;
    // RFC 6455 §5.2: "the most significant bit MUST be 0"
    QTest::newRow("64-bit length 2^63") << header(0x2, 0x8000000000000000ull) << Role::Client << none
                                        << ErrorDetail::LengthTopBitSet;
    QTest::newRow("64-bit length 2^64-1") << header(0x2, 0xFFFFFFFFFFFFFFFFull) << Role::Client << none
                                          << ErrorDetail::LengthTopBitSet;
    QTest::newRow("64-bit length 2^63+65536") << header(0x2, 0x8000000000010000ull) << Role::Client << none
                                              << ErrorDetail::LengthTopBitSet;
}

void tst_FrameHeader::invalidHeader()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Role, role);
    QFETCH(ReservedBitsAllowed, allowed);
    QFETCH(ErrorDetail, error);

    FrameHeader h;
    const HeaderParseResult r = parseFrameHeader(bytes, role, allowed, &h);
    QCOMPARE(r.status, ParseStatus::Error);
    QCOMPARE(r.error, error);

    // Shorter prefixes: NeedMore until the bytes that break the rule are there, then the same
    // error for every longer prefix (an error never turns back into NeedMore).
    bool failed = false;
    for (qsizetype prefix = 0; prefix <= bytes.size(); ++prefix) {
        FrameHeader partial;
        const HeaderParseResult p = parseFrameHeader(QByteArrayView(bytes).first(prefix), role, allowed, &partial);
        if (prefix < 2)
            QCOMPARE(p.status, ParseStatus::NeedMore);
        if (p.status == ParseStatus::Error) {
            QCOMPARE(p.error, error);
            failed = true;
        } else {
            QVERIFY2(!failed && p.status == ParseStatus::NeedMore, qPrintable(QString::number(prefix)));
        }
    }
    QVERIFY(failed);
}

void tst_FrameHeader::everyReservedOpcodeInEveryRole()
{
    // RFC 6455 §5.2: 0x3-0x7 reserved for further non-control frames, 0xB-0xF for control frames
    for (quint8 op : {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
        for (bool fin : {true, false}) {
            FrameHeader h;
            const HeaderParseResult client = parseFrameHeader(header(op, 1, fin), Role::Client, {}, &h);
            QCOMPARE(client.status, ParseStatus::Error);
            QCOMPARE(client.error, ErrorDetail::ReservedOpcode);
            const HeaderParseResult server = parseFrameHeader(header(op, 1, fin, Key), Role::Server, {}, &h);
            QCOMPARE(server.status, ParseStatus::Error);
            QCOMPARE(server.error, ErrorDetail::ReservedOpcode);
        }
    }
}

QTEST_APPLESS_MAIN(tst_FrameHeader)
#include "tst_frameheader.moc"
