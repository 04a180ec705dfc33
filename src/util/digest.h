/*
 * digest.h — SHA-256 content hashes (OpenSSL's libcrypto, which libpq
 * already links): migration checksums, import file hashes, copy verification.
 */
#ifndef DBSAGE_DIGEST_H
#define DBSAGE_DIGEST_H

#include <stddef.h>

#define DIGEST_HEX_LEN 64

typedef struct digest_ctx digest_ctx;

/* one-shot: hex (lower case) of SHA-256(data) into out[65] */
void digest_sha256_hex(const void *data, size_t len, char out[DIGEST_HEX_LEN + 1]);

/* streaming */
digest_ctx *digest_new(void);
void digest_update(digest_ctx *d, const void *data, size_t len);
/* writes the hex digest into out[65] and frees d */
void digest_final_hex(digest_ctx *d, char out[DIGEST_HEX_LEN + 1]);

#endif
