#pragma once

#include <cstddef>

#include <QtGlobal>

namespace Wsw::Codec {

/** Where masking keys come from; injectable so tests can assert exact wire bytes. */
class MaskKeySource
{
public:
    virtual ~MaskKeySource() = default;
    virtual quint32 nextMaskKey() = 0;
};

/** Which generator filled a block of secure random bytes. */
enum class SecureRandomOrigin : quint8 {
    Primary,  // the source given to SystemMaskKeySource (the engine's: OpenSSL's DRBG)
    Kernel,   // getrandom(2): the kernel's ChaCha20 CSPRNG
    QtSystem, // QRandomGenerator::system(), when getrandom() is missing or failed
};

/**
 * A fast CSPRNG that the codec cannot link itself (it links Qt6::Core only): fills length bytes
 * and returns true, or returns false to leave the block to getrandom(). The engine passes
 * OpenSSL's RAND_bytes(), which is several times faster than the kernel on some CPUs.
 */
using BlockRandomFunction = bool (*)(void *buffer, std::size_t length);

/** getrandom(2)'s signature; tests pass their own to feed short reads and errors. */
using GetRandomFunction = long (*)(void *buffer, std::size_t length, unsigned flags);

/**
 * Fills buffer with bytes from a CSPRNG: getrandom() (retried on EINTR, continued after short
 * reads), or, if that is unavailable or fails otherwise, QRandomGenerator::system() for the rest
 * (a warning says so once per process). getRandom: nullptr for the real getrandom().
 */
SecureRandomOrigin fillSecureRandom(void *buffer, std::size_t length, GetRandomFunction getRandom = nullptr);

/**
 * The default source (RFC 6455 §5.3: keys from a strong source of entropy): keys from a CSPRNG,
 * 4 KiB at a time, so a key costs a load from the block rather than a system call or an RDRAND
 * (which takes hundreds of nanoseconds on some virtualised CPUs). The block comes from primary
 * when given (and it succeeds), otherwise from fillSecureRandom() (getrandom(), then Qt's system
 * generator). getRandom: for tests, as in fillSecureRandom().
 */
class SystemMaskKeySource final : public MaskKeySource
{
public:
    explicit SystemMaskKeySource(BlockRandomFunction primary = nullptr, GetRandomFunction getRandom = nullptr)
        : m_primary(primary)
        , m_getRandom(getRandom)
    {
    }

    quint32 nextMaskKey() override
    {
        if (Q_UNLIKELY(m_next == BlockKeys))
            refill();
        return m_keys[m_next++];
    }

    /** The fast generator for the next blocks (nullptr: getrandom()). */
    void setPrimary(BlockRandomFunction primary) { m_primary = primary; }
    /** Fetches a block now unless one is held (so a slow first fetch happens at a chosen moment). */
    void prefill()
    {
        if (m_next == BlockKeys)
            refill();
    }

    static constexpr int BlockKeys = 1024; // 4 KiB
    /** Blocks fetched so far (for tests). */
    int refills() const { return m_refills; }
    /** Where the last block came from. */
    SecureRandomOrigin lastOrigin() const { return m_origin; }

private:
    void refill();

    BlockRandomFunction m_primary;
    GetRandomFunction m_getRandom;
    int m_next = BlockKeys;
    int m_refills = 0;
    SecureRandomOrigin m_origin = SecureRandomOrigin::Kernel;
    quint32 m_keys[BlockKeys];
};

} // namespace Wsw::Codec
