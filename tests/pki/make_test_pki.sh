#!/usr/bin/env bash
# make_test_pki.sh OUTDIR -- generates the test PKI for the TLS (wss://) tests of the engine, the
# interop servers (Python websockets, nginx) and wscli: a root and an intermediate CA, a valid
# server certificate and one certificate per way a server certificate can be wrong, a client
# certificate for mTLS (PEM, encrypted PEM, PKCS#12) and the SPKI pins of the main certificates.
#
# Run at build time by tests/pki/CMakeLists.txt (target wsw_test_pki). Every run regenerates
# everything: the previous contents of OUTDIR are removed first. Quiet on success; on any error it
# prints the failing command with openssl's output and exits non-zero. At the end it checks its own
# output with `openssl verify` (see verify_output) and fails if a certificate does not verify, or
# fail to verify, the way the tests expect.
#
# Test material only: the private keys are unencrypted and end up in the build tree. Never trust
# these CAs anywhere else.
#
# Needs the openssl CLI (OpenSSL 3.0 on Debian 12; $OPENSSL overrides the one on PATH) and GNU date.
set -euo pipefail

readonly PROG=${0##*/}
readonly OPENSSL=${OPENSSL:-openssl}
readonly PASSPHRASE=wsw-secret          # of client-encrypted.key and client.p12
readonly ORG="WSW Test PKI"             # O= of every subject, to recognise the test certificates
# A marker the script leaves in OUTDIR: only a directory holding it (or an empty one) is wiped,
# so a wrong argument (say, $HOME) cannot delete anything else.
readonly MARKER=.wsw-test-pki

die() { echo "$PROG: $*" >&2; exit 1; }

[[ $# -eq 1 && -n $1 ]] || die "usage: $PROG OUTDIR"
command -v "$OPENSSL" >/dev/null || die "openssl not found (apt-get install openssl)"

# --- output and scratch directories -------------------------------------------------------------

OUT=$1
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd -P)
[[ $OUT != / ]] || die "refusing to use / as OUTDIR"
if [[ -n $(ls -A "$OUT") && ! -e $OUT/$MARKER ]]; then
    die "$OUT is not empty and was not made by this script ($MARKER missing); refusing to wipe it"
fi
find "$OUT" -mindepth 1 -delete
touch "$OUT/$MARKER"

# Scratch space: the openssl ca config and database, the CSRs and extension files, the logs.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wsw-test-pki.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# run CMD... -- runs an openssl command with its chatter (openssl ca is talkative) in a log; on
# failure shows the command and the log, and stops.
run() {
    if ! "$@" >"$TMP/run.log" 2>&1; then
        echo "$PROG: command failed: $*" >&2
        cat "$TMP/run.log" >&2
        exit 1
    fi
}

# --- validity periods ---------------------------------------------------------------------------

# openssl req -x509 and openssl x509 -req in OpenSSL 3.0 always start a certificate "now" (-not_before
# only came in 3.4), so every certificate is issued by `openssl ca`, which takes explicit
# -startdate/-enddate. Valid certificates start one day ago, so a test machine whose clock is a
# little behind (or a VM resumed from a snapshot) still accepts them, and last 10 years.
# Format YYYYMMDDHHMMSSZ: openssl ca stores years before 2050 as UTCTime, later ones as
# GeneralizedTime, as RFC 5280 requires.
VALID_FROM=$(date -u -d '1 day ago' +%Y%m%d%H%M%SZ)
VALID_TO=$(date -u -d '1 day ago + 10 years' +%Y%m%d%H%M%SZ)
readonly VALID_FROM VALID_TO
readonly EXPIRED_FROM=20200101000000Z EXPIRED_TO=20210101000000Z
readonly FUTURE_FROM=20900101000000Z FUTURE_TO=20950101000000Z

# --- openssl ca set-up --------------------------------------------------------------------------

# One minimal config and one database for all issuers: the issuing certificate and key are given on
# each command line, the extensions come from a per-certificate file (-extfile), never from the
# request (copy_extensions = none). unique_subject = no because several certificates share
# CN=localhost. Serials are random (-rand_serial, so two runs never reuse one); OpenSSL 3.0's ca
# still insists on a "serial" setting even then, but never reads or writes that file.
mkdir -p "$TMP/ca/newcerts"
: >"$TMP/ca/index.txt"
cat >"$TMP/ca/openssl.cnf" <<EOF
[ ca ]
default_ca = test_ca

[ test_ca ]
dir             = $TMP/ca
database        = \$dir/index.txt
new_certs_dir   = \$dir/newcerts
serial          = \$dir/serial
default_md      = sha256
policy          = policy_any
unique_subject  = no
copy_extensions = none
email_in_dn     = no

[ policy_any ]
organizationName = optional
commonName       = supplied

[ req ]
distinguished_name = req_dn
prompt             = no

[ req_dn ]
CN = unused
EOF

# new_key NAME [rsa] -- OUT/NAME.key: unencrypted PEM PKCS#8 ("BEGIN PRIVATE KEY"). EC P-256 unless
# "rsa" (RSA 2048): fast to generate, and what servers usually have today.
new_key() {
    local name=$1 kind=${2:-ec}
    if [[ $kind == rsa ]]; then
        run "$OPENSSL" genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$OUT/$name.key"
    else
        run "$OPENSSL" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$OUT/$name.key"
    fi
}

# issue NAME CN ISSUER FROM TO EXTENSIONS -- OUT/NAME.pem (certificate only, no text dump), for the
# existing key OUT/NAME.key, signed by OUT/ISSUER.{pem,key} ("self" for a self-signed certificate),
# valid FROM..TO, with the X.509v3 extensions given as openssl config lines.
issue() {
    local name=$1 cn=$2 issuer=$3 from=$4 to=$5 exts=$6
    printf '[ exts ]\n%s\n' "$exts" >"$TMP/$name.ext"
    run "$OPENSSL" req -new -config "$TMP/ca/openssl.cnf" -key "$OUT/$name.key" \
        -subj "/O=$ORG/CN=$cn" -out "$TMP/$name.csr"
    local signer=(-cert "$OUT/$issuer.pem" -keyfile "$OUT/$issuer.key")
    [[ $issuer == self ]] && signer=(-selfsign -keyfile "$OUT/$name.key")
    run "$OPENSSL" ca -batch -notext -config "$TMP/ca/openssl.cnf" "${signer[@]}" -rand_serial \
        -preserveDN -startdate "$from" -enddate "$to" \
        -extfile "$TMP/$name.ext" -extensions exts \
        -in "$TMP/$name.csr" -out "$OUT/$name.pem"
}

# chain NAME CERT... -- OUT/NAME-chain.pem: the certificates in the order a server sends them (leaf
# first, then the intermediates; never the root, which the client must already trust).
chain() {
    local name=$1; shift
    local cert
    for cert in "$@"; do cat "$OUT/$cert.pem"; done >"$OUT/$name-chain.pem"
}

# --- extension sets -----------------------------------------------------------------------------

# Key identifiers on every certificate, so chains are built by key and not only by name.
# keyid:always: OpenSSL 3.0 leaves the AKID out of self-signed certificates unless told "always".
readonly KEY_IDS='subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always'

# ca_exts [PATHLEN] -- a CA: critical basicConstraints and keyUsage, no EKU (an EKU on a CA
# constrains every certificate below it) and no SAN (a CA names no host).
ca_exts() {
    local bc='critical, CA:TRUE'
    [[ -n ${1:-} ]] && bc+=", pathlen:$1"
    printf '%s\n' "basicConstraints = $bc" \
        'keyUsage = critical, keyCertSign, cRLSign' "$KEY_IDS"
}

# leaf_exts EKU SAN -- an end-entity certificate: CA:FALSE, digitalSignature (all an ECDHE
# handshake needs, for EC and RSA keys alike), the given extended key usage and subjectAltName.
leaf_exts() {
    printf '%s\n' 'basicConstraints = critical, CA:FALSE' 'keyUsage = critical, digitalSignature' \
        "extendedKeyUsage = $1" "subjectAltName = $2" "$KEY_IDS"
}

# What a client connecting to ws(s)://localhost, 127.0.0.1 or [::1] expects to find.
readonly LOCAL_SAN='DNS:localhost, IP:127.0.0.1, IP:::1'

# --- one function per kind of certificate -------------------------------------------------------

# make_root_ca NAME CN -- a self-signed root CA (the trust anchor).
make_root_ca() {
    new_key "$1"
    issue "$1" "$2" self "$VALID_FROM" "$VALID_TO" "$(ca_exts)"
}

# make_intermediate_ca NAME CN ISSUER -- a CA that may sign only end-entity certificates
# (pathlen:0), as public CAs issue server certificates from intermediates, never from the root.
make_intermediate_ca() {
    new_key "$1"
    issue "$1" "$2" "$3" "$VALID_FROM" "$VALID_TO" "$(ca_exts 0)"
}

# make_server NAME CN ISSUER FROM TO SAN [EKU] -- a TLS server certificate.
make_server() {
    new_key "$1"
    issue "$1" "$2" "$3" "$4" "$5" "$(leaf_exts "${7:-serverAuth}" "$6")"
}

# make_client NAME CN ISSUER -- a TLS client certificate (mTLS) on an RSA key, so the client side
# also exercises RSA signatures; plus an encrypted copy of the key and two PKCS#12 bundles.
make_client() {
    local name=$1
    new_key "$name" rsa
    issue "$name" "$2" "$3" "$VALID_FROM" "$VALID_TO" \
        "$(leaf_exts clientAuth "email:wsw-test-client@example.invalid")"
    # The same key, encrypted: PKCS#8 v2 (PBES2, PBKDF2 with HMAC-SHA256, AES-256-CBC).
    run "$OPENSSL" pkcs8 -topk8 -in "$OUT/$name.key" -v2 aes-256-cbc -v2prf hmacWithSHA256 \
        -passout "pass:$PASSPHRASE" -out "$OUT/$name-encrypted.key"
    # PKCS#12 with OpenSSL 3 defaults (AES-256-CBC/PBKDF2 for key and certificates, SHA-256 MAC),
    # which OpenSSL 1.1.1+ and Qt's OpenSSL backend read; -legacy would be needed only for RC2/3DES
    # readers. The intermediate goes in too, so a client loading only the .p12 can send the chain.
    run "$OPENSSL" pkcs12 -export -in "$OUT/$name.pem" -inkey "$OUT/$name.key" \
        -certfile "$OUT/$3.pem" -name "$2" -passout "pass:$PASSPHRASE" -out "$OUT/$name.p12"
    # Empty passphrase ("pass:"): still encrypted and MAC-protected, with the empty password, which
    # is what readers that pass "" (Qt's importPkcs12 with no passphrase) expect.
    run "$OPENSSL" pkcs12 -export -in "$OUT/$name.pem" -inkey "$OUT/$name.key" \
        -certfile "$OUT/$3.pem" -name "$2" -passout pass: -out "$OUT/$name-nopass.p12"
}

# --- the PKI ------------------------------------------------------------------------------------

make_pki() {
    make_root_ca root-ca "WSW Test Root CA"
    make_intermediate_ca intermediate-ca "WSW Test Intermediate CA" root-ca

    # The good server certificate.
    make_server server localhost intermediate-ca "$VALID_FROM" "$VALID_TO" "$LOCAL_SAN"
    chain server server intermediate-ca

    # Bad server certificates, each wrong in exactly one way (names and chain as for server).
    make_server expired localhost intermediate-ca "$EXPIRED_FROM" "$EXPIRED_TO" "$LOCAL_SAN"
    chain expired expired intermediate-ca
    make_server not-yet-valid localhost intermediate-ca "$FUTURE_FROM" "$FUTURE_TO" "$LOCAL_SAN"
    chain not-yet-valid not-yet-valid intermediate-ca
    # No IP SANs either: connecting to 127.0.0.1 must fail as well as connecting to localhost.
    make_server wrong-host wrong-host.example intermediate-ca "$VALID_FROM" "$VALID_TO" \
        "DNS:wrong-host.example"
    chain wrong-host wrong-host intermediate-ca
    # A client certificate presented by a server: X509_V_ERR_INVALID_PURPOSE, "unsuitable certificate
    # purpose" in OpenSSL 3.0 ("unsupported ..." in 1.1.1), alert "unsupported certificate".
    make_server wrong-usage localhost intermediate-ca "$VALID_FROM" "$VALID_TO" "$LOCAL_SAN" clientAuth
    chain wrong-usage wrong-usage intermediate-ca
    # Self-signed leaf (CA:FALSE): untrusted unless trusted explicitly (or pinned).
    make_server self-signed localhost self "$VALID_FROM" "$VALID_TO" "$LOCAL_SAN"

    # A leaf that signs another leaf: openssl ca does not check that its issuer is a CA, so the
    # chain can be made; verifiers reject it with "invalid CA certificate" at not-a-ca.
    make_server not-a-ca "WSW Test Not-a-CA Leaf" intermediate-ca "$VALID_FROM" "$VALID_TO" \
        "DNS:not-a-ca.example"
    make_server signed-by-leaf localhost not-a-ca "$VALID_FROM" "$VALID_TO" "DNS:localhost, IP:127.0.0.1"
    chain signed-by-leaf signed-by-leaf not-a-ca intermediate-ca

    # A well-formed server certificate from a CA the tests never trust.
    make_root_ca other-root-ca "WSW Other Root CA"
    make_server other-server localhost other-root-ca "$VALID_FROM" "$VALID_TO" "$LOCAL_SAN"
    chain other-server other-server

    make_client client "WSW Test Client" intermediate-ca
    chain client client intermediate-ca

    # What a client trusts (the root only: the server sends the intermediate), and what an mTLS
    # server trusts (root and intermediate, so a client sending only its leaf is accepted too).
    cat "$OUT/root-ca.pem" >"$OUT/ca-bundle.pem"
    cat "$OUT/root-ca.pem" "$OUT/intermediate-ca.pem" >"$OUT/client-ca-bundle.pem"
}

# --- SPKI pins ----------------------------------------------------------------------------------

# pins.txt: "<name> sha256/<base64>" per certificate, the base64 of SHA-256 over the DER
# SubjectPublicKeyInfo (the HPKP / curl --pinnedpubkey form). Computed here with the openssl CLI
# only, so a test comparing it with the engine's own computation checks the engine independently.
write_pins() {
    local name pin
    for name in root-ca intermediate-ca server self-signed other-server expired wrong-host client; do
        pin=$("$OPENSSL" x509 -in "$OUT/$name.pem" -pubkey -noout \
            | "$OPENSSL" pkey -pubin -outform der \
            | "$OPENSSL" dgst -sha256 -binary \
            | "$OPENSSL" base64)
        [[ $pin =~ ^[A-Za-z0-9+/]{43}=$ ]] || die "bad pin for $name: '$pin'"
        echo "$name sha256/$pin"
    done >"$OUT/pins.txt"
}

# --- README -------------------------------------------------------------------------------------

write_readme() {
    cat >"$OUT/README.txt" <<EOF
WSW test PKI -- generated by tests/pki/make_test_pki.sh on $(date -u '+%Y-%m-%d %H:%M:%S UTC').
TEST MATERIAL ONLY: the private keys are not protected; never trust these CAs elsewhere.
Regenerated (all files) when the script changes: cmake --build BUILD --target wsw_test_pki.

Keys: *.key are unencrypted PEM PKCS#8, EC P-256 except client.key (RSA 2048).
*-chain.pem: what a server (or mTLS client) sends: the leaf first, then the intermediate(s).
Valid certificates: $VALID_FROM .. $VALID_TO (from one day before generation, 10 years).
Server certificates name localhost, 127.0.0.1 and ::1 unless said otherwise.

root-ca.pem/.key                 "WSW Test Root CA", self-signed trust anchor (CA:TRUE, keyCertSign, cRLSign)
intermediate-ca.pem/.key         "WSW Test Intermediate CA", signed by the root (CA:TRUE, pathlen:0)
ca-bundle.pem                    root-ca.pem alone: what a client trusts
client-ca-bundle.pem             root + intermediate: what an mTLS server trusts for client certificates

server.pem/.key/-chain.pem       valid server certificate (EKU serverAuth), signed by the intermediate
expired.pem/.key/-chain.pem      as server, valid 2020-01-01 .. 2021-01-01: "certificate has expired"
not-yet-valid.pem/.key/-chain.pem  as server, valid 2090-01-01 .. 2095-01-01: "certificate is not yet valid"
wrong-host.pem/.key/-chain.pem   CN and SAN DNS:wrong-host.example only (no IP SANs): host name mismatch
wrong-usage.pem/.key/-chain.pem  as server but EKU clientAuth only: "unsuitable certificate purpose"
                                 (OpenSSL 3.0 wording; 1.1.1: "unsupported ..."; TLS alert "unsupported certificate")
self-signed.pem/.key             self-signed leaf (CA:FALSE, serverAuth): "self-signed certificate"
not-a-ca.pem/.key                a leaf (CA:FALSE) signed by the intermediate, used as an issuer below
signed-by-leaf.pem/.key/-chain.pem  server leaf (localhost, 127.0.0.1) issued by not-a-ca; chain =
                                 signed-by-leaf, not-a-ca, intermediate: "invalid CA certificate" at depth 1
                                 (OpenSSL also reports "path length constraint exceeded" at the
                                 intermediate and "key usage does not include certificate signing")
other-root-ca.pem/.key           "WSW Other Root CA", unrelated root the tests never trust
other-server.pem/.key/-chain.pem valid-looking server leaf signed directly by other-root-ca (chain = leaf
                                 only): "unable to get local issuer certificate" against root-ca

client.pem/.key/-chain.pem       "WSW Test Client", RSA 2048, EKU clientAuth, signed by the intermediate
client-encrypted.key             client.key encrypted (PKCS#8, PBKDF2-HMAC-SHA256, AES-256-CBC), passphrase "$PASSPHRASE"
client.p12                       PKCS#12: client cert, key and intermediate; passphrase "$PASSPHRASE" (OpenSSL 3 defaults:
                                 AES-256-CBC, PBKDF2, SHA-256 MAC)
client-nopass.p12                the same with the empty passphrase

pins.txt                         "<name> sha256/<base64>": base64(SHA-256(DER SubjectPublicKeyInfo)) for
                                 root-ca, intermediate-ca, server, self-signed, other-server, expired,
                                 wrong-host and client (<name> is the file name without .pem)
$MARKER                    marks this directory as the script's, which it may wipe
.stamp                           (when built by CMake) the wsw_test_pki stamp, touched after a successful run
EOF
}

# --- self-check ---------------------------------------------------------------------------------

FAILED=0

# expect_ok WHAT ARGS... -- openssl verify ARGS must succeed.
expect_ok() {
    local what=$1; shift
    local out
    if ! out=$("$OPENSSL" verify "$@" 2>&1); then
        echo "$PROG: check failed: $what should verify, but: $out" >&2
        FAILED=1
    fi
}

# expect_error WHAT MESSAGE ARGS... -- openssl verify ARGS must fail, reporting MESSAGE.
expect_error() {
    local what=$1 message=$2; shift 2
    local out
    if out=$("$OPENSSL" verify "$@" 2>&1); then
        echo "$PROG: check failed: $what should not verify, but: $out" >&2
        FAILED=1
    elif [[ $out != *"$message"* ]]; then
        echo "$PROG: check failed: $what should fail with \"$message\", but: $out" >&2
        FAILED=1
    fi
}

verify_output() {
    local root=(-CAfile "$OUT/root-ca.pem")
    local inter=(-untrusted "$OUT/intermediate-ca.pem")
    local server=(-purpose sslserver -verify_hostname localhost)

    # The good ones, as a TLS client checks them (purpose, host name and IP).
    expect_ok "server-chain.pem" "${root[@]}" -untrusted "$OUT/server-chain.pem" "${server[@]}" \
        "$OUT/server.pem"
    expect_ok "server.pem for 127.0.0.1" "${root[@]}" "${inter[@]}" -purpose sslserver \
        -verify_ip 127.0.0.1 "$OUT/server.pem"
    expect_ok "server.pem for ::1" "${root[@]}" "${inter[@]}" -purpose sslserver -verify_ip ::1 \
        "$OUT/server.pem"
    expect_ok "client-chain.pem" "${root[@]}" -untrusted "$OUT/client-chain.pem" -purpose sslclient \
        "$OUT/client.pem"
    expect_ok "client.pem against client-ca-bundle.pem" -CAfile "$OUT/client-ca-bundle.pem" \
        -purpose sslclient "$OUT/client.pem"
    expect_ok "self-signed.pem when trusted itself" -CAfile "$OUT/self-signed.pem" "${server[@]}" \
        "$OUT/self-signed.pem"

    # The bad ones, each with the reason the tests expect.
    expect_error "expired.pem" "certificate has expired" "${root[@]}" "${inter[@]}" "$OUT/expired.pem"
    expect_error "not-yet-valid.pem" "certificate is not yet valid" "${root[@]}" "${inter[@]}" \
        "$OUT/not-yet-valid.pem"
    expect_error "signed-by-leaf-chain.pem" "invalid CA certificate" "${root[@]}" \
        -untrusted "$OUT/signed-by-leaf-chain.pem" "$OUT/signed-by-leaf.pem"
    expect_error "other-server.pem" "unable to get local issuer certificate" "${root[@]}" "${inter[@]}" \
        "$OUT/other-server.pem"
    expect_error "wrong-host.pem for localhost" "hostname mismatch" "${root[@]}" "${inter[@]}" \
        "${server[@]}" "$OUT/wrong-host.pem"
    expect_error "wrong-host.pem for 127.0.0.1" "IP address mismatch" "${root[@]}" "${inter[@]}" \
        -verify_ip 127.0.0.1 "$OUT/wrong-host.pem"
    # X509_V_ERR_INVALID_PURPOSE (26) reads "unsuitable certificate purpose" in OpenSSL 3.0 and
    # "unsupported certificate purpose" in 1.1.1; in a handshake the client sends the alert
    # "unsupported certificate" either way.
    expect_error "wrong-usage.pem" "certificate purpose" "${root[@]}" "${inter[@]}" \
        "${server[@]}" "$OUT/wrong-usage.pem"
    expect_error "self-signed.pem" "self-signed certificate" "${root[@]}" "$OUT/self-signed.pem"

    # The client key files open with the documented passphrases and hold the certificate's key.
    local want got
    want=$("$OPENSSL" x509 -in "$OUT/client.pem" -pubkey -noout)
    got=$("$OPENSSL" pkey -in "$OUT/client-encrypted.key" -passin "pass:$PASSPHRASE" -pubout 2>&1) || true
    [[ $got == "$want" ]] || { echo "$PROG: check failed: client-encrypted.key: $got" >&2; FAILED=1; }
    local p12 pass
    for p12 in "client.p12:$PASSPHRASE" "client-nopass.p12:"; do
        pass=${p12#*:}; p12=${p12%%:*}
        got=$("$OPENSSL" pkcs12 -in "$OUT/$p12" -passin "pass:$pass" -nocerts -nodes 2>&1 \
            | "$OPENSSL" pkey -pubout 2>&1) || true
        [[ $got == "$want" ]] || { echo "$PROG: check failed: $p12 key: $got" >&2; FAILED=1; }
        got=$("$OPENSSL" pkcs12 -in "$OUT/$p12" -passin "pass:$pass" -nokeys 2>&1 | grep -c 'BEGIN CERTIFICATE') || true
        [[ $got == 2 ]] || { echo "$PROG: check failed: $p12 holds $got certificates, not 2" >&2; FAILED=1; }
    done

    [[ $FAILED == 0 ]] || die "the generated PKI in $OUT does not check out (see above)"
}

make_pki
write_pins
write_readme
verify_output
