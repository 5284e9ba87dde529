#include "CCurl.h"

#include <dlfcn.h>
#include <pthread.h>

struct automagik_curl_functions automagik_curl;

static int loaded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

// FoundationNetworking links libcurl.so.4 on Linux, so the first name normally finds the library already in
// the process; the others cover distributions that ship only the GnuTLS build or only the unversioned link.
static void load(void) {
    static const char *const names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so"};
    void *library = NULL;
    for (size_t index = 0; index < sizeof names / sizeof names[0] && library == NULL; index++) {
        library = dlopen(names[index], RTLD_NOW | RTLD_LOCAL);
    }
    if (library == NULL) return;
    struct automagik_curl_functions found;
#define RESOLVE(field, symbol)                                   \
    *(void **)(&found.field) = dlsym(library, symbol);          \
    if (found.field == NULL) return;
    RESOLVE(global_init, "curl_global_init")
    RESOLVE(easy_init, "curl_easy_init")
    RESOLVE(easy_cleanup, "curl_easy_cleanup")
    RESOLVE(easy_setopt, "curl_easy_setopt")
    RESOLVE(easy_getinfo, "curl_easy_getinfo")
    RESOLVE(easy_strerror, "curl_easy_strerror")
    RESOLVE(slist_append, "curl_slist_append")
    RESOLVE(slist_free_all, "curl_slist_free_all")
    RESOLVE(multi_init, "curl_multi_init")
    RESOLVE(multi_setopt, "curl_multi_setopt")
    RESOLVE(multi_add_handle, "curl_multi_add_handle")
    RESOLVE(multi_remove_handle, "curl_multi_remove_handle")
    RESOLVE(multi_perform, "curl_multi_perform")
    RESOLVE(multi_info_read, "curl_multi_info_read")
    RESOLVE(multi_timeout, "curl_multi_timeout")
    RESOLVE(multi_poll, "curl_multi_poll")      // libcurl 7.66
    RESOLVE(multi_wakeup, "curl_multi_wakeup")  // libcurl 7.68
    RESOLVE(multi_cleanup, "curl_multi_cleanup")
#undef RESOLVE
    automagik_curl = found;
    loaded = 1;
}

int automagik_curl_load(void) {
    pthread_once(&once, load);
    return loaded;
}

typedef void (*keylog_setter)(void *context, void *callback);

// OpenSSL's setter is looked up in the process (libcurl has loaded libssl), so no OpenSSL headers are
// needed; libcurl calls CURLOPT_SSL_CTX_FUNCTION after installing its own key-log callback.
static CURLcode without_keylog(CURL *easy, void *context, void *unused) {
    (void)easy;
    (void)unused;
    static keylog_setter setter;
    keylog_setter found = __atomic_load_n(&setter, __ATOMIC_ACQUIRE);
    if (found == NULL) {
        found = (keylog_setter)dlsym(RTLD_DEFAULT, "SSL_CTX_set_keylog_callback");
        __atomic_store_n(&setter, found, __ATOMIC_RELEASE);
    }
    if (found != NULL) found(context, NULL);
    return CURLE_OK;
}

CURLcode automagik_curl_without_keylog(CURL *easy) {
    return automagik_curl.easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, without_keylog);
}
