#include <stdio.h>
#include <string.h>
extern const char *greeting(void);
int main(int argc, char **argv) {
  printf("%s %s\n", greeting(), argc > 1 ? argv[1] : "world");
  return (int) strlen(argv[0]) > 0 ? 0 : 1;
}
