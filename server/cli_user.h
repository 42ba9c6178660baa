/* cli_user.h - `somguide user add`: accounts from the command line. */
#ifndef SOMGUIDE_CLI_USER_H
#define SOMGUIDE_CLI_USER_H

/* Runs `somguide user ...` (argv[0] is "user"). Returns the exit status. */
int cli_user_main(int argc, char **argv);

#endif
