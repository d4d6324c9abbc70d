#include "connection/opensslrandom.h"

#include <climits>

#include <openssl/rand.h>

namespace Wsw {

bool fillFromOpenSslDrbg(void *buffer, std::size_t length)
{
    // OpenSSL 3 keeps a DRBG per thread, reseeded from the kernel and after fork()
    return length <= std::size_t(INT_MAX) && RAND_bytes(static_cast<unsigned char *>(buffer), int(length)) == 1;
}

} // namespace Wsw
