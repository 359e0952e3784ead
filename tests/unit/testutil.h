/*
 * testutil.h: what the cmocka tests share. A temporary directory for the
 * files a test writes (made under $TMPDIR, or /tmp, by a cmocka setup and
 * removed with everything in it by the matching teardown), paths in it,
 * writing a file there, and the source tree (top_srcdir, set by make check)
 * for the fixtures in tests/data. Include it after <cmocka.h>; each test
 * program is one file, so the helpers are static.
 */
#ifndef KEEPUP_TESTUTIL_H
#define KEEPUP_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TESTUTIL_PATH_MAX 1024

/* The temporary directory: empty before TestUtil_setupDir. */
static inline char* TestUtil_dir(void) {
   static char dir[256];
   return dir;
}

/* A cmocka setup (group or test): a fresh temporary directory. */
static inline int TestUtil_setupDir(void** state) {
   (void)state;
   const char* base = getenv("TMPDIR");
   snprintf(TestUtil_dir(), 256, "%s/keepup-test-XXXXXX", base && *base ? base : "/tmp");
   return mkdtemp(TestUtil_dir()) ? 0 : -1;
}

/* The matching teardown: the directory goes, with everything in it. */
static inline int TestUtil_teardownDir(void** state) {
   (void)state;
   char cmd[512];
   snprintf(cmd, sizeof cmd, "rm -rf '%s'", TestUtil_dir());
   return system(cmd) == 0 ? 0 : -1;
}

/* rel in the temporary directory, written to out (TESTUTIL_PATH_MAX bytes); returns out. */
static inline char* TestUtil_path(char* out, const char* rel) {
   snprintf(out, TESTUTIL_PATH_MAX, "%s/%s", TestUtil_dir(), rel);
   return out;
}

/* Write len bytes to rel in the temporary directory, making the directories on the way. */
static inline void TestUtil_writeFile(const char* rel, const void* data, size_t len) {
   char path[TESTUTIL_PATH_MAX];
   TestUtil_path(path, rel);
   for (char* p = path + strlen(TestUtil_dir()) + 1; (p = strchr(p, '/')) != NULL; p++) {
      *p = '\0';
      mkdir(path, 0700);
      *p = '/';
   }
   FILE* f = fopen(path, "wb");
   assert_non_null(f);
   assert_int_equal(fwrite(data, 1, len, f), len);
   assert_int_equal(fclose(f), 0);
}

/* Write a string to rel in the temporary directory. */
static inline void TestUtil_writeText(const char* rel, const char* text) {
   TestUtil_writeFile(rel, text, strlen(text));
}

/* The source tree, for tests/data. */
static inline const char* TestUtil_srcdir(void) {
   const char* d = getenv("top_srcdir");
   return d && *d ? d : ".";
}

#endif
