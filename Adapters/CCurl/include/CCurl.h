#ifndef AUTOMAGIK_CCURL_H
#define AUTOMAGIK_CCURL_H
// libcurl for the Linux HTTP transport, bound at run time.
//
// FoundationNetworking already loads the system's libcurl.so.4 at run time, but compiling against
// <curl/curl.h> needed its development package: on a machine with only the Swift toolchain the first
// `make demo` failed with "'curl/curl.h' file not found" (issue #24). This header declares the part of
// libcurl's stable ABI the transport uses — the option, error and message numbers libcurl documents and
// never renumbers, and the two structs it reads — and CCurl.c resolves the functions from libcurl.so.4 with
// dlopen/dlsym on first use. The wrappers keep libcurl's names but are `static inline`, so no symbol of this
// module can interpose on libcurl's own exports.
//
// Swift cannot call C variadic functions, so each curl_easy_setopt / curl_multi_setopt /
// curl_easy_getinfo shape used gets a typed wrapper here.
#include <stddef.h>

typedef void CURL;
typedef void CURLM;
typedef long long curl_off_t;

typedef enum {
    CURLE_OK = 0,
    CURLE_UNSUPPORTED_PROTOCOL = 1,
    CURLE_URL_MALFORMAT = 3,
    CURLE_NOT_BUILT_IN = 4,
    CURLE_COULDNT_RESOLVE_PROXY = 5,
    CURLE_COULDNT_RESOLVE_HOST = 6,
    CURLE_COULDNT_CONNECT = 7,
    CURLE_WEIRD_SERVER_REPLY = 8,
    CURLE_PARTIAL_FILE = 18,
    CURLE_WRITE_ERROR = 23,
    CURLE_OPERATION_TIMEDOUT = 28,
    CURLE_SSL_CONNECT_ERROR = 35,
    CURLE_ABORTED_BY_CALLBACK = 42,
    CURLE_UNKNOWN_OPTION = 48,
    CURLE_GOT_NOTHING = 52,
    CURLE_SEND_ERROR = 55,
    CURLE_RECV_ERROR = 56,
    CURLE_SSL_CERTPROBLEM = 58,
    CURLE_SSL_CIPHER = 59,
    CURLE_PEER_FAILED_VERIFICATION = 60,
    CURLE_SSL_CACERT_BADFILE = 77,
    CURLE_SSL_ISSUER_ERROR = 83,
    CURLE_SSL_PINNEDPUBKEYNOTMATCH = 90,
    CURLE_AUTOMAGIK_NOT_LOADED = 10000  // not libcurl's: libcurl.so.4 could not be loaded
} CURLcode;

typedef int CURLMcode;

// CURLOPTTYPE_LONG is 0, OBJECTPOINT/STRINGPOINT 10000, FUNCTIONPOINT 20000, OFF_T 30000 (curl.h).
typedef enum {
    CURLOPT_WRITEDATA = 10001,
    CURLOPT_URL = 10002,
    CURLOPT_PROXY = 10004,
    CURLOPT_WRITEFUNCTION = 20011,
    CURLOPT_HTTPHEADER = 10023,
    CURLOPT_SSLCERT = 10025,
    CURLOPT_HEADERDATA = 10029,
    CURLOPT_CUSTOMREQUEST = 10036,
    CURLOPT_POST = 47,
    CURLOPT_FOLLOWLOCATION = 52,
    CURLOPT_CAINFO = 10065,
    CURLOPT_HEADERFUNCTION = 20079,
    CURLOPT_HTTPGET = 80,
    CURLOPT_SSLKEY = 10087,
    CURLOPT_NOSIGNAL = 99,
    CURLOPT_SSL_CTX_FUNCTION = 20108,
    CURLOPT_TIMEOUT_MS = 155,
    CURLOPT_CONNECTTIMEOUT_MS = 156,
    CURLOPT_COPYPOSTFIELDS = 10165,
    CURLOPT_NOPROXY = 10177,
    CURLOPT_PROTOCOLS = 181,
    CURLOPT_POSTFIELDSIZE_LARGE = 30120,
    CURLOPT_PROTOCOLS_STR = 10318
} CURLoption;

typedef enum { CURLMOPT_MAXCONNECTS = 6 } CURLMoption;
typedef enum { CURLINFO_PRIVATE = 1048597, CURLINFO_RESPONSE_CODE = 2097154 } CURLINFO;
typedef enum { CURLMSG_NONE = 0, CURLMSG_DONE = 1 } CURLMSG;

#define CURL_GLOBAL_DEFAULT 3L

struct curl_slist {
    char *data;
    struct curl_slist *next;
};

typedef struct CURLMsg {
    CURLMSG msg;
    CURL *easy_handle;
    union {
        void *whatever;
        CURLcode result;
    } data;
} CURLMsg;

/// The libcurl functions the transport calls, resolved once from libcurl.so.4.
struct automagik_curl_functions {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
    CURLMcode (*multi_timeout)(CURLM *, long *);
    CURLMcode (*multi_poll)(CURLM *, void *, unsigned int, int, int *);
    CURLMcode (*multi_wakeup)(CURLM *);
    CURLMcode (*multi_cleanup)(CURLM *);
};

extern struct automagik_curl_functions automagik_curl;

/// Loads libcurl.so.4 (or libcurl.so, or libcurl-gnutls.so.4) and resolves every function above; safe to
/// call from any thread, any number of times. Returns nonzero when libcurl is usable, zero when it is
/// missing (every wrapper below must then not be called).
int automagik_curl_load(void);

static inline CURLcode curl_global_init(long flags) { return automagik_curl.global_init(flags); }
static inline CURL *curl_easy_init(void) { return automagik_curl.easy_init(); }
static inline void curl_easy_cleanup(CURL *easy) { automagik_curl.easy_cleanup(easy); }
static inline const char *curl_easy_strerror(CURLcode code) { return automagik_curl.easy_strerror(code); }
static inline struct curl_slist *curl_slist_append(struct curl_slist *list, const char *text) {
    return automagik_curl.slist_append(list, text);
}
static inline void curl_slist_free_all(struct curl_slist *list) { automagik_curl.slist_free_all(list); }
static inline CURLM *curl_multi_init(void) { return automagik_curl.multi_init(); }
static inline CURLMcode curl_multi_add_handle(CURLM *multi, CURL *easy) { return automagik_curl.multi_add_handle(multi, easy); }
static inline CURLMcode curl_multi_remove_handle(CURLM *multi, CURL *easy) { return automagik_curl.multi_remove_handle(multi, easy); }
static inline CURLMcode curl_multi_perform(CURLM *multi, int *running) { return automagik_curl.multi_perform(multi, running); }
static inline CURLMsg *curl_multi_info_read(CURLM *multi, int *left) { return automagik_curl.multi_info_read(multi, left); }
static inline CURLMcode curl_multi_timeout(CURLM *multi, long *milliseconds) { return automagik_curl.multi_timeout(multi, milliseconds); }
static inline CURLMcode curl_multi_poll(CURLM *multi, void *extra, unsigned int count, int milliseconds, int *ready) {
    return automagik_curl.multi_poll(multi, extra, count, milliseconds, ready);
}
static inline CURLMcode curl_multi_wakeup(CURLM *multi) { return automagik_curl.multi_wakeup(multi); }
static inline CURLMcode curl_multi_cleanup(CURLM *multi) { return automagik_curl.multi_cleanup(multi); }

static inline CURLcode automagik_curl_set_long(CURL *easy, CURLoption option, long value) {
    return automagik_curl.easy_setopt(easy, option, value);
}
static inline CURLcode automagik_curl_set_off(CURL *easy, CURLoption option, curl_off_t value) {
    return automagik_curl.easy_setopt(easy, option, value);
}
static inline CURLcode automagik_curl_set_pointer(CURL *easy, CURLoption option, void *value) {
    return automagik_curl.easy_setopt(easy, option, value);
}
static inline CURLcode automagik_curl_set_string(CURL *easy, CURLoption option, const char *value) {
    return automagik_curl.easy_setopt(easy, option, value);
}
static inline CURLcode automagik_curl_set_list(CURL *easy, CURLoption option, struct curl_slist *value) {
    return automagik_curl.easy_setopt(easy, option, value);
}

typedef size_t (*automagik_curl_data_callback)(char *data, size_t size, size_t count, void *context);
static inline CURLcode automagik_curl_set_data_callback(CURL *easy, CURLoption option, automagik_curl_data_callback callback) {
    return automagik_curl.easy_setopt(easy, option, callback);
}

/// Only http and https, whatever the URL says (no file://, no gopher://, no redirect tricks): the
/// string form from libcurl 7.85 on, the bit mask (CURLPROTO_HTTP | CURLPROTO_HTTPS) before it.
static inline CURLcode automagik_curl_restrict_protocols(CURL *easy) {
    CURLcode code = automagik_curl.easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    if (code == CURLE_UNKNOWN_OPTION) code = automagik_curl.easy_setopt(easy, CURLOPT_PROTOCOLS, 1L | 2L);
    return code;
}

static inline CURLcode automagik_curl_response_code(CURL *easy, long *code) {
    return automagik_curl.easy_getinfo(easy, CURLINFO_RESPONSE_CODE, code);
}
static inline CURLMcode automagik_curl_multi_set_long(CURLM *multi, CURLMoption option, long value) {
    return automagik_curl.multi_setopt(multi, option, value);
}

/// Installs a CURLOPT_SSL_CTX_FUNCTION that removes OpenSSL's key-log callback from each TLS context
/// libcurl creates: libcurl writes every TLS session's secrets to the file named by SSLKEYLOGFILE (a
/// debugging aid for Wireshark), and telemetry carries credentials. CURLE_NOT_BUILT_IN with TLS
/// libraries that have no SSL_CTX (they also have no SSLKEYLOGFILE support in libcurl).
CURLcode automagik_curl_without_keylog(CURL *easy);

#endif
