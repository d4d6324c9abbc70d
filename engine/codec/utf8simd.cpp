#include "codec/utf8simd.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define WSW_HAVE_AVX2_PATH 1
#endif

namespace Wsw::Codec::Detail {

#ifdef WSW_HAVE_AVX2_PATH

namespace {

// Error classes of a pair of bytes (byte 1 = the previous byte, byte 2 = this byte); a pair
// is invalid when the three table look-ups below agree on at least one class.
constexpr quint8 TooShort = 1 << 0;   // lead or ASCII followed by a lead or ASCII where a continuation is due
constexpr quint8 TooLong = 1 << 1;    // ASCII followed by a continuation
constexpr quint8 Overlong3 = 1 << 2;  // E0 followed by 80-9F
constexpr quint8 TooLarge = 1 << 3;   // F4 followed by 90-BF, or F5-FF
constexpr quint8 Surrogate = 1 << 4;  // ED followed by A0-BF
constexpr quint8 Overlong2 = 1 << 5;  // C0 or C1
constexpr quint8 TooLarge1000 = 1 << 6; // F5-FF followed by 80-8F
constexpr quint8 Overlong4 = 1 << 6;  // F0 followed by 80-8F
constexpr quint8 TwoConts = 1 << 7;   // a continuation followed by a continuation
constexpr quint8 Carry = TooShort | TooLong | TwoConts;

__attribute__((target("avx2"))) inline __m256i table16(quint8 a0, quint8 a1, quint8 a2, quint8 a3, quint8 a4,
                                                        quint8 a5, quint8 a6, quint8 a7, quint8 a8, quint8 a9,
                                                        quint8 a10, quint8 a11, quint8 a12, quint8 a13,
                                                        quint8 a14, quint8 a15)
{
    return _mm256_setr_epi8(char(a0), char(a1), char(a2), char(a3), char(a4), char(a5), char(a6), char(a7),
                            char(a8), char(a9), char(a10), char(a11), char(a12), char(a13), char(a14),
                            char(a15), char(a0), char(a1), char(a2), char(a3), char(a4), char(a5), char(a6),
                            char(a7), char(a8), char(a9), char(a10), char(a11), char(a12), char(a13),
                            char(a14), char(a15));
}

__attribute__((target("avx2"))) inline __m256i high4(__m256i v)
{
    return _mm256_and_si256(_mm256_srli_epi16(v, 4), _mm256_set1_epi8(0x0F));
}

/** The vector of the bytes N positions earlier (the tail of prev shifted in). */
template <int N>
__attribute__((target("avx2"))) inline __m256i previous(__m256i input, __m256i prev)
{
    return _mm256_alignr_epi8(input, _mm256_permute2x128_si256(prev, input, 0x21), 16 - N);
}

__attribute__((target("avx2"))) qsizetype validateAvx2(const unsigned char *data, qsizetype size)
{
    const __m256i byte1HighTable = table16(
            TooLong, TooLong, TooLong, TooLong, TooLong, TooLong, TooLong, TooLong,  // 0xxx: ASCII
            TwoConts, TwoConts, TwoConts, TwoConts,                                   // 10xx: continuation
            TooShort | Overlong2,                                                      // 1100
            TooShort,                                                                  // 1101
            TooShort | Overlong3 | Surrogate,                                          // 1110
            TooShort | TooLarge | TooLarge1000 | Overlong4);                           // 1111
    const __m256i byte1LowTable = table16(
            Carry | Overlong3 | Overlong2 | Overlong4, // xxxx0000
            Carry | Overlong2,                          // xxxx0001
            Carry, Carry,                               // xxxx001x
            Carry | TooLarge,                           // xxxx0100
            Carry | TooLarge | TooLarge1000,            // xxxx0101
            Carry | TooLarge | TooLarge1000, Carry | TooLarge | TooLarge1000,
            Carry | TooLarge | TooLarge1000, Carry | TooLarge | TooLarge1000,
            Carry | TooLarge | TooLarge1000, Carry | TooLarge | TooLarge1000,
            Carry | TooLarge | TooLarge1000,
            Carry | TooLarge | TooLarge1000 | Surrogate, // xxxx1101
            Carry | TooLarge | TooLarge1000, Carry | TooLarge | TooLarge1000);
    const __m256i byte2HighTable = table16(
            TooShort, TooShort, TooShort, TooShort, TooShort, TooShort, TooShort, TooShort, // 0xxx
            TooLong | Overlong2 | TwoConts | Overlong3 | TooLarge1000 | Overlong4,          // 1000
            TooLong | Overlong2 | TwoConts | Overlong3 | TooLarge,                          // 1001
            TooLong | Overlong2 | TwoConts | Surrogate | TooLarge,                          // 1010
            TooLong | Overlong2 | TwoConts | Surrogate | TooLarge,                          // 1011
            TooShort, TooShort, TooShort, TooShort);                                        // 11xx

    const __m256i low4 = _mm256_set1_epi8(0x0F);
    const __m256i thirdByteMin = _mm256_set1_epi8(char(0xE0 - 0x80));
    const __m256i fourthByteMin = _mm256_set1_epi8(char(0xF0 - 0x80));
    const __m256i bit7 = _mm256_set1_epi8(char(0x80));

    __m256i prev = _mm256_setzero_si256(); // a code point boundary: as if ASCII came before
    __m256i error = _mm256_setzero_si256();
    qsizetype pos = 0;
    for (; pos + 32 <= size; pos += 32) {
        const __m256i input = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(data + pos));
        if (_mm256_movemask_epi8(input) == 0) {
            // ASCII: fine unless the block before ended inside a sequence
            const __m256i prev1 = previous<1>(input, prev);
            const __m256i prev2 = previous<2>(input, prev);
            const __m256i prev3 = previous<3>(input, prev);
            const __m256i needsMore = _mm256_or_si256(
                    _mm256_or_si256(_mm256_subs_epu8(prev1, _mm256_set1_epi8(char(0xC0 - 0x80))),
                                    _mm256_subs_epu8(prev2, thirdByteMin)),
                    _mm256_subs_epu8(prev3, fourthByteMin));
            error = _mm256_or_si256(error, _mm256_and_si256(needsMore, bit7));
            prev = input;
            continue;
        }
        const __m256i prev1 = previous<1>(input, prev);
        const __m256i special = _mm256_and_si256(
                _mm256_and_si256(_mm256_shuffle_epi8(byte1HighTable, high4(prev1)),
                                 _mm256_shuffle_epi8(byte1LowTable, _mm256_and_si256(prev1, low4))),
                _mm256_shuffle_epi8(byte2HighTable, high4(input)));
        const __m256i prev2 = previous<2>(input, prev);
        const __m256i prev3 = previous<3>(input, prev);
        // bytes 3 and 4 of a sequence must be continuations: the pair table flags them as
        // TwoConts, and this cancels the flag where a continuation is due
        const __m256i must23 = _mm256_or_si256(_mm256_subs_epu8(prev2, thirdByteMin),
                                               _mm256_subs_epu8(prev3, fourthByteMin));
        error = _mm256_or_si256(error, _mm256_xor_si256(_mm256_and_si256(must23, bit7), special));
        prev = input;
    }
    if (!_mm256_testz_si256(error, error))
        return -1;
    return pos;
}

bool hasAvx2()
{
    static const bool supported = __builtin_cpu_supports("avx2");
    return supported;
}

} // namespace

qsizetype validateUtf8Blocks(const unsigned char *data, qsizetype size)
{
    if (size < 32 || !hasAvx2())
        return 0;
    return validateAvx2(data, size);
}

#else

qsizetype validateUtf8Blocks(const unsigned char *, qsizetype)
{
    return 0;
}

#endif

} // namespace Wsw::Codec::Detail
