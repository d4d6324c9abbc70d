#include "codec/utf8validator.h"

#include "codec/utf8simd.h"

#include <QStringDecoder>

#include <array>
#include <cstring>

namespace Wsw::Codec {

namespace {

// For every lead byte: the length of its sequence (0 = may not start one) and the range the
// first continuation byte must fall in. The narrowed ranges exclude overlong forms (E0, F0),
// UTF-16 surrogates (ED) and code points above U+10FFFF (F4) (RFC 3629 §4).
struct Lead {
    unsigned char length;
    unsigned char low;
    unsigned char high;
};

constexpr std::array<Lead, 256> makeLeadTable()
{
    std::array<Lead, 256> t{};
    for (int c = 0; c < 0x80; ++c)
        t[c] = {1, 0, 0};
    for (int c = 0xC2; c <= 0xDF; ++c)
        t[c] = {2, 0x80, 0xBF};
    t[0xE0] = {3, 0xA0, 0xBF};
    for (int c = 0xE1; c <= 0xEC; ++c)
        t[c] = {3, 0x80, 0xBF};
    t[0xED] = {3, 0x80, 0x9F};
    t[0xEE] = {3, 0x80, 0xBF};
    t[0xEF] = {3, 0x80, 0xBF};
    t[0xF0] = {4, 0x90, 0xBF};
    for (int c = 0xF1; c <= 0xF3; ++c)
        t[c] = {4, 0x80, 0xBF};
    t[0xF4] = {4, 0x80, 0x8F};
    return t; // 0x80-0xC1 and 0xF5-0xFF keep length 0
}

constexpr std::array<Lead, 256> LeadTable = makeLeadTable();

inline bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

} // namespace

bool Utf8Validator::write(QByteArrayView bytes)
{
    if (!m_valid)
        return false;
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const unsigned char *end = p + bytes.size();

    // finish a sequence left open by the previous write, one byte at a time
    while (m_needed > 0 && p < end) {
        const unsigned char c = *p++;
        if (c < m_low || c > m_high)
            return m_valid = false;
        m_low = 0x80;
        m_high = 0xBF;
        --m_needed;
        ++m_pending;
    }
    if (m_needed > 0)
        return true;
    m_pending = 0;

    if (end - p >= 64) {
        // long runs: 32 bytes per step with SIMD where the processor has it
        const qsizetype checked = Detail::validateUtf8Blocks(p, end - p);
        if (checked < 0)
            return m_valid = false;
        p += checked;
        // a sequence cut by the end of the checked blocks is checked again from its lead byte
        for (int back = 1; checked > 0 && back <= 3; ++back) {
            const unsigned char c = p[-back];
            if (c < 0x80)
                break;
            if (c >= 0xC0) {
                p -= back;
                break;
            }
        }
    }
    while (p < end) {
        // eight ASCII bytes at a time
        while (end - p >= 8) {
            quint64 word;
            std::memcpy(&word, p, 8);
            if (word & 0x8080808080808080ull)
                break;
            p += 8;
        }
        if (p >= end)
            break;
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        const Lead lead = LeadTable[c];
        if (lead.length == 0)
            return m_valid = false;
        if (end - p >= lead.length) {
            // whole sequence available: check it at once
            if (p[1] < lead.low || p[1] > lead.high)
                return m_valid = false;
            if (lead.length >= 3 && !isContinuation(p[2]))
                return m_valid = false;
            if (lead.length == 4 && !isContinuation(p[3]))
                return m_valid = false;
            p += lead.length;
            continue;
        }
        return writeSlow(p, end);
    }
    return true;
}

bool Utf8Validator::writeSlow(const unsigned char *p, const unsigned char *end)
{
    // a sequence that the input ends inside of: check what is there, keep the rest as state
    const Lead lead = LeadTable[*p++];
    m_needed = lead.length - 1;
    m_pending = 1;
    m_low = lead.low;
    m_high = lead.high;
    while (p < end) {
        const unsigned char c = *p++;
        if (c < m_low || c > m_high)
            return m_valid = false;
        m_low = 0x80;
        m_high = 0xBF;
        --m_needed;
        ++m_pending;
    }
    return true;
}

void Utf8Validator::reset()
{
    m_valid = true;
    m_needed = 0;
    m_pending = 0;
    m_low = 0x80;
    m_high = 0xBF;
}

bool Utf8Validator::isValidUtf8(QByteArrayView bytes)
{
    Utf8Validator v;
    return v.write(bytes) && v.finish();
}

QString decodeUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
    return decoder.decode(bytes);
}

} // namespace Wsw::Codec
