/* main.c - the `sheaf` command-line tool: global flags and subcommand
 * dispatch. Each subcommand lives in its own file and returns the exit
 * status; errors go to stderr as "sheaf: <message>" with status 1. */
#include "cli.h"

#include "sheaf.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("usage: sheaf [--help | --version]\n"
          "       sheaf COMMAND [OPTIONS] ...\n"
          "\n"
          "commands:\n",
          f);
    sh_cli_profile_usage(f);
    fputs("\n"
          "options:\n"
          "  -h, --help       show this help and exit\n"
          "  -V, --version    print the sheaf version and exit\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("sheaf: missing command\n", stderr);
        usage(stderr);
        return 1;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("sheaf %s\n", sheaf_version());
        return 0;
    }
    if (!strcmp(cmd, "profile")) return sh_cli_profile(argc - 1, argv + 1);
    fprintf(stderr, "sheaf: unknown command '%s'\n", cmd);
    usage(stderr);
    return 1;
}
