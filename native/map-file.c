/*
 * dagship's one native helper: maps a file into memory as an ArrayBuffer, the way Arrow readers
 * in other languages read IPC files (pyarrow.memory_map). The pages are the page cache's own:
 * reading a table written a moment ago copies nothing. The mapping is private and writable
 * (copy-on-write): a task that writes into a column changes its own copy of that page, never the
 * file, and never faults. The pages are mapped up front (MADV_POPULATE_READ), so a table is in
 * memory when tables.read returns, as it is after reading the file. The mapping lives as long as
 * the ArrayBuffer: V8 unmaps it when the buffer is collected.
 *
 * mapFile(path: string): ArrayBuffer — throws an Error with `code` (the errno name) on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

static const char *errno_name(int e) {
  switch (e) {
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case EISDIR: return "EISDIR";
    case ENOMEM: return "ENOMEM";
    case EMFILE: return "EMFILE";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    default: return "EIO";
  }
}

static napi_value fail(napi_env env, const char *what, int e) {
  napi_throw_error(env, errno_name(e), what);
  return NULL;
}

static void unmap(napi_env env, void *data, void *hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

static napi_value map_file(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char path[4096];
  size_t len = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_string_utf8(env, argv[0], path, sizeof path, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "mapFile(path): path must be a string");
    return NULL;
  }
  if (len >= sizeof path - 1) return fail(env, "mapFile: the path is too long", ENAMETOOLONG);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(env, strerror(errno), errno);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return fail(env, strerror(e), e);
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return fail(env, "mapFile: not a regular file", EISDIR);
  }
  size_t size = (size_t)st.st_size;
  napi_value buffer;
  if (size == 0) {
    close(fd);
    void *unused;
    napi_create_arraybuffer(env, 0, &unused, &buffer);
    return buffer;
  }
  void *data = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  int e = errno;
  close(fd);
  if (data == MAP_FAILED) return fail(env, strerror(e), e);
  /* Older kernels lack MADV_POPULATE_READ: the pages are then mapped as they are first touched. */
  madvise(data, size, MADV_POPULATE_READ);
  if (napi_create_external_arraybuffer(env, data, size, unmap, (void *)(uintptr_t)size, &buffer) != napi_ok) {
    munmap(data, size);
    napi_throw_error(env, "EIO", "mapFile: could not wrap the mapping in an ArrayBuffer");
    return NULL;
  }
  return buffer;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_value fn;
  napi_create_function(env, "mapFile", NAPI_AUTO_LENGTH, map_file, NULL, &fn);
  napi_set_named_property(env, exports, "mapFile", fn);
  return exports;
}
