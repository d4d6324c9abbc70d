#pragma once

#include <cstddef>

namespace Wsw {

/**
 * Fills buffer from OpenSSL's DRBG (RAND_bytes): the mask keys of a wss:// connection, a block at
 * a time (Codec::BlockRandomFunction). About 1 ns per key in 4 KiB blocks on AES-NI CPUs, where
 * the kernel's getrandom() takes 10 ns or more; false when OpenSSL fails (then getrandom() is
 * used). Not used over ws://: OpenSSL's first call sets it up (about 1 ms, 2-3 MiB).
 */
bool fillFromOpenSslDrbg(void *buffer, std::size_t length);

} // namespace Wsw
