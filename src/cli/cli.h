/* cli.h - the subcommands of the `sheaf` command-line tool. */
#ifndef SH_CLI_CLI_H
#define SH_CLI_CLI_H

#include <stdio.h>

/* `sheaf profile ...`: argv[0] is "profile". Returns the process exit status
 * (0 on success, 1 after printing "sheaf: <message>" to stderr). */
int sh_cli_profile(int argc, char **argv);

/* Prints the profile subcommand's usage lines to f. */
void sh_cli_profile_usage(FILE *f);

#endif
