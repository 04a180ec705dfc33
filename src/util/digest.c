/*
 * digest.c — SHA-256 through libcrypto's EVP interface.
 */
#include "util/digest.h"

#include <openssl/evp.h>
#include <stdlib.h>

struct digest_ctx {
    EVP_MD_CTX *md;
};

static void to_hex(const unsigned char *bin, unsigned n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        out[2 * i] = hex[bin[i] >> 4];
        out[2 * i + 1] = hex[bin[i] & 15];
    }
    out[2 * n] = 0;
}

void digest_sha256_hex(const void *data, size_t len, char out[DIGEST_HEX_LEN + 1])
{
    unsigned char bin[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (!EVP_Digest(data, len, bin, &n, EVP_sha256(), NULL))
        abort();
    to_hex(bin, n, out);
}

digest_ctx *digest_new(void)
{
    digest_ctx *d = malloc(sizeof *d);
    if (!d || !(d->md = EVP_MD_CTX_new()) || !EVP_DigestInit_ex(d->md, EVP_sha256(), NULL))
        abort();
    return d;
}

void digest_update(digest_ctx *d, const void *data, size_t len)
{
    if (!EVP_DigestUpdate(d->md, data, len))
        abort();
}

void digest_final_hex(digest_ctx *d, char out[DIGEST_HEX_LEN + 1])
{
    unsigned char bin[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (!EVP_DigestFinal_ex(d->md, bin, &n))
        abort();
    to_hex(bin, n, out);
    EVP_MD_CTX_free(d->md);
    free(d);
}
