#ifndef AUTOMAGIK_CCURL_SHIM_H
#define AUTOMAGIK_CCURL_SHIM_H
// libcurl for the Linux HTTP transport. Swift cannot call C variadic functions, so each
// curl_easy_setopt / curl_multi_setopt / curl_easy_getinfo shape used gets a typed wrapper here.
#include <curl/curl.h>

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
#endif
