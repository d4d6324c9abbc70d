#include "codec/maskkeysource.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include <QRandomGenerator>

#if __has_include(<sys/random.h>)
#include <sys/random.h>
#define WSW_HAVE_GETRANDOM 1
#endif

namespace Wsw::Codec {

namespace {

long systemGetRandom(void *buffer, std::size_t length, unsigned flags)
{
#ifdef WSW_HAVE_GETRANDOM
    return long(::getrandom(buffer, length, flags));
#else
    Q_UNUSED(buffer);
    Q_UNUSED(length);
    Q_UNUSED(flags);
    errno = ENOSYS;
    return -1;
#endif
}

void warnFallbackOnce(int error)
{
    static std::atomic_bool warned{false};
    if (!warned.exchange(true)) {
        qWarning("wsw: getrandom() failed (%s); mask keys come from QRandomGenerator::system() instead",
                 std::strerror(error));
    }
}

void warnPrimaryFailedOnce()
{
    static std::atomic_bool warned{false};
    if (!warned.exchange(true))
        qWarning("wsw: the primary random source failed; mask keys come from getrandom() instead");
}

} // namespace

SecureRandomOrigin fillSecureRandom(void *buffer, std::size_t length, GetRandomFunction getRandom)
{
    if (!getRandom)
        getRandom = systemGetRandom;
    auto *p = static_cast<char *>(buffer);
    std::size_t done = 0;
    while (done < length) {
        // getrandom() returns at most 32 MiB - 1 per call and may be interrupted by a signal
        // (then either EINTR or a short count): both just mean "ask again for the rest"
        const long n = getRandom(p + done, length - done, 0);
        if (n > 0) {
            done += std::size_t(n);
            continue;
        }
        const int error = n < 0 ? errno : EIO; // 0 bytes would loop forever: treat as a failure
        if (n < 0 && error == EINTR)
            continue;
        warnFallbackOnce(error);
        // the rest from Qt's system generator (RDRAND, getrandom or /dev/urandom as Qt finds
        // them), through an aligned block because a short read may have left p + done unaligned
        quint32 block[256];
        while (done < length) {
            const std::size_t n = std::min(length - done, sizeof block);
            QRandomGenerator::system()->fillRange(block, qsizetype((n + 3) / 4));
            std::memcpy(p + done, block, n);
            done += n;
        }
        return SecureRandomOrigin::QtSystem;
    }
    return SecureRandomOrigin::Kernel;
}

void SystemMaskKeySource::refill()
{
    if (m_primary && m_primary(m_keys, sizeof m_keys)) {
        m_origin = SecureRandomOrigin::Primary;
    } else {
        if (m_primary)
            warnPrimaryFailedOnce();
        m_origin = fillSecureRandom(m_keys, sizeof m_keys, m_getRandom);
    }
    m_next = 0;
    ++m_refills;
}

} // namespace Wsw::Codec
