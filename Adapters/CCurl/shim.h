#ifndef AUTOMAGIK_CCURL_SHIM_H
#define AUTOMAGIK_CCURL_SHIM_H
// libcurl for the Linux HTTP transport. Swift cannot call C variadic functions, so each
// curl_easy_setopt / curl_multi_setopt / curl_easy_getinfo shape used gets a typed wrapper here.
#include <curl/curl.h>
#include <dlfcn.h>

static inline CURLcode automagik_curl_set_long(CURL *easy, CURLoption option, long value) {
    return curl_easy_setopt(easy, option, value);
}
static inline CURLcode automagik_curl_set_off(CURL *easy, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(easy, option, value);
}
static inline CURLcode automagik_curl_set_pointer(CURL *easy, CURLoption option, void *value) {
    return curl_easy_setopt(easy, option, value);
}
static inline CURLcode automagik_curl_set_string(CURL *easy, CURLoption option, const char *value) {
    return curl_easy_setopt(easy, option, value);
}
static inline CURLcode automagik_curl_set_list(CURL *easy, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(easy, option, value);
}

typedef size_t (*automagik_curl_data_callback)(char *data, size_t size, size_t count, void *context);
static inline CURLcode automagik_curl_set_data_callback(CURL *easy, CURLoption option, automagik_curl_data_callback callback) {
    return curl_easy_setopt(easy, option, callback);
}

/// Only http and https, whatever the URL says (no file://, no gopher://, no redirect tricks).
static inline CURLcode automagik_curl_restrict_protocols(CURL *easy) {
#if LIBCURL_VERSION_NUM >= 0x075500
    return curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    return curl_easy_setopt(easy, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
}

static inline CURLcode automagik_curl_response_code(CURL *easy, long *code) {
    return curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, code);
}
static inline CURLcode automagik_curl_private(CURL *easy, void **pointer) {
    return curl_easy_getinfo(easy, CURLINFO_PRIVATE, pointer);
}
static inline CURLMcode automagik_curl_multi_set_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

/// libcurl writes every TLS session's secrets to the file named by SSLKEYLOGFILE when it starts (a
/// debugging aid for Wireshark). Telemetry carries credentials, and the variable may be set for some
/// other program: each TLS context libcurl creates for this SDK gets OpenSSL's key-log callback
/// removed. libcurl calls CURLOPT_SSL_CTX_FUNCTION after installing its own callback; OpenSSL's setter is
/// looked up at run time (libcurl has loaded libssl), so no OpenSSL headers are needed.
typedef void (*automagik_keylog_setter)(void *context, void *callback);
static CURLcode automagik_ssl_context_without_keylog(CURL *easy, void *context, void *unused) {
    (void)easy;
    (void)unused;
    static automagik_keylog_setter setter;
    automagik_keylog_setter found = __atomic_load_n(&setter, __ATOMIC_ACQUIRE);
    if (!found) {
        found = (automagik_keylog_setter)dlsym(RTLD_DEFAULT, "SSL_CTX_set_keylog_callback");
        __atomic_store_n(&setter, found, __ATOMIC_RELEASE);
    }
    if (found) found(context, 0);
    return CURLE_OK;
}
/// Installs the callback above; CURLE_NOT_BUILT_IN with TLS libraries that have no SSL_CTX (they also
/// have no SSLKEYLOGFILE support in libcurl).
static inline CURLcode automagik_curl_without_keylog(CURL *easy) {
    return curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, automagik_ssl_context_without_keylog);
}
#endif
